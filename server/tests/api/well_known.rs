//! The app-link association files: `/.well-known/assetlinks.json` (Android App Links) and
//! `/.well-known/apple-app-site-association` (iOS universal links) from the configuration, 404 without it.

use reqwest::header::CONTENT_TYPE;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::Ctx;

crate::backend_tests!(the_association_files_follow_the_configuration);

const CERT: &str = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5";

async fn fetch(ctx: &Ctx, path: &str) -> (StatusCode, Option<String>, Value) {
    let resp = ctx.http.get(ctx.url(path)).send().await.expect("request");
    let status = resp.status();
    let kind = resp.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = resp.json::<Value>().await.unwrap_or(Value::Null);
    (status, kind, body)
}

async fn the_association_files_follow_the_configuration(ctx: Ctx) {
    // Not configured (the default): no association, the error answer of an unknown route.
    for path in ["/.well-known/assetlinks.json", "/.well-known/apple-app-site-association"] {
        let (status, _, body) = fetch(&ctx, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_eq!(body["code"], "not_found", "{path}");
    }

    // Configured as the CLI reads the environment (lower-case fingerprint, blanks and empty entries).
    let links = mysapk_server::config::AppLinks::from_lists(
        "",
        &format!(" {} ,, ", CERT.to_ascii_lowercase()),
        "ABCDE12345.id.mysapk.app, FGHIJ67890.id.agency.app",
    );
    let (_server, other) = ctx.second_server(move |c| c.app_links = links).await;
    let (status, kind, body) = fetch(&other, "/.well-known/assetlinks.json").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(kind.as_deref().is_some_and(|k| k.starts_with("application/json")), "{kind:?}");
    assert_eq!(
        body,
        json!([{
            "relation": ["delegate_permission/common.handle_all_urls"],
            "target": {
                "namespace": "android_app",
                "package_name": "id.mysapk.app",
                "sha256_cert_fingerprints": [CERT],
            }
        }])
    );
    let (status, kind, body) = fetch(&other, "/.well-known/apple-app-site-association").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(kind.as_deref().is_some_and(|k| k.starts_with("application/json")), "{kind:?}");
    let details = &body["applinks"]["details"][0];
    assert_eq!(details["appIDs"], json!(["ABCDE12345.id.mysapk.app", "FGHIJ67890.id.agency.app"]));
    assert_eq!(details["components"][0]["/"], "/api/v1/verify/*");

    // One platform only: the other stays 404; another package name is served as given.
    let android_only = mysapk_server::config::AppLinks::from_lists("id.agency.app", CERT, "");
    let (_third, only) = ctx.second_server(move |c| c.app_links = android_only).await;
    let (status, _, body) = fetch(&only, "/.well-known/assetlinks.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body[0]["target"]["package_name"], "id.agency.app");
    let (status, _, _) = fetch(&only, "/.well-known/apple-app-site-association").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
