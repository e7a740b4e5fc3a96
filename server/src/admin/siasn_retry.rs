//! An admin sends a proposal's change to SIASN again after it failed (`POST /api/v1/admin/usulan/{id}/siasn-retry`).

use mysapk_model::siasn::forward::SiasnStep;
use mysapk_model::Code;
use serde_json::json;
use sqlx::AnyPool;

use super::require_admin;
use crate::auth::AuthUser;
use crate::db::{self, AfterCommit, Audit, ENTITY_USULAN};
use crate::error::ServerError;
use crate::siasn::forward::{retry_in, Retry};

/// Queue a failed forwarding of the admin's agency again; the proposal's new step. Another agency's proposal,
/// or one never queued for SIASN, is not found; one pending or recorded is a conflict.
pub async fn siasn_retry(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    usulan_id: &str,
) -> Result<SiasnStep, ServerError> {
    require_admin(admin)?;
    let mut tx = db::begin_write(pool, after).await?;
    let (nip, message) = match retry_in(&mut tx, &admin.instansi_id, usulan_id).await? {
        Retry::Unknown => return Err(ServerError::api(Code::UsulanNotFound)),
        Retry::NotFailed => return Err(ServerError::api(Code::UsulanSiasnNotFailed)),
        Retry::Queued { nip, message } => (nip, message),
    };
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "usulan.siasn_retry",
            entity: ENTITY_USULAN,
            entity_id: usulan_id,
            subject: Some(&nip),
            instansi: Some(&admin.instansi_id),
            details: json!({ "failure": message }),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(SiasnStep::Pending { attempts: 0 })
}
