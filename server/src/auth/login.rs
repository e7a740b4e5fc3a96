//! Logging in with NIP and password, and setting a password with an admin's one-time code.

use mysapk_model::auth::TokenResponse;
use mysapk_model::{Code, Nip};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use super::now_millis;
use super::password::{hash_password, verify_password};
use super::session::{issue, Ttls};
use crate::db::{self, accounts, AfterCommit};
use crate::error::ServerError;

/// Check a login and issue a token pair.
pub async fn login(pool: &AnyPool, raw_nip: &str, password: &str, ttls: Ttls) -> Result<TokenResponse, ServerError> {
    let nip = Nip::parse(raw_nip).map_err(ServerError::rule)?;
    let mut conn = pool.acquire().await?;
    let Some(user) = accounts::find_user(&mut conn, nip.as_str()).await? else {
        return Err(ServerError::api(Code::AuthNoAccount));
    };
    let locked = accounts::locked_reason(&mut conn, nip.as_str()).await?;
    drop(conn);
    if user.password_hash.is_empty() {
        if let Some(reason) = locked {
            return Err(ServerError::api_detail(Code::AuthLocked, reason));
        }
        return Err(ServerError::api(Code::AuthNotActivated));
    }
    let phc = user.password_hash.clone();
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .map_err(|e| ServerError::internal(format!("password check task: {e}")))?;
    if !ok {
        tracing::info!(nip = %nip, "login refused: wrong password");
        return Err(ServerError::api(Code::AuthWrongPassword));
    }
    if let Some(reason) = locked {
        tracing::info!(nip = %nip, "login refused: locked");
        // The admin's reason, verbatim.
        return Err(ServerError::api_detail(Code::AuthLocked, reason));
    }
    // New tokens change nothing a cache or a stream holds.
    let mut tx = db::begin_write(pool, &db::NoHook).await?;
    let resp = issue(&mut tx, &user, ttls).await?;
    tx.commit().await?;
    tracing::info!(nip = %nip, "login");
    Ok(resp)
}

/// Minimum length of a password set with a reset code.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Wrong codes tolerated before a reset code stops working.
pub const MAX_RESET_ATTEMPTS: i64 = 5;

/// The stored form of a reset code (bound to its NIP).
pub fn reset_code_hash(nip: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{nip}:{}", code.trim().to_uppercase()).as_bytes()))
}

/// `POST /api/v1/auth/reset`: set a new password with a one-time code; the account's tokens are revoked and the
/// new password works at once.
pub async fn reset_password(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    raw_nip: &str,
    code: &str,
    new_password: &str,
) -> Result<(), ServerError> {
    let nip = Nip::parse(raw_nip).map_err(ServerError::rule)?;
    if new_password.chars().count() < MIN_PASSWORD_LEN {
        return Err(ServerError::api_detail(
            Code::PasswordTooShort,
            format!("The password must have at least {MIN_PASSWORD_LEN} characters."),
        )
        .on_field("new_password"));
    }
    let invalid = || ServerError::api(Code::AuthResetInvalid);
    let password = new_password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ServerError::internal(format!("password hashing task: {e}")))??;
    let mut tx = db::begin_write(pool, after).await?;
    let row = accounts::get_reset_code(&mut tx, nip.as_str()).await?.ok_or_else(invalid)?;
    if row.used || row.expires_at <= now_millis() || row.attempts >= MAX_RESET_ATTEMPTS {
        return Err(invalid());
    }
    if row.code_hash != reset_code_hash(nip.as_str(), code) {
        accounts::count_reset_attempt(&mut tx, nip.as_str()).await?;
        tx.commit().await?;
        return Err(invalid());
    }
    if !accounts::use_reset_code(&mut tx, nip.as_str()).await? {
        return Err(invalid());
    }
    accounts::set_password_hash(&mut tx, nip.as_str(), &hash).await?;
    let revoked = accounts::revoke_all_tokens(&mut tx, nip.as_str()).await?;
    db::audit(
        &mut tx,
        db::Audit {
            actor: nip.as_str(),
            action: "account.password_reset",
            entity: "account",
            entity_id: nip.as_str(),
            subject: Some(nip.as_str()),
            details: serde_json::json!({"tokens_revoked": revoked}),
            ..db::Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(nip = %nip, "password reset");
    Ok(())
}
