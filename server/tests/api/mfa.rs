//! The second factor (TOTP, RFC 6238): enrolment and its first code, logins with a code or a recovery code, each
//! code once, the policy of who must enrol (a session that may only enrol), throttled codes, an admin's reset,
//! and the owner told of every change to how they log in.

use mysapk_model::auth::{MfaConfirmed, MfaEnrollment, MfaStatus, TokenResponse};
use mysapk_server::config::{parse_ip_nets, MfaPolicy};
use reqwest::StatusCode;
use serde_json::{json, Value};
use totp_rs::TOTP;

use crate::backend_tests;
use crate::support::{Ctx, ADMIN_A, BUDI, DEWI_B, SITI, VERIFIKATOR_A};

backend_tests!(
    enrol_confirm_and_log_in_with_codes,
    each_code_and_recovery_code_works_once,
    policy_privileged_allows_only_enrolment_until_confirmed,
    policy_all_and_none,
    wrong_codes_are_throttled_even_before_the_right_one,
    admin_reset_ends_sessions_and_is_audited,
    owner_is_told_of_reset_codes_roles_and_factor_changes,
);

const PASSWORD: &str = "demo1234";

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).expect("after 1970")
}

/// The authenticator app: reads the enrolment's QR content as a phone would.
fn app(enrolment: &MfaEnrollment) -> TOTP {
    let otp = TOTP::from_url(&enrolment.otpauth_uri).expect("otpauth URI");
    assert_eq!(otp.get_secret_base32(), enrolment.secret, "the URI carries the secret shown");
    otp
}

async fn login_with(ctx: &Ctx, nip: &str, extra: Value) -> (StatusCode, Value) {
    let mut body = json!({"nip": nip, "password": PASSWORD});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    ctx.post("/api/v1/auth/login", None, &body).await
}

fn tokens(status: StatusCode, body: Value) -> TokenResponse {
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("tokens")
}

async fn enrol(ctx: &Ctx, access: &str) -> MfaEnrollment {
    let (status, body) = ctx.post("/api/v1/auth/mfa/enroll", Some(access), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("enrolment")
}

async fn confirm(ctx: &Ctx, access: &str, code: &str) -> (StatusCode, Value) {
    ctx.post("/api/v1/auth/mfa/confirm", Some(access), &json!({"code": code})).await
}

/// Enrol `nip` with its password-only login; returns the app and the recovery codes.
async fn enrolled(ctx: &Ctx, nip: &str) -> (TOTP, Vec<String>) {
    let access = ctx.token(nip).await;
    let otp = app(&enrol(ctx, &access).await);
    let (status, body) = confirm(ctx, &access, &otp.generate(now())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let confirmed: MfaConfirmed = serde_json::from_value(body).expect("recovery codes");
    (otp, confirmed.recovery_codes)
}

async fn status(ctx: &Ctx, access: &str) -> MfaStatus {
    let (status, body) = ctx.get("/api/v1/auth/mfa", Some(access)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("status")
}

fn code_of(body: &Value) -> &str {
    body["code"].as_str().unwrap_or_default()
}

/// The account notifications of `nip`, as the events they report.
async fn account_events(ctx: &Ctx, nip: &str) -> Vec<String> {
    let mut db = ctx.db().await;
    let rows: Vec<String> = sqlx::query_scalar("SELECT data FROM notification WHERE nip = $1")
        .bind(nip)
        .fetch_all(&mut db)
        .await
        .expect("notifications");
    rows.iter()
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .filter(|n| n["kind"] == "account")
        .filter_map(|n| n["account_event"].as_str().map(str::to_owned))
        .collect()
}

async fn enrol_confirm_and_log_in_with_codes(ctx: Ctx) {
    let access = ctx.token(BUDI).await;
    assert_eq!(status(&ctx, &access).await, MfaStatus { enabled: false, required: false, recovery_codes_left: 0 });
    let enrolment = enrol(&ctx, &access).await;
    assert!(enrolment.otpauth_uri.starts_with("otpauth://totp/MySAPK:"), "{}", enrolment.otpauth_uri);
    assert!(enrolment.otpauth_uri.contains("issuer=MySAPK"));
    let otp = app(&enrolment);
    // Not on until confirmed: the password alone still logs in.
    tokens_of(login_with(&ctx, BUDI, json!({})).await);

    let (status_code, body) = confirm(&ctx, &access, "000000").await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::BAD_REQUEST, "mfa.code_invalid"), "{body}");
    assert_eq!(body["field"], "code");
    let (status_code, body) = confirm(&ctx, &access, &otp.generate(now() + 300)).await;
    assert_eq!(code_of(&body), "mfa.code_invalid", "a code 5 minutes ahead: {status_code}");
    let (status_code, body) = confirm(&ctx, &access, &otp.generate(now())).await;
    assert_eq!(status_code, StatusCode::OK, "{body}");
    let confirmed: MfaConfirmed = serde_json::from_value(body).expect("codes");
    assert_eq!(confirmed.recovery_codes.len(), 10);
    assert_eq!(ctx.audit_count("account.mfa_enabled", BUDI).await, 1);
    assert_eq!(status(&ctx, &access).await, MfaStatus { enabled: true, required: false, recovery_codes_left: 10 });
    let (status_code, body) = ctx.post("/api/v1/auth/mfa/enroll", Some(&access), &json!({})).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::CONFLICT, "mfa.already_enabled"));

    // The password alone: the code is asked for; a wrong one refused; the next step's code accepted.
    let (status_code, body) = login_with(&ctx, BUDI, json!({})).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::UNAUTHORIZED, "auth.mfa_required"), "{body}");
    let (status_code, body) = login_with(&ctx, BUDI, json!({"totp": "123456"})).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::UNAUTHORIZED, "auth.mfa_invalid"), "{body}");
    let (status_code, body) =
        login_with(&ctx, BUDI, json!({"password": "wrong-password!", "totp": otp.generate(now() + 30)})).await;
    assert_eq!(code_of(&body), "auth.invalid_credentials", "the password first: {status_code}");
    let t = tokens_of(login_with(&ctx, BUDI, json!({"totp": otp.generate(now() + 30)})).await);
    assert!(!t.mfa_enrollment_required);
    let (status_code, _) = ctx.get("/api/v1/sync", Some(&t.access_token)).await;
    assert_eq!(status_code, StatusCode::OK);
}

