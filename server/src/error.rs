//! The server's error type: every failure maps to a stable code, an HTTP status and an [`ApiError`] body.

use axum::http::StatusCode;
use mysapk_model::{ApiError, Violation};

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("configuration error: {0}")]
    Config(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// A client-facing error with a stable code.
    #[error("{code}: {message}")]
    Api { status: StatusCode, code: &'static str, message: String, field: Option<String> },
    /// More load than the server takes now: 503 `server.busy` with `Retry-After` .
    #[error("busy: retry after {retry_after:?}")]
    Busy { retry_after: std::time::Duration },
    /// A violated rule, reported with its own code and field.
    #[error("{violation}")]
    Rule { status: StatusCode, violation: Violation },
}

impl ServerError {
    pub fn api(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self::Api { status, code, message: message.into(), field: None }
    }
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::api(StatusCode::BAD_REQUEST, code, message)
    }
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::api(StatusCode::UNAUTHORIZED, code, message)
    }
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::api(StatusCode::FORBIDDEN, code, message)
    }
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::api(StatusCode::NOT_FOUND, code, message)
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::api(StatusCode::CONFLICT, code, message)
    }
    pub fn rule(status: StatusCode, violation: Violation) -> Self {
        Self::Rule { status, violation }
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::Internal(message.into())
    }

    /// The HTTP status and wire body of this error.
    pub fn to_api(&self) -> (StatusCode, ApiError) {
        match self {
            ServerError::Api { status, code, message, field } => {
                let mut e = ApiError::new(code, message.clone());
                e.field = field.clone();
                (*status, e)
            }
            ServerError::Rule { status, violation } => (*status, ApiError::from(violation.clone())),
            ServerError::Busy { .. } | ServerError::Db(sqlx::Error::PoolTimedOut) => (
                StatusCode::SERVICE_UNAVAILABLE,
                ApiError::new("server.busy", "The server is busy; try again in a few seconds."),
            ),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, ApiError::new("internal", "Internal server error.")),
        }
    }
}

impl From<serde_json::Error> for ServerError {
    fn from(e: serde_json::Error) -> Self {
        ServerError::Internal(format!("stored JSON: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_codes() {
        let (s, e) = ServerError::unauthorized("auth.no_account", "x").to_api();
        assert_eq!((s, e.code.as_str()), (StatusCode::UNAUTHORIZED, "auth.no_account"));
        let (s, e) = ServerError::internal("secret detail").to_api();
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.message.contains("secret"));
        let v = Violation::new("nip.length", "nip", "a", "b");
        let (s, e) = ServerError::rule(StatusCode::BAD_REQUEST, v).to_api();
        assert_eq!((s, e.field.as_deref()), (StatusCode::BAD_REQUEST, Some("nip")));
    }
}
