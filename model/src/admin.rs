//! Agency administration: accounts, roles, locks, password resets, announcements, and the audit log.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::usulan::Role;

/// One account to create (a row of a CSV or JSON import).
///
/// CSV header: `nip,nama,tanggal_lahir,tempat_lahir,email,unor_nama,roles` (roles separated by `;`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    pub nip: String,
    pub nama: String,
    pub tanggal_lahir: NaiveDate,
    pub tempat_lahir: String,
    pub email: Option<String>,
    pub unor_nama: String,
    /// `asn` is implied.
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// Why one row of an import was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRowError {
    /// 1-based line of the file (CSV: the header is line 1) or 1-based index of the JSON array.
    pub line: u32,
    pub nip: Option<String>,
    pub code: String,
    pub field: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub imported: u32,
    pub errors: Vec<ImportRowError>,
}

/// The state of an account as an admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountInfo {
    pub nip: String,
    pub nama: String,
    pub email: Option<String>,
    pub unor_nama: String,
    pub roles: Vec<Role>,
    /// Set while the account is locked: the reason the ASN sees at login.
    pub locked_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleChange {
    pub role: Role,
    /// `true` assigns, `false` revokes.
    pub grant: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LockRequest {
    /// Shown to the ASN at login; required.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailChange {
    pub email: String,
}

/// A one-time password-reset code an admin hands to the ASN (no e-mail needed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetCode {
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// The ASN sets a new password with a reset code: `POST /api/v1/auth/reset`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub nip: String,
    pub code: String,
    pub new_password: String,
}

/// An agency announcement; delivered to each ASN concerned as a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnouncementRequest {
    pub title: String,
    pub body: String,
    /// Only ASN of this work unit; `None` for the whole agency.
    pub unor_nama: Option<String>,
    /// Only ASN whose current golongan id starts with this (`"3"`: golongan III, `"34"`: III/d).
    #[serde(default)]
    pub golongan_prefix: Option<String>,
    /// Only ASN whose current position is of this `jenis_jabatan_id` (1 struktural, 2 fungsional, 4 pelaksana).
    #[serde(default)]
    pub jenis_jabatan_id: Option<String>,
}

/// One append-only audit entry: who, when, from which device, what changed and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor_nip: String,
    pub device_id: Option<String>,
    /// e.g. `usulan.verify`, `usulan.decision_refused`, `record.change`, `account.lock`, `role.grant`.
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// The NIP whose record or account the entry concerns.
    pub subject_nip: Option<String>,
    /// What changed, as JSON.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub details: serde_json::Value,
    pub reason: Option<String>,
}

/// `POST /api/v1/admin/accounts/{nip}/mfa-reset`: remove an account's second factor (a lost phone and no recovery
/// code left); the owner enrols again at the next login. Audited with the reason; the owner is notified.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaReset {
    pub reason: String,
}
