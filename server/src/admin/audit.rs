//! Reading the audit log: the agency's entries (admin) and a user's own entries.

use mysapk_model::admin::AuditEntry;
use sqlx::AnyPool;

use super::require_admin;
use crate::auth::AuthUser;
use crate::db;
use crate::error::ServerError;

/// `GET /api/v1/admin/audit`: the agency's entries, newest first.
pub async fn agency_audit(
    pool: &AnyPool,
    admin: &AuthUser,
    limit: Option<i64>,
    before: Option<&str>,
) -> Result<Vec<AuditEntry>, ServerError> {
    require_admin(admin)?;
    let mut conn = pool.acquire().await?;
    db::read_audit(&mut conn, None, Some(&admin.instansi_id), before, limit.unwrap_or(100).clamp(1, 1000)).await
}

/// `GET /api/v1/audit/me`: the entries about the caller's own record and account, newest first.
pub async fn my_audit(pool: &AnyPool, user: &AuthUser) -> Result<Vec<AuditEntry>, ServerError> {
    let mut conn = pool.acquire().await?;
    db::read_audit(&mut conn, Some(&user.nip), None, None, 1000).await
}
