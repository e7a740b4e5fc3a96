//! Online-only calls: agency administration (role admin) and the user's own audit trail. They go through the
//! same token refresh as the sync engine and hold its lock, so a refresh never races a sync (refresh tokens
//! rotate). Offline they fail with `network.unreachable`.

use std::future::Future;

use mysapk_model::admin::{
    AccountInfo, AnnouncementRequest, AuditEntry, EmailChange, LockRequest, MfaReset, PasswordReset, ResetCode,
    RoleChange,
};
use mysapk_model::rules::password::check_password;
use mysapk_model::services::LayananUpdate;
use mysapk_model::siasn::forward::{SiasnFailure, SiasnManual, SiasnStep};
use mysapk_model::{Code, Nip};

use crate::error::CoreError;
use crate::secrets;
use crate::Core;

fn nip_path(nip: &str) -> Result<String, CoreError> {
    let nip = Nip::parse(nip.trim()).map_err(|v| CoreError::Validation(vec![v]))?;
    Ok(format!("/api/v1/admin/accounts/{}", nip.as_str()))
}

fn required(value: &str, field: &str) -> Result<(), CoreError> {
    if value.trim().is_empty() {
        return Err(CoreError::Validation(vec![Code::FieldRequired.violation(field)]));
    }
    Ok(())
}

/// An optional filter, trimmed; empty means none.
fn trimmed(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A time as the server stores audit times (RFC 3339, microseconds, `Z`): it compares `before` as text, and an
/// `at` as JSON carries it (`…:00Z`, `….120Z`) would sort after the stored form of the same instant and repeat
/// the last entry of the previous page. Anything unparsable goes as given.
fn audit_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
        .unwrap_or_else(|_| at.to_owned())
}

/// The longest reason of an MFA reset, in bytes (the server's own limit).
pub const MAX_MFA_RESET_REASON: usize = 1_000;

/// The longest note of a layanan update, in characters.
pub const MAX_LAYANAN_NOTE: usize = 2_000;

impl Core {
    /// Activate a new account, or reset a forgotten password, with the one-time code the agency admin issued
    /// (`POST /api/v1/auth/reset`; no login needed). The caller logs in with the new password afterwards. A
    /// wrong, used or expired code fails with `auth.reset_invalid`.
    pub async fn reset_password(&self, nip: &str, code: &str, new_password: &str) -> Result<(), CoreError> {
        let nip = Nip::parse(nip.trim()).map_err(|v| CoreError::Validation(vec![v]))?;
        required(code, "code")?;
        // The server's own policy, checked before anything is sent.
        if let Some(violation) = check_password(new_password, nip.as_str(), "new_password") {
            return Err(CoreError::Validation(vec![violation]));
        }
        let body = PasswordReset {
            nip: nip.as_str().to_owned(),
            code: code.trim().to_owned(),
            new_password: new_password.to_owned(),
        };
        self.http.reset_password(&body).await?;
        tracing::info!("password set with a reset code");
        Ok(())
    }

    /// Run an online-only call with the access token, holding the sync lock (refresh tokens rotate).
    pub(crate) async fn online<T, F, Fut>(&self, call: F) -> Result<T, CoreError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, CoreError>>,
    {
        let account = self.require()?;
        let _guard = self.sync_lock.lock().await;
        let mut tokens = secrets::load(&account.user.nip)?.ok_or(CoreError::NotLoggedIn)?;
        self.authed(&account.user.nip, &mut tokens, call).await
    }

    /// Accounts of the admin's agency matching `q` (NIP or name).
    pub async fn admin_accounts(&self, q: &str) -> Result<Vec<AccountInfo>, CoreError> {
        let query = [("q", q.trim().to_owned())];
        self.online(|access| {
            let query = &query;
            async move { self.http.get_json(&access, "/api/v1/admin/accounts", query).await }
        })
        .await
    }

    /// Grant or revoke a role; the account as it is now.
    pub async fn admin_set_role(&self, nip: &str, change: RoleChange) -> Result<AccountInfo, CoreError> {
        let path = format!("{}/roles", nip_path(nip)?);
        self.online(|access| {
            let (path, change) = (&path, &change);
            async move { self.http.post_json(&access, path, change).await }
        })
        .await
    }

