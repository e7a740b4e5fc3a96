//! The server's error type. A client-facing error carries a registered [`Code`]; what it is answered with (the
//! HTTP status, from the code's [`ErrorKind`]) is chosen by `http` alone.

use mysapk_model::{ApiError, Code, ErrorKind, Violation};

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
    #[error("TLS configuration error: {0}")]
    Tls(#[from] crate::tls::TlsError),
    #[error("card key error: {0}")]
    CardKey(#[from] CardKeyError),
    #[error("{0}")]
    Backup(#[from] BackupError),
    #[error("internal error: {0}")]
    Internal(String),
    /// A client-facing error: its code, a message more precise than the code's own text (the lock reason, a
    /// parser's complaint), and the field it concerns.
    #[error("{code}: {}", detail.as_deref().unwrap_or(code.message_en()))]
    Api { code: Code, detail: Option<String>, field: Option<String> },
    /// More load than the server takes now: `server.busy` with a `Retry-After`.
    #[error("busy: retry after {retry_after:?}")]
    Busy { retry_after: std::time::Duration },
    /// Too many failed guesses of a password or code: `auth.throttled` with a `Retry-After`.
    #[error("throttled: retry after {retry_after:?}")]
    Throttled { retry_after: std::time::Duration },
    /// A violated rule, reported with its own code and field.
    #[error("{0}")]
    Rule(Violation),
}

/// Why the ASN card's signing keys cannot be used (see [`crate::card`]).
#[derive(Debug, thiserror::Error)]
pub enum CardKeyError {
    #[error(
        "MYSAPK_CARD_SECRET is no longer read: the card is signed with Ed25519 now. Unset it, and set \
         MYSAPK_CARD_KEY_FILE to a PKCS#8 PEM key (openssl genpkey -algorithm ed25519) or leave that unset too \
         for a key generated into the database"
    )]
    SecretRefused,
    #[error("MYSAPK_CARD_KEY_FILE {path}: {source}")]
    File { path: std::path::PathBuf, source: std::io::Error },
    #[error("MYSAPK_CARD_KEY_FILE {path}: not an Ed25519 private key in PKCS#8 PEM: {source}")]
    FilePem { path: std::path::PathBuf, source: ed25519_dalek::pkcs8::Error },
    #[error("the stored card key {kid} does not decode: {detail}")]
    Stored { kid: String, detail: String },
    #[error("encoding a new card key: {0}")]
    Encode(ed25519_dalek::pkcs8::Error),
    #[error(
        "the card key comes from MYSAPK_CARD_KEY_FILE: rotate by giving every node a new file (openssl genpkey \
         -algorithm ed25519) and restarting them; the old key keeps verifying until its last token expires"
    )]
    RotateWithFile,
}

/// Why a backup or a restore did not happen (see [`crate::backup`]).
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "backup and restore are for SQLite only: back up PostgreSQL with its own tools (pg_dump for a logical \
         copy, pg_basebackup with WAL archiving for point-in-time recovery) as described in docs/DEPLOY.md, \
         section \"Backups\""
    )]
    Postgres,
    #[error("DATABASE_URL must be sqlite://<path> or postgres://…")]
    BadUrl,
    #[error("an in-memory database has nothing to back up or restore into")]
    InMemory,
    #[error("the database {0} does not exist")]
    NoDatabase(std::path::PathBuf),
    #[error("{0} is not empty: a backup goes into a new or empty directory")]
    TargetNotEmpty(std::path::PathBuf),
    #[error("{0} has no manifest.json: not a backup made by `mysapk-server backup`")]
    NoManifest(std::path::PathBuf),
    #[error("{path}: not a backup manifest: {source}")]
    Manifest { path: std::path::PathBuf, source: serde_json::Error },
    #[error("backup format {found} is unknown to this server (it reads format {expected})")]
    Format { found: u32, expected: u32 },
    #[error(
        "the backup's schema version {backup} is newer than this server's {server}: restore it with a server at \
         least as new as the one that made it"
    )]
    SchemaNewer { backup: i64, server: i64 },
    #[error("{0}: the content does not match its checksum; the backup is damaged")]
    Checksum(std::path::PathBuf),
    #[error("document {sha256} is in the database but not in {dir}")]
    DocumentMissing { sha256: String, dir: std::path::PathBuf },
    #[error("the database {0} already holds accounts or proposals: stop the server and add --force to replace it")]
    DatabaseNotEmpty(std::path::PathBuf),
    #[error("the document directory {0} already holds documents: add --force to restore into it")]
    DocumentsNotEmpty(std::path::PathBuf),
    #[error("{path}: {source}")]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migrating the restored database: {0}")]
    Migrate(String),
}