fn tokens_of((status, body): (StatusCode, Value)) -> TokenResponse {
    tokens(status, body)
}

async fn each_code_and_recovery_code_works_once(ctx: Ctx) {
    let (otp, recovery) = enrolled(&ctx, BUDI).await;
    // The confirmation spent the current step: its code, and any earlier one, never work again.
    let (_, body) = login_with(&ctx, BUDI, json!({"totp": otp.generate(now())})).await;
    assert_eq!(code_of(&body), "auth.mfa_invalid", "the confirming code again: {body}");
    tokens_of(login_with(&ctx, BUDI, json!({"totp": otp.generate(now() + 30)})).await);
    let (_, body) = login_with(&ctx, BUDI, json!({"totp": otp.generate(now() + 30)})).await;
    assert_eq!(code_of(&body), "auth.mfa_invalid", "a code twice: {body}");
    let (_, body) = login_with(&ctx, BUDI, json!({"totp": otp.generate(now() + 90)})).await;
    assert_eq!(code_of(&body), "auth.mfa_invalid", "two steps ahead: {body}");

    // A recovery code, typed loosely, logs in once.
    let loose = recovery[3].to_lowercase().replace('-', " ");
    let t = tokens_of(login_with(&ctx, BUDI, json!({"recovery_code": loose})).await);
    assert_eq!(status(&ctx, &t.access_token).await.recovery_codes_left, 9);
    let (_, body) = login_with(&ctx, BUDI, json!({"recovery_code": recovery[3]})).await;
    assert_eq!(code_of(&body), "auth.mfa_invalid", "a used recovery code: {body}");
    let (_, body) = login_with(&ctx, BUDI, json!({"recovery_code": "ABCD-EFGH"})).await;
    assert_eq!(code_of(&body), "auth.mfa_invalid");
    // Another account's recovery code is not this one's.
    let (_, siti_codes) = enrolled(&ctx, SITI).await;
    let (_, body) = login_with(&ctx, BUDI, json!({"recovery_code": siti_codes[0]})).await;
    assert_eq!(code_of(&body), "auth.mfa_invalid");
}

