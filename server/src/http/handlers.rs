//! Request handlers: thin adapters from HTTP to the auth, sync and workflow modules.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use mysapk_model::auth::{LoginRequest, RefreshRequest, TokenResponse};
use mysapk_model::review::{DecisionRequest, ReviewQueue};
use mysapk_model::sync::{PullResponse, PushRequest, PushResponse};
use mysapk_model::usulan::Usulan;
use mysapk_model::ApiError;
use serde::Deserialize;

use super::{ApiJson, AppState};
use crate::auth::{self, AuthUser};
use crate::error::ServerError;
use crate::{push, review, sync, workflow};

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

pub async fn not_found() -> ServerError {
    ServerError::not_found("not_found", "No such endpoint.")
}

#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = ApiError), (status = 401, body = ApiError)))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ServerError> {
    Ok(Json(auth::login(&state.pool, &req.nip, &req.password, state.ttls).await?))
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ApiError)))]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<Json<TokenResponse>, ServerError> {
    Ok(Json(auth::refresh(&state.pool, &req.refresh_token, state.ttls).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PullParams {
    /// Opaque cursor from the previous pull; absent for the first sync.
    pub cursor: Option<String>,
    /// Page size (default 500).
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/sync", params(PullParams), security(("bearer" = [])),
    responses((status = 200, body = PullResponse), (status = 401, body = ApiError)))]
pub async fn pull(
    State(state): State<AppState>,
    user: AuthUser,
    params: Result<Query<PullParams>, QueryRejection>,
) -> Result<Json<PullResponse>, ServerError> {
    let Query(params) = params.map_err(|e| ServerError::bad_request("request.invalid_query", e.body_text()))?;
    let cursor = sync::parse_cursor(params.cursor.as_deref())?;
    let limit = params.limit.unwrap_or(sync::DEFAULT_PULL_LIMIT);
    Ok(Json(sync::pull(&state.pool, &state.feed, &user, cursor, limit).await?))
}

#[utoipa::path(post, path = "/api/v1/sync/push", request_body = PushRequest, security(("bearer" = [])),
    responses((status = 200, body = PushResponse), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 413, body = ApiError), (status = 503, body = ApiError)))]
pub async fn push(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ServerError> {
    let _turn = state.writes.enter().await?;
    Ok(Json(push::push(&state.pool, &*state.live, &user, &req).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueParams {
    /// Only proposals of this history kind (`jabatan`, `golongan`, `pendidikan`).
    pub kind: Option<String>,
    /// Only proposals of ASN of this work unit.
    pub unor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/review/queue", params(QueueParams), security(("bearer" = [])),
    responses((status = 200, body = ReviewQueue), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn review_queue(
    State(state): State<AppState>,
    user: AuthUser,
    params: Result<Query<QueueParams>, QueryRejection>,
) -> Result<Json<ReviewQueue>, ServerError> {
    let Query(params) = params.map_err(|e| ServerError::bad_request("request.invalid_query", e.body_text()))?;
    let filter = review::QueueFilter { kind: params.kind, unor: params.unor };
    Ok(Json(review::queue(&state.pool, &user, &filter).await?))
}

/// The optional `X-Device-Id` header (recorded in the audit log).
pub fn device_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-device-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 200)
        .map(str::to_owned)
}

#[utoipa::path(post, path = "/api/v1/review/{usulan_id}/decision", request_body = DecisionRequest,
    params(("usulan_id" = String, Path, description = "The proposal id")), security(("bearer" = [])),
    responses((status = 200, body = Usulan), (status = 400, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn decision(
    State(state): State<AppState>,
    user: AuthUser,
    Path(usulan_id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> Result<Json<Usulan>, ServerError> {
    let device = device_id(&headers);
    Ok(Json(workflow::decide_usulan(&state.pool, &*state.live, &user, &usulan_id, &req, device.as_deref()).await?))
}
