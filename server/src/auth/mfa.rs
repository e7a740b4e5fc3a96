//! The second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps) from an authenticator app, enrolled by the
//! account's owner and turned on by a first code, plus ten single-use recovery codes for a lost phone.
//!
//! A code of the previous, the current or the next step is accepted (a phone's clock a few seconds off), and
//! each code works once: the newest accepted step is stored, and no code of it or an earlier step is taken again.
//! Wrong codes are throttled like passwords ([`Guess::Mfa`]).

use mysapk_model::auth::{MfaConfirmed, MfaEnrollment, MfaStatus};
use mysapk_model::notification::AccountEvent;
use mysapk_model::{Code, Nip};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AnyPool};
use totp_rs::{Algorithm, Secret, TOTP};

use super::login::Attempt;
use super::throttle::Guess;
use super::{notify_account_change, now_millis, AuthUser};
use crate::config::MfaPolicy;
use crate::db::{self, mfa, sessions, AfterCommit};
use crate::error::ServerError;

/// The issuer an authenticator app shows beside the account.
pub const ISSUER: &str = "MySAPK";
const STEP_SECS: u64 = 30;
const DIGITS: usize = 6;
/// Secret length: 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;
pub const RECOVERY_CODES: usize = 10;
/// Unambiguous characters of a recovery code (no 0/O, 1/I/L), 8 of them: about 39 bits each.
const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn totp(secret_base32: &str, nip: &str) -> Result<TOTP, ServerError> {
    let bytes = Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .map_err(|_| ServerError::Internal("a stored TOTP secret is not base32".into()))?;
    // Skew 0: each candidate step is checked on its own, so that the accepted step is known.
    TOTP::new(Algorithm::SHA1, DIGITS, 0, STEP_SECS, bytes, Some(ISSUER.into()), nip.to_owned())
        .map_err(|e| ServerError::Internal(format!("TOTP parameters: {e}")))
}

fn now_secs() -> u64 {
    u64::try_from(now_millis() / 1000).unwrap_or(0)
}

/// The time step `code` belongs to, when it is the code of the step before, at or after `now`.
fn matching_step(totp: &TOTP, code: &str, now: u64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let step = now / STEP_SECS;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| totp.check(&code, s * STEP_SECS))
        .and_then(|s| i64::try_from(s).ok())
}

/// Whether `code` is a code of the account's secret not used before; a match is spent at once.
async fn spend_totp(conn: &mut AnyConnection, nip: &str, row: &mfa::MfaRow, code: &str) -> Result<bool, ServerError> {
    let Some(step) = matching_step(&totp(&row.secret, nip)?, code, now_secs()) else { return Ok(false) };
    mfa::accept_step(conn, nip, step).await
}

/// The stored form of a recovery code (bound to its NIP; dashes, spaces and case do not matter).
pub fn recovery_code_hash(nip: &str, code: &str) -> String {
    let normal: String = code.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_uppercase();
    hex::encode(Sha256::digest(format!("{nip}:recovery:{normal}").as_bytes()))
}

fn new_recovery_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let mut pick = || RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char;
    let (a, b): (String, String) = ((0..4).map(|_| pick()).collect(), (0..4).map(|_| pick()).collect());
    format!("{a}-{b}")
}

/// What a login offers as its second factor.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecondFactor<'a> {
    pub totp: Option<&'a str>,
    pub recovery_code: Option<&'a str>,
}

impl SecondFactor<'_> {
    fn given(&self) -> bool {
        self.totp.is_some_and(|c| !c.trim().is_empty()) || self.recovery_code.is_some_and(|c| !c.trim().is_empty())
    }
}

