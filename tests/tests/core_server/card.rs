//! "Periksa Kartu ASN" from a device: online the server answers (with the holder's name and agency); the device
//! caches the server's key set at sync, the server stops, and the device still tells a card the server issued
//! from a tampered one. And
//! the admin's reset of a user's second factor, from the admin's device.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use mysapk_core::{Core, CoreError, SecondFactor};
use mysapk_model::card::{CardCheckAnswer, CardRefusal, CardToken, CheckedBy};
use totp_rs::TOTP;

use crate::admin::ADMIN;
use crate::support::{Backend, Bench, Raw, ASN, PASSWORD, VERIFIKATOR};

/// The token of the device's own card (the QR code's verify URL ends with it).
fn own_token(core: &Core) -> String {
    let url = core.asn_card().expect("card").verify_url.expect("a token after the first sync");
    url.rsplit_once("/api/v1/verify/").expect("verify URL").1.to_owned()
}

/// The refusal's reason, asserting who refused.
fn invalid_by(check: CardCheckAnswer, by: CheckedBy) -> CardRefusal {
    match check {
        CardCheckAnswer::Invalid { reason, checked_by, .. } if checked_by == by => reason,
        other => panic!("expected a refusal by {by:?}: {other:?}"),
    }
}

fn invalid(check: CardCheckAnswer) -> CardRefusal {
    invalid_by(check, CheckedBy::Device)
}

/// Another NIP under the same signature, one altered signature character, the header's algorithm set to none.
fn tampered(token: &str) -> [String; 3] {
    let parts: Vec<&str> = token.split('.').collect();
    let claims = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).expect("payload")).expect("utf-8");
    let forged = URL_SAFE_NO_PAD.encode(claims.replace(VERIFIKATOR, ASN));
    let another_nip = format!("{}.{forged}.{}", parts[0], parts[2]);
    let mut signature = parts[2].to_owned().into_bytes();
    signature[10] = if signature[10] == b'A' { b'B' } else { b'A' };
    let altered = format!("{}.{}.{}", parts[0], parts[1], String::from_utf8(signature).expect("ascii"));
    let header = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[0]).expect("header")).expect("utf-8");
    let none = URL_SAFE_NO_PAD.encode(header.replace("EdDSA", "none"));
    [another_nip, altered, format!("{none}.{}.", parts[1])]
}

pub(crate) async fn a_card_is_checked_offline_with_the_cached_keys(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let phone = bench.core("phone");
    phone.login(ASN, PASSWORD).await.expect("login");
    let own = own_token(&phone);
    // Someone else's card, as the server issues it.
    let verifikator = Raw::login(&bench.url(), VERIFIKATOR).await;
    let other: CardToken = reqwest::Client::new()
        .post(format!("{}/api/v1/card", bench.url()))
        .bearer_auth(&verifikator.token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("card request")
        .json()
        .await
        .expect("card token");
    // Online the server answers, with the holder's name and agency from the record, before any key is cached.
    match phone.check_card(&other.token).await.expect("check") {
        CardCheckAnswer::Valid { nip, nama, instansi_nama, keys_fetched_at, checked_by, .. } => {
            assert_eq!((nip.as_str(), checked_by), (VERIFIKATOR, CheckedBy::Server));
            assert!(nama.is_some() && instansi_nama.is_some(), "the server names the holder");
            assert!(keys_fetched_at.is_none(), "the first sync brought the card token, not the key set");
        }
        refused => panic!("{refused:?}"),
    }
    // Forged: the server refuses a changed NIP or signature; a header that names another algorithm than EdDSA,
    // like text that is no token at all, is refused on the device without asking.
    let [another_nip, altered, alg_none] = tampered(&other.token);
    for forged in [another_nip, altered] {
        let answer = phone.check_card(&forged).await.expect("check");
        assert_eq!(invalid_by(answer, CheckedBy::Server), CardRefusal::BadSignature);
    }
    assert_eq!(invalid(phone.check_card(&alg_none).await.expect("check")), CardRefusal::BadSignature);
    assert_eq!(invalid(phone.check_card("bukan kartu").await.expect("check")), CardRefusal::Malformed);
    // The next sync brings the key set.
    phone.sync_now().await.expect("second sync");

    bench.stop().await;
    let err = phone.sync_now().await.expect_err("the server is down");
    assert_eq!(err.code(), "network.unreachable");

    match phone.check_card(&own).await.expect("check") {
        CardCheckAnswer::Valid { nip, nama, instansi_nama, keys_fetched_at, checked_by, .. } => {
            assert_eq!(checked_by, CheckedBy::Device, "no server: checked on the device");
            assert_eq!(nip, ASN);
            assert!(nama.is_some_and(|n| n.contains("Budi")), "this account's own card: its name");
            assert!(instansi_nama.is_some());
            assert!(keys_fetched_at.is_some());
        }
        refused => panic!("{refused:?}"),
    }
    match phone.check_card(&other.token).await.expect("check") {
        CardCheckAnswer::Valid { nip, expires_at, .. } => {
            assert_eq!(nip, VERIFIKATOR);
            assert_eq!(expires_at, other.expires_at);
        }
        refused => panic!("{refused:?}"),
    }

    // Tampered, offline: the cached keys tell them apart too.
    for forged in tampered(&other.token) {
        assert_eq!(invalid(phone.check_card(&forged).await.expect("check")), CardRefusal::BadSignature);
    }
    assert_eq!(invalid(phone.check_card("bukan kartu").await.expect("check")), CardRefusal::Malformed);
    bench.finish().await;
}

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).expect("after 1970")
}