    /// Lock an account; the ASN sees `reason` at login.
    pub async fn admin_lock(&self, nip: &str, reason: &str) -> Result<AccountInfo, CoreError> {
        required(reason, "reason")?;
        let path = format!("{}/lock", nip_path(nip)?);
        let body = LockRequest { reason: reason.trim().to_owned() };
        self.online(|access| {
            let (path, body) = (&path, &body);
            async move { self.http.post_json(&access, path, body).await }
        })
        .await
    }

    pub async fn admin_unlock(&self, nip: &str) -> Result<AccountInfo, CoreError> {
        let path = format!("{}/unlock", nip_path(nip)?);
        self.online(|access| {
            let path = &path;
            async move { self.http.post_json(&access, path, &serde_json::json!({})).await }
        })
        .await
    }

    /// Link another e-mail address to an account (the ASN's owner field `email`); the account as it is now.
    pub async fn admin_set_email(&self, nip: &str, email: &str) -> Result<AccountInfo, CoreError> {
        required(email, "email")?;
        let path = format!("{}/email", nip_path(nip)?);
        let body = EmailChange { email: email.trim().to_owned() };
        self.online(|access| {
            let (path, body) = (&path, &body);
            async move { self.http.post_json(&access, path, body).await }
        })
        .await
    }

    /// Remove an account's second factor (a lost phone and no recovery code left), with a reason the audit
    /// log keeps; the owner is told and logs in with the password alone, then enrols again. The server refuses
    /// one's own (`mfa.self_reset`), another agency's account (404) and an account without one
    /// (`mfa.not_enabled`).
    pub async fn admin_mfa_reset(&self, nip: &str, reason: &str) -> Result<(), CoreError> {
        let reason = reason.trim();
        if reason.is_empty() || reason.len() > MAX_MFA_RESET_REASON {
            return Err(CoreError::Validation(vec![Code::AccountReasonRequired.violation("reason")]));
        }
        let path = format!("{}/mfa-reset", nip_path(nip)?);
        let body = MfaReset { reason: reason.to_owned() };
        self.online(|access| {
            let (path, body) = (&path, &body);
            async move { self.http.post_ok(&access, path, body).await }
        })
        .await?;
        tracing::info!("second factor of an account reset");
        Ok(())
    }

    /// A one-time code to hand to the ASN: it activates a new account (no password yet) or resets a forgotten
    /// password.
    pub async fn admin_reset_code(&self, nip: &str) -> Result<ResetCode, CoreError> {
        let path = format!("{}/reset-code", nip_path(nip)?);
        self.online(|access| {
            let path = &path;
            async move { self.http.post_json(&access, path, &serde_json::json!({})).await }
        })
        .await
    }

    pub async fn admin_announce(&self, request: AnnouncementRequest) -> Result<(), CoreError> {
        required(&request.title, "title")?;
        required(&request.body, "body")?;
        let request = AnnouncementRequest {
            title: request.title.trim().to_owned(),
            body: request.body.trim().to_owned(),
            unor_nama: trimmed(request.unor_nama),
            golongan_prefix: trimmed(request.golongan_prefix),
            jenis_jabatan_id: trimmed(request.jenis_jabatan_id),
        };
        self.online(|access| {
            let request = &request;
            async move { self.http.post_ok(&access, "/api/v1/admin/announcements", request).await }
        })
        .await
    }

    /// Post a status update of an ASN's service file (`POST /api/v1/admin/layanan`); the ASN gets a `layanan`
    /// notification. Returns the id the server gave the update.
    pub async fn admin_layanan(&self, update: LayananUpdate) -> Result<String, CoreError> {
        let nip = Nip::parse(update.nip.trim()).map_err(|v| CoreError::Validation(vec![v]))?;
        let note = trimmed(update.note);
        if note.as_ref().is_some_and(|n| n.chars().count() > MAX_LAYANAN_NOTE) {
            return Err(CoreError::Validation(vec![Code::FieldTooLong.violation("note")]));
        }
        let update = LayananUpdate { nip: nip.as_str().to_owned(), note, ..update };
        let created: serde_json::Value = self
            .online(|access| {
                let update = &update;
                async move { self.http.post_json(&access, "/api/v1/admin/layanan", update).await }
            })
            .await?;
        match created.get("id") {
            Some(serde_json::Value::String(id)) => Ok(id.clone()),
            Some(id @ serde_json::Value::Number(_)) => Ok(id.to_string()),
            _ => Err(CoreError::BadResponse("the layanan answer has no id".into())),
        }
    }

