//! Logging in with NIP and password, and setting a password with an admin's one-time code.
//!
//! Neither tells a guesser more than it must: an unknown NIP, an account not yet activated (it has no password
//! to be right about) and a wrong password all answer `auth.invalid_credentials` after the same argon2 work;
//! only the right password learns that the account is locked. Both are throttled per NIP and per client address
//! ([`super::throttle`]), and the reset code is checked before any hashing.

use std::net::IpAddr;

use mysapk_model::auth::{LoginRequest, TokenResponse};
use mysapk_model::notification::AccountEvent;
use mysapk_model::rules::password::check_password;
use mysapk_model::{Code, Nip};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use super::mfa::{self, SecondFactor};
use super::session::{start, NewSession, Ttls};
use super::throttle::{Guess, Throttle};
use super::{notify_account_change, now_millis};
use crate::config::MfaPolicy;
use crate::db::{self, accounts, AfterCommit};
use crate::error::ServerError;

/// Where an attempt comes from and which throttle counts it.
#[derive(Clone, Copy)]
pub struct Attempt<'a> {
    pub throttle: &'a Throttle,
    pub client: IpAddr,
}

/// What a login presents.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    pub nip: &'a str,
    pub password: &'a str,
    pub second_factor: SecondFactor<'a>,
}

impl<'a> From<&'a LoginRequest> for Credentials<'a> {
    fn from(req: &'a LoginRequest) -> Self {
        Credentials {
            nip: &req.nip,
            password: &req.password,
            second_factor: SecondFactor { totp: req.totp.as_deref(), recovery_code: req.recovery_code.as_deref() },
        }
    }
}

/// Check a login and issue a token pair: the password, then (once it is right) the lock and the second factor.
/// An account `policy` wants to have a second factor and that has none gets a session that may only enrol.
pub async fn login(
    pool: &AnyPool,
    attempt: Attempt<'_>,
    credentials: Credentials<'_>,
    policy: MfaPolicy,
    ttls: Ttls,
) -> Result<TokenResponse, ServerError> {
    let Credentials { nip: raw_nip, password, second_factor } = credentials;
    let nip = Nip::parse(raw_nip).map_err(ServerError::rule)?;
    let Attempt { throttle, client } = attempt;
    throttle.check(pool, Guess::Login, &nip, client).await?;
    let mut conn = pool.acquire().await?;
    let user = accounts::find_user(&mut conn, nip.as_str()).await?;
    let locked = accounts::locked_reason(&mut conn, nip.as_str()).await?;
    drop(conn);
    let phc = user.as_ref().map(|u| u.password_hash.clone()).filter(|h| !h.is_empty());
    let ok = throttle.argon2.verify(password.to_owned(), phc).await?;
    let Some(user) = user.filter(|_| ok) else {
        throttle.failed(pool, Guess::Login, &nip, client).await?;
        tracing::info!(nip = %nip, %client, "login refused: invalid credentials");
        return Err(ServerError::api(Code::AuthInvalidCredentials));
    };
    throttle.succeeded(pool, Guess::Login, &nip).await?;
    if let Some(reason) = locked {
        tracing::info!(nip = %nip, "login refused: locked");
        // The admin's reason, verbatim.
        return Err(ServerError::api_detail(Code::AuthLocked, reason));
    }
    let has_factor = mfa::check_at_login(pool, attempt, &nip, second_factor).await?;
    let enrollment_only = !has_factor && policy.requires(&user.roles);
    // New tokens change nothing a cache or a stream holds.
    let mut tx = db::begin_write(pool, &db::NoHook).await?;
    let resp = start(&mut tx, &user, ttls, NewSession { device_name: None, enrollment_only }).await?;
    tx.commit().await?;
    tracing::info!(nip = %nip, second_factor = has_factor, enrollment_only, "login");
    Ok(resp)
}

/// Wrong codes tolerated before a reset code stops working.
pub const MAX_RESET_ATTEMPTS: i64 = 5;

/// The stored form of a reset code (bound to its NIP).
pub fn reset_code_hash(nip: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{nip}:{}", code.trim().to_uppercase()).as_bytes()))
}

/// Whether a stored reset code is still usable and `code` is it.
fn code_matches(row: &accounts::ResetRow, nip: &str, code: &str) -> bool {
    !row.used
        && row.expires_at > now_millis()
        && row.attempts < MAX_RESET_ATTEMPTS
        && row.code_hash == reset_code_hash(nip, code)
}

/// `POST /api/v1/auth/reset`: set a new password with a one-time code; the account's tokens are revoked and the
/// new password works at once. The password policy and the code are checked before the new password is hashed,
/// so a guess costs the server no argon2 work.
pub async fn reset_password(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    attempt: Attempt<'_>,
    raw_nip: &str,
    code: &str,
    new_password: &str,
) -> Result<(), ServerError> {
    let nip = Nip::parse(raw_nip).map_err(ServerError::rule)?;
    let Attempt { throttle, client } = attempt;
    throttle.check(pool, Guess::ResetCode, &nip, client).await?;
    if let Some(violation) = check_password(new_password, nip.as_str(), "new_password") {
        return Err(ServerError::rule(violation));
    }
    let invalid = || ServerError::api(Code::AuthResetInvalid);
    let mut conn = pool.acquire().await?;
    let row = accounts::get_reset_code(&mut conn, nip.as_str()).await?;
    drop(conn);
    let exists = row.is_some();
    let Some(row) = row.filter(|r| code_matches(r, nip.as_str(), code)) else {
        if exists {
            let mut tx = db::begin_write(pool, after).await?;
            accounts::count_reset_attempt(&mut tx, nip.as_str()).await?;
            tx.commit().await?;
        }
        throttle.failed(pool, Guess::ResetCode, &nip, client).await?;
        return Err(invalid());
    };
    let hash = throttle.argon2.hash(new_password.to_owned()).await?;
    let mut tx = db::begin_write(pool, after).await?;
    // The code was right a moment ago; only one request may use it.
    let still = accounts::get_reset_code(&mut tx, nip.as_str()).await?;
    if still.as_ref().map(|r| &r.code_hash) != Some(&row.code_hash)
        || !accounts::use_reset_code(&mut tx, nip.as_str()).await?
    {
        return Err(invalid());
    }
    accounts::set_password_hash(&mut tx, nip.as_str(), &hash).await?;
    let revoked = accounts::revoke_all_tokens(&mut tx, nip.as_str()).await?;
    db::sessions::revoke_all_sessions(&mut tx, nip.as_str(), now_millis()).await?;
    db::audit(
        &mut tx,
        db::Audit {
            actor: nip.as_str(),
            action: "account.password_reset",
            entity: "account",
            entity_id: nip.as_str(),
            subject: Some(nip.as_str()),
            details: serde_json::json!({"tokens_revoked": revoked}),
            ..db::Audit::default()
        },
    )
    .await?;
    notify_account_change(&mut tx, nip.as_str(), AccountEvent::PasswordReset, None).await?;
    tx.commit().await?;
    throttle.succeeded(pool, Guess::ResetCode, &nip).await?;
    tracing::info!(nip = %nip, "password reset");
    Ok(())
}
