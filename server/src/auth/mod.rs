//! Accounts and sessions: passwords ([`password`]: argon2id), login and password reset ([`login`]), and tokens
//! ([`session`]: random opaque strings stored only as SHA-256 hashes; refresh tokens rotate), with the per-process
//! access-token cache ([`TokenCache`]).

pub mod login;
pub mod mfa;
mod notice;
pub mod password;
pub mod session;
pub mod throttle;
mod token_cache;

use std::time::Duration;

use mysapk_model::usulan::Role;
use mysapk_model::Code;

use crate::error::ServerError;

pub use login::{login, reset_code_hash, reset_password, Attempt, Credentials, MAX_RESET_ATTEMPTS};
pub use notice::notify_account_change;
pub use password::{hash_password, verify_password};
pub use session::{authenticate, new_token, refresh, token_hash, Ttls, ACCESS, REFRESH};
pub use throttle::Throttle;
pub use token_cache::{TokenCache, TOKEN_CACHE_TTL};

pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)
}

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub nip: String,
    pub roles: Vec<Role>,
    pub instansi_id: String,
    /// The caller's session may only enrol a second factor (see [`mfa`]): every route but enrolment and logout
    /// refuses it.
    pub enrollment_only: bool,
}

impl AuthUser {
    /// 403 `auth.mfa_enrollment_required` for a session that may only enrol a second factor.
    pub fn require_full_session(&self) -> Result<(), ServerError> {
        if self.enrollment_only {
            Err(ServerError::api(Code::AuthMfaEnrollmentRequired))
        } else {
            Ok(())
        }
    }
}
