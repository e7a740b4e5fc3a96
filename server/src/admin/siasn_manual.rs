//! The agency's approved changes SIASN could not take, waiting for its admin to enter them in SIASN by hand
//! (`GET /api/v1/admin/siasn/manual`), and the admin's mark that one was entered
//! (`POST /api/v1/admin/usulan/{id}/siasn-manual`), which ends the import's hold on it.

use chrono::DateTime;
use mysapk_model::record::Profile;
use mysapk_model::siasn::forward::{NotForwardable, SiasnManual, SiasnStep};
use mysapk_model::usulan::Usulan;
use mysapk_model::Code;
use serde_json::json;
use sqlx::AnyPool;

use super::require_admin;
use crate::auth::AuthUser;
use crate::db::siasn_outbox::{self, FailedRow};
use crate::db::{self, AfterCommit, Audit, ENTITY_USULAN};
use crate::error::ServerError;
use crate::siasn::forward::{mark_entered_in, Entered};

/// The most waiting changes one answer lists.
pub const SIASN_MANUAL_LIMIT: i64 = 200;

/// The changes of the admin's agency waiting for manual entry in SIASN, newest first, at most
/// [`SIASN_MANUAL_LIMIT`].
pub async fn siasn_manual(pool: &AnyPool, admin: &AuthUser) -> Result<Vec<SiasnManual>, ServerError> {
    require_admin(admin)?;
    let mut conn = pool.acquire().await?;
    let rows = siasn_outbox::manual(&mut conn, &admin.instansi_id, SIASN_MANUAL_LIMIT).await?;
    rows.into_iter().map(waiting).collect()
}

fn waiting(row: FailedRow) -> Result<SiasnManual, ServerError> {
    let usulan: Usulan = serde_json::from_str(&row.usulan)?;
    let nama = row.profile.as_deref().map(serde_json::from_str::<Profile>).transpose()?.map(|p| p.full_name());
    let since = DateTime::from_timestamp_millis(row.updated_at)
        .ok_or_else(|| ServerError::internal("siasn_outbox.updated_at out of range"))?;
    // The reason is the proposal's own step; the row's copy (`message`) for a step rewritten since.
    let reason = match usulan.siasn {
        Some(SiasnStep::NotForwardable { reason }) => reason,
        _ => serde_json::from_value::<NotForwardable>(json!(row.message))
            .map_err(|_| ServerError::internal("siasn_outbox: a manual row without its reason"))?,
    };
    Ok(SiasnManual { usulan_id: row.usulan_id, nip: row.nip, nama, action: usulan.action, reason, since })
}

/// Mark a change of the admin's agency as entered in SIASN by hand; the proposal's new step (`recorded`).
/// Another agency's proposal, or one with no outbox row, is not found; one not waiting is a conflict.
pub async fn siasn_manual_entered(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    usulan_id: &str,
) -> Result<SiasnStep, ServerError> {
    require_admin(admin)?;
    let mut tx = db::begin_write(pool, after).await?;
    let (nip, reason, step) = match mark_entered_in(&mut tx, &admin.instansi_id, usulan_id).await? {
        Entered::Unknown => return Err(ServerError::api(Code::UsulanNotFound)),
        Entered::NotWaiting => return Err(ServerError::api(Code::UsulanSiasnNotManual)),
        Entered::Marked { nip, reason, step } => (nip, reason, step),
    };
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "usulan.siasn_manual",
            entity: ENTITY_USULAN,
            entity_id: usulan_id,
            subject: Some(&nip),
            instansi: Some(&admin.instansi_id),
            details: json!({ "reason": reason }),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(step)
}
