//! Auth routes: login, token refresh, the password reset with a one-time code, and enrolling the second factor.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use mysapk_model::admin::PasswordReset;
use mysapk_model::auth::{
    LoginRequest, MfaConfirm, MfaConfirmed, MfaEnrollment, MfaStatus, RefreshRequest, TokenResponse,
};
use mysapk_model::ApiError;

use super::extract::AnySession;
use super::{ApiJson, AppState};
use crate::auth;
use crate::error::ServerError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/refresh", post(refresh))
        .route("/api/v1/auth/reset", post(reset_password))
        .route("/api/v1/auth/mfa", get(mfa_status))
        .route("/api/v1/auth/mfa/enroll", post(mfa_enroll))
        .route("/api/v1/auth/mfa/confirm", post(mfa_confirm))
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
        (status = 401, body = ApiError, description = "auth.invalid_credentials: unknown NIP, no password yet, or wrong password; \
            auth.mfa_required: the right password, and the account has a second factor but no code was given; \
            auth.mfa_invalid: a wrong or used TOTP or recovery code"),
        (status = 403, body = ApiError, description = "auth.locked (only after the right password)"),
        (status = 429, body = ApiError, description = "auth.throttled, with Retry-After")))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ServerError> {
    let attempt = auth::Attempt { throttle: &state.throttle, client };
    Ok(Json(auth::login(&state.pool, attempt, (&req).into(), state.mfa_policy, state.ttls).await?))
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

#[utoipa::path(get, path = "/api/v1/auth/mfa", security(("bearer" = [])),
    responses((status = 200, body = MfaStatus), (status = 401, body = ApiError)))]
pub async fn mfa_status(State(state): State<AppState>, caller: AnySession) -> Result<Json<MfaStatus>, ServerError> {
    Ok(Json(auth::mfa::status(&state.pool, state.mfa_policy, &caller.user).await?))
}

#[utoipa::path(post, path = "/api/v1/auth/mfa/enroll", security(("bearer" = [])),
    responses((status = 200, body = MfaEnrollment), (status = 401, body = ApiError),
        (status = 409, body = ApiError, description = "mfa.already_enabled: the account has a confirmed factor")))]
pub async fn mfa_enroll(State(state): State<AppState>, caller: AnySession) -> Result<Json<MfaEnrollment>, ServerError> {
    Ok(Json(auth::mfa::enroll(&state.pool, &caller.user).await?))
}

#[utoipa::path(post, path = "/api/v1/auth/mfa/confirm", request_body = MfaConfirm, security(("bearer" = [])),
    responses((status = 200, body = MfaConfirmed), (status = 400, body = ApiError, description = "mfa.code_invalid: not a code of the enrolled secret now"),
        (status = 401, body = ApiError),
        (status = 409, body = ApiError, description = "mfa.not_enrolled, mfa.already_enabled"),
        (status = 429, body = ApiError, description = "auth.throttled, with Retry-After")))]
pub async fn mfa_confirm(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    caller: AnySession,
    ApiJson(req): ApiJson<MfaConfirm>,
) -> Result<Json<MfaConfirmed>, ServerError> {
    let attempt = auth::Attempt { throttle: &state.throttle, client };
    let confirmed =
        auth::mfa::confirm(&state.pool, &*state.live, attempt, &caller.user, &caller.access_hash, &req.code).await?;
    Ok(Json(confirmed))
}
