//! HTTP: the router, extractors and handlers, and the read-only SIASN-shaped facade ([`siasn`]).

mod admin_handlers;
mod asn;
mod documents;
mod error;
mod extract;
mod handlers;
mod openapi;
pub mod siasn;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use sqlx::AnyPool;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::auth::Ttls;

pub use extract::ApiJson;

/// Largest accepted request body.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// Largest accepted account import (CSV or JSON).
pub const IMPORT_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

pub struct Inner {
    pub pool: AnyPool,
    pub ttls: Ttls,
    /// What this server committed: the hook of every write transaction, read by the caches and event streams.
    pub live: Arc<crate::live::Live>,
    /// Verified access tokens.
    pub tokens: Arc<crate::auth::TokenCache>,
    /// Quiet change-log answers.
    pub feed: crate::sync::FeedCache,
    /// Document storage and its size limit.
    pub documents: crate::documents::Documents,
    /// The ASN card's signing key and token lifetime.
    pub card_key: crate::card::CardKey,
    pub card_ttl: std::time::Duration,
    /// Poll interval of the event streams.
    pub events_poll: std::time::Duration,
    /// At most a few pushes at once (see [`crate::admission`]).
    pub writes: crate::admission::WriteGate,
    /// Becomes `true` when the server stops (event streams end).
    pub closing: tokio::sync::watch::Receiver<bool>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Bodies smaller than this go out uncompressed: gzip would not make them smaller, and setting up a deflate
/// stream per response costs more CPU than a whole no-change pull (`{"cursor":…,"changes":[]}`).
pub const COMPRESS_ABOVE: u16 = 1024;

/// tower-http's default predicate (not gRPC, images or SSE) with [`COMPRESS_ABOVE`] instead of 32 bytes.
fn compress_when() -> impl Predicate {
    SizeAbove::new(COMPRESS_ABOVE)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE)
}

/// The full router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(handlers::health))
        .route("/api/v1/auth/login", post(handlers::login))
        .route("/api/v1/auth/refresh", post(handlers::refresh))
        .route("/api/v1/sync", get(handlers::pull))
        .route("/api/v1/sync/push", post(handlers::push))
        .route("/api/v1/review/queue", get(handlers::review_queue))
        .route("/api/v1/review/{usulan_id}/decision", post(handlers::decision))
        .route("/api/v1/auth/reset", post(admin_handlers::reset_password))
        .route("/api/v1/audit/me", get(admin_handlers::my_audit))
        .route("/api/v1/admin/audit", get(admin_handlers::agency_audit))
        .route("/api/v1/admin/accounts", get(admin_handlers::list_accounts).post(admin_handlers::create_account))
        .route(
            "/api/v1/admin/accounts/import",
            post(admin_handlers::import_accounts).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route("/api/v1/admin/accounts/{nip}/roles", post(admin_handlers::change_role))
        .route("/api/v1/admin/accounts/{nip}/email", post(admin_handlers::change_email))
        .route("/api/v1/admin/accounts/{nip}/lock", post(admin_handlers::lock))
        .route("/api/v1/admin/accounts/{nip}/unlock", post(admin_handlers::unlock))
        .route("/api/v1/admin/accounts/{nip}/reset-code", post(admin_handlers::reset_code))
        .route("/api/v1/admin/announcements", post(admin_handlers::announce))
        .route("/api/v1/admin/layanan", post(admin_handlers::layanan_update))
        .route("/api/v1/documents/{sha256}/status", get(documents::status))
        .route("/api/v1/documents/{sha256}", get(documents::download).patch(documents::patch))
        .route("/api/v1/card", post(asn::card_token))
        .route("/api/v1/verify/{token}", get(asn::verify_card))
        .route("/api/v1/events", get(asn::events))
        .route("/api/v1/standing", get(asn::my_standing))
        .route("/api/v1/admin/assessments", post(asn::record_assessment))
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route("/apisiasn/1.0/routes", get(siasn::routes))
        .route("/apisiasn/1.0/pns/{resource}/{nip}", get(siasn::pns))
        .fallback(handlers::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CompressionLayer::new().compress_when(compress_when()))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
