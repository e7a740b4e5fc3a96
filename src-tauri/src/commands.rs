//! IPC commands: each one adapts a call of the client core. No business logic lives here.

use std::sync::{Arc, RwLock};

use base64::Engine;
use mysapk_core::{Core, SecondFactor};
use mysapk_model::admin::{AccountInfo, AnnouncementRequest, AuditEntry, ResetCode, RoleChange};
use mysapk_model::auth::{MfaConfirmed, MfaEnrollment, MfaStatus, SessionInfo, UserInfo};
use mysapk_model::card::{AsnCard, CardCheckAnswer};
use mysapk_model::document::{BuktiPdm, DocumentContent, DocumentRef};
use mysapk_model::forms::CategorySpec;
use mysapk_model::history::HistoryKind;
use mysapk_model::services::LayananUpdate;
use mysapk_model::siasn::forward::{SiasnFailure, SiasnManual, SiasnStep};
use mysapk_model::standing::Standing;
use mysapk_model::usulan::{Decision, UsulanAction};
use mysapk_model::view::{Beranda, Inbox, LocalReviewItem, LocalUsulan, ReviewFilter, ReviewQueueView, SyncStatus};
use mysapk_model::Code;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use mysapk_model::notification_text::Lang;

/// The client core, opened at start-up.
pub struct AppCore(pub Arc<Core>);

/// Log in; `totp` or `recovery_code` once the server asked for the second factor (`auth.mfa_required`).
#[tauri::command]
pub async fn login(
    core: State<'_, AppCore>,
    nip: String,
    password: String,
    totp: Option<String>,
    recovery_code: Option<String>,
) -> CommandResult<UserInfo> {
    let second = SecondFactor::from_fields(totp.as_deref(), recovery_code.as_deref());
    Ok(core.0.login_with(&nip, &password, second).await?)
}

/// Activate an account or reset its password with the admin's one-time code (no session needed).
#[tauri::command]
pub async fn reset_password(
    core: State<'_, AppCore>,
    nip: String,
    code: String,
    new_password: String,
) -> CommandResult<()> {
    Ok(core.0.reset_password(&nip, &code, &new_password).await?)
}

#[tauri::command]
pub async fn logout(core: State<'_, AppCore>) -> CommandResult<()> {
    Ok(core.0.logout().await?)
}

#[tauri::command]
pub async fn session(core: State<'_, AppCore>) -> CommandResult<Option<UserInfo>> {
    Ok(core.0.session())
}

/// The agency's server this device talks to; `None` until one is chosen (a build without a default).
#[tauri::command]
pub async fn server_url(core: State<'_, AppCore>) -> CommandResult<Option<String>> {
    Ok(core.0.server_url())
}

/// Choose the agency's server on the login screen (`None`: the app's own); the server now in use.
#[tauri::command]
pub async fn set_server_url(core: State<'_, AppCore>, url: Option<String>) -> CommandResult<Option<String>> {
    Ok(core.0.set_server_url(url.as_deref())?)
}

/// "My devices": the account's sessions on the server (online only).
#[tauri::command]
pub async fn sessions(core: State<'_, AppCore>) -> CommandResult<Vec<SessionInfo>> {
    Ok(core.0.sessions().await?)
}

/// Log out one of the account's other devices (online only).
#[tauri::command]
pub async fn end_session(core: State<'_, AppCore>, id: String) -> CommandResult<()> {
    Ok(core.0.end_session(&id).await?)
}

/// Two-step verification: on or not, required or not, recovery codes left (online only).
#[tauri::command]
pub async fn mfa_status(core: State<'_, AppCore>) -> CommandResult<MfaStatus> {
    Ok(core.0.mfa_status().await?)
}

/// A new authenticator secret and its `otpauth://` URI, shown once (online only).
#[tauri::command]
pub async fn mfa_enroll(core: State<'_, AppCore>) -> CommandResult<MfaEnrollment> {
    Ok(core.0.mfa_enroll().await?)
}

/// Turn two-step verification on with the first code; the recovery codes, shown once (online only).
#[tauri::command]
pub async fn mfa_confirm(core: State<'_, AppCore>, code: String) -> CommandResult<MfaConfirmed> {
    Ok(core.0.mfa_confirm(&code).await?)
}

#[tauri::command]
pub async fn beranda(core: State<'_, AppCore>) -> CommandResult<Beranda> {
    Ok(core.0.beranda()?)
}

