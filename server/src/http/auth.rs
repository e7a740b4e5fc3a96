//! Auth routes: login, token refresh, and the password reset with a one-time code.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
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

/// The client's address as the throttle counts it: the socket's peer, or what a trusted proxy says it forwarded
/// (see [`auth::Throttle::client_ip`]). A router served without connection info (none in this server) counts every
/// request as one unspecified address.
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ServerError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip());
        Ok(ClientIp(state.throttle.client_ip(peer, &parts.headers)))
    }
}

#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = ApiError),
        (status = 401, body = ApiError, description = "auth.invalid_credentials: unknown NIP, no password yet, or wrong password"),
        (status = 403, body = ApiError, description = "auth.locked (only after the right password)"),
        (status = 429, body = ApiError, description = "auth.throttled, with Retry-After")))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ServerError> {
    let attempt = auth::Attempt { throttle: &state.throttle, client };
    Ok(Json(auth::login(&state.pool, attempt, &req.nip, &req.password, state.ttls).await?))
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
    responses((status = 204), (status = 400, body = ApiError),
        (status = 429, body = ApiError, description = "auth.throttled, with Retry-After")))]
pub async fn reset_password(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(req): ApiJson<PasswordReset>,
) -> Result<StatusCode, ServerError> {
    let attempt = auth::Attempt { throttle: &state.throttle, client };
    auth::reset_password(&state.pool, &*state.live, attempt, &req.nip, &req.code, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}
