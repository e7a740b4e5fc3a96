//! Agency admin routes (`/api/v1/admin/…`: accounts, roles, locks, reset codes, announcements, layanan,
//! assessments, the failed SIASN forwardings and their retry, the changes waiting for manual entry in SIASN and
//! their mark, the agency's audit log) and the caller's own audit
//! log (`/api/v1/audit/me`).

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use mysapk_model::admin::{
    AccountInfo, AnnouncementRequest, AuditEntry, EmailChange, ImportReport, LockRequest, MfaReset, NewAccount,
    ResetCode, RoleChange,
};
use mysapk_model::assessment::{Assessment, NewAssessment};
use mysapk_model::notification::Notification;
use mysapk_model::services::LayananUpdate;
use mysapk_model::siasn::forward::{SiasnFailure, SiasnManual, SiasnStep};
use mysapk_model::ApiError;
use mysapk_model::Code;
use serde::Deserialize;

use super::extract::AdminUser;
use super::{ApiJson, AppState};
use crate::admin::{self, AnnouncementSent, ImportInput};
use crate::assessments;
use crate::auth::AuthUser;
use crate::error::ServerError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/audit/me", get(my_audit))
        .route("/api/v1/admin/audit", get(agency_audit))
        .route("/api/v1/admin/accounts", get(list_accounts).post(create_account))
        .route(
            "/api/v1/admin/accounts/import",
            post(import_accounts).layer(DefaultBodyLimit::max(super::IMPORT_BODY_LIMIT)),
        )
        .route("/api/v1/admin/accounts/{nip}/roles", post(change_role))
        .route("/api/v1/admin/accounts/{nip}/email", post(change_email))
        .route("/api/v1/admin/accounts/{nip}/lock", post(lock))
        .route("/api/v1/admin/accounts/{nip}/unlock", post(unlock))
        .route("/api/v1/admin/accounts/{nip}/reset-code", post(reset_code))
        .route("/api/v1/admin/accounts/{nip}/mfa-reset", post(mfa_reset))
        .route("/api/v1/admin/announcements", post(announce))
        .route("/api/v1/admin/layanan", post(layanan_update))
        .route("/api/v1/admin/siasn/failed", get(siasn_failed))
        .route("/api/v1/admin/usulan/{id}/siasn-retry", post(siasn_retry))
        .route("/api/v1/admin/siasn/manual", get(siasn_manual))
        .route("/api/v1/admin/usulan/{id}/siasn-manual", post(siasn_manual_entered))
        .route("/api/v1/admin/assessments", post(record_assessment))
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ServerError> {
    q.map(|Query(t)| t).map_err(|e| ServerError::api_detail(Code::RequestInvalidQuery, e.body_text()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SearchParams {
    /// Part of a NIP, name, work unit or e-mail.
    pub q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/accounts", params(SearchParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<AccountInfo>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn list_accounts(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<Vec<AccountInfo>>, ServerError> {
    let p = query(params)?;
    Ok(Json(admin::list_accounts(&state.pool, &user, p.q.as_deref()).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts", request_body = NewAccount, security(("bearer" = [])),
    responses((status = 201, body = AccountInfo), (status = 400, body = ApiError), (status = 403, body = ApiError),
        (status = 409, body = ApiError)))]
pub async fn create_account(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiJson(req): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<AccountInfo>), ServerError> {
    Ok((StatusCode::CREATED, Json(admin::create_account(&state.pool, &*state.live, &user, &req).await?)))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/import",
    request_body(content = String, description = "CSV (`text/csv`, header `nip,nama,tanggal_lahir,tempat_lahir,email,unor_nama,roles`) or a JSON array of NewAccount", content_type = "text/csv"),
    security(("bearer" = [])),
    responses((status = 200, body = ImportReport), (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub async fn import_accounts(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ImportReport>, ServerError> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_lowercase();
    let input = if ct.starts_with("application/json") {
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&body)
            .map_err(|e| ServerError::api_detail(Code::RequestInvalidJson, format!("Expected a JSON array: {e}")))?;
        ImportInput::Json(rows)
    } else if ct.starts_with("text/csv") || ct.starts_with("text/plain") {
        let text = String::from_utf8(body.to_vec()).map_err(|_| ServerError::api(Code::ImportEncoding))?;
        ImportInput::Csv(text)
    } else {
        return Err(ServerError::api(Code::ImportContentType));
    };
    Ok(Json(admin::import_accounts(&state.pool, &*state.live, &user, input, &|_, _| {}).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/{nip}/roles", request_body = RoleChange,
    params(("nip" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = AccountInfo), (status = 400, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn change_role(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(nip): Path<String>,
    ApiJson(req): ApiJson<RoleChange>,
) -> Result<Json<AccountInfo>, ServerError> {
    Ok(Json(admin::change_role(&state.pool, &*state.live, &user, &nip, &req).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/{nip}/email", request_body = EmailChange,
    params(("nip" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = AccountInfo), (status = 400, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
pub async fn change_email(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(nip): Path<String>,
    ApiJson(req): ApiJson<EmailChange>,
) -> Result<Json<AccountInfo>, ServerError> {
    Ok(Json(admin::change_email(&state.pool, &*state.live, &user, &nip, &req.email).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/{nip}/lock", request_body = LockRequest,
    params(("nip" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = AccountInfo), (status = 400, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn lock(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(nip): Path<String>,
    ApiJson(req): ApiJson<LockRequest>,
) -> Result<Json<AccountInfo>, ServerError> {
    Ok(Json(admin::lock(&state.pool, &*state.live, &user, &nip, &req.reason).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/{nip}/unlock", params(("nip" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = AccountInfo), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn unlock(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(nip): Path<String>,
) -> Result<Json<AccountInfo>, ServerError> {
    Ok(Json(admin::unlock(&state.pool, &*state.live, &user, &nip).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/{nip}/reset-code", params(("nip" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ResetCode), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn reset_code(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(nip): Path<String>,
) -> Result<Json<ResetCode>, ServerError> {
    Ok(Json(admin::reset_code(&state.pool, &*state.live, &user, &nip).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/accounts/{nip}/mfa-reset", request_body = MfaReset,
    params(("nip" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ApiError, description = "account.reason_required: no reason, or longer than 1,000 characters"),
        (status = 403, body = ApiError, description = "admin.not_admin, mfa.self_reset"), (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "mfa.not_enabled: the account has no second factor")))]
pub async fn mfa_reset(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(nip): Path<String>,
    ApiJson(req): ApiJson<MfaReset>,
) -> Result<StatusCode, ServerError> {
    admin::mfa_reset(&state.pool, &*state.live, &user, &nip, &req.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/admin/announcements", request_body = AnnouncementRequest,
    security(("bearer" = [])),
    responses((status = 200, body = AnnouncementSent), (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub async fn announce(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiJson(req): ApiJson<AnnouncementRequest>,
) -> Result<Json<AnnouncementSent>, ServerError> {
    Ok(Json(admin::announce(&state.pool, &*state.live, &user, &req).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/layanan", request_body = LayananUpdate, security(("bearer" = [])),
    responses((status = 201, body = Notification), (status = 400, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
pub async fn layanan_update(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiJson(req): ApiJson<LayananUpdate>,
) -> Result<(StatusCode, Json<Notification>), ServerError> {
    Ok((StatusCode::CREATED, Json(admin::layanan_update(&state.pool, &*state.live, &user, &req).await?)))
}

/// The proposals of the admin's agency whose forwarding to SIASN failed, newest failure first, at most 200.
#[utoipa::path(get, path = "/api/v1/admin/siasn/failed", security(("bearer" = [])),
    responses((status = 200, body = Vec<SiasnFailure>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn siasn_failed(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
) -> Result<Json<Vec<SiasnFailure>>, ServerError> {
    Ok(Json(admin::siasn_failed(&state.pool, &user).await?))
}

/// Send a proposal's change to SIASN again after it failed (the admin's agency only); answers its new step.
#[utoipa::path(post, path = "/api/v1/admin/usulan/{id}/siasn-retry", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = SiasnStep), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError)))]
pub async fn siasn_retry(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<SiasnStep>, ServerError> {
    Ok(Json(admin::siasn_retry(&state.pool, &*state.live, &user, &id).await?))
}

/// The approved changes of the admin's agency SIASN could not take, waiting to be entered in SIASN by hand,
/// newest first, at most 200.
#[utoipa::path(get, path = "/api/v1/admin/siasn/manual", security(("bearer" = [])),
    responses((status = 200, body = Vec<SiasnManual>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn siasn_manual(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
) -> Result<Json<Vec<SiasnManual>>, ServerError> {
    Ok(Json(admin::siasn_manual(&state.pool, &user).await?))
}

/// Mark a change waiting for manual entry as entered in SIASN (the admin's agency only): the import's hold on it
/// ends; answers the proposal's new step (`recorded`).
#[utoipa::path(post, path = "/api/v1/admin/usulan/{id}/siasn-manual", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = SiasnStep), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError)))]
pub async fn siasn_manual_entered(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<SiasnStep>, ServerError> {
    Ok(Json(admin::siasn_manual_entered(&state.pool, &*state.live, &user, &id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditParams {
    /// At most this many entries (default 100, at most 1000).
    pub limit: Option<i64>,
    /// Only entries older than this time (the `at` of the last entry of the previous page).
    pub before: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/audit", params(AuditParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = ApiError)))]
pub async fn agency_audit(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    params: Result<Query<AuditParams>, QueryRejection>,
) -> Result<Json<Vec<AuditEntry>>, ServerError> {
    let p = query(params)?;
    Ok(Json(admin::agency_audit(&state.pool, &user, p.limit, p.before.as_deref()).await?))
}

#[utoipa::path(get, path = "/api/v1/audit/me", security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ApiError)))]
pub async fn my_audit(State(state): State<AppState>, user: AuthUser) -> Result<Json<Vec<AuditEntry>>, ServerError> {
    Ok(Json(admin::my_audit(&state.pool, &user).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/assessments", request_body = NewAssessment, security(("bearer" = [])),
    responses((status = 201, body = Assessment), (status = 400, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn record_assessment(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiJson(req): ApiJson<NewAssessment>,
) -> Result<(StatusCode, Json<Assessment>), ServerError> {
    Ok((StatusCode::CREATED, Json(assessments::record(&state.pool, &*state.live, &user, &req).await?)))
}