#[tauri::command]
pub async fn propose(
    core: State<'_, AppCore>,
    action: UsulanAction,
    documents: Option<Vec<DocumentRef>>,
) -> CommandResult<LocalUsulan> {
    Ok(core.0.propose(action, documents.unwrap_or_default())?)
}

/// Correct a returned proposal and queue it again under the same id.
#[tauri::command]
pub async fn resubmit(
    core: State<'_, AppCore>,
    usulan_id: String,
    action: UsulanAction,
    documents: Vec<DocumentRef>,
) -> CommandResult<LocalUsulan> {
    Ok(core.0.resubmit(&usulan_id, action, documents)?)
}

/// The form of every category (fields, documents, rules) for the UI.
#[tauri::command]
pub fn category_specs() -> CommandResult<Vec<CategorySpec>> {
    Ok(mysapk_model::forms::category_specs())
}

/// Attach a file picked in the UI (sent as base64): checked by content and stored once by its hash.
#[tauri::command]
pub async fn attach_document(
    core: State<'_, AppCore>,
    file_name: String,
    dokumen_id: String,
    content_base64: String,
) -> CommandResult<DocumentRef> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content_base64.trim())
        .map_err(|_| CommandError(Code::DocumentInvalidBase64.api_error().with_field("content_base64")))?;
    Ok(core.0.attach_document(&file_name, &dokumen_id, &bytes)?)
}

#[tauri::command]
pub async fn confirm_category(core: State<'_, AppCore>, kind: HistoryKind) -> CommandResult<()> {
    Ok(core.0.confirm_category(kind)?)
}

/// A document's content for viewing (local copy, or fetched from the server for a reviewer).
#[tauri::command]
pub async fn open_document(core: State<'_, AppCore>, sha256: String) -> CommandResult<DocumentContent> {
    Ok(core.0.open_document(&sha256).await?)
}

/// The bukti PDM receipt, generated on the device (works offline).
#[tauri::command]
pub async fn bukti_pdm(core: State<'_, AppCore>) -> CommandResult<BuktiPdm> {
    Ok(core.0.bukti_pdm()?)
}

#[tauri::command]
pub async fn withdraw(core: State<'_, AppCore>, usulan_id: String) -> CommandResult<()> {
    Ok(core.0.withdraw(&usulan_id)?)
}

#[tauri::command]
pub async fn inbox(core: State<'_, AppCore>) -> CommandResult<Inbox> {
    Ok(core.0.inbox()?)
}

#[tauri::command]
pub async fn mark_read(core: State<'_, AppCore>, notification_id: String) -> CommandResult<()> {
    Ok(core.0.mark_read(&notification_id)?)
}

#[tauri::command]
pub async fn sync_now(core: State<'_, AppCore>) -> CommandResult<SyncStatus> {
    Ok(core.0.sync_now().await?)
}

#[tauri::command]
pub async fn sync_status(core: State<'_, AppCore>) -> CommandResult<SyncStatus> {
    Ok(core.0.status())
}

#[tauri::command]
pub async fn review_queue(core: State<'_, AppCore>, filter: Option<ReviewFilter>) -> CommandResult<ReviewQueueView> {
    Ok(core.0.review_queue(&filter.unwrap_or_default())?)
}

#[tauri::command]
pub async fn decide(
    core: State<'_, AppCore>,
    usulan_id: String,
    decision: Decision,
    reason: Option<String>,
) -> CommandResult<LocalReviewItem> {
    Ok(core.0.decide(&usulan_id, decision, reason)?)
}

#[tauri::command]
pub async fn admin_accounts(core: State<'_, AppCore>, q: String) -> CommandResult<Vec<AccountInfo>> {
    Ok(core.0.admin_accounts(&q).await?)
}

#[tauri::command]
pub async fn admin_set_role(core: State<'_, AppCore>, nip: String, change: RoleChange) -> CommandResult<AccountInfo> {
    Ok(core.0.admin_set_role(&nip, change).await?)
}

#[tauri::command]
pub async fn admin_lock(core: State<'_, AppCore>, nip: String, reason: String) -> CommandResult<AccountInfo> {
    Ok(core.0.admin_lock(&nip, &reason).await?)
}

#[tauri::command]
pub async fn admin_unlock(core: State<'_, AppCore>, nip: String) -> CommandResult<AccountInfo> {
    Ok(core.0.admin_unlock(&nip).await?)
}

