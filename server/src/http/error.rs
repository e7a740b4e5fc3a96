//! The HTTP answer of a [`ServerError`]: its status, its `Retry-After` when shedding load, its JSON body.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::ServerError;

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            ServerError::Busy { retry_after } => Some(*retry_after),
            ServerError::Db(sqlx::Error::PoolTimedOut) => Some(crate::admission::retry_after()),
            _ => None,
        };
        let (status, body) = self.to_api();
        if let Some(wait) = retry_after {
            tracing::debug!(error = %self, "shed load");
            return (status, [(header::RETRY_AFTER, wait.as_secs().to_string())], Json(body)).into_response();
        }
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;

    #[test]
    fn busy_and_an_exhausted_pool_answer_503_with_retry_after() {
        for e in [crate::admission::busy(), ServerError::Db(sqlx::Error::PoolTimedOut)] {
            let response = e.into_response();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            let secs: u64 =
                response.headers()[header::RETRY_AFTER].to_str().expect("ascii").parse().expect("whole seconds");
            assert!((2..=6).contains(&secs), "{secs}");
        }
    }
}
