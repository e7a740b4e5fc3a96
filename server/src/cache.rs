//! Per-process caches on the hot path of a no-change pull (`GET /api/v1/sync?cursor=<latest>`), which then
//! answers without the database.
//!
//! - [`TokenCache`]: access-token hash → caller, for at most [`TOKEN_CACHE_TTL`]. A token's own expiry is
//!   still checked on every request. Revoking tokens, locking an account, resetting a password or changing roles
//!   in this process drops every cached entry at once ([`forget_tokens`], called inside the transaction and
//!   again after its commit). Done by another process on the same database (another server node, the admin
//!   CLI), such a change reaches this process within [`TOKEN_CACHE_TTL`].
//! - [`FeedCache`]: per change-log key (a NIP, `NULL` = everyone, an agency scope), the last time the database
//!   answered "nothing after version `c`" for it. A pull whose cursor is at least `c` for each of its keys, while
//!   the answer is younger than [`FEED_CACHE_TTL`] and no change with a newer version was logged for those keys by
//!   this process since ([`note_logged`], recorded before the commit), answers the empty page at once. Changes
//!   logged by this process are therefore never hidden (not even while their transaction is still open); a
//!   change committed by another process is delivered by a pull at most [`FEED_CACHE_TTL`] later. A no-change
//!   answer keeps the caller's cursor, so nothing is ever skipped: the worst case is that delay.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::auth::AuthUser;

/// How long a verified access token is trusted without the database.
pub const TOKEN_CACHE_TTL: Duration = Duration::from_secs(2);
/// How long a database "no changes after `c`" answer for a change-log key is trusted.
pub const FEED_CACHE_TTL: Duration = Duration::from_secs(1);
/// Entries kept before stale ones are dropped (memory bound).
const MAX_ENTRIES: usize = 200_000;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Bumped whenever tokens, locks or roles change in this process: older cache entries stop counting.
static TOKEN_GENERATION: AtomicU64 = AtomicU64::new(0);

/// Drop every cached access token (of every server in this process).
pub fn forget_tokens() {
    TOKEN_GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// The token generation; read before a database lookup whose result is to be cached.
pub fn token_generation() -> u64 {
    TOKEN_GENERATION.load(Ordering::SeqCst)
}

struct TokenEntry {
    user: AuthUser,
    expires_at: i64,
    at: Instant,
    generation: u64,
    /// When a caller set out to re-check the entry (refresh ahead: the others keep using it meanwhile).
    refreshing: Option<Instant>,
}

/// Whether an entry checked at `at` (refresh started at `refreshing`) should be re-checked by this caller:
/// past half its lifetime, and nobody else is on it. One caller refreshes while the rest keep using the entry, so
/// the entries of a busy key do not all expire at once and send every request to the database together.
fn claim_refresh(at: Instant, refreshing: &mut Option<Instant>, ttl: Duration) -> bool {
    if at.elapsed() < ttl / 2 || refreshing.is_some_and(|r| r.elapsed() < ttl / 4) {
        return false;
    }
    *refreshing = Some(Instant::now());
    true
}

/// Verified access tokens by hash (see the module docs).
#[derive(Default)]
pub struct TokenCache {
    map: Mutex<HashMap<String, TokenEntry>>,
}

impl TokenCache {
    /// The cached caller and the token's expiry (ms since the epoch), when fresh; `None` also when this caller
    /// is to re-check the token (see [`claim_refresh`]).
    pub fn get(&self, hash: &str) -> Option<(AuthUser, i64)> {
        let mut map = lock(&self.map);
        let e = map.get_mut(hash)?;
        if e.generation != token_generation()
            || e.at.elapsed() >= TOKEN_CACHE_TTL
            || claim_refresh(e.at, &mut e.refreshing, TOKEN_CACHE_TTL)
        {
            return None;
        }
        Some((e.user.clone(), e.expires_at))
    }

    /// Drop one token (found invalid by the database).
    pub fn forget(&self, hash: &str) {
        lock(&self.map).remove(hash);
    }

    /// Remember a token verified by a lookup that started at `at` in generation `generation` (ignored when the
    /// generation moved meanwhile: the lookup may have read what was just changed).
    pub fn put(&self, hash: String, user: AuthUser, expires_at: i64, at: Instant, generation: u64) {
        let mut map = lock(&self.map);
        if generation != token_generation() {
            return;
        }
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, e| e.generation == generation && e.at.elapsed() < TOKEN_CACHE_TTL);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(hash, TokenEntry { user, expires_at, at, generation, refreshing: None });
    }
}

/// A change-log key: `Some(nip or scope)`, `None` for entries for everyone.
pub type LogKey = Option<String>;

