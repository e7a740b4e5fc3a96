//! The router and the state every handler shares.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use mysapk_model::siasn::write::WriteEndpoint;
use serde_json::json;

use crate::auth::{self, Tokens};
use crate::config::SimConfig;
use crate::store::Store;
use crate::{gateway, saves, uploads, API_BASE};

pub(crate) struct SharedState {
    pub config: SimConfig,
    /// `http://127.0.0.1:<port>`.
    pub origin: String,
    pub tokens: Mutex<Tokens>,
    pub store: Mutex<Store>,
    /// The last accepted API call of each integrator (APIM consumer key).
    pub throttle: Mutex<HashMap<String, Instant>>,
}

pub(crate) type Shared = Arc<SharedState>;

/// Locks `mutex`; a handler that panicked mid-update leaves plain data behind, which stays usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// SIASN's "not found": HTTP 404 `{"code": 0, "data": "Data tidak ditemukan"}` (ws-siasn-php
/// `src/Resources/HttpClient.php` `isNotFoundDataException`; rumahASN `rw-keluarga.controller.js`).
pub(crate) fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "code": 0, "data": "Data tidak ditemukan" }))).into_response()
}

/// Uploads larger than this are refused by the body limit.
const UPLOAD_LIMIT: usize = 16 * 1024 * 1024;

pub(crate) fn router(shared: Shared) -> Router {
    let mut api = Router::new();
    for endpoint in WriteEndpoint::ALL {
        api = api.route(
            &format!("{API_BASE}{}", endpoint.path()),
            post(move |state: axum::extract::State<Shared>, body: axum::body::Bytes| {
                saves::save(state.0, endpoint, body)
            }),
        );
    }
    let api = crate::reads::routes(api)
        .route(&format!("{API_BASE}/upload-dok"), post(uploads::upload_dok))
        .route(&format!("{API_BASE}/upload-dok-rw"), post(uploads::upload_dok_rw))
        .route(&format!("{API_BASE}/download-dok"), get(uploads::download_dok))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .route_layer(middleware::from_fn_with_state(shared.clone(), gateway::gateway));
    crate::reads::sim_routes(Router::new())
        .route(auth::APIM_TOKEN_PATH, post(auth::apim_token))
        .route(auth::SSO_TOKEN_PATH, post(auth::sso_token))
        .merge(api)
        .fallback(gateway::no_resource)
        .layer(middleware::from_fn_with_state(shared.clone(), gateway::log))
        .with_state(shared)
}
