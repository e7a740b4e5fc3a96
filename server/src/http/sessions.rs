//! Session routes: logout, and "my devices" (list the caller's sessions, name this one, end one).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use mysapk_model::auth::{LogoutRequest, SessionInfo, SessionName};
use mysapk_model::ApiError;

use super::extract::AnySession;
use super::{ApiJson, AppState};
use crate::auth;
use crate::error::ServerError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/auth/sessions", get(list))
        .route("/api/v1/auth/sessions/current", patch(name_current))
        .route("/api/v1/auth/sessions/{id}", delete(end))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", request_body = LogoutRequest, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ApiError)))]
pub async fn logout(
    State(state): State<AppState>,
    caller: AnySession,
    ApiJson(req): ApiJson<LogoutRequest>,
) -> Result<StatusCode, ServerError> {
    auth::session::logout(&state.pool, &*state.live, &caller.user, &caller.access_hash, &req.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/auth/sessions", security(("bearer" = [])),
    responses((status = 200, body = [SessionInfo]), (status = 401, body = ApiError)))]
pub async fn list(State(state): State<AppState>, caller: AnySession) -> Result<Json<Vec<SessionInfo>>, ServerError> {
    caller.user.require_full_session()?;
    Ok(Json(auth::session::list(&state.pool, &caller.user, &caller.access_hash, state.ttls).await?))
}

#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", security(("bearer" = [])),
    params(("id" = String, Path, description = "A session id from the list")),
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn end(
    State(state): State<AppState>,
    caller: AnySession,
    Path(id): Path<String>,
) -> Result<StatusCode, ServerError> {
    caller.user.require_full_session()?;
    auth::session::end(&state.pool, &*state.live, &caller.user, &id, state.ttls).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(patch, path = "/api/v1/auth/sessions/current", request_body = SessionName, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn name_current(
    State(state): State<AppState>,
    caller: AnySession,
    ApiJson(req): ApiJson<SessionName>,
) -> Result<StatusCode, ServerError> {
    auth::session::name_current(&state.pool, &caller.user, &caller.access_hash, &req.device_name).await?;
    Ok(StatusCode::NO_CONTENT)
}