/// Remove an account's second factor (admin, online); the reason goes to the audit log.
#[tauri::command]
pub async fn admin_mfa_reset(core: State<'_, AppCore>, nip: String, reason: String) -> CommandResult<()> {
    Ok(core.0.admin_mfa_reset(&nip, &reason).await?)
}

#[tauri::command]
pub async fn admin_reset_code(core: State<'_, AppCore>, nip: String) -> CommandResult<ResetCode> {
    Ok(core.0.admin_reset_code(&nip).await?)
}

#[tauri::command]
pub async fn admin_set_email(core: State<'_, AppCore>, nip: String, email: String) -> CommandResult<AccountInfo> {
    Ok(core.0.admin_set_email(&nip, &email).await?)
}

#[tauri::command]
pub async fn admin_announce(core: State<'_, AppCore>, request: AnnouncementRequest) -> CommandResult<()> {
    Ok(core.0.admin_announce(request).await?)
}

#[tauri::command]
pub async fn audit_agency(
    core: State<'_, AppCore>,
    limit: Option<u32>,
    before: Option<String>,
) -> CommandResult<Vec<AuditEntry>> {
    Ok(core.0.audit_agency(limit, before.as_deref()).await?)
}

#[tauri::command]
pub async fn audit_me(core: State<'_, AppCore>) -> CommandResult<Vec<AuditEntry>> {
    Ok(core.0.audit_me().await?)
}

/// Kinerja & Kompetensi: IP ASN, SKP chart, 9-box and the newest assessment, from local data (offline).
#[tauri::command]
pub async fn standing(core: State<'_, AppCore>) -> CommandResult<Standing> {
    Ok(core.0.standing()?)
}

/// The digital ASN card from local data (offline); `expired` when its token is past its expiry.
#[tauri::command]
pub async fn asn_card(core: State<'_, AppCore>) -> CommandResult<AsnCard> {
    Ok(core.0.asn_card()?)
}

/// "Periksa Kartu ASN": someone's card token checked by the server, or on the device with the cached keys.
#[tauri::command]
pub async fn check_card(core: State<'_, AppCore>, token: String) -> CommandResult<CardCheckAnswer> {
    Ok(core.0.check_card(&token).await?)
}

/// A new card token from the server (online).
#[tauri::command]
pub async fn refresh_asn_card(core: State<'_, AppCore>) -> CommandResult<AsnCard> {
    Ok(core.0.refresh_asn_card().await?)
}

/// Post a status update of an ASN's service file (admin, online); the id of the update.
#[tauri::command]
pub async fn admin_layanan(core: State<'_, AppCore>, update: LayananUpdate) -> CommandResult<String> {
    Ok(core.0.admin_layanan(update).await?)
}

/// The proposals of the admin's agency whose forwarding to SIASN failed, newest first (admin, online).
#[tauri::command]
pub async fn admin_siasn_failed(core: State<'_, AppCore>) -> CommandResult<Vec<SiasnFailure>> {
    Ok(core.0.admin_siasn_failed().await?)
}

/// Send an approved proposal's change to SIASN again after its forwarding failed (admin of its agency, online);
/// its new step.
#[tauri::command]
pub async fn admin_siasn_retry(core: State<'_, AppCore>, usulan_id: String) -> CommandResult<SiasnStep> {
    Ok(core.0.admin_siasn_retry(&usulan_id).await?)
}

/// The approved changes of the admin's agency waiting to be entered in SIASN by hand, newest first (admin,
/// online).
#[tauri::command]
pub async fn admin_siasn_manual(core: State<'_, AppCore>) -> CommandResult<Vec<SiasnManual>> {
    Ok(core.0.admin_siasn_manual().await?)
}

/// Mark an approved proposal's change as entered in SIASN by hand (admin of its agency, online); its new step.
#[tauri::command]
pub async fn admin_siasn_manual_entered(core: State<'_, AppCore>, usulan_id: String) -> CommandResult<SiasnStep> {
    Ok(core.0.admin_siasn_manual_entered(&usulan_id).await?)
}

/// The UI language, so system notifications speak it too.
#[tauri::command]
pub fn set_locale(locale: State<'_, RwLock<Lang>>, lang: String) -> CommandResult<()> {
    let parsed = Lang::parse(&lang);
    if let Ok(mut l) = locale.write() {
        *l = parsed;
    }
    Ok(())
}
