//! Sessions: refresh-token families with reuse detection, logout, lifetimes, and "my devices".

use std::time::Duration;

use mysapk_model::auth::{SessionInfo, TokenResponse};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::backend_tests;
use crate::support::{start, Ctx, BUDI, VERIFIKATOR_A};

backend_tests!(
    reused_rotated_token_ends_the_family,
    lost_answer_grace_only_for_the_newest_rotation,
    logout_ends_the_session_at_once,
    absolute_lifetime_is_not_extended_by_refresh,
    idle_session_ends,
    my_devices_list_and_end,
    a_device_names_its_session,
);

async fn refresh(ctx: &Ctx, token: &str) -> (StatusCode, Value) {
    ctx.post("/api/v1/auth/refresh", None, &json!({"refresh_token": token})).await
}

async fn refreshed(ctx: &Ctx, token: &str) -> TokenResponse {
    let (status, body) = refresh(ctx, token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("tokens")
}

async fn works(ctx: &Ctx, access: &str) -> bool {
    let (status, body) = ctx.get("/api/v1/sync", Some(access)).await;
    match status {
        StatusCode::OK => true,
        StatusCode::UNAUTHORIZED => false,
        other => panic!("{other}: {body}"),
    }
}

async fn sessions(ctx: &Ctx, access: &str) -> Vec<SessionInfo> {
    let (status, body) = ctx.get("/api/v1/auth/sessions", Some(access)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("sessions")
}

async fn end_session(ctx: &Ctx, access: &str, id: &str) -> (StatusCode, Value) {
    ctx.send(ctx.http.delete(ctx.url(&format!("/api/v1/auth/sessions/{id}"))), Some(access)).await
}

async fn audit_rows(ctx: &Ctx, action: &str) -> i64 {
    let mut db = ctx.db().await;
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND actor_nip = $2")
        .bind(action)
        .bind(BUDI)
        .fetch_one(&mut db)
        .await
        .expect("audit count")
}

/// A copy of a refresh token used after its successor was used: someone else holds it. The whole family ends,
/// the rightful successor and its access token included, and the theft is audited.
async fn reused_rotated_token_ends_the_family(ctx: Ctx) {
    let other = ctx.login(BUDI).await;
    let first = ctx.login(BUDI).await;
    let second = refreshed(&ctx, &first.refresh_token).await;
    let third = refreshed(&ctx, &second.refresh_token).await;
    assert!(works(&ctx, &third.access_token).await);
    assert_eq!(audit_rows(&ctx, "session.reuse_detected").await, 0);

    let (status, body) = refresh(&ctx, &first.refresh_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.invalid_refresh");
    assert!(!works(&ctx, &third.access_token).await, "the family's access token is revoked at once");
    let (status, _) = refresh(&ctx, &third.refresh_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the newest refresh token is revoked too");
    assert!(!works(&ctx, &second.access_token).await);
    assert_eq!(audit_rows(&ctx, "session.reuse_detected").await, 1);
    // Another login of the same account is another family: untouched.
    assert!(works(&ctx, &other.access_token).await);
    refreshed(&ctx, &other.refresh_token).await;
    // Reusing the successor too (also a copy) is refused; the family is already ended.
    let (status, _) = refresh(&ctx, &second.refresh_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The 60 s grace for a lost answer: the newest rotation may be used again while its successor is unused; once
/// the successor is used, the old token is a theft signal, and after the grace it is merely invalid.
async fn lost_answer_grace_only_for_the_newest_rotation(ctx: Ctx) {
    let first = ctx.login(BUDI).await;
    let _lost = refreshed(&ctx, &first.refresh_token).await;
    let retried = refreshed(&ctx, &first.refresh_token).await;
    assert!(works(&ctx, &retried.access_token).await);
    let next = refreshed(&ctx, &retried.refresh_token).await;
    let (status, _) = refresh(&ctx, &first.refresh_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "its successor has now been used");
    assert!(!works(&ctx, &next.access_token).await, "so the family ended");
    assert_eq!(audit_rows(&ctx, "session.reuse_detected").await, 1);

    // Without a grace: the old token is refused, but the session goes on (its successor was never used).
    let strict_server = start(&ctx.db_url, |c| c.refresh_reuse_grace = Duration::ZERO).await;
    let strict = Ctx { base: format!("http://{}", strict_server.addr()), ..ctx.clone() };
    let a = strict.login(BUDI).await;
    let b = refreshed(&strict, &a.refresh_token).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let (status, body) = refresh(&strict, &a.refresh_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.invalid_refresh");
    assert!(works(&strict, &b.access_token).await);
    refreshed(&strict, &b.refresh_token).await;
    assert_eq!(audit_rows(&ctx, "session.reuse_detected").await, 1, "no theft signal");
    strict_server.shutdown().await;
}

async fn logout_ends_the_session_at_once(ctx: Ctx) {
    let elsewhere = ctx.login(BUDI).await;
    let here = ctx.login(BUDI).await;
    assert!(works(&ctx, &here.access_token).await, "cached as valid");
    let body = json!({"refresh_token": here.refresh_token});
    let (status, _) = ctx.post("/api/v1/auth/logout", None, &body).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "logout needs the access token");
    let (status, body) = ctx.post("/api/v1/auth/logout", Some(&here.access_token), &body).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert!(!works(&ctx, &here.access_token).await, "the access token stops at once");
    let (status, body) = refresh(&ctx, &here.refresh_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.invalid_refresh");
    assert!(works(&ctx, &elsewhere.access_token).await, "another device stays logged in");
    // A refresh token of someone else's session in the body ends nothing of theirs.
    let v = ctx.login(VERIFIKATOR_A).await;
    let (status, _) = ctx
        .post("/api/v1/auth/logout", Some(&elsewhere.access_token), &json!({"refresh_token": v.refresh_token}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(works(&ctx, &v.access_token).await);
    refreshed(&ctx, &v.refresh_token).await;
    assert!(!works(&ctx, &elsewhere.access_token).await, "the caller's own session ended");
}

async fn absolute_lifetime_is_not_extended_by_refresh(ctx: Ctx) {
    let server = start(&ctx.db_url, |c| c.session_max = Duration::from_secs(2)).await;
    let short = Ctx { base: format!("http://{}", server.addr()), ..ctx.clone() };
    let t = short.login(BUDI).await;
    assert!(t.expires_in <= 2, "the access token does not outlive the session: {}", t.expires_in);
    let id = sessions(&short, &t.access_token).await[0].id.clone();
    let t = refreshed(&short, &t.refresh_token).await;
    assert!(t.expires_in <= 2);
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let (status, body) = refresh(&short, &t.refresh_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.invalid_refresh");
    let (status, body) = short.get("/api/v1/sync", Some(&t.access_token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.expired_token");
    // The next login purges the ended session and its tokens.
    short.login(BUDI).await;
    let mut db = ctx.db().await;
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id = $1")
        .bind(&id)
        .fetch_one(&mut db)
        .await
        .expect("count");
    let tokens: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tokens WHERE session_id = $1")
        .bind(&id)
        .fetch_one(&mut db)
        .await
        .expect("count");
    assert_eq!((left, tokens), (0, 0));
    server.shutdown().await;
}

async fn idle_session_ends(ctx: Ctx) {
    let server = start(&ctx.db_url, |c| c.session_idle = Duration::from_secs(2)).await;
    let idle = Ctx { base: format!("http://{}", server.addr()), ..ctx.clone() };
    // Used within the idle lifetime, a session lives on past it.
    let t = idle.login(BUDI).await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let t = refreshed(&idle, &t.refresh_token).await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let t = refreshed(&idle, &t.refresh_token).await;
    // Unused for longer, it ends.
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let (status, body) = refresh(&idle, &t.refresh_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.invalid_refresh");
    let fresh = idle.login(BUDI).await;
    assert_eq!(sessions(&idle, &fresh.access_token).await.len(), 1, "the idle session is not listed");
    server.shutdown().await;
}

async fn my_devices_list_and_end(ctx: Ctx) {
    let a = ctx.login(BUDI).await;
    let b = ctx.login(BUDI).await;
    let v = ctx.login(VERIFIKATOR_A).await;
    let mine = sessions(&ctx, &a.access_token).await;
    assert_eq!(mine.len(), 2);
    assert_eq!(mine.iter().filter(|s| s.current).count(), 1);
    let current = mine.iter().find(|s| s.current).expect("current").id.clone();
    let other = mine.iter().find(|s| !s.current).expect("other").id.clone();
    assert!(chrono::DateTime::parse_from_rfc3339(&mine[0].created_at).is_ok());
    assert!(chrono::DateTime::parse_from_rfc3339(&mine[0].last_used_at).is_ok());
    assert!(sessions(&ctx, &b.access_token).await.iter().any(|s| s.current && s.id == other));
    let (status, _) = ctx.get("/api/v1/auth/sessions", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Someone else's session, or one that does not exist: not found, and nothing ends.
    let theirs = sessions(&ctx, &v.access_token).await[0].id.clone();
    for id in [theirs.as_str(), "no-such-session"] {
        let (status, body) = end_session(&ctx, &a.access_token, id).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], "session.not_found");
    }
    assert!(works(&ctx, &v.access_token).await);

    // "Log out on the other device".
    let (status, body) = end_session(&ctx, &a.access_token, &other).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert!(!works(&ctx, &b.access_token).await);
    let (status, _) = refresh(&ctx, &b.refresh_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = end_session(&ctx, &a.access_token, &other).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "already ended");
    let left = sessions(&ctx, &a.access_token).await;
    assert_eq!(left.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), vec![current.as_str()]);
    // Ending one's own current session is a logout.
    let (status, _) = end_session(&ctx, &a.access_token, &current).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!works(&ctx, &a.access_token).await);
}

async fn name(ctx: &Ctx, access: &str, device_name: &str) {
    let req = ctx.http.patch(ctx.url("/api/v1/auth/sessions/current")).json(&json!({"device_name": device_name}));
    let (status, body) = ctx.send(req, Some(access)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

async fn a_device_names_its_session(ctx: Ctx) {
    let a = ctx.login(BUDI).await;
    let b = ctx.login(BUDI).await;
    name(&ctx, &a.access_token, "  Laptop Budi  ").await;
    let listed = sessions(&ctx, &b.access_token).await;
    let named = listed.iter().find(|s| !s.current).expect("a's session");
    assert_eq!(named.device_name.as_deref(), Some("Laptop Budi"));
    assert_eq!(listed.iter().find(|s| s.current).expect("b's").device_name, None, "only the caller's session");
    name(&ctx, &a.access_token, &"x".repeat(300)).await;
    let long = sessions(&ctx, &a.access_token).await.into_iter().find(|s| s.current).expect("a's").device_name;
    assert_eq!(long.map(|n| n.chars().count()), Some(100));
    name(&ctx, &a.access_token, "").await;
    assert_eq!(sessions(&ctx, &a.access_token).await.into_iter().find(|s| s.current).expect("a's").device_name, None);
    let (status, _) = ctx
        .send(ctx.http.patch(ctx.url("/api/v1/auth/sessions/current")).json(&json!({"device_name": "x"})), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
