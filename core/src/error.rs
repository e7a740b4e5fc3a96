//! The one public error of the core, with a stable code per failure and its wire shape.
//!
//! Messages never carry tokens, passwords or personal data.

use std::time::Duration;

use mysapk_model::{ApiError, Code, Violation};

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The server could not be reached (connection refused, DNS, TLS, reset).
    #[error("the server could not be reached")]
    Unreachable,
    /// The request took longer than allowed.
    #[error("the server did not answer in time")]
    Timeout,
    /// 5xx or 429: try again later, not before `retry_after` when given.
    #[error("the server is unavailable (HTTP {status})")]
    ServerBusy { status: u16, retry_after: Option<Duration> },
    /// 401 from the server (wrong password, expired or invalid token, failed refresh).
    #[error("authentication failed: {}", .0.code)]
    Auth(ApiError),
    /// 429 `auth.throttled`: too many failed logins or reset codes; not retried, the user is told how long to
    /// wait (`retry_after_secs`).
    #[error("too many failed attempts (retry after {:?} s)", .0.retry_after_secs)]
    Throttled(ApiError),
    /// 401 `auth.mfa_required`: the password is right and the account has a second factor: ask for its code.
    #[error("the account needs its second factor")]
    MfaRequired,
    /// 401 `auth.mfa_invalid`: the authenticator or recovery code is wrong or was used already.
    #[error("the second factor was refused")]
    MfaInvalid,
    /// An authenticator code was refused and the device clock is this many seconds off the server's (device
    /// minus server): codes follow the clock, so the clock is what to fix.
    #[error("the device clock is {secs} s off the server's")]
    ClockSkew { secs: i64 },
    /// 403 `auth.mfa_enrollment_required`: this session may only enrol a second factor (or log out).
    #[error("the account must enrol a second factor first")]
    MfaEnrollmentRequired,
    /// The server refused an access token it had just issued (clock skew, a proxy): the session is still valid,
    /// so this is retried with backoff instead of asking for a new login.
    #[error("the server refused a freshly refreshed token")]
    FreshTokenRefused,
    /// Any other error answer of the server.
    #[error("the server refused the request (HTTP {status}): {}", .error.code)]
    Server { status: u16, error: ApiError },
    /// The server answered something the core does not understand.
    #[error("unexpected answer from the server: {0}")]
    BadResponse(String),
    /// The input breaks one or more rules; all violations are kept.
    #[error("invalid input: {} violation(s)", .0.len())]
    Validation(Vec<Violation>),
    #[error("no user is logged in")]
    NotLoggedIn,
    /// The app lock is on: no personal data until the PIN (or biometrics on a phone) unlocks it.
    #[error("the app is locked")]
    Locked,
    /// A wrong PIN; this many attempts are left before the session ends.
    #[error("wrong PIN ({attempts_left} attempt(s) left)")]
    PinWrong { attempts_left: u32 },
    /// The last allowed wrong PIN: the session has ended (the tokens are gone, the data and outbox stay).
    #[error("too many wrong PINs: the session has ended")]
    PinLockedOut,
    /// Changing or removing a PIN that is not set.
    #[error("no PIN is set")]
    PinNotSet,
    #[error("not found: {0}")]
    NotFound(Code),
    #[error("local database error: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("local file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("local data is corrupt: {0}")]
    Corrupt(String),
    /// The database was written by a newer version of the app.
    #[error("the local database has schema version {found}, newer than this app supports ({supported})")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("the OS keystore failed: {0}")]
    Keystore(String),
    #[error("no OS keystore is configured")]
    KeystoreNotConfigured,
    #[error("no supported OS keystore on this platform")]
    KeystoreUnsupported,
    /// The account database does not open with the key at hand.
    #[error("the account database does not open with its key")]
    DatabaseKey,
    /// A plain-HTTP server URL to a host other than this device: refused, never downgraded.
    #[error("the server URL must use https:// unless the server is on this device: {0}")]
    InsecureUrl(String),
    #[error("not a usable server URL: {0:?}")]
    InvalidUrl(String),
    /// An extra root certificate file that cannot be read or holds no certificate.
    #[error("extra root certificates in {}: {reason}", .path.display())]
    ExtraRoots { path: std::path::PathBuf, reason: String },
    /// The server's certificate is not trusted (or not for its name): a misconfiguration or an attack, not a
    /// network failure.
    #[error("the server's certificate is not trusted")]
    UntrustedCertificate,
    /// The server cannot be changed while the current account still has proposals queued for the old one.
    #[error("{0} unsent change(s) belong to the current server")]
    ServerChangePending(u32),
    /// No server is configured yet (a build without a default): the user chooses the agency's server first.
    #[error("no server is set")]
    NoServer,
    /// The server cannot be changed during a session: its tokens would be sent to the new server.
    #[error("log out before changing the server")]
    ServerChangeSession,
    /// The account's database still holds proposals for the server it synced with before; they go nowhere else.
    #[error("{0} unsent change(s) belong to the previous server")]
    AccountOfOtherServer(u32),
}

