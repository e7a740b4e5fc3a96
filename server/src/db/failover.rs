//! The database failing over under the server (PostgreSQL behind HAProxy and Patroni, docs/DEPLOY.md): the
//! primary dies or is demoted, a standby is promoted, HAProxy sends new connections to it.
//!
//! While that happens a request meets a cut connection, a server shutting down or a node that is a standby now
//! ([`crate::error::is_failover`] tells these from the request's own faults). Such a request is answered 503
//! `server.busy` with a `Retry-After` (the client retries as for any shed load), never a 500: nothing of it was
//! committed that the client could lose — a commit whose answer was lost is resent with the same mutation ids,
//! which the server applies once.
//!
//! And the pool forgets the old node: [`note`] marks every connection opened until now stale, and the pool's
//! `before_acquire` ([`fresh`]) closes a stale connection instead of handing it out (a connection still open to a
//! demoted node answers pings, so sqlx's `test_before_acquire` alone keeps it).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

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
mod tests {
    use super::*;

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
