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
    /// The 6-digit code of the authenticator app (RFC 6238), when the account has a second factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub totp: Option<String>,
    /// One of the account's single-use recovery codes, instead of `totp` (a lost phone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub recovery_code: Option<String>,
}

impl LoginRequest {
    /// A login with NIP and password only (no second factor).
    pub fn new(nip: impl Into<String>, password: impl Into<String>) -> Self {
        Self { nip: nip.into(), password: password.into(), totp: None, recovery_code: None }
    }
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
    /// The server's policy wants this account to have a second factor and it has none yet: this session may only
    /// enrol (`auth/mfa/enroll`, `auth/mfa/confirm`) and log out; every other route answers 403
    /// `auth.mfa_enrollment_required` until the enrolment is confirmed.
    #[serde(default)]
    pub mfa_enrollment_required: bool,
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

/// `POST /api/v1/auth/mfa/enroll`: a new, not yet active TOTP secret for the caller's authenticator app. Shown
/// once; it becomes the account's second factor when a code of it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaEnrollment {
    /// The shared secret in base32 (RFC 4648, no padding), for typing into the app by hand.
    pub secret: String,
    /// `otpauth://totp/…` (the QR code's content): SHA-1, 6 digits, 30 s steps.
    pub otpauth_uri: String,
}

/// `POST /api/v1/auth/mfa/confirm`: a code of the enrolled secret, proving the authenticator app has it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaConfirm {
    pub code: String,
}

/// The answer to a confirmed enrolment: the second factor is on, and these single-use recovery codes (shown only
/// now) each log in once without the authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaConfirmed {
    pub recovery_codes: Vec<String>,
}

/// `GET /api/v1/auth/mfa`: the caller's second factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaStatus {
    /// A confirmed authenticator app is required at every login.
    pub enabled: bool,
    /// The server's policy requires this account to have one (`MYSAPK_MFA_REQUIRED`).
    pub required: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: u32,
}
