//! Admission control: under more load than the database can take, answer "busy, come back in a few seconds"
//! at once instead of letting requests queue past the client's timeout.
//!
//! Write transactions are serial anyway (every one first locks the change-log counter row, see
//! [`crate::db::begin_write`]), so more pushes in flight than a few only park pool connections on that lock: the
//! pulls then wait for a connection, every request outlives its client's 30 s timeout, the clients retry, and the
//! server spends its time on answers nobody reads (congestion collapse; the R7 fleet test showed it). So:
//! - at most [`WRITERS`] pushes run at once; a push that cannot start within [`WRITE_WAIT`] is answered 503
//!   `server.busy` with a `Retry-After`;
//! - a push stops after [`PUSH_BUDGET`] and answers the mutations it has processed (the device sends the rest
//!   next);
//! - a request that waits [`crate::db::ACQUIRE_TIMEOUT`] for a pooled connection gets the same 503.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ServerError;

/// Pushes processed at once by one server process (the database pool has 16 connections: the rest stay free
/// for pulls and logins).
pub const WRITERS: usize = 4;
/// How long a push may wait for its turn before it is answered `server.busy`.
pub const WRITE_WAIT: Duration = Duration::from_secs(5);
/// How long one push may process mutations before it answers with those done so far.
pub const PUSH_BUDGET: Duration = Duration::from_secs(10);
/// `Retry-After` of a busy answer: a random whole number of seconds in this range, so the clients told to wait
/// do not all come back in the same second.
const RETRY_AFTER_SECS: std::ops::RangeInclusive<u64> = 2..=6;

/// The turnstile of the push path.
pub struct WriteGate {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl Default for WriteGate {
    fn default() -> Self {
        Self::new(WRITERS, WRITE_WAIT)
    }
}

impl WriteGate {
    /// `writers` at once; a caller waits at most `wait` for a turn.
    pub fn new(writers: usize, wait: Duration) -> Self {
        Self { permits: Arc::new(Semaphore::new(writers)), wait }
    }

    /// Wait (at most the gate's wait) for a turn; hold the permit while writing.
    pub async fn enter(&self) -> Result<OwnedSemaphorePermit, ServerError> {
        match tokio::time::timeout(self.wait, Arc::clone(&self.permits).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            // Timed out, or (never here) the semaphore was closed.
            _ => Err(busy()),
        }
    }
}

/// 503 `server.busy` with a jittered `Retry-After`.
pub fn busy() -> ServerError {
    ServerError::Busy { retry_after: retry_after() }
}

/// A random whole number of seconds in `RETRY_AFTER_SECS`.
pub fn retry_after() -> Duration {
    let span = RETRY_AFTER_SECS.end() - RETRY_AFTER_SECS.start() + 1;
    let jitter = (uuid::Uuid::new_v4().as_u128() % u128::from(span)) as u64;
    Duration::from_secs(RETRY_AFTER_SECS.start() + jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_gate_answers_busy_after_the_wait() {
        let wait = Duration::from_millis(50);
        let gate = WriteGate::new(2, wait);
        let held = [gate.enter().await.expect("permit"), gate.enter().await.expect("permit")];
        let started = std::time::Instant::now();
        let refused = gate.enter().await.expect_err("no permit left");
        assert!(started.elapsed() >= wait);
        let ServerError::Busy { retry_after } = refused else { panic!("busy expected: {refused:?}") };
        assert!(RETRY_AFTER_SECS.contains(&retry_after.as_secs()), "{retry_after:?}");
        drop(held);
        let _again = gate.enter().await.expect("a permit once the writers are done");
    }
}