/// At login, after the right password: nothing to do without a confirmed factor; otherwise 401
/// `auth.mfa_required` without a code, 401 `auth.mfa_invalid` (counted by the throttle) with a wrong or used one.
/// Returns whether the account has a confirmed second factor.
pub(super) async fn check_at_login(
    pool: &AnyPool,
    attempt: Attempt<'_>,
    nip: &Nip,
    factor: SecondFactor<'_>,
) -> Result<bool, ServerError> {
    let mut conn = pool.acquire().await?;
    let Some(row) = mfa::find(&mut conn, nip.as_str()).await?.filter(mfa::MfaRow::confirmed) else {
        return Ok(false);
    };
    if !factor.given() {
        return Err(ServerError::api(Code::AuthMfaRequired));
    }
    attempt.throttle.check(pool, Guess::Mfa, nip, attempt.client).await?;
    let ok = match (factor.totp.filter(|c| !c.trim().is_empty()), factor.recovery_code) {
        (Some(code), _) => spend_totp(&mut conn, nip.as_str(), &row, code).await?,
        (None, Some(code)) => {
            mfa::use_recovery_code(&mut conn, nip.as_str(), &recovery_code_hash(nip.as_str(), code), now_millis())
                .await?
        }
        (None, None) => false,
    };
    drop(conn);
    if !ok {
        attempt.throttle.failed(pool, Guess::Mfa, nip, attempt.client).await?;
        tracing::info!(nip = %nip, client = %attempt.client, "login refused: wrong second factor");
        return Err(ServerError::api(Code::AuthMfaInvalid));
    }
    attempt.throttle.succeeded(pool, Guess::Mfa, nip).await?;
    if factor.totp.is_none() {
        tracing::info!(nip = %nip, "login with a recovery code");
    }
    Ok(true)
}

/// `GET /api/v1/auth/mfa`.
pub async fn status(pool: &AnyPool, policy: MfaPolicy, caller: &AuthUser) -> Result<MfaStatus, ServerError> {
    let mut conn = pool.acquire().await?;
    let enabled = mfa::find(&mut conn, &caller.nip).await?.is_some_and(|r| r.confirmed());
    let left = if enabled { mfa::unused_recovery_codes(&mut conn, &caller.nip).await? } else { 0 };
    Ok(MfaStatus {
        enabled,
        required: policy.requires(&caller.roles),
        recovery_codes_left: u32::try_from(left).unwrap_or(0),
    })
}

/// `POST /api/v1/auth/mfa/enroll`: a new secret, not active until [`confirm`]; 409 `mfa.already_enabled` when a
/// confirmed factor exists (an admin removes it first).
pub async fn enroll(pool: &AnyPool, caller: &AuthUser) -> Result<MfaEnrollment, ServerError> {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = Secret::Raw(bytes.to_vec()).to_encoded().to_string();
    let otp = totp(&secret, &caller.nip)?;
    // Nothing a cache or a stream holds depends on a pending enrolment.
    let mut tx = db::begin_write(pool, &db::NoHook).await?;
    if mfa::find(&mut tx, &caller.nip).await?.is_some_and(|r| r.confirmed()) {
        return Err(ServerError::api(Code::MfaAlreadyEnabled));
    }
    mfa::put_pending(&mut tx, &caller.nip, &secret, now_millis()).await?;
    tx.commit().await?;
    tracing::info!(nip = %caller.nip, "second factor enrolment started");
    Ok(MfaEnrollment { otpauth_uri: otp.get_url(), secret: otp.get_secret_base32() })
}