    /// Send a proposal's change to SIASN again after it failed (`POST /api/v1/admin/usulan/{id}/siasn-retry`);
    /// its new step (`pending`). The server refuses another agency's proposal (`usulan.not_found`) and one whose
    /// sending has not failed (`usulan.siasn_not_failed`).
    pub async fn admin_siasn_retry(&self, usulan_id: &str) -> Result<SiasnStep, CoreError> {
        self.admin_siasn_step(usulan_id, "siasn-retry").await
    }

    /// Mark a proposal's change as entered in SIASN by hand (`POST /api/v1/admin/usulan/{id}/siasn-manual`); its
    /// new step (`recorded`). The server refuses another agency's proposal (`usulan.not_found`) and one that does
    /// not wait for manual entry (`usulan.siasn_not_manual`).
    pub async fn admin_siasn_manual_entered(&self, usulan_id: &str) -> Result<SiasnStep, CoreError> {
        self.admin_siasn_step(usulan_id, "siasn-manual").await
    }

    /// `POST /api/v1/admin/usulan/{id}/{action}`: the proposal's new SIASN step.
    async fn admin_siasn_step(&self, usulan_id: &str, action: &str) -> Result<SiasnStep, CoreError> {
        // Only the characters of our ids: the id goes into the path as it is.
        let id = usulan_id.trim();
        let path_safe = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if id.is_empty() || id.len() > 100 || !id.chars().all(path_safe) {
            return Err(CoreError::Validation(vec![Code::UsulanNotFound.violation("usulan_id")]));
        }
        let path = format!("/api/v1/admin/usulan/{id}/{action}");
        self.online(|access| {
            let path = &path;
            async move { self.http.post_json(&access, path, &serde_json::json!({})).await }
        })
        .await
    }

    /// The approved changes of the admin's agency SIASN could not take, waiting to be entered in SIASN by hand
    /// (`GET /api/v1/admin/siasn/manual`), newest first as the server sends them, at most 200. The server refuses
    /// non-admins with `admin.not_admin`.
    pub async fn admin_siasn_manual(&self) -> Result<Vec<SiasnManual>, CoreError> {
        self.online(|access| async move { self.http.get_json(&access, "/api/v1/admin/siasn/manual", &[]).await }).await
    }

    /// The proposals of the admin's agency whose forwarding to SIASN failed (`GET /api/v1/admin/siasn/failed`),
    /// newest failure first as the server sends them, at most 200. The server refuses non-admins with
    /// `admin.not_admin`.
    pub async fn admin_siasn_failed(&self) -> Result<Vec<SiasnFailure>, CoreError> {
        self.online(|access| async move { self.http.get_json(&access, "/api/v1/admin/siasn/failed", &[]).await }).await
    }

    /// The audit log of the admin's agency (`GET /api/v1/admin/audit`), newest first as the server sends it:
    /// at most `limit` entries (the server's default 100, at most 1000), only those older than `before` (the
    /// `at` of the last entry of the previous page) when given. The server scopes it to the caller's agency
    /// and refuses non-admins with `admin.not_admin`.
    pub async fn audit_agency(&self, limit: Option<u32>, before: Option<&str>) -> Result<Vec<AuditEntry>, CoreError> {
        let mut query = Vec::new();
        if let Some(limit) = limit {
            query.push(("limit", limit.to_string()));
        }
        if let Some(before) = before.map(str::trim).filter(|b| !b.is_empty()) {
            query.push(("before", audit_time(before)));
        }
        self.online(|access| {
            let query = &query;
            async move { self.http.get_json(&access, "/api/v1/admin/audit", query).await }
        })
        .await
    }

    /// What was done to and by this user, newest first as the server sends it.
    pub async fn audit_me(&self) -> Result<Vec<AuditEntry>, CoreError> {
        self.online(|access| async move { self.http.get_json(&access, "/api/v1/audit/me", &[]).await }).await
    }
}
