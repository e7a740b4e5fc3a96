//! The app-link association files (`/.well-known/…`): a phone opens the card's verify link
//! (`https://<host>/api/v1/verify/<token>`) in the installed app only when the host says the app may.
//!
//! - `GET /.well-known/assetlinks.json`: Android App Links (`autoVerify`), the app's package and the SHA-256
//!   fingerprints of its signing certificates (`MYSAPK_ANDROID_CERT_SHA256`, comma-separated;
//!   `MYSAPK_ANDROID_PACKAGE`, default `id.mysapk.app`).
//! - `GET /.well-known/apple-app-site-association`: iOS universal links, the app ids (`<team id>.<bundle id>`,
//!   `MYSAPK_IOS_APP_ID`, comma-separated) and the verify path only.
//!
//! Each answers 404 `not_found` when its platform is not configured. Public: no session, nothing secret.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;

use super::AppState;
use crate::config::AppLinks;
use crate::error::ServerError;
use mysapk_model::Code;

/// The paths a phone opens in the app (the card's verify page only).
const VERIFY_PREFIX: &str = "/api/v1/verify/";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/.well-known/assetlinks.json", get(assetlinks))
        .route("/.well-known/apple-app-site-association", get(apple_app_site_association))
}

fn json_answer(value: &serde_json::Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], value.to_string()).into_response()
}

/// The Android Digital Asset Links statement, `None` when no certificate is configured.
pub fn assetlinks_json(links: &AppLinks) -> Option<serde_json::Value> {
    if links.android_cert_sha256.is_empty() {
        return None;
    }
    Some(json!([{
        "relation": ["delegate_permission/common.handle_all_urls"],
        "target": {
            "namespace": "android_app",
            "package_name": links.android_package,
            "sha256_cert_fingerprints": links.android_cert_sha256,
        }
    }]))
}

/// The Apple app site association, `None` when no app id is configured.
pub fn apple_association_json(links: &AppLinks) -> Option<serde_json::Value> {
    if links.ios_app_ids.is_empty() {
        return None;
    }
    Some(json!({
        "applinks": {
            "details": [{
                "appIDs": links.ios_app_ids,
                "components": [{ "/": format!("{VERIFY_PREFIX}*"), "comment": "The ASN card's verify link" }]
            }]
        }
    }))
}

async fn assetlinks(State(state): State<AppState>) -> Result<Response, ServerError> {
    assetlinks_json(&state.app_links).map(|v| json_answer(&v)).ok_or_else(|| ServerError::api(Code::RouteNotFound))
}

async fn apple_app_site_association(State(state): State<AppState>) -> Result<Response, ServerError> {
    apple_association_json(&state.app_links)
        .map(|v| json_answer(&v))
        .ok_or_else(|| ServerError::api(Code::RouteNotFound))
}