async fn policy_privileged_allows_only_enrolment_until_confirmed(ctx: Ctx) {
    let (_server, ctx) = ctx.second_server(|c| c.mfa_required = MfaPolicy::Privileged).await;
    // An ASN without a reviewer or admin role is not asked.
    let budi = tokens_of(login_with(&ctx, BUDI, json!({})).await);
    assert!(!budi.mfa_enrollment_required);

    let t = tokens_of(login_with(&ctx, VERIFIKATOR_A, json!({})).await);
    assert!(t.mfa_enrollment_required);
    let access = t.access_token.as_str();
    for path in ["/api/v1/sync", "/api/v1/review/queue", "/api/v1/auth/sessions", "/api/v1/events", "/api/v1/audit/me"]
    {
        let (status_code, body) = ctx.get(path, Some(access)).await;
        assert_eq!(
            (status_code, code_of(&body)),
            (StatusCode::FORBIDDEN, "auth.mfa_enrollment_required"),
            "{path}: {body}"
        );
    }
    let (status_code, body) =
        ctx.post("/api/v1/sync/push", Some(access), &json!({"device_id": "d", "mutations": []})).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::FORBIDDEN, "auth.mfa_enrollment_required"), "{body}");
    // A refresh keeps the restriction.
    let (status_code, body) = ctx.post("/api/v1/auth/refresh", None, &json!({"refresh_token": t.refresh_token})).await;
    let refreshed = tokens(status_code, body);
    assert!(refreshed.mfa_enrollment_required);
    let access = refreshed.access_token.as_str();
    let (status_code, _) = ctx.get("/api/v1/sync", Some(access)).await;
    assert_eq!(status_code, StatusCode::FORBIDDEN);
    // What the session may do: name the device, see and enrol its factor.
    let named = ctx.http.patch(ctx.url("/api/v1/auth/sessions/current")).json(&json!({"device_name": "Laptop"}));
    assert_eq!(ctx.send(named, Some(access)).await.0, StatusCode::NO_CONTENT);
    assert_eq!(status(&ctx, access).await, MfaStatus { enabled: false, required: true, recovery_codes_left: 0 });
    let otp = app(&enrol(&ctx, access).await);
    let (status_code, body) = confirm(&ctx, access, &otp.generate(now())).await;
    assert_eq!(status_code, StatusCode::OK, "{body}");
    // The same session is a full one now.
    let (status_code, body) = ctx.get("/api/v1/review/queue", Some(access)).await;
    assert_eq!(status_code, StatusCode::OK, "{body}");
    // The next login needs the code, and is then a full session.
    let (_, body) = login_with(&ctx, VERIFIKATOR_A, json!({})).await;
    assert_eq!(code_of(&body), "auth.mfa_required");
    let t = tokens_of(login_with(&ctx, VERIFIKATOR_A, json!({"totp": otp.generate(now() + 30)})).await);
    assert!(!t.mfa_enrollment_required);
    // Logging out works from an enrolment-only session too.
    let admin = tokens_of(login_with(&ctx, ADMIN_A, json!({})).await);
    assert!(admin.mfa_enrollment_required);
    let (status_code, body) = ctx
        .post("/api/v1/auth/logout", Some(&admin.access_token), &json!({"refresh_token": admin.refresh_token}))
        .await;
    assert_eq!(status_code, StatusCode::NO_CONTENT, "{body}");
}

async fn policy_all_and_none(ctx: Ctx) {
    let (_all, all) = ctx.second_server(|c| c.mfa_required = MfaPolicy::All).await;
    let t = tokens_of(login_with(&all, BUDI, json!({})).await);
    assert!(t.mfa_enrollment_required, "every account under `all`");
    let (status_code, _) = all.get("/api/v1/sync", Some(&t.access_token)).await;
    assert_eq!(status_code, StatusCode::FORBIDDEN);
    // Under `none` (this test's first server) nobody is asked, and a voluntary factor still counts.
    let t = tokens_of(login_with(&ctx, ADMIN_A, json!({})).await);
    assert!(!t.mfa_enrollment_required);
    let (otp, _) = enrolled(&ctx, DEWI_B).await;
    let (_, body) = login_with(&ctx, DEWI_B, json!({})).await;
    assert_eq!(code_of(&body), "auth.mfa_required");
    tokens_of(login_with(&ctx, DEWI_B, json!({"totp": otp.generate(now() + 30)})).await);
}

/// A request that a trusted proxy forwarded from `client`.
fn from(ctx: &Ctx, path: &str, client: &str, body: &Value) -> reqwest::RequestBuilder {
    ctx.http.post(ctx.url(path)).header("x-forwarded-for", client).json(body)
}

async fn wrong_codes_are_throttled_even_before_the_right_one(ctx: Ctx) {
    let (otp, _) = enrolled(&ctx, BUDI).await;
    let (_short, ctx) = ctx
        .second_server(|c| {
            c.throttle.max_failures = 3;
            c.trusted_proxies = parse_ip_nets("127.0.0.1").expect("nets");
        })
        .await;
    let login = |client: &str, totp: String| {
        from(&ctx, "/api/v1/auth/login", client, &json!({"nip": BUDI, "password": PASSWORD, "totp": totp}))
    };
    for _ in 0..3 {
        let (_, body) = ctx.send(login("10.0.0.1", "000000".into()), None).await;
        assert_eq!(code_of(&body), "auth.mfa_invalid", "{body}");
    }
    let (status_code, body) = ctx.send(login("10.0.0.1", otp.generate(now() + 30)), None).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::TOO_MANY_REQUESTS, "auth.throttled"), "{body}");
    assert!(body["retry_after_secs"].as_u64().is_some_and(|s| s > 0), "{body}");
    // The NIP is blocked from any address.
    let (status_code, body) = ctx.send(login("10.0.0.2", otp.generate(now() + 30)), None).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::TOO_MANY_REQUESTS, "auth.throttled"), "{body}");

    // Confirming an enrolment is counted the same way.
    let siti = ctx.token(SITI).await;
    enrol(&ctx, &siti).await;
    let confirm_from = || from(&ctx, "/api/v1/auth/mfa/confirm", "10.0.0.3", &json!({"code": "000000"}));
    for _ in 0..3 {
        let (_, body) = ctx.send(confirm_from(), Some(&siti)).await;
        assert_eq!(code_of(&body), "mfa.code_invalid", "{body}");
    }
    let (status_code, body) = ctx.send(confirm_from(), Some(&siti)).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::TOO_MANY_REQUESTS, "auth.throttled"), "{body}");
}