impl CoreError {
    /// A stable, machine-readable code for the UI to branch on; a server code the registry does not know (a
    /// newer server) is `server.error`, while [`CoreError::to_api_error`] still carries the server's own code.
    pub fn code(&self) -> Code {
        match self {
            CoreError::Unreachable => Code::NetworkUnreachable,
            CoreError::Timeout => Code::NetworkTimeout,
            CoreError::ServerBusy { .. } => Code::ServerUnavailable,
            CoreError::FreshTokenRefused => Code::AuthFreshTokenRefused,
            CoreError::MfaRequired => Code::AuthMfaRequired,
            CoreError::MfaInvalid => Code::AuthMfaInvalid,
            CoreError::ClockSkew { .. } => Code::AuthClockSkew,
            CoreError::MfaEnrollmentRequired => Code::AuthMfaEnrollmentRequired,
            CoreError::Auth(e) | CoreError::Throttled(e) | CoreError::Server { error: e, .. } => {
                Code::parse(&e.code).unwrap_or(Code::ServerError)
            }
            CoreError::BadResponse(_) => Code::ServerBadResponse,
            CoreError::Validation(_) => Code::Validation,
            CoreError::NotLoggedIn => Code::NotLoggedIn,
            CoreError::Locked => Code::AppLocked,
            CoreError::PinWrong { .. } => Code::AppPinWrong,
            CoreError::PinLockedOut => Code::AppPinLockedOut,
            CoreError::PinNotSet => Code::AppPinNotSet,
            CoreError::NotFound(code) => *code,
            CoreError::Store(_) | CoreError::Io(_) => Code::StoreIo,
            CoreError::Corrupt(_) => Code::StoreCorrupt,
            CoreError::SchemaTooNew { .. } => Code::StoreSchemaTooNew,
            CoreError::Keystore(_) => Code::KeystoreUnavailable,
            CoreError::KeystoreNotConfigured => Code::KeystoreNotConfigured,
            CoreError::KeystoreUnsupported => Code::KeystoreUnsupportedPlatform,
            CoreError::DatabaseKey => Code::StoreKeyMismatch,
            CoreError::InsecureUrl(_) => Code::TransportInsecureUrl,
            CoreError::InvalidUrl(_) => Code::TransportInvalidUrl,
            CoreError::ExtraRoots { .. } => Code::TransportExtraRoots,
            CoreError::UntrustedCertificate => Code::TransportUntrustedCertificate,
            CoreError::ServerChangePending(_) => Code::TransportServerChangePending,
            CoreError::ServerChangeSession => Code::TransportServerChangeSession,
            CoreError::AccountOfOtherServer(_) => Code::TransportAccountOfOtherServer,
            CoreError::NoServer => Code::TransportNoServer,
        }
    }

