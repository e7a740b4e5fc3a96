//! Two-step verification from the device's side: enrolling from the core, logins that need the second factor,
//! each code and recovery code once, and a privileged account under `MfaPolicy::Privileged` that may only enrol
//! (its sync refused) until the confirm.

use mysapk_core::{CoreError, SecondFactor};
use mysapk_model::view::SyncPhase;
use mysapk_server::config::MfaPolicy;
use totp_rs::TOTP;

use crate::support::{Backend, Bench, ASN, PASSWORD, VERIFIKATOR};

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).expect("after 1970")
}

/// The authenticator app: reads the QR code's content, as a phone would.
fn app(otpauth_uri: &str, secret: &str) -> TOTP {
    let otp = TOTP::from_url(otpauth_uri).expect("otpauth URI");
    assert_eq!(otp.get_secret_base32(), secret, "the URI carries the secret shown as text");
    otp
}

fn totp(code: String) -> Option<SecondFactor> {
    Some(SecondFactor::Totp(code))
}

pub(crate) async fn mfa_is_enrolled_and_asked_for_at_every_login(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let phone = bench.core("phone");
    phone.login(ASN, PASSWORD).await.expect("a login without a second factor yet");
    assert!(!phone.mfa_enrollment_required(), "MfaPolicy::None asks nobody to enrol");
    let status = phone.mfa_status().await.expect("status");
    assert!(!status.enabled && !status.required, "{status:?}");

    let enrolment = phone.mfa_enroll().await.expect("enrol");
    let otp = app(&enrolment.otpauth_uri, &enrolment.secret);
    let err = phone.mfa_confirm("000000").await.expect_err("a wrong first code");
    assert_eq!(err.code(), "mfa.code_invalid", "{err:?}");
    let confirmed = phone.mfa_confirm(&otp.generate(now())).await.expect("confirm");
    assert_eq!(confirmed.recovery_codes.len(), 10);
    let status = phone.mfa_status().await.expect("status");
    assert!(status.enabled, "{status:?}");
    assert_eq!(status.recovery_codes_left, 10);
    let err = phone.mfa_enroll().await.expect_err("already on");
    assert_eq!(err.code(), "mfa.already_enabled");
    phone.logout().await.expect("logout");

    // The password alone is no longer enough; that is no lost session and nothing to retry.
    let err = phone.login(ASN, PASSWORD).await.expect_err("the code is missing");
    assert!(matches!(err, CoreError::MfaRequired), "{err:?}");
    assert!(!err.needs_login() && !err.is_transient());
    assert!(phone.session().is_none());

    // The next step's code (the confirm spent this step's): in, and syncing.
    let code = otp.generate(now() + 30);
    let user = phone.login_with(ASN, PASSWORD, totp(code.clone())).await.expect("login with a code");
    assert_eq!(user.nip, ASN);
    assert_eq!(phone.status().phase, SyncPhase::Idle, "the first sync ran");
    assert!(phone.status().last_synced_at.is_some());
    phone.logout().await.expect("logout");

    // The same code again is refused (the device clock agrees with the server's: no clock-skew answer).
    let err = phone.login_with(ASN, PASSWORD, totp(code)).await.expect_err("a used code");
    assert!(matches!(err, CoreError::MfaInvalid), "{err:?}");
    assert_eq!(err.to_api_error().code, "auth.mfa_invalid");

    // A recovery code logs in once, typed as people do (lower case, a space for the dash).
    let recovery = confirmed.recovery_codes[0].to_lowercase().replace('-', " ");
    let second = SecondFactor::from_fields(None, Some(&recovery));
    phone.login_with(ASN, PASSWORD, second.clone()).await.expect("login with a recovery code");
    assert_eq!(phone.mfa_status().await.expect("status").recovery_codes_left, 9);
    phone.logout().await.expect("logout");
    let err = phone.login_with(ASN, PASSWORD, second).await.expect_err("a used recovery code");
    assert!(matches!(err, CoreError::MfaInvalid), "{err:?}");
    bench.finish().await;
}

pub(crate) async fn a_privileged_account_must_enrol_before_it_syncs(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start_with(|c| c.mfa_required = MfaPolicy::Privileged).await;

    // An ASN is not asked to enrol under this policy.
    let asn = bench.core("asn-phone");
    asn.login(ASN, PASSWORD).await.expect("ASN login");
    assert!(!asn.mfa_enrollment_required());
    assert_eq!(asn.status().phase, SyncPhase::Idle);

    let reviewer = bench.core("reviewer-laptop");
    reviewer.login(VERIFIKATOR, PASSWORD).await.expect("the password is right: a session that may only enrol");
    assert!(reviewer.mfa_enrollment_required());
    assert_eq!(reviewer.status().phase, SyncPhase::NeedsMfaEnrollment);
    assert!(reviewer.status().last_synced_at.is_none(), "no sync was tried");
    let err = reviewer.sync_now().await.expect_err("no sync before the confirm");
    assert!(matches!(err, CoreError::MfaEnrollmentRequired), "{err:?}");
    // The server refuses the session everything but enrolment (and naming the device, which the login did).
    let err = reviewer.sessions().await.expect_err("my devices is refused");
    assert!(matches!(err, CoreError::MfaEnrollmentRequired), "{err:?}");
    let status = reviewer.mfa_status().await.expect("status is allowed");
    assert!(status.required && !status.enabled, "{status:?}");

    // A restart keeps the state: still no sync.
    drop(reviewer);
    let reviewer = bench.core("reviewer-laptop");
    assert_eq!(reviewer.status().phase, SyncPhase::NeedsMfaEnrollment);

    let enrolment = reviewer.mfa_enroll().await.expect("enrol");
    let otp = app(&enrolment.otpauth_uri, &enrolment.secret);
    reviewer.mfa_confirm(&otp.generate(now())).await.expect("confirm");
    assert!(!reviewer.mfa_enrollment_required());
    assert_eq!(reviewer.status().phase, SyncPhase::Idle);
    // The same session is a full one now: no new login.
    reviewer.sync_now().await.expect("sync after the confirm");
    assert!(reviewer.status().last_synced_at.is_some());
    let sessions = reviewer.sessions().await.expect("my devices");
    assert!(sessions.iter().any(|s| s.current), "{sessions:?}");
    bench.finish().await;
}
