//! One-time reset / activation codes for an account.

use chrono::Utc;
use mysapk_model::admin::ResetCode;
use mysapk_model::notification::AccountEvent;
use rand::Rng;
use serde_json::json;
use sqlx::AnyPool;

use super::{require_admin, target, ENTITY_ACCOUNT};
use crate::auth::{self, AuthUser};
use crate::db::{self, accounts, AfterCommit, Audit};
use crate::error::ServerError;

/// Lifetime of a reset code.
pub const RESET_CODE_HOURS: i64 = 24;
/// Unambiguous characters of a reset code (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 8;

/// A fresh reset code.
pub fn new_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..CODE_LEN).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// `POST accounts/{nip}/reset-code`: a one-time code (stored hashed, 24 h) for a reset or first activation.
pub async fn reset_code(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    nip: &str,
) -> Result<ResetCode, ServerError> {
    require_admin(admin)?;
    let mut tx = db::begin_write(pool, after).await?;
    let user = target(&mut tx, admin, nip).await?;
    let code = new_code();
    let expires_at = Utc::now() + chrono::Duration::hours(RESET_CODE_HOURS);
    accounts::put_reset_code(
        &mut tx,
        &user.nip,
        &auth::reset_code_hash(&user.nip, &code),
        expires_at.timestamp_millis(),
        &admin.nip,
    )
    .await?;
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "account.reset_code",
            entity: ENTITY_ACCOUNT,
            entity_id: &user.nip,
            subject: Some(&user.nip),
            instansi: Some(&admin.instansi_id),
            details: json!({"expires_at": expires_at, "activated": !user.password_hash.is_empty()}),
            ..Audit::default()
        },
    )
    .await?;
    auth::notify_account_change(&mut tx, &user.nip, AccountEvent::ResetCodeIssued, None).await?;
    tx.commit().await?;
    Ok(ResetCode { code, expires_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unambiguous() {
        let c = new_code();
        assert_eq!(c.len(), CODE_LEN);
        assert!(c.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(new_code(), c);
    }
}
