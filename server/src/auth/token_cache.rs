//! Verified access tokens by hash, trusted for at most [`TOKEN_CACHE_TTL`] without the database (the hot path
//! of a no-change pull). A token's own expiry is still checked on every request. A token, lock, role or password
//! change committed by this server moves its token generation ([`crate::live::Live::token_generation`]) and every
//! entry stops counting at once; done by another process on the same database (another server node, the admin
//! command line), such a change reaches this server within [`TOKEN_CACHE_TTL`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::AuthUser;
use crate::live::{self, Live};

/// How long a verified access token is trusted without the database.
pub const TOKEN_CACHE_TTL: Duration = Duration::from_secs(2);
/// Entries kept before stale ones are dropped (memory bound).
const MAX_ENTRIES: usize = 200_000;

struct TokenEntry {
    user: AuthUser,
    expires_at: i64,
    at: Instant,
    generation: u64,
    /// When a caller set out to re-check the entry (refresh ahead: the others keep using it meanwhile).
    refreshing: Option<Instant>,
}

/// See the module docs.
pub struct TokenCache {
    map: Mutex<HashMap<String, TokenEntry>>,
    live: Arc<Live>,
}

impl TokenCache {
    /// A cache whose entries stop counting when `live`'s token generation moves.
    pub fn new(live: Arc<Live>) -> Self {
        Self { map: Mutex::default(), live }
    }

    /// The token generation now; read before a database lookup whose result is to be cached.
    pub fn generation(&self) -> u64 {
        self.live.token_generation()
    }

    /// The cached caller and the token's expiry (ms since the epoch), when fresh; `None` also when this caller
    /// is to re-check the token (refresh ahead: see `live::claim_refresh`).
    pub fn get(&self, hash: &str) -> Option<(AuthUser, i64)> {
        let mut map = live::lock(&self.map);
        let e = map.get_mut(hash)?;
        if e.generation != self.generation()
            || e.at.elapsed() >= TOKEN_CACHE_TTL
            || live::claim_refresh(e.at, &mut e.refreshing, TOKEN_CACHE_TTL)
        {
            return None;
        }
        Some((e.user.clone(), e.expires_at))
    }

    /// Drop one token (found invalid by the database).
    pub fn forget(&self, hash: &str) {
        live::lock(&self.map).remove(hash);
    }

    /// Remember a token verified by a lookup that started at `at` in generation `generation` (ignored when the
    /// generation moved meanwhile: the lookup may have read what was just changed).
    pub fn put(&self, hash: String, user: AuthUser, expires_at: i64, at: Instant, generation: u64) {
        let mut map = live::lock(&self.map);
        if generation != self.generation() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{AfterCommit, Committed};

    fn user() -> AuthUser {
        AuthUser { nip: "1".into(), roles: Vec::new(), instansi_id: "i".into(), enrollment_only: false }
    }

    #[test]
    fn tokens_are_forgotten_when_the_generation_moves() {
        let live = Arc::new(Live::default());
        let cache = TokenCache::new(live.clone());
        let g = cache.generation();
        cache.put("h".into(), user(), 5, Instant::now(), g);
        assert!(cache.get("h").is_some());
        live.committed(&Committed { logged: Vec::new(), tokens_changed: true });
        assert!(cache.get("h").is_none());
        // A lookup that straddled the change is not cached.
        cache.put("h".into(), user(), 5, Instant::now(), g);
        assert!(cache.get("h").is_none());
    }
}
