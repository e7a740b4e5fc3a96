//! Login and token wire types.

use serde::{Deserialize, Serialize};

use crate::usulan::Role;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Raw NIP as typed; the server validates it and names the field on error.
    pub nip: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Tokens never cross into the UI: this type stays between the server and the core.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub token_type: String,
    pub user: UserInfo,
}

/// Who is logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserInfo {
    pub nip: String,
    pub nama: String,
    pub instansi_id: String,
    pub roles: Vec<Role>,
}

/// `POST /api/v1/auth/logout`: ends the session this refresh token belongs to (with the caller's access token).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogoutRequest {
    pub refresh_token: String,
}

/// One of the caller's sessions ("my devices"): a login and the tokens refreshed from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub id: String,
    /// As the device named itself at login; `None` when it did not.
    pub device_name: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339: the login or the latest token refresh (an access token lives 15 minutes, so this is within
    /// that of the last request).
    pub last_used_at: String,
    /// Whether this is the session of the request's own access token.
    pub current: bool,
}

/// `PATCH /api/v1/auth/sessions/current`: how this session's device names itself in "my devices" (control
/// characters are dropped, at most 100 characters are kept).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionName {
    pub device_name: String,
}