    /// The wire shape for the IPC boundary. For validation errors: code and field of the first violation.
    pub fn to_api_error(&self) -> ApiError {
        match self {
            CoreError::Auth(e) | CoreError::Throttled(e) | CoreError::Server { error: e, .. } => e.clone(),
            CoreError::Validation(v) => match v.first() {
                Some(first) => ApiError::from(first.clone()),
                None => Code::Validation.api_error(),
            },
            CoreError::ClockSkew { secs } => {
                let mut e = ApiError::new(Code::AuthClockSkew.as_str(), self.to_string());
                e.clock_skew_secs = Some(*secs);
                e
            }
            CoreError::MfaRequired | CoreError::MfaInvalid | CoreError::MfaEnrollmentRequired => {
                self.code().api_error()
            }
            other => ApiError::new(other.code().as_str(), other.to_string()),
        }
    }

    /// A failure worth retrying later with backoff (network or server overload; a certificate the server's
    /// operator may yet fix).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            CoreError::Unreachable
                | CoreError::Timeout
                | CoreError::ServerBusy { .. }
                | CoreError::FreshTokenRefused
                | CoreError::UntrustedCertificate
        )
    }

    /// The session is gone: a new login is needed (nothing local is lost). A locked account counts: the login
    /// screen then shows the admin's reason. A refused second factor does not: it answers a login, never a
    /// session's call.
    pub fn needs_login(&self) -> bool {
        match self {
            CoreError::Auth(_) | CoreError::NotLoggedIn => true,
            CoreError::Server { error, .. } => Code::parse(&error.code) == Some(Code::AuthLocked),
            _ => false,
        }
    }

    /// The server asked to wait at least this long.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            CoreError::ServerBusy { retry_after, .. } => *retry_after,
            CoreError::Throttled(e) => e.retry_after_secs.map(|s| Duration::from_secs(u64::from(s))),
            _ => None,
        }
    }

    pub(crate) fn corrupt(e: impl std::fmt::Display) -> Self {
        CoreError::Corrupt(e.to_string())
    }
}

impl From<serde_json::Error> for CoreError {
    fn from(e: serde_json::Error) -> Self {
        CoreError::Corrupt(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_maps_first_violation() {
        let e = CoreError::Validation(vec![
            Violation::new(Code::OwnerEmailFormat, "owner.email", "x", "y"),
            Violation::new(Code::OwnerNoHpFormat, "owner.no_hp", "x", "y"),
        ]);
        assert_eq!(e.code(), "validation");
        let api = e.to_api_error();
        assert_eq!(api.code, "owner.email_format");
        assert_eq!(api.field.as_deref(), Some("owner.email"));
    }

    #[test]
    fn server_codes_pass_through() {
        let e = CoreError::Auth(ApiError::new("auth.invalid_credentials", "wrong password"));
        assert_eq!(e.code(), "auth.invalid_credentials");
        let e = CoreError::Server { status: 418, error: ApiError::new("teapot.brewing", "x") };
        assert_eq!(e.code(), "server.error");
        assert_eq!(e.to_api_error().code, "teapot.brewing");
    }

    #[test]
    fn a_locked_account_needs_login_and_keeps_the_reason() {
        let e = CoreError::Server { status: 403, error: ApiError::new("auth.locked", "Data sedang diaudit") };
        assert!(e.needs_login());
        assert!(!e.is_transient());
        assert_eq!(e.code(), "auth.locked");
        assert_eq!(e.to_api_error().message, "Data sedang diaudit");
    }

    #[test]
    fn a_refused_second_factor_is_neither_a_lost_session_nor_transient() {
        for e in [CoreError::MfaRequired, CoreError::MfaInvalid, CoreError::ClockSkew { secs: 300 }] {
            assert!(!e.needs_login(), "{e:?}");
            assert!(!e.is_transient(), "{e:?}");
        }
        assert_eq!(CoreError::MfaRequired.to_api_error().code, "auth.mfa_required");
        assert_eq!(CoreError::MfaInvalid.code(), "auth.mfa_invalid");
        assert_eq!(CoreError::MfaEnrollmentRequired.code(), "auth.mfa_enrollment_required");
        let skew = CoreError::ClockSkew { secs: -240 }.to_api_error();
        assert_eq!((skew.code.as_str(), skew.clock_skew_secs), ("auth.clock_skew", Some(-240)));
    }
}
