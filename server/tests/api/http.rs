use reqwest::StatusCode;
use serde_json::json;

use crate::backend_tests;
use crate::support::{Ctx, BUDI};

backend_tests!(oversized_body, bad_json, health_and_openapi, pull_is_gzipped);

async fn oversized_body(ctx: Ctx) {
    let big = "x".repeat(2 * 1024 * 1024);
    let body = json!({"nip": BUDI, "password": big}).to_string();
    let answer = post_raw(&ctx, "/api/v1/auth/login", None, body).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{}", &answer[..answer.len().min(200)]);
    assert!(answer.contains("request.too_large"), "{answer}");
    let token = ctx.token(BUDI).await;
    let body = json!({"device_id": "d", "mutations": [], "pad": big}).to_string();
    let answer = post_raw(&ctx, "/api/v1/sync/push", Some(&token), body).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{}", &answer[..answer.len().min(200)]);
    assert!(answer.contains("request.too_large"), "{answer}");
}

/// POST `body` over a raw connection and return the whole answer. The server may answer 413 and close before the
/// body is fully written; an HTTP client would then report a broken pipe instead of the answer, so the body is
/// written by its own task whose write errors are ignored while the answer is read.
async fn post_raw(ctx: &Ctx, path: &str, token: Option<&str>, body: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = ctx.base.trim_start_matches("http://").to_owned();
    let stream = tokio::net::TcpStream::connect(&addr).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let write = tokio::spawn(async move {
        let _ = writer.write_all(head.as_bytes()).await;
        let _ = writer.write_all(body.as_bytes()).await;
    });
    let mut answer = Vec::new();
    reader.read_to_end(&mut answer).await.expect("read the answer");
    write.abort();
    String::from_utf8_lossy(&answer).into_owned()
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
    assert!(body["paths"]["/api/v1/documents/{sha256}"]["patch"].is_object(), "{body}");
    assert!(body["paths"]["/api/v1/documents/{sha256}"]["get"].is_object());
    assert!(body["paths"]["/api/v1/documents/{sha256}/status"]["get"].is_object());
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
