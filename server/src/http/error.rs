//! The HTTP answer of a [`ServerError`]: the status its code's kind is answered with (chosen here and nowhere
//! else), a `Retry-After` when shedding load or throttling guesses, the JSON body.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use mysapk_model::ErrorKind;

use crate::error::ServerError;

/// The HTTP status of each kind of error.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::BAD_REQUEST,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::UnsupportedMedia => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorKind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Throttled => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        // A code of the device or a notice is never the server's answer: if one gets here it is the server's
        // own failure.
        ErrorKind::Internal | ErrorKind::Device | ErrorKind::Notice => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            ServerError::Busy { retry_after } => {
                metrics::counter!(crate::metrics::LOAD_SHED, "reason" => "write_gate").increment(1);
                Some(*retry_after)
            }
            ServerError::Throttled { retry_after } => Some(*retry_after),
            ServerError::Db(sqlx::Error::PoolTimedOut) => {
                metrics::counter!(crate::metrics::LOAD_SHED, "reason" => "pool").increment(1);
                Some(crate::admission::retry_after())
            }
            ServerError::Db(e) if crate::error::is_failover(e) => {
                // The pool drops its connections to the old node; the client comes back in a few seconds.
                crate::db::failover::note();
                metrics::counter!(crate::metrics::LOAD_SHED, "reason" => "database").increment(1);
                tracing::warn!(error = %self, "database failing over");
                Some(crate::admission::retry_after())
            }
            _ => None,
        };
        let (kind, body) = self.to_api();
        let status = status_of(kind);
        if let Some(wait) = retry_after {
            tracing::debug!(error = %self, "retry later");
            // Whole seconds, rounded up (as `ApiError::with_retry_after`): a client that waits as told is not
            // refused again.
            let secs = wait.as_millis().div_ceil(1000);
            return (status, [(header::RETRY_AFTER, secs.to_string())], Json(body)).into_response();
        }
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use mysapk_model::Code;

    use super::*;

    #[test]
    fn every_code_the_server_answers_has_a_client_or_server_status() {
        for code in Code::ALL {
            let status = status_of(code.kind());
            let device_only = matches!(code.kind(), ErrorKind::Device | ErrorKind::Notice | ErrorKind::Internal);
            assert_eq!(status.is_server_error(), device_only || status == StatusCode::SERVICE_UNAVAILABLE, "{code}");
        }
        assert_eq!(status_of(Code::AuthLocked.kind()), StatusCode::FORBIDDEN);
        assert_eq!(status_of(Code::DocumentTooLarge.kind()), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn shed_load_is_counted_by_reason() {
        use crate::metrics::Metrics;
        let metrics = Metrics::enabled();
        metrics.record(|| {
            let _ = crate::admission::busy().into_response();
            let _ = crate::admission::busy().into_response();
            let _ = ServerError::Db(sqlx::Error::PoolTimedOut).into_response();
            let _ = ServerError::Throttled { retry_after: std::time::Duration::from_secs(1) }.into_response();
        });
        let text = metrics.render(|| {}).expect("enabled");
        assert!(text.contains("mysapk_load_shed_total{reason=\"write_gate\"} 2"), "{text}");
        assert!(text.contains("mysapk_load_shed_total{reason=\"pool\"} 1"), "{text}");
        assert!(!text.contains("throttle"), "a throttled login is not shed load: {text}");
    }

    #[test]
    fn busy_and_an_exhausted_pool_answer_503_with_retry_after() {
        let reset = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        let read_only = crate::error::tests::state("25006");
        for e in [
            crate::admission::busy(),
            ServerError::Db(sqlx::Error::PoolTimedOut),
            ServerError::Db(reset),
            ServerError::Db(read_only),
        ] {
            let response = e.into_response();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            let secs: u64 =
                response.headers()[header::RETRY_AFTER].to_str().expect("ascii").parse().expect("whole seconds");
            assert!((2..=6).contains(&secs), "{secs}");
        }
    }
}