/// `POST /api/v1/auth/mfa/confirm`: the first code turns the factor on and returns fresh recovery codes; the
/// caller's session, if it could only enrol, becomes a full session. Audited; the owner is notified.
pub async fn confirm(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    attempt: Attempt<'_>,
    caller: &AuthUser,
    access_hash: &str,
    code: &str,
) -> Result<MfaConfirmed, ServerError> {
    let nip = Nip::parse(&caller.nip).map_err(ServerError::rule)?;
    attempt.throttle.check(pool, Guess::Mfa, &nip, attempt.client).await?;
    let mut tx = db::begin_write(pool, after).await?;
    let row = match mfa::find(&mut tx, &caller.nip).await? {
        None => return Err(ServerError::api(Code::MfaNotEnrolled)),
        Some(r) if r.confirmed() => return Err(ServerError::api(Code::MfaAlreadyEnabled)),
        Some(r) => r,
    };
    if !spend_totp(&mut tx, &caller.nip, &row, code).await? {
        drop(tx);
        attempt.throttle.failed(pool, Guess::Mfa, &nip, attempt.client).await?;
        return Err(ServerError::api(Code::MfaCodeInvalid).on_field("code"));
    }
    if !mfa::confirm(&mut tx, &caller.nip, now_millis()).await? {
        return Err(ServerError::api(Code::MfaAlreadyEnabled));
    }
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_code_hash(&caller.nip, c)).collect();
    mfa::put_recovery_codes(&mut tx, &caller.nip, &hashes).await?;
    if let Some(session) = sessions::session_of_token(&mut tx, access_hash).await? {
        sessions::end_enrollment_only(&mut tx, &session).await?;
    }
    db::audit(
        &mut tx,
        db::Audit {
            actor: &caller.nip,
            action: "account.mfa_enabled",
            entity: "account",
            entity_id: &caller.nip,
            subject: Some(&caller.nip),
            instansi: Some(&caller.instansi_id),
            details: serde_json::json!({"recovery_codes": RECOVERY_CODES}),
            ..db::Audit::default()
        },
    )
    .await?;
    notify_account_change(&mut tx, &caller.nip, AccountEvent::MfaEnabled, None).await?;
    tx.commit().await?;
    attempt.throttle.succeeded(pool, Guess::Mfa, &nip).await?;
    tracing::info!(nip = %caller.nip, "second factor on");
    Ok(MfaConfirmed { recovery_codes: codes })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 (the 8-digit values' last 6 digits), secret "12345678901234567890".
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let secret = Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        let otp = totp(&secret, "199001012015031001").expect("totp");
        for (time, code) in
            [(59u64, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")]
        {
            assert_eq!(otp.generate(time), code, "t = {time}");
        }
    }

    #[test]
    fn a_code_matches_its_step_and_the_neighbours_only() {
        let secret = Secret::Raw(vec![7u8; SECRET_BYTES]).to_encoded().to_string();
        let otp = totp(&secret, "1").expect("totp");
        let now = 1_700_000_000u64;
        let step = i64::try_from(now / STEP_SECS).expect("step");
        assert_eq!(matching_step(&otp, &otp.generate(now), now), Some(step));
        assert_eq!(matching_step(&otp, &otp.generate(now - 30), now), Some(step - 1));
        assert_eq!(matching_step(&otp, &otp.generate(now + 30), now), Some(step + 1));
        assert_eq!(matching_step(&otp, &otp.generate(now - 90), now), None, "90 s old");
        assert_eq!(matching_step(&otp, &otp.generate(now + 300), now), None, "5 minutes ahead");
        let spaced = format!("{} {}", &otp.generate(now)[..3], &otp.generate(now)[3..]);
        assert_eq!(matching_step(&otp, &spaced, now), Some(step), "spaces are ignored");
        assert_eq!(matching_step(&otp, "12345", now), None);
        assert_eq!(matching_step(&otp, "abcdef", now), None);
    }

    #[test]
    fn recovery_codes_are_unambiguous_and_forgiving() {
        let c = new_recovery_code();
        assert_eq!(c.len(), 9);
        assert!(c.chars().all(|ch| ch == '-' || RECOVERY_ALPHABET.contains(&(ch as u8))));
        assert_eq!(recovery_code_hash("1", &c), recovery_code_hash("1", &c.to_lowercase().replace('-', " ")));
        assert_ne!(recovery_code_hash("1", &c), recovery_code_hash("2", &c), "bound to the NIP");
    }
}
