use reqwest::StatusCode;
use serde_json::json;

use crate::backend_tests;
use crate::support::{Ctx, BUDI};

backend_tests!(oversized_body, bad_json, health_and_openapi, pull_is_gzipped);

async fn oversized_body(ctx: Ctx) {
    let big = "x".repeat(2 * 1024 * 1024);
    let (status, body) = ctx.post("/api/v1/auth/login", None, &json!({"nip": BUDI, "password": big})).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["code"], "request.too_large");
    let token = ctx.token(BUDI).await;
    let (status, body) =
        ctx.post("/api/v1/sync/push", Some(&token), &json!({"device_id": "d", "mutations": [], "pad": big})).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["code"], "request.too_large");
}

async fn bad_json(ctx: Ctx) {
    let req =
        ctx.http.post(ctx.url("/api/v1/auth/login")).header("content-type", "application/json").body("{\"nip\": ");
    let (status, body) = ctx.send(req, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "request.invalid_json");
    let token = ctx.token(BUDI).await;
    let (status, body) = ctx.post("/api/v1/sync/push", Some(&token), &json!({"device_id": 5})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "request.invalid_json");
}

async fn health_and_openapi(ctx: Ctx) {
    let (status, body) = ctx.get("/healthz", None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "ok"})));
    let (status, body) = ctx.get("/api/v1/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["paths"]["/api/v1/sync/push"].is_object(), "{body}");
    assert!(body["paths"]["/api/v1/review/{usulan_id}/decision"].is_object());
    let (status, body) = ctx.get("/api/v1/nothing", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
}

async fn pull_is_gzipped(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let resp = reqwest::Client::builder()
        .no_gzip()
        .build()
        .expect("client")
        .get(ctx.url("/api/v1/sync"))
        .bearer_auth(&token)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("pull");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
    // A small body (a no-change pull) is not worth compressing.
    let (cursor, _) = ctx.pull_all(&token, "").await;
    let resp = reqwest::Client::builder()
        .no_gzip()
        .build()
        .expect("client")
        .get(ctx.url("/api/v1/sync"))
        .query(&[("cursor", cursor.as_str())])
        .bearer_auth(&token)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("pull");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().get("content-encoding").is_none());
    let page: mysapk_model::sync::PullResponse = resp.json().await.expect("plain JSON");
    assert!(page.changes.is_empty());
}
