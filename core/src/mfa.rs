//! Two-step verification (TOTP) from the device's side: the second factor at login, enrolling an authenticator
//! app, and the session that may only enrol (the server's policy wants a second factor this account lacks).
//!
//! Nothing here logs a secret, an `otpauth://` URI, a code or a recovery code.

use chrono::{DateTime, Utc};
use mysapk_model::auth::{MfaConfirm, MfaConfirmed, MfaEnrollment, MfaStatus};
use mysapk_model::view::SyncPhase;

use crate::error::CoreError;
use crate::store::meta;
use crate::{Account, Core};

/// A device clock further than this off the server's explains a refused authenticator code (codes live 30 s and
/// the server accepts the step before and after, so a few seconds never matter; the `Date` header has whole
/// seconds).
pub(crate) const MAX_CLOCK_SKEW_SECS: i64 = 15;

/// The second factor given at login, besides NIP and password.
#[derive(Clone, PartialEq, Eq)]
pub enum SecondFactor {
    /// The 6-digit code of the authenticator app.
    Totp(String),
    /// One of the single-use recovery codes shown at enrolment.
    RecoveryCode(String),
}

impl SecondFactor {
    /// From the login form's two optional fields: a code when one is typed, else a recovery code, else none.
    /// Spaces are dropped (authenticator apps show `123 456`; people copy recovery codes with spaces).
    pub fn from_fields(totp: Option<&str>, recovery_code: Option<&str>) -> Option<Self> {
        let clean = |s: Option<&str>| s.map(|s| s.split_whitespace().collect::<String>()).filter(|s| !s.is_empty());
        match (clean(totp), clean(recovery_code)) {
            (Some(code), _) => Some(Self::Totp(code)),
            (None, Some(code)) => Some(Self::RecoveryCode(code.to_ascii_uppercase())),
            (None, None) => None,
        }
    }
}

/// Codes never reach a log, not even through `{:?}`.
impl std::fmt::Debug for SecondFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Totp(_) => "Totp(…)",
            Self::RecoveryCode(_) => "RecoveryCode(…)",
        })
    }
}

/// Device clock minus server clock in seconds, from an HTTP `Date` header (RFC 7231's IMF-fixdate, which RFC 2822
/// parsing reads); `None` without a readable header.
pub(crate) fn clock_skew_secs(date_header: Option<&str>, now: DateTime<Utc>) -> Option<i64> {
    let server = DateTime::parse_from_rfc2822(date_header?.trim()).ok()?;
    Some((now - server.with_timezone(&Utc)).num_seconds())
}

/// `error` unless the device clock is far enough off the server's to explain a refused code: then the clock is
/// the thing to fix, and the user is told so.
pub(crate) fn or_clock_skew(error: CoreError, skew_secs: Option<i64>) -> CoreError {
    match skew_secs {
        Some(secs) if secs.abs() > MAX_CLOCK_SKEW_SECS => CoreError::ClockSkew { secs },
        _ => error,
    }
}

impl Core {
    /// Whether this session may only enrol a second factor (see [`Core::mfa_enroll`]); nothing syncs until the
    /// enrolment is confirmed. Kept in the account's database, so it survives a restart of the app.
    pub fn mfa_enrollment_required(&self) -> bool {
        self.current().is_some_and(|a| enrollment_pending(&a))
    }

    /// The account's second factor as the server knows it (online).
    pub async fn mfa_status(&self) -> Result<MfaStatus, CoreError> {
        self.online(|access| async move { self.http.get_json(&access, "/api/v1/auth/mfa", &[]).await }).await
    }

    /// A new authenticator secret (online); it becomes the second factor when one of its codes is confirmed with
    /// [`Core::mfa_confirm`]. Show it once; the core keeps no copy.
    pub async fn mfa_enroll(&self) -> Result<MfaEnrollment, CoreError> {
        self.online(|access| async move { self.http.post_json(&access, "/api/v1/auth/mfa/enroll", &()).await }).await
    }

    /// Confirm the enrolment with a code of the authenticator app; the answer's recovery codes are shown once.
    /// A session that could only enrol becomes a full one: syncing starts.
    pub async fn mfa_confirm(&self, code: &str) -> Result<MfaConfirmed, CoreError> {
        let account = self.require()?;
        let body = MfaConfirm { code: code.split_whitespace().collect() };
        let confirmed = self
            .online(|access| {
                let body = &body;
                async move { self.http.mfa_confirm(&access, body).await }
            })
            .await?;
        tracing::info!("second factor confirmed");
        if enrollment_pending(&account) {
            account.store.write(|tx| meta::delete(tx, meta::MFA_ENROLLMENT_REQUIRED))?;
            self.events.set_phase(SyncPhase::Idle);
            // The event stream was waiting for a full session; the sync loop starts at once.
            self.session.send_modify(|g| *g = g.wrapping_add(1));
            self.nudge.notify_one();
        }
        Ok(confirmed)
    }

    /// Remember that the server allows this session only to enrol (a login answer said so, or a refused call).
    pub(crate) fn set_enrollment_pending(&self, account: &Account, pending: bool) -> Result<(), CoreError> {
        account.store.write(|tx| {
            if pending {
                meta::set(tx, meta::MFA_ENROLLMENT_REQUIRED, "1")
            } else {
                meta::delete(tx, meta::MFA_ENROLLMENT_REQUIRED)
            }
        })
    }
}

pub(crate) fn enrollment_pending(account: &Account) -> bool {
    matches!(account.store.read(|c| meta::get(c, meta::MFA_ENROLLMENT_REQUIRED)), Ok(Some(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_gives_one_second_factor_without_spaces() {
        assert_eq!(SecondFactor::from_fields(Some(" 123 456 "), Some("x")), Some(SecondFactor::Totp("123456".into())));
        assert_eq!(
            SecondFactor::from_fields(Some("  "), Some("abcd-efgh")),
            Some(SecondFactor::RecoveryCode("ABCD-EFGH".into()))
        );
        assert_eq!(SecondFactor::from_fields(None, Some("")), None);
    }

    #[test]
    fn codes_do_not_show_in_debug_output() {
        let shown =
            format!("{:?} {:?}", SecondFactor::Totp("123456".into()), SecondFactor::RecoveryCode("ABCD".into()));
        assert!(!shown.contains("123456") && !shown.contains("ABCD"), "{shown}");
    }

    #[test]
    fn the_skew_is_device_minus_server() {
        let now = DateTime::parse_from_rfc3339("2026-12-03T10:05:00Z").expect("date").with_timezone(&Utc);
        assert_eq!(clock_skew_secs(Some("Thu, 03 Dec 2026 10:00:00 GMT"), now), Some(300));
        assert_eq!(clock_skew_secs(Some("Thu, 03 Dec 2026 10:05:20 GMT"), now), Some(-20));
        assert_eq!(clock_skew_secs(Some("yesterday"), now), None);
        assert_eq!(clock_skew_secs(None, now), None);
    }

    #[test]
    fn only_a_clock_off_by_more_than_15_s_replaces_the_error() {
        assert!(matches!(or_clock_skew(CoreError::MfaInvalid, Some(15)), CoreError::MfaInvalid));
        assert!(matches!(or_clock_skew(CoreError::MfaInvalid, None), CoreError::MfaInvalid));
        assert!(matches!(or_clock_skew(CoreError::MfaInvalid, Some(-16)), CoreError::ClockSkew { secs: -16 }));
        let e = or_clock_skew(CoreError::MfaInvalid, Some(300));
        assert_eq!(e.code(), "auth.clock_skew");
        assert_eq!(e.to_api_error().clock_skew_secs, Some(300));
    }
}
