//! The request span of the trace layer: method, path and version, as tower-http's default, except a path that
//! carries a secret. The card check's path is the card token itself (`/api/v1/verify/{token}`): logged, it would
//! let anyone who reads the logs show a valid card; it is logged as `/api/v1/verify/…`. Tokens, passwords and
//! codes otherwise travel in headers and bodies, which are never logged.

use axum::http::{Request, Uri};
use tracing::Span;

/// The prefix of the card check, whose rest is a card token.
const VERIFY_PREFIX: &str = "/api/v1/verify/";

/// The URI as logged: the card token of a card check left out.
pub fn loggable_uri(uri: &Uri) -> String {
    match uri.path().strip_prefix(VERIFY_PREFIX) {
        Some(rest) if !rest.is_empty() => format!("{VERIFY_PREFIX}…"),
        _ => uri.to_string(),
    }
}

/// The span of one request (see the module doc).
pub fn request_span<B>(req: &Request<B>) -> Span {
    tracing::debug_span!("request", method = %req.method(), uri = %loggable_uri(req.uri()), version = ?req.version())
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
}
