//! Agency administration (role `admin`, own agency only): accounts, imports, roles, e-mail, locks, reset codes,
//! announcements, layanan status updates, the failed SIASN forwardings and sending one again, the changes waiting
//! to be entered in SIASN by hand and marking one entered, and reading the audit log. Used by the HTTP routes under `/api/v1/admin/` and by the CLI (`mysapk-server admin --as <nip> …`);
//! every change is audited in its own transaction.

mod accounts;
mod announce;
mod audit;
mod csv_text;
mod import;
mod layanan;
mod locks;
mod mfa_reset;
mod new_account;
mod reset;
mod siasn_failed;
mod siasn_manual;
mod siasn_retry;

pub use accounts::{change_email, change_role, create_account, list_accounts};
pub use announce::{announce, AnnouncementSent};
pub use audit::{agency_audit, my_audit};
pub use import::{import_accounts, ImportInput, RawAccount, IMPORT_CHUNK};
pub use layanan::{layanan_update, LAYANAN_NOTE_MAX_CHARS};
pub use locks::{lock, unlock};
pub use mfa_reset::mfa_reset;
pub use new_account::{validate_new, RowError};
pub use reset::{new_code, reset_code, CODE_LEN, RESET_CODE_HOURS};
pub use siasn_failed::{siasn_failed, SIASN_FAILED_LIMIT};
pub use siasn_manual::{siasn_manual, siasn_manual_entered, SIASN_MANUAL_LIMIT};
pub use siasn_retry::siasn_retry;

use mysapk_model::admin::AccountInfo;
use mysapk_model::record::Profile;
use mysapk_model::usulan::Role;
use mysapk_model::Code;
use sqlx::{AnyConnection, AnyPool};

use crate::auth::AuthUser;
use crate::db::{self, records};
use crate::error::ServerError;

const ENTITY_ACCOUNT: &str = "account";

/// Only an admin may administer, and only their own agency.
pub fn require_admin(user: &AuthUser) -> Result<(), ServerError> {
    if user.roles.contains(&Role::Admin) {
        Ok(())
    } else {
        Err(ServerError::api(Code::AdminNotAdmin))
    }
}

/// The acting admin for the CLI: the account must exist and hold the admin role.
pub async fn actor(pool: &AnyPool, nip: &str) -> Result<AuthUser, ServerError> {
    let mut conn = pool.acquire().await?;
    let user = db::accounts::find_user(&mut conn, nip).await?.ok_or_else(|| ServerError::api(Code::AccountNotFound))?;
    let user = AuthUser { nip: user.nip, roles: user.roles, instansi_id: user.instansi_id, enrollment_only: false };
    require_admin(&user)?;
    Ok(user)
}

fn account_not_found() -> ServerError {
    ServerError::api(Code::AccountNotFound)
}

fn field_error(code: Code, field: &str) -> ServerError {
    ServerError::api(code).on_field(field)
}

/// An admin's reason (a lock, a removed second factor): trimmed, not empty, at most 1,000 bytes.
fn required_reason(reason: &str) -> Result<&str, ServerError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.len() > 1000 {
        return Err(field_error(Code::AccountReasonRequired, "reason"));
    }
    Ok(reason)
}

/// A target account of the admin's agency.
async fn target(conn: &mut AnyConnection, admin: &AuthUser, nip: &str) -> Result<db::accounts::UserRow, ServerError> {
    db::accounts::find_user(conn, nip.trim())
        .await?
        .filter(|u| u.instansi_id == admin.instansi_id)
        .ok_or_else(account_not_found)
}

async fn info(conn: &mut AnyConnection, nip: &str) -> Result<AccountInfo, ServerError> {
    let user = db::accounts::find_user(conn, nip).await?.ok_or_else(account_not_found)?;
    let locked = db::accounts::locked_reason(conn, nip).await?;
    let profile = records::get_profile(conn, nip).await?;
    Ok(account_info(&user, profile.as_ref(), locked))
}

fn account_info(user: &db::accounts::UserRow, profile: Option<&Profile>, locked_reason: Option<String>) -> AccountInfo {
    AccountInfo {
        nip: user.nip.clone(),
        nama: profile.map_or_else(|| user.nip.clone(), Profile::full_name),
        email: profile.and_then(|p| p.owner.email.clone()),
        unor_nama: profile.map(|p| p.unor_nama.clone()).unwrap_or_default(),
        roles: user.roles.clone(),
        locked_reason,
    }
}
