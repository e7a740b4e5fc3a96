//! Auth routes: login, token refresh, and the password reset with a one-time code.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use mysapk_model::admin::PasswordReset;
use mysapk_model::auth::{LoginRequest, RefreshRequest, TokenResponse};
use mysapk_model::ApiError;

use super::{ApiJson, AppState};
use crate::auth;
use crate::error::ServerError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/refresh", post(refresh))
        .route("/api/v1/auth/reset", post(reset_password))
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
    Ok(Json(auth::refresh(&state.pool, &*state.live, &req.refresh_token, state.ttls).await?))
}

#[utoipa::path(post, path = "/api/v1/auth/reset", request_body = PasswordReset,
    responses((status = 204), (status = 400, body = ApiError)))]
pub async fn reset_password(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<PasswordReset>,
) -> Result<StatusCode, ServerError> {
    auth::reset_password(&state.pool, &*state.live, &req.nip, &req.code, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}
