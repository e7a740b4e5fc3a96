//! The database failing over under the server (PostgreSQL behind HAProxy and Patroni, docs/DEPLOY.md): the
//! primary dies or is demoted, a standby is promoted, HAProxy sends new connections to it.
//!
//! While that happens a request meets a cut connection (an I/O error), a server shutting down (`57P01`–`57P03`),
//! a connection refused (class `08`) or a node that is a standby now (`25006`, read-only transaction). Such a
//! request is answered 503 `server.busy` with a `Retry-After` (the client retries as for any shed load), never
//! a 500: nothing of it was committed that the client could lose — a commit whose answer was lost is resent with
//! the same mutation ids, which the server applies once.
//!
//! And the pool forgets the old node: [`note`] marks every connection opened until now stale, and the pool's
//! `before_acquire` ([`fresh`]) closes a stale connection instead of handing it out (a connection still open to a
//! demoted node answers pings, so sqlx's `test_before_acquire` alone keeps it).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The SQLSTATEs of a database going away or no longer taking writes.
fn is_failover_state(code: &str) -> bool {
    // 08xxx connection exception; 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now;
    // 25006 read_only_sql_transaction (the node is a standby now).
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "25006")
}

/// Whether `e` is the database failing over (see the module's documentation), not a fault of the request.
pub fn is_failover(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|c| is_failover_state(&c)),
        _ => false,
    }
}

/// Milliseconds since [`epoch`] before which connections are stale (0: none).
static STALE_BEFORE_MS: AtomicU64 = AtomicU64::new(0);

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A failover was seen: every pooled connection opened until now is stale (closed at its next acquire). For the
/// whole process: all its pools reach the same database.
pub fn note() {
    // +1: a connection opened in this very millisecond is stale too.
    STALE_BEFORE_MS.fetch_max(now_ms() + 1, Ordering::Relaxed);
}

/// Whether a pooled connection of age `age` was opened after the last failover (the pool's `before_acquire`).
pub fn fresh(age: Duration) -> bool {
    let opened = now_ms().saturating_sub(u64::try_from(age.as_millis()).unwrap_or(u64::MAX));
    opened >= STALE_BEFORE_MS.load(Ordering::Relaxed)
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

    #[tokio::test]
    async fn after_a_failover_the_pool_opens_new_connections() {
        use sqlx::Connection;
        let base = std::env::var("MYSAPK_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        sqlx::any::install_default_drivers();
        let name = format!("mysapk_failover_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::AnyConnection::connect(&base).await.expect("PostgreSQL at MYSAPK_TEST_PG_URL");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create database");
        let url = format!("{}/{name}", base.rsplit_once('/').expect("a database in the URL").0);
        let pool = crate::db::connect(&url).await.expect("pool");
        // The backend pid of each connection tells whether the pool hands out one it had before.
        let pids = |pool: sqlx::AnyPool| async move {
            let mut held = Vec::new();
            let mut pids = std::collections::BTreeSet::new();
            for _ in 0..3 {
                let mut conn = pool.acquire().await.expect("acquire");
                let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(&mut *conn).await.expect("pid");
                pids.insert(pid);
                held.push(conn);
            }
            drop(held);
            tokio::time::sleep(Duration::from_millis(20)).await;
            pids
        };
        let first = pids(pool.clone()).await;
        let again = pids(pool.clone()).await;
        assert!(!first.is_disjoint(&again), "idle connections are reused: {first:?} {again:?}");
        note();
        tokio::time::sleep(Duration::from_millis(5)).await;
        let after = pids(pool.clone()).await;
        let old: std::collections::BTreeSet<i32> = first.union(&again).copied().collect();
        assert!(old.is_disjoint(&after), "a connection opened before the failover is not handed out again");
        pool.close().await;
        let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin).await;
        let _ = admin.close().await;
    }
}
