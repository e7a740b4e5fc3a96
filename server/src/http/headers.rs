//! Security headers on every answer, whatever route, error or fallback produced it.
//!
//! - `X-Content-Type-Options: nosniff`: a browser never guesses a type other than the declared one (an uploaded
//!   document is never run as HTML or script).
//! - `Referrer-Policy: no-referrer`: a card token or another path never leaks to a site linked from a page.
//! - `X-Frame-Options: DENY` and `frame-ancestors 'none'`: no page of the server inside another site's frame.
//! - `Content-Security-Policy: default-src 'none'`: JSON loads nothing; the one HTML page (the card check) sets
//!   its own, still without scripts.
//! - `Cache-Control: no-store` unless the handler set its own: almost every answer carries personal data (the
//!   feed, records, documents, the card check), so nothing is kept by a browser or a shared cache. Only
//!   public, non-personal answers opt out (the card's public keys).

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy of every answer that does not set a stricter or more specific one: load nothing, frame nowhere.
pub const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// `router` with the security headers on every answer.
pub fn secure<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(SetResponseHeaderLayer::if_not_present(CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::if_not_present(CONTENT_SECURITY_POLICY, HeaderValue::from_static(DEFAULT_CSP)))
        .layer(SetResponseHeaderLayer::overriding(X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}