pub(crate) async fn an_admin_resets_a_users_second_factor(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;

    // The ASN turns the second factor on (the test is the authenticator app) and logs in with a code.
    let phone = bench.core("phone");
    phone.login(ASN, PASSWORD).await.expect("login");
    let enrolment = phone.mfa_enroll().await.expect("enrol");
    let otp = TOTP::from_url(&enrolment.otpauth_uri).expect("otpauth URI");
    phone.mfa_confirm(&otp.generate(now())).await.expect("confirm");
    phone.logout().await.expect("logout");
    let err = phone.login(ASN, PASSWORD).await.expect_err("the code is missing");
    assert!(matches!(err, CoreError::MfaRequired), "{err:?}");
    let code = SecondFactor::Totp(otp.generate(now() + 30));
    phone.login_with(ASN, PASSWORD, Some(code)).await.expect("login with a code");

    // The admin's refusals, by their codes.
    let admin = bench.core("admin-laptop");
    admin.login(ADMIN, PASSWORD).await.expect("admin login");
    let code_of = |r: Result<(), CoreError>| r.expect_err("refused").to_api_error().code;
    assert_eq!(code_of(admin.admin_mfa_reset(ASN, "   ").await), "account.reason_required");
    assert_eq!(code_of(admin.admin_mfa_reset(ASN, &"x".repeat(1_001)).await), "account.reason_required");
    assert_eq!(code_of(admin.admin_mfa_reset(ADMIN, "Ponsel hilang").await), "mfa.self_reset");
    assert_eq!(code_of(admin.admin_mfa_reset("199912312020121001", "Ponsel hilang").await), "account.not_found");
    assert_eq!(code_of(admin.admin_mfa_reset(VERIFIKATOR, "Ponsel hilang").await), "mfa.not_enabled");
    let not_admin = bench.core("verifikator-laptop");
    not_admin.login(VERIFIKATOR, PASSWORD).await.expect("login");
    assert_eq!(code_of(not_admin.admin_mfa_reset(ASN, "coba").await), "admin.not_admin");

    // The reset: the ASN's sessions end, and the password alone logs in again.
    admin.admin_mfa_reset(ASN, "  Ponsel hilang, kode pemulihan tidak ada  ").await.expect("reset");
    assert_eq!(code_of(admin.admin_mfa_reset(ASN, "lagi").await), "mfa.not_enabled");
    let err = phone.sync_now().await.expect_err("the phone's session ended");
    assert!(err.needs_login(), "{err:?}");
    phone.login(ASN, PASSWORD).await.expect("the password alone");
    assert!(!phone.mfa_status().await.expect("status").enabled);
    let audit = admin.audit_agency(None, None).await.expect("audit");
    let entry = audit.iter().find(|e| e.action == "account.mfa_reset").expect("audited");
    assert_eq!(entry.reason.as_deref(), Some("Ponsel hilang, kode pemulihan tidak ada"));
    bench.finish().await;
}