impl ServerError {
    /// The error `code`, with the registry's text.
    pub fn api(code: Code) -> Self {
        Self::Api { code, detail: None, field: None }
    }

    /// The error `code` with a more precise message.
    pub fn api_detail(code: Code, detail: impl Into<String>) -> Self {
        Self::Api { code, detail: Some(detail.into()), field: None }
    }

    /// The same error, concerning `field`.
    pub fn on_field(self, field: impl Into<String>) -> Self {
        match self {
            Self::Api { code, detail, .. } => Self::Api { code, detail, field: Some(field.into()) },
            other => other,
        }
    }

    pub fn rule(violation: Violation) -> Self {
        Self::Rule(violation)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::Internal(message.into())
    }

    /// The kind of this error (what `http` answers it with) and its wire body.
    pub fn to_api(&self) -> (ErrorKind, ApiError) {
        match self {
            ServerError::Api { code, detail, field } => {
                let mut e = ApiError::new(code.as_str(), detail.as_deref().unwrap_or(code.message_en()));
                e.field = field.clone();
                (code.kind(), e)
            }
            // A rule's code is registered; an unknown one is a broken rule of the request all the same.
            ServerError::Rule(violation) => {
                let kind = Code::parse(&violation.code).map_or(ErrorKind::Invalid, Code::kind);
                (kind, ApiError::from(violation.clone()))
            }
            ServerError::Throttled { retry_after } => {
                (ErrorKind::Throttled, Code::AuthThrottled.api_error().with_retry_after(*retry_after))
            }
            ServerError::Busy { .. } | ServerError::Db(sqlx::Error::PoolTimedOut) => {
                (ErrorKind::Unavailable, Code::ServerBusy.api_error())
            }
            // The database failing over: retryable, as shed load (see `db::failover`).
            ServerError::Db(e) if is_failover(e) => (ErrorKind::Unavailable, Code::ServerBusy.api_error()),
            _ => (ErrorKind::Internal, Code::Internal.api_error()),
        }
    }
}

/// The SQLSTATEs of a database going away or no longer taking writes.
fn is_failover_state(code: &str) -> bool {
    // 08xxx connection exception; 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now;
    // 25006 read_only_sql_transaction (the node is a standby now).
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "25006")
}

/// Whether `e` is the database failing over (a cut connection, a server shutting down, a refused connection, a
/// node that is a standby now: see `db::failover`), not a fault of the request.
pub fn is_failover(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|c| is_failover_state(&c)),
        _ => false,
    }
}

impl From<serde_json::Error> for ServerError {
    fn from(e: serde_json::Error) -> Self {
        ServerError::Internal(format!("stored JSON: {e}"))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::borrow::Cow;

    use super::*;

    /// A database error with a SQLSTATE, as PostgreSQL sends them.
    #[derive(Debug)]
    pub(crate) struct StateError(pub &'static str);

    impl std::fmt::Display for StateError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "SQLSTATE {}", self.0)
        }
    }

    impl std::error::Error for StateError {}

    impl sqlx::error::DatabaseError for StateError {
        fn message(&self) -> &str {
            "test"
        }
        fn code(&self) -> Option<Cow<'_, str>> {
            Some(Cow::Borrowed(self.0))
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    pub(crate) fn state(code: &'static str) -> sqlx::Error {
        sqlx::Error::Database(Box::new(StateError(code)))
    }

    #[test]
    fn failover_errors_are_told_from_the_request_s_own() {
        let reset = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(is_failover(&reset));
        for code in ["08006", "08001", "57P01", "57P02", "57P03", "25006"] {
            assert!(is_failover(&state(code)), "{code}");
        }
        // A constraint, a serialization failure, a missing row: the request's own, not the database's state.
        for code in ["23505", "40001", "42P01"] {
            assert!(!is_failover(&state(code)), "{code}");
        }
        assert!(!is_failover(&sqlx::Error::RowNotFound));
        assert!(!is_failover(&sqlx::Error::PoolTimedOut));
    }

    #[test]
    fn kinds_and_codes() {
        let (kind, e) = ServerError::api(Code::AuthInvalidCredentials).to_api();
        assert_eq!((kind, e.code.as_str()), (ErrorKind::Unauthenticated, "auth.invalid_credentials"));
        let (kind, e) = ServerError::internal("secret detail").to_api();
        assert_eq!(kind, ErrorKind::Internal);
        assert!(!e.message.contains("secret"));
        let (kind, e) = ServerError::rule(Code::NipLength.violation("nip")).to_api();
        assert_eq!((kind, e.field.as_deref()), (ErrorKind::Invalid, Some("nip")));
        let (_, e) = ServerError::api_detail(Code::AuthLocked, "Pindah tugas").to_api();
        assert_eq!(e.message, "Pindah tugas", "a detail replaces the registry's text");
    }
}
