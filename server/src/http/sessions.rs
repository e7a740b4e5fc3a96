//! Session routes: logout, and "my devices" (list the caller's sessions, name this one, end one).

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use mysapk_model::auth::{LogoutRequest, SessionInfo, SessionName};
use mysapk_model::ApiError;

use super::{ApiJson, AppState};
use crate::auth::{self, AuthUser};
use crate::error::ServerError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/auth/sessions", get(list))
        .route("/api/v1/auth/sessions/current", patch(name_current))
        .route("/api/v1/auth/sessions/{id}", delete(end))
}

/// The authenticated caller and the hash of the access token it came with (which session is "this one").
pub struct Caller {
    user: AuthUser,
    access_hash: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        // The same header the extractor above has just accepted.
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.get(7..))
            .map(str::trim)
            .unwrap_or_default();
        Ok(Caller { user, access_hash: auth::token_hash(token) })
    }
}

#[utoipa::path(post, path = "/api/v1/auth/logout", request_body = LogoutRequest, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ApiError)))]
pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<LogoutRequest>,
) -> Result<StatusCode, ServerError> {
    auth::session::logout(&state.pool, &*state.live, &caller.user, &caller.access_hash, &req.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/auth/sessions", security(("bearer" = [])),
    responses((status = 200, body = [SessionInfo]), (status = 401, body = ApiError)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<SessionInfo>>, ServerError> {
    Ok(Json(auth::session::list(&state.pool, &caller.user, &caller.access_hash, state.ttls).await?))
}

#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", security(("bearer" = [])),
    params(("id" = String, Path, description = "A session id from the list")),
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn end(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ServerError> {
    auth::session::end(&state.pool, &*state.live, &caller.user, &id, state.ttls).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(patch, path = "/api/v1/auth/sessions/current", request_body = SessionName, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn name_current(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<SessionName>,
) -> Result<StatusCode, ServerError> {
    auth::session::name_current(&state.pool, &caller.user, &caller.access_hash, &req.device_name).await?;
    Ok(StatusCode::NO_CONTENT)
}
