//! The agency's proposals whose forwarding to SIASN failed, for its admin (`GET /api/v1/admin/siasn/failed`).

use chrono::DateTime;
use mysapk_model::record::Profile;
use mysapk_model::siasn::forward::SiasnFailure;
use mysapk_model::usulan::Usulan;
use sqlx::AnyPool;

use super::require_admin;
use crate::auth::AuthUser;
use crate::db::siasn_outbox::{self, FailedRow};
use crate::error::ServerError;

/// The most failures one answer lists.
pub const SIASN_FAILED_LIMIT: i64 = 200;

/// The failed forwardings of the admin's agency, newest failure first, at most [`SIASN_FAILED_LIMIT`].
pub async fn siasn_failed(pool: &AnyPool, admin: &AuthUser) -> Result<Vec<SiasnFailure>, ServerError> {
    require_admin(admin)?;
    let mut conn = pool.acquire().await?;
    let rows = siasn_outbox::failed(&mut conn, &admin.instansi_id, SIASN_FAILED_LIMIT).await?;
    rows.into_iter().map(failure).collect()
}

fn failure(row: FailedRow) -> Result<SiasnFailure, ServerError> {
    let usulan: Usulan = serde_json::from_str(&row.usulan)?;
    let nama = row.profile.as_deref().map(serde_json::from_str::<Profile>).transpose()?.map(|p| p.full_name());
    let failed_at = DateTime::from_timestamp_millis(row.updated_at)
        .ok_or_else(|| ServerError::internal("siasn_outbox.updated_at out of range"))?;
    Ok(SiasnFailure {
        usulan_id: row.usulan_id,
        nip: row.nip,
        nama,
        action: usulan.action,
        message: row.message.unwrap_or_default(),
        attempts: u32::try_from(row.attempts).unwrap_or(u32::MAX),
        failed_at,
    })
}
