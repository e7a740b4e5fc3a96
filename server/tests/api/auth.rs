use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::backend_tests;
use crate::support::{start, Ctx, BUDI, VERIFIKATOR_A};

backend_tests!(
    login_ok,
    login_wrong_password,
    login_malformed_nip,
    login_unknown_nip,
    refresh_rotation,
    expired_access_token,
    missing_and_invalid_token,
);

async fn login_ok(ctx: Ctx) {
    let t = ctx.login(BUDI).await;
    assert_eq!(t.token_type, "Bearer");
    assert_eq!(t.expires_in, 900);
    assert_eq!(t.user.nip, BUDI);
    assert_eq!(t.user.nama, "Budi Santoso, S.Kom.");
    assert_ne!(t.access_token, t.refresh_token);
    let v = ctx.login(VERIFIKATOR_A).await;
    assert!(v.user.roles.contains(&mysapk_model::usulan::Role::Verifikator));
}

async fn login_wrong_password(ctx: Ctx) {
    let (status, body) = ctx.post("/api/v1/auth/login", None, &json!({"nip": BUDI, "password": "salah"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.invalid_credentials");
    assert_eq!(body["message"], mysapk_model::Code::AuthInvalidCredentials.message_en(), "the registry's text");
}

async fn login_malformed_nip(ctx: Ctx) {
    let (status, body) = ctx.post("/api/v1/auth/login", None, &json!({"nip": "1990", "password": "x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "nip.length");
    assert_eq!(body["field"], "nip");
    let (status, body) =
        ctx.post("/api/v1/auth/login", None, &json!({"nip": "199001012015033001", "password": "x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "nip.gender");
}

async fn login_unknown_nip(ctx: Ctx) {
    let (status, body) =
        ctx.post("/api/v1/auth/login", None, &json!({"nip": "199501012020011001", "password": "demo1234"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.invalid_credentials", "the same answer as a wrong password");
}

async fn refresh_rotation(ctx: Ctx) {
    let first = ctx.login(BUDI).await;
    let (status, body) = ctx.post("/api/v1/auth/refresh", None, &json!({"refresh_token": first.refresh_token})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let second: mysapk_model::auth::TokenResponse = serde_json::from_value(body).expect("tokens");
    assert_ne!(second.refresh_token, first.refresh_token);
    // The new access token works.
    let (status, _) = ctx.get("/api/v1/sync", Some(&second.access_token)).await;
    assert_eq!(status, StatusCode::OK);
    // The old refresh token still works within the reuse window (the device may never have received the new
    // pair); outside it, it does not.
    let (status, body) = ctx.post("/api/v1/auth/refresh", None, &json!({"refresh_token": first.refresh_token})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let strict_server = start(&ctx.db_url, |c| c.refresh_reuse_grace = Duration::ZERO).await;
    let strict = Ctx { base: format!("http://{}", strict_server.addr()), ..ctx.clone() };
    let third = strict.login(BUDI).await;
    let refresh = json!({"refresh_token": third.refresh_token});
    let (status, _) = strict.post("/api/v1/auth/refresh", None, &refresh).await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(5)).await;
    let (status, body) = strict.post("/api/v1/auth/refresh", None, &refresh).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.invalid_refresh");
    strict_server.shutdown().await;
    // An access token is not a refresh token.
    let (status, _) = ctx.post("/api/v1/auth/refresh", None, &json!({"refresh_token": second.access_token})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The rotated one still works once.
    let (status, _) = ctx.post("/api/v1/auth/refresh", None, &json!({"refresh_token": second.refresh_token})).await;
    assert_eq!(status, StatusCode::OK);
}

async fn expired_access_token(ctx: Ctx) {
    let short = start(&ctx.db_url, |c| c.access_ttl = Duration::from_millis(300)).await;
    let short_ctx = Ctx { base: format!("http://{}", short.addr()), ..ctx.clone() };
    let t = short_ctx.login(BUDI).await;
    let (status, _) = short_ctx.get("/api/v1/sync", Some(&t.access_token)).await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, body) = short_ctx.get("/api/v1/sync", Some(&t.access_token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.expired_token");
    // Refresh still works and gives a live token.
    let (status, body) = short_ctx.post("/api/v1/auth/refresh", None, &json!({"refresh_token": t.refresh_token})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    short.shutdown().await;
}

async fn missing_and_invalid_token(ctx: Ctx) {
    let (status, body) = ctx.get("/api/v1/sync", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.missing_token");
    let (status, body) = ctx.get("/api/v1/sync", Some("not-a-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "auth.invalid_token");
}
