//! HTTP: one router per resource with its handlers beside it (auth, sync, review, admin, documents, the ASN's
//! own routes, the read-only SIASN-shaped facade [`siasn`], meta), the extractors, and the error answer.

mod admin;
mod asn;
mod auth;
mod card_page;
mod documents;
mod error;
mod extract;
mod headers;
mod limits;
mod logging;
mod meta;
mod openapi;
mod review;
pub mod serve;
mod sessions;
pub mod siasn;
mod sync;
mod well_known;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
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
    /// The login and reset-code throttle.
    pub throttle: crate::auth::Throttle,
    /// Whose accounts must have a second factor.
    pub mfa_policy: crate::config::MfaPolicy,
    /// What this server committed: the hook of every write transaction, read by the caches and event streams.
    pub live: Arc<crate::live::Live>,
    /// Verified access tokens.
    pub tokens: Arc<crate::auth::TokenCache>,
    /// Quiet change-log answers.
    pub feed: crate::sync::FeedCache,
    /// Document storage and its size limit.
    pub documents: crate::documents::Documents,
    /// The ASN card's keys (and token lifetime).
    pub card_keys: crate::card::CardKeys,
    /// Poll interval of the event streams.
    pub events_poll: std::time::Duration,
    /// At most a few pushes at once (see [`crate::admission`]).
    pub writes: crate::admission::WriteGate,
    /// Becomes `true` when the server stops (event streams end).
    pub closing: tokio::sync::watch::Receiver<bool>,
    /// The request time limit and the open event streams per user.
    pub limits: crate::config::HttpLimits,
    /// Open event streams per user.
    pub user_streams: Arc<crate::events::UserStreams>,
    /// This server's metrics (a recorder only with `MYSAPK_METRICS_ADDR`).
    pub metrics: crate::metrics::Metrics,
    /// The apps the card's verify link may open (`/.well-known/…`).
    pub app_links: crate::config::AppLinks,
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

/// The full router: one small router per resource, merged.
pub fn router(state: AppState) -> Router {
    let request_timeout = state.limits.request_timeout;
    let routes = Router::new()
        .merge(meta::router())
        .merge(auth::router())
        .merge(sessions::router())
        .merge(sync::router())
        .merge(review::router())
        .merge(admin::router())
        .merge(documents::router())
        .merge(asn::router())
        .merge(siasn::router())
        .merge(well_known::router())
        .fallback(meta::not_found)
        .layer(axum::middleware::from_fn_with_state(request_timeout, limits::time_limit))
        .layer(axum::middleware::from_fn(limits::no_control_chars))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CompressionLayer::new().compress_when(compress_when()))
        .layer(TraceLayer::new_for_http().make_span_with(logging::request_span))
        // Outside the trace layer: the request id is in its span; the metrics count every answer.
        .layer(axum::middleware::from_fn_with_state(state.clone(), logging::observe));
    headers::secure(routes).with_state(state)
}
