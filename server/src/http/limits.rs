//! Request-level guards: a time limit per request, and no control characters in a path or query (they would
//! reach SQL as text: PostgreSQL refuses a NUL in a string with an error, not a row).

use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mysapk_model::Code;

use crate::error::ServerError;

/// Paths without the general time limit: the event stream lives for hours by design, a document upload or an
/// account import moves megabytes over a slow link (each has its own size limit).
fn exempt_from_time_limit(path: &str) -> bool {
    path == "/api/v1/events" || path.starts_with("/api/v1/documents/") || path == "/api/v1/admin/accounts/import"
}

/// Answer 503 `request.timeout` when a request runs longer than the limit (dropping the handler rolls back its
/// transaction).
pub async fn time_limit(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    if exempt_from_time_limit(req.uri().path()) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_owned();
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%path, ?limit, "request over its time limit");
            ServerError::api(Code::RequestTimeout).into_response()
        }
    }
}

/// `s` with its `%XX` escapes decoded (invalid escapes kept as they are).
fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// 400 `field.control_chars` (field `path` or `query`) for a URI whose decoded path or query holds a control
/// character. The card check (`/api/v1/verify/{token}`) is left out: it answers any text with a verdict (a token
/// that does not verify is `valid: false`), and never reaches the database with it.
pub async fn no_control_chars(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let bad = |s: &str| mysapk_model::rules::has_control_chars(&percent_decoded(s), false);
    let field = if bad(uri.path()) && !uri.path().starts_with("/api/v1/verify/") {
        Some("path")
    } else if uri.query().is_some_and(bad) {
        Some("query")
    } else {
        None
    };
    match field {
        Some(field) => ServerError::api(Code::FieldControlChars).on_field(field).into_response(),
        None => next.run(req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(percent_decoded("a%00b%2Fc%zz%4"), "a\0b/c%zz%4");
        assert_eq!(percent_decoded("%C2%85"), "\u{85}");
    }
}