/// The newest version this process logged per key (before commit), and a floor for keys forgotten to bound
/// memory (a forgotten key counts as having logged the floor).
struct Logged {
    map: HashMap<LogKey, i64>,
    floor: i64,
}

static LOGGED: LazyLock<Mutex<Logged>> = LazyLock::new(|| Mutex::new(Logged { map: HashMap::new(), floor: 0 }));

/// Record that this process logged `version` under `key` (called by every change-log append, before commit).
pub fn note_logged(key: Option<&str>, version: i64) {
    let mut logged = lock(&LOGGED);
    if logged.map.len() >= MAX_ENTRIES * 5 {
        let max = logged.map.values().copied().max().unwrap_or(0);
        logged.floor = logged.floor.max(max);
        logged.map.clear();
    }
    let slot = logged.map.entry(key.map(str::to_owned)).or_insert(0);
    *slot = (*slot).max(version);
}

fn logged_max(logged: &Logged, key: &LogKey) -> i64 {
    logged.map.get(key).copied().unwrap_or(0).max(logged.floor)
}

/// "The database had nothing after `cursor` for this key at `at`."
#[derive(Clone, Copy)]
struct Quiet {
    cursor: i64,
    at: Instant,
    refreshing: Option<Instant>,
}

/// Quiet answers of the change log per key (see the module docs).
#[derive(Default)]
pub struct FeedCache {
    map: Mutex<HashMap<LogKey, Quiet>>,
}

impl FeedCache {
    /// Whether a pull of `keys` after `cursor` is known to be empty.
    pub fn is_quiet(&self, keys: &[LogKey], cursor: i64) -> bool {
        {
            let mut map = lock(&self.map);
            let fresh =
                keys.iter().all(|k| map.get(k).is_some_and(|q| q.cursor <= cursor && q.at.elapsed() < FEED_CACHE_TTL));
            if !fresh {
                return false;
            }
            // Refresh ahead (see `claim_refresh`): this caller reads the database for keys past half their life.
            let mut refresh = false;
            for k in keys {
                if let Some(q) = map.get_mut(k) {
                    refresh |= claim_refresh(q.at, &mut q.refreshing, FEED_CACHE_TTL);
                }
            }
            if refresh {
                return false;
            }
        }
        let logged = lock(&LOGGED);
        keys.iter().all(|k| logged_max(&logged, k) <= cursor)
    }

    /// Record that a read of `keys` started at `at` found nothing after `cursor`.
    pub fn record_quiet(&self, keys: &[LogKey], cursor: i64, at: Instant) {
        let mut map = lock(&self.map);
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, q| q.at.elapsed() < FEED_CACHE_TTL);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        for k in keys {
            let new = Quiet { cursor, at, refreshing: None };
            match map.get_mut(k) {
                // A smaller cursor says more, a newer answer lasts longer; a stale answer says nothing.
                Some(old)
                    if old.at.elapsed() >= FEED_CACHE_TTL
                        || cursor < old.cursor
                        || (cursor == old.cursor && at > old.at) =>
                {
                    *old = new;
                }
                Some(_) => {}
                None => {
                    map.insert(k.clone(), new);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> AuthUser {
        AuthUser { nip: "1".into(), roles: Vec::new(), instansi_id: "i".into() }
    }

    #[test]
    fn tokens_are_forgotten_when_the_generation_moves() {
        let cache = TokenCache::default();
        let g = token_generation();
        cache.put("h".into(), user(), 5, Instant::now(), g);
        if token_generation() == g {
            assert!(cache.get("h").is_some());
        }
        forget_tokens();
        assert!(cache.get("h").is_none());
        // A lookup that straddled the change is not cached.
        cache.put("h".into(), user(), 5, Instant::now(), g);
        assert!(cache.get("h").is_none());
    }

    #[test]
    fn quiet_answers_respect_cursor_and_local_writes() {
        let cache = FeedCache::default();
        let key = Some("@test:quiet".to_owned());
        let keys = [key.clone()];
        assert!(!cache.is_quiet(&keys, 10));
        cache.record_quiet(&keys, 10, Instant::now());
        assert!(cache.is_quiet(&keys, 10));
        assert!(cache.is_quiet(&keys, 12));
        assert!(!cache.is_quiet(&keys, 9));
        note_logged(key.as_deref(), 11);
        assert!(!cache.is_quiet(&keys, 10));
        assert!(cache.is_quiet(&keys, 11));
        cache.record_quiet(&keys, 10, Instant::now() - FEED_CACHE_TTL);
        assert!(cache.is_quiet(&keys, 11), "an older answer does not replace a fresher one");
    }
}
