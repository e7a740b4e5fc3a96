//! Removing an account's second factor (a lost phone and no recovery code left).

use mysapk_model::notification::AccountEvent;
use mysapk_model::Code;
use serde_json::json;
use sqlx::AnyPool;

use super::{require_admin, required_reason, target, ENTITY_ACCOUNT};
use crate::auth::{self, now_millis, AuthUser};
use crate::db::{self, accounts, mfa, sessions, AfterCommit, Audit};
use crate::error::ServerError;

/// `POST accounts/{nip}/mfa-reset`: remove the factor and its recovery codes and end the account's sessions (the
/// lost phone may be logged in); the owner enrols again at the next login. Never one's own: another admin must
/// see the person. Audited with the reason; the owner is notified.
pub async fn mfa_reset(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    nip: &str,
    reason: &str,
) -> Result<(), ServerError> {
    require_admin(admin)?;
    let reason = required_reason(reason)?;
    let mut tx = db::begin_write(pool, after).await?;
    let user = target(&mut tx, admin, nip).await?;
    if user.nip == admin.nip {
        return Err(ServerError::api(Code::MfaSelfReset));
    }
    if !mfa::remove(&mut tx, &user.nip).await? {
        return Err(ServerError::api(Code::MfaNotEnabled));
    }
    let revoked = accounts::revoke_all_tokens(&mut tx, &user.nip).await?;
    sessions::revoke_all_sessions(&mut tx, &user.nip, now_millis()).await?;
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "account.mfa_reset",
            entity: ENTITY_ACCOUNT,
            entity_id: &user.nip,
            subject: Some(&user.nip),
            instansi: Some(&admin.instansi_id),
            reason: Some(reason),
            details: json!({"tokens_revoked": revoked}),
            ..Audit::default()
        },
    )
    .await?;
    auth::notify_account_change(&mut tx, &user.nip, AccountEvent::MfaReset, Some(reason)).await?;
    tx.commit().await?;
    tracing::info!(admin = %admin.nip, nip = %user.nip, "second factor removed by an admin");
    Ok(())
}
