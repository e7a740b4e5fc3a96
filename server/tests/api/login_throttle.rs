//! Login answers that tell a guesser nothing, the throttle of password and reset-code guesses (per NIP and per
//! client address, shared by every server on the database), the argon2 gate, and the password policy.

use std::time::Duration;

use mysapk_model::admin::ResetCode;
use mysapk_server::config::parse_ip_nets;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::backend_tests;
use crate::support::{Ctx, ADMIN_A, APPROVER_A as APPROVER, BUDI, SITI, VERIFIKATOR_A};

backend_tests!(
    unknown_nip_not_activated_and_wrong_password_answer_alike,
    locked_is_told_only_after_the_right_password,
    eleventh_failure_is_throttled_even_for_the_right_password,
    success_resets_the_nip_counter,
    blocks_grow_after_a_block,
    reset_codes_are_throttled_and_checked_before_hashing,
    forwarded_for_counts_only_from_a_trusted_proxy,
    two_servers_share_the_counters,
    weak_passwords_are_refused_with_their_codes,
);

const UNKNOWN: &str = "199501012020011001";

async fn login(ctx: &Ctx, nip: &str, password: &str, forwarded_for: Option<&str>) -> (StatusCode, Value, Option<u64>) {
    let mut req = ctx.http.post(ctx.url("/api/v1/auth/login")).json(&json!({"nip": nip, "password": password}));
    if let Some(xff) = forwarded_for {
        req = req.header("x-forwarded-for", xff);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status();
    let retry_after = resp.headers().get("retry-after").map(|v| v.to_str().expect("ascii").parse().expect("seconds"));
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, body, retry_after)
}

async fn fail_times(ctx: &Ctx, nip: &str, n: usize, forwarded_for: Option<&str>) {
    for i in 0..n {
        let (status, body, _) = login(ctx, nip, &format!("tebakan-{i}"), forwarded_for).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("auth.invalid_credentials")),
            "#{i}"
        );
    }
}

