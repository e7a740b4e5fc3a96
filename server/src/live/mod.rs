//! The live state of one server: what this process committed, kept for the caches and the event streams.
//!
//! Every write transaction of the server is begun with its [`Live`] as the [`AfterCommit`] hook, so after each
//! commit:
//! - the versions logged per change-log key are noted ([`Live::logged_max`]): the feed cache never answers
//!   "nothing new" past a change this process committed;
//! - event streams listening on those keys are nudged ([`Hub`]);
//! - after a token, lock, role or password change, the token generation moves ([`Live::token_generation`]): every
//!   cached access-token check stops counting.
//!
//! Nothing here is process-wide: two servers in one process (tests) each have their own.

mod hub;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub use hub::{Hub, StreamSlot, Subscription};

use crate::db::{AfterCommit, Committed, LogKey};

/// Keys remembered before the oldest are folded into one floor (memory bound).
const MAX_LOGGED_KEYS: usize = 1_000_000;

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether a cache entry checked at `at` (refresh started at `refreshing`) should be re-checked by this caller:
/// past half its lifetime, and nobody else is on it. One caller refreshes while the rest keep using the entry, so
/// the entries of a busy key do not all expire at once and send every request to the database together.
pub(crate) fn claim_refresh(at: Instant, refreshing: &mut Option<Instant>, ttl: Duration) -> bool {
    if at.elapsed() < ttl / 2 || refreshing.is_some_and(|r| r.elapsed() < ttl / 4) {
        return false;
    }
    *refreshing = Some(Instant::now());
    true
}

/// The newest version this process committed per key, and a floor for keys forgotten to bound memory (a
/// forgotten key counts as having logged the floor).
#[derive(Default)]
struct Logged {
    map: HashMap<LogKey, i64>,
    floor: i64,
}

/// See the module docs.
#[derive(Default)]
pub struct Live {
    logged: Mutex<Logged>,
    token_generation: AtomicU64,
    pub hub: Arc<Hub>,
    /// Set at start when SIASN forwarding is configured.
    siasn_forwarding: std::sync::atomic::AtomicBool,
}

impl Live {
    /// This process forwards approved changes to SIASN from now on (see `crate::siasn::forward`).
    pub fn forward_to_siasn(&self) {
        self.siasn_forwarding.store(true, Ordering::SeqCst);
    }

    /// The newest version this process committed under `key` (or the floor).
    pub fn logged_max(&self, key: &LogKey) -> i64 {
        let logged = lock(&self.logged);
        logged.map.get(key).copied().unwrap_or(0).max(logged.floor)
    }

    /// Bumped whenever tokens, locks, roles or passwords change in this process: older cached token checks stop
    /// counting. Read before a database lookup whose result is to be cached.
    pub fn token_generation(&self) -> u64 {
        self.token_generation.load(Ordering::SeqCst)
    }

    fn note_logged(&self, key: &LogKey, version: i64) {
        let mut logged = lock(&self.logged);
        if logged.map.len() >= MAX_LOGGED_KEYS {
            let max = logged.map.values().copied().max().unwrap_or(0);
            logged.floor = logged.floor.max(max);
            logged.map.clear();
        }
        let slot = logged.map.entry(key.clone()).or_insert(0);
        *slot = (*slot).max(version);
    }
}

impl AfterCommit for Live {
    fn forwards_to_siasn(&self) -> bool {
        self.siasn_forwarding.load(Ordering::SeqCst)
    }

    fn committed(&self, changes: &Committed) {
        if changes.tokens_changed {
            self.token_generation.fetch_add(1, Ordering::SeqCst);
        }
        for (key, version) in &changes.logged {
            self.note_logged(key, *version);
            self.hub.nudge(key.as_deref(), *version);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_notes_versions_and_moves_the_token_generation() {
        let live = Live::default();
        let key = Some("1".to_owned());
        let generation = live.token_generation();
        live.committed(&Committed {
            logged: vec![(key.clone(), 7), (key.clone(), 5), (None, 6)],
            tokens_changed: false,
        });
        assert_eq!((live.logged_max(&key), live.logged_max(&None)), (7, 6));
        assert_eq!(live.token_generation(), generation);
        live.committed(&Committed { logged: Vec::new(), tokens_changed: true });
        assert_eq!(live.token_generation(), generation + 1);
        assert_eq!(Live::default().logged_max(&key), 0, "another server's state is its own");
    }
}