async fn admin_reset_ends_sessions_and_is_audited(ctx: Ctx) {
    let (otp, _) = enrolled(&ctx, BUDI).await;
    let budi = tokens_of(login_with(&ctx, BUDI, json!({"totp": otp.generate(now() + 30)})).await);
    let admin = ctx.token(ADMIN_A).await;
    let reset = |nip: &str| format!("/api/v1/admin/accounts/{nip}/mfa-reset");

    let (status_code, body) = ctx.post(&reset(BUDI), Some(&budi.access_token), &json!({"reason": "x"})).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::FORBIDDEN, "admin.not_admin"), "{body}");
    let (status_code, body) = ctx.post(&reset(BUDI), Some(&admin), &json!({"reason": "  "})).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::BAD_REQUEST, "account.reason_required"), "{body}");
    let (status_code, body) = ctx.post(&reset(ADMIN_A), Some(&admin), &json!({"reason": "mine"})).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::FORBIDDEN, "mfa.self_reset"), "{body}");
    let (status_code, body) = ctx.post(&reset(DEWI_B), Some(&admin), &json!({"reason": "other agency"})).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::NOT_FOUND, "account.not_found"), "{body}");
    let (status_code, body) = ctx.post(&reset(SITI), Some(&admin), &json!({"reason": "none to reset"})).await;
    assert_eq!((status_code, code_of(&body)), (StatusCode::CONFLICT, "mfa.not_enabled"), "{body}");

    let (status_code, body) = ctx.post(&reset(BUDI), Some(&admin), &json!({"reason": "HP hilang, tiket 42"})).await;
    assert_eq!(status_code, StatusCode::NO_CONTENT, "{body}");
    let (status_code, _) = ctx.get("/api/v1/sync", Some(&budi.access_token)).await;
    assert_eq!(status_code, StatusCode::UNAUTHORIZED, "the lost phone's session ended");
    assert_eq!(ctx.audit_count("account.mfa_reset", BUDI).await, 1);
    let mut db = ctx.db().await;
    let reason: Option<String> =
        sqlx::query_scalar("SELECT reason FROM audit_log WHERE action = 'account.mfa_reset' AND entity_id = $1")
            .bind(BUDI)
            .fetch_one(&mut db)
            .await
            .expect("reason");
    assert_eq!(reason.as_deref(), Some("HP hilang, tiket 42"));
    // The password alone logs in again, and the owner may enrol anew.
    let t = tokens_of(login_with(&ctx, BUDI, json!({})).await);
    enrol(&ctx, &t.access_token).await;
}

async fn owner_is_told_of_reset_codes_roles_and_factor_changes(ctx: Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let (status_code, body) =
        ctx.post(&format!("/api/v1/admin/accounts/{SITI}/reset-code"), Some(&admin), &json!({})).await;
    assert_eq!(status_code, StatusCode::OK, "{body}");
    let (status_code, body) = ctx
        .post(
            &format!("/api/v1/admin/accounts/{SITI}/roles"),
            Some(&admin),
            &json!({"role": "verifikator", "grant": true}),
        )
        .await;
    assert_eq!(status_code, StatusCode::OK, "{body}");
    enrolled(&ctx, SITI).await;
    let (status_code, body) = ctx
        .post(&format!("/api/v1/admin/accounts/{SITI}/mfa-reset"), Some(&admin), &json!({"reason": "HP baru"}))
        .await;
    assert_eq!(status_code, StatusCode::NO_CONTENT, "{body}");
    let mut events = account_events(&ctx, SITI).await;
    events.sort();
    assert_eq!(events, ["mfa_enabled", "mfa_reset", "reset_code_issued", "roles_changed"]);
    // The owner's device receives them through the ordinary pull.
    let siti = ctx.token(SITI).await;
    let (_, changes) = ctx.pull_all(&siti, "0").await;
    let pulled =
        changes.iter().filter(|c| serde_json::to_string(c).is_ok_and(|s| s.contains("\"account_event\""))).count();
    assert_eq!(pulled, 4, "every account notification reaches the device");
}