fn assert_throttled(answer: (StatusCode, Value, Option<u64>), at_most_secs: u64) {
    let (status, body, retry_after) = answer;
    assert_eq!((status, body["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("auth.throttled")), "{body}");
    let wait = retry_after.expect("Retry-After");
    assert!((1..=at_most_secs).contains(&wait), "{wait}");
}

async fn issue_code(ctx: &Ctx, nip: &str) -> ResetCode {
    let admin = ctx.token(ADMIN_A).await;
    let (status, body) = ctx.post(&format!("/api/v1/admin/accounts/{nip}/reset-code"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("code")
}

async fn unknown_nip_not_activated_and_wrong_password_answer_alike(ctx: Ctx) {
    let mut db = ctx.db().await;
    sqlx::query("UPDATE users SET password_hash = '' WHERE nip = $1").bind(SITI).execute(&mut db).await.expect("unset");
    let mut answers = Vec::new();
    for (nip, password) in [(UNKNOWN, "demo1234"), (BUDI, "salah"), (SITI, "demo1234"), (SITI, "")] {
        let (status, body, _) = login(&ctx, nip, password, None).await;
        answers.push((status, body));
    }
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["code"], "auth.invalid_credentials");
        assert_eq!(body["message"], mysapk_model::Code::AuthInvalidCredentials.message_en(), "the registry's text");
        assert_eq!(body, &answers[0].1, "the same body, word for word");
    }
    // A not-activated account still activates with its code.
    let code = issue_code(&ctx, SITI).await;
    let reset = json!({"nip": SITI, "code": code.code, "new_password": "kuda-lari-di-sawah"});
    let (status, body) = ctx.post("/api/v1/auth/reset", None, &reset).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body, _) = login(&ctx, SITI, "kuda-lari-di-sawah", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn locked_is_told_only_after_the_right_password(ctx: Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let reason = "Pindah tugas ke instansi lain";
    let (status, _) =
        ctx.post(&format!("/api/v1/admin/accounts/{BUDI}/lock"), Some(&admin), &json!({"reason": reason})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body, _) = login(&ctx, BUDI, "salah-sekali", None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("auth.invalid_credentials")));
    let (status, body, _) = login(&ctx, BUDI, "demo1234", None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("auth.locked")));
    assert_eq!(body["message"], reason, "the admin's reason");
}

async fn eleventh_failure_is_throttled_even_for_the_right_password(ctx: Ctx) {
    fail_times(&ctx, VERIFIKATOR_A, 10, None).await;
    assert_throttled(login(&ctx, VERIFIKATOR_A, "demo1234", None).await, 60);
    assert_throttled(login(&ctx, VERIFIKATOR_A, "salah", None).await, 60);
    assert_eq!(ctx.audit_count("auth.throttle_block", VERIFIKATOR_A).await, 1, "the block is audited once");
    assert_eq!(ctx.audit_count("auth.throttle_block", "127.0.0.1").await, 1, "so is the address's");
    // The address is blocked too: another account from it waits as well.
    assert_throttled(login(&ctx, BUDI, "demo1234", None).await, 60);
    // An unknown NIP is counted and blocked the same way (a block says nothing about the account).
    let (proxied, behind) = ctx.second_server(|c| c.trusted_proxies = parse_ip_nets("127.0.0.1").expect("nets")).await;
    for i in 0..10 {
        login(&behind, UNKNOWN, "x", Some(&format!("198.51.100.{i}"))).await;
    }
    assert_throttled(login(&behind, UNKNOWN, "x", Some("198.51.100.50")).await, 60);
    proxied.shutdown().await;
}

async fn success_resets_the_nip_counter(ctx: Ctx) {
    // Behind a trusted proxy, each attempt from its own address: only the NIP's counter counts here.
    let (proxied, ctx) = ctx.second_server(|c| c.trusted_proxies = parse_ip_nets("127.0.0.1").expect("nets")).await;
    for round in 0..2 {
        for i in 0..9 {
            let xff = format!("198.51.100.{}", round * 10 + i);
            let (status, _, _) = login(&ctx, BUDI, "salah-sekali", Some(&xff)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        let (status, body, _) = login(&ctx, BUDI, "demo1234", Some("198.51.100.99")).await;
        assert_eq!(status, StatusCode::OK, "round {round}: {body}");
    }
    // Ten failures in a row do block.
    for i in 0..10 {
        login(&ctx, BUDI, "salah-sekali", Some(&format!("198.51.100.{}", 100 + i))).await;
    }
    assert_throttled(login(&ctx, BUDI, "demo1234", Some("198.51.100.200")).await, 60);
    proxied.shutdown().await;
}

async fn blocks_grow_after_a_block(ctx: Ctx) {
    let (short, ctx) = ctx
        .second_server(|c| {
            c.throttle.max_failures = 3;
            c.throttle.first_block = Duration::from_millis(300);
            c.throttle.max_block = Duration::from_secs(5);
        })
        .await;
    fail_times(&ctx, BUDI, 3, None).await;
    assert_throttled(login(&ctx, BUDI, "demo1234", None).await, 1);
    let blocks = || async {
        let mut db = ctx.db().await;
        let row: (i64, i64) = sqlx::query_as(
            "SELECT blocks, blocked_until FROM login_throttle WHERE scope = 'login.nip' AND subject = $1",
        )
        .bind(BUDI)
        .fetch_one(&mut db)
        .await
        .expect("row");
        row
    };
    let (first, first_until) = blocks().await;
    assert_eq!(first, 1);
    // After the block, one more failure blocks again, twice as long.
    while mysapk_server::auth::now_millis() <= first_until {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    fail_times(&ctx, BUDI, 1, None).await;
    let (second, second_until) = blocks().await;
    assert_eq!(second, 2);
    assert!(second_until - first_until >= 600, "{}", second_until - first_until);
    assert_throttled(login(&ctx, BUDI, "demo1234", None).await, 1);
    short.shutdown().await;
}

async fn reset_codes_are_throttled_and_checked_before_hashing(ctx: Ctx) {
    let code = issue_code(&ctx, BUDI).await;
    // A server whose argon2 gate never opens: whatever it answers was answered without hashing.
    let (no_argon2, closed) = ctx.second_server(|c| c.argon2_permits = 0).await;
    let wrong = |i: usize| json!({"nip": BUDI, "code": format!("WRONG{i:03}"), "new_password": "kuda-lari-di-sawah"});
    for i in 0..10 {
        let (status, body) = closed.post("/api/v1/auth/reset", None, &wrong(i)).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("auth.reset_invalid")), "#{i}");
    }
    let right = json!({"nip": BUDI, "code": code.code, "new_password": "kuda-lari-di-sawah"});
    let resp = ctx.http.post(ctx.url("/api/v1/auth/reset")).json(&right).send().await.expect("reset");
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "even the right code while blocked");
    assert!(resp.headers().contains_key("retry-after"));
    // A blocked login is answered without hashing too.
    fail_times(&ctx, VERIFIKATOR_A, 10, Some("ignored")).await;
    assert_throttled(login(&closed, VERIFIKATOR_A, "demo1234", None).await, 60);
    no_argon2.shutdown().await;
}

async fn forwarded_for_counts_only_from_a_trusted_proxy(ctx: Ctx) {
    // Not a trusted proxy: a made-up X-Forwarded-For does not dodge the address's counter.
    for i in 0..10 {
        let (status, _, _) = login(&ctx, &format!("19950101202001100{i}"), "x", Some(&format!("203.0.113.{i}"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_throttled(login(&ctx, BUDI, "demo1234", Some("203.0.113.77")).await, 60);
    // Behind a trusted proxy, the forwarded client is counted: one client's failures block that client only,
    // and what the client itself wrote to the left of the header is not believed.
    let (proxied, behind) =
        ctx.second_server(|c| c.trusted_proxies = parse_ip_nets("127.0.0.0/8").expect("nets")).await;
    for i in 0..10 {
        let xff = format!("10.9.9.{i}, 198.51.100.1");
        let (status, _, _) = login(&behind, &format!("19950101202001101{i}"), "x", Some(&xff)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_throttled(login(&behind, SITI, "demo1234", Some("1.1.1.1, 198.51.100.1")).await, 60);
    let (status, body, _) = login(&behind, SITI, "demo1234", Some("198.51.100.2")).await;
    assert_eq!(status, StatusCode::OK, "another client behind the proxy: {body}");
    proxied.shutdown().await;
}

async fn two_servers_share_the_counters(ctx: Ctx) {
    let (second, other) = ctx.second_server(|_| {}).await;
    fail_times(&ctx, APPROVER, 5, None).await;
    fail_times(&other, APPROVER, 5, None).await;
    assert_throttled(login(&ctx, APPROVER, "demo1234", None).await, 60);
    assert_throttled(login(&other, APPROVER, "demo1234", None).await, 60);
    second.shutdown().await;
}

async fn weak_passwords_are_refused_with_their_codes(ctx: Ctx) {
    let code = issue_code(&ctx, BUDI).await;
    let reset = |pw: &str| json!({"nip": BUDI, "code": code.code, "new_password": pw});
    for (password, expected) in [
        ("demo1234", "password.too_short"),
        ("sebelas-kar", "password.too_short"),
        (&format!("nip{BUDI}") as &str, "password.contains_nip"),
        ("Bismillah123", "password.common"),
        ("QWERTYUIOP1234", "password.common"),
        ("indonesiaraya45", "password.common"),
    ] {
        let (status, body) = ctx.post("/api/v1/auth/reset", None, &reset(password)).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some(expected)), "{password}");
        assert_eq!(body["field"], "new_password");
    }
    // A refused password uses up nothing: the code still works.
    let (status, body) = ctx.post("/api/v1/auth/reset", None, &reset("kuda-lari-di-sawah")).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body, _) = login(&ctx, BUDI, "kuda-lari-di-sawah", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
