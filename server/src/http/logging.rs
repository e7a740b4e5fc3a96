//! Every request is observed: a request id, the request span that carries it, and the request's metrics.
//!
//! - The request id: a trusted proxy's (`MYSAPK_TRUSTED_PROXIES`, the same list whose `X-Forwarded-For` the login
//!   throttle believes) valid `X-Request-Id`, else a new UUID v7. It is echoed in the answer's `X-Request-Id` and
//!   is a field of the request span, so every log line of the request carries it. A valid id sent by anyone else
//!   (a device names each sync) is kept as the span's `client_request_id`, never as the request id. Valid: 1 to
//!   [`MAX_REQUEST_ID`] characters of `A-Z a-z 0-9 - _ . :` — nothing that could forge or break a log line.
//! - The span: method, path and version, as tower-http's default, except a path that carries a secret. The card
//!   check's path is the card token itself (`/api/v1/verify/{token}`): logged, it would let anyone who reads the
//!   logs show a valid card; it is logged as `/api/v1/verify/…`. Tokens, passwords and codes otherwise travel in
//!   headers and bodies, which are never logged. The span is at INFO: the default filter keeps it, so the info
//!   and warning lines of a request carry its id.
//! - The metrics (see [`crate::metrics`]): the request by its matched route template (never the raw path: a card
//!   token is a path), method and status, and its latency; logins by outcome from the login route's status.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Span;

use super::AppState;
use crate::metrics;

/// The prefix of the card check, whose rest is a card token.
const VERIFY_PREFIX: &str = "/api/v1/verify/";

/// The request id header, in and out.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id accepted from a proxy or a device.
pub const MAX_REQUEST_ID: usize = 128;

/// The route label of a request no route matched.
const UNMATCHED: &str = "unmatched";

/// The request's id (see the module doc), in the request's extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// A valid id the client sent from an untrusted address: a label, not the request id.
#[derive(Debug, Clone)]
struct ClientRequestId(String);

/// The URI as logged: the card token of a card check left out.
pub fn loggable_uri(uri: &Uri) -> String {
    match uri.path().strip_prefix(VERIFY_PREFIX) {
        Some(rest) if !rest.is_empty() => format!("{VERIFY_PREFIX}…"),
        _ => uri.to_string(),
    }
}

/// Whether `id` may be a request id: short, and only letters, digits and `-_.:`.
pub fn valid_request_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The span of one request (see the module doc).
pub fn request_span<B>(req: &Request<B>) -> Span {
    let id = req.extensions().get::<RequestId>().map_or("-", |r| r.0.as_str());
    let client_id = req.extensions().get::<ClientRequestId>().map(|c| c.0.as_str());
    tracing::info_span!(
        "request",
        method = %req.method(),
        uri = %loggable_uri(req.uri()),
        version = ?req.version(),
        request_id = %id,
        client_request_id = client_id,
    )
}

/// The request id of `req` and, from an untrusted peer, the id it sent (see the module doc).
fn request_ids(state: &AppState, req: &Request) -> (String, Option<String>) {
    let sent = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| valid_request_id(v))
        .map(str::to_owned);
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let trusted = peer.is_some_and(|ip| state.throttle.trusted_proxies.iter().any(|net| net.contains(ip)));
    match sent {
        Some(id) if trusted => (id, None),
        other => (uuid::Uuid::now_v7().to_string(), other),
    }
}

/// The middleware of every route (outside the trace layer): the request id, the metrics (see the module doc).
pub async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let (id, client_id) = request_ids(&state, &req);
    req.extensions_mut().insert(RequestId(id.clone()));
    if let Some(c) = client_id {
        req.extensions_mut().insert(ClientRequestId(c));
    }
    let route = req.extensions().get::<MatchedPath>().map_or(UNMATCHED, MatchedPath::as_str).to_owned();
    let method = metrics::method_label(req.method());
    let mut res = state.metrics.instrument(next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(X_REQUEST_ID, v);
    }
    let status = res.status();
    if state.metrics.is_enabled() {
        state.metrics.record(|| {
            let code = status.as_u16().to_string();
            ::metrics::counter!(metrics::HTTP_REQUESTS, "route" => route.clone(), "method" => method, "status" => code)
                .increment(1);
            ::metrics::histogram!(metrics::HTTP_DURATION, "route" => route.clone(), "method" => method)
                .record(started.elapsed().as_secs_f64());
            if route == "/api/v1/auth/login" {
                let outcome = match status {
                    StatusCode::OK => "success",
                    StatusCode::UNAUTHORIZED => "failed",
                    StatusCode::TOO_MANY_REQUESTS => "throttled",
                    _ => "refused",
                };
                ::metrics::counter!(metrics::LOGINS, "outcome" => outcome).increment(1);
            }
        });
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_token_is_left_out() {
        let uri = |s: &str| s.parse::<Uri>().expect("uri");
        assert_eq!(loggable_uri(&uri("/api/v1/verify/eyJh.c2ln")), "/api/v1/verify/…");
        assert_eq!(loggable_uri(&uri("/api/v1/verify/eyJh.c2ln?x=1")), "/api/v1/verify/…");
        assert_eq!(loggable_uri(&uri("/api/v1/sync?cursor=5")), "/api/v1/sync?cursor=5");
        assert_eq!(loggable_uri(&uri("/api/v1/verify/")), "/api/v1/verify/");
    }

    #[test]
    fn request_ids_are_short_and_plain() {
        assert!(valid_request_id("0190f0c8-7c1e-7a3b-9d2e-5f1a2b3c4d5e"));
        assert!(valid_request_id("lb-01:abc_DEF.9"));
        assert!(!valid_request_id(""));
        assert!(!valid_request_id(&"a".repeat(MAX_REQUEST_ID + 1)));
        assert!(valid_request_id(&"a".repeat(MAX_REQUEST_ID)));
        for bad in ["a b", "a\nb", "a\"b", "a}b", "a=b", "ä", "a\u{1b}[31m"] {
            assert!(!valid_request_id(bad), "{bad:?}");
        }
    }
}
