//! Locking an account (with a reason, revoking its tokens) and unlocking it.

use mysapk_model::admin::AccountInfo;
use mysapk_model::Code;
use serde_json::json;
use sqlx::AnyPool;

use super::{info, require_admin, required_reason, target, ENTITY_ACCOUNT};
use crate::auth::AuthUser;
use crate::db::{self, accounts, AfterCommit, Audit};
use crate::error::ServerError;

/// `POST accounts/{nip}/lock`: lock with a reason (shown at login) and revoke the account's tokens.
pub async fn lock(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    nip: &str,
    reason: &str,
) -> Result<AccountInfo, ServerError> {
    require_admin(admin)?;
    let reason = required_reason(reason)?;
    let mut tx = db::begin_write(pool, after).await?;
    let user = target(&mut tx, admin, nip).await?;
    if user.nip == admin.nip {
        return Err(ServerError::api(Code::AccountSelfLock));
    }
    accounts::set_locked(&mut tx, &user.nip, Some(reason)).await?;
    let revoked = accounts::revoke_all_tokens(&mut tx, &user.nip).await?;
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "account.lock",
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
    let out = info(&mut tx, &user.nip).await?;
    tx.commit().await?;
    Ok(out)
}

/// `POST accounts/{nip}/unlock`.
pub async fn unlock(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    nip: &str,
) -> Result<AccountInfo, ServerError> {
    require_admin(admin)?;
    let mut tx = db::begin_write(pool, after).await?;
    let user = target(&mut tx, admin, nip).await?;
    let before = accounts::locked_reason(&mut tx, &user.nip).await?;
    accounts::set_locked(&mut tx, &user.nip, None).await?;
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "account.unlock",
            entity: ENTITY_ACCOUNT,
            entity_id: &user.nip,
            subject: Some(&user.nip),
            instansi: Some(&admin.instansi_id),
            details: json!({"was_locked": before}),
            ..Audit::default()
        },
    )
    .await?;
    let out = info(&mut tx, &user.nip).await?;
    tx.commit().await?;
    Ok(out)
}
