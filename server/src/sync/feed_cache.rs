//! Quiet answers of the change log: per change-log key (a NIP, `None` = everyone, an agency scope), the last
//! time the database answered "nothing after version `c`" for it.
//!
//! A pull whose cursor is at least `c` for each of its keys, while the answer is younger than [`FEED_CACHE_TTL`]
//! and this server committed no change with a newer version for those keys since ([`Live::logged_max`], noted
//! right after each commit), answers the empty page at once, without the database. A change committed by
//! another process (or in the moment between a commit here and its note) is delivered by a pull at most
//! [`FEED_CACHE_TTL`] later. A no-change answer keeps the caller's cursor, so nothing is ever skipped: the worst
//! case is that delay.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::LogKey;
use crate::live::{self, Live};

/// How long a database "no changes after `c`" answer for a change-log key is trusted.
pub const FEED_CACHE_TTL: Duration = Duration::from_secs(1);
/// Entries kept before stale ones are dropped (memory bound).
const MAX_ENTRIES: usize = 200_000;

/// "The database had nothing after `cursor` for this key at `at`."
#[derive(Clone, Copy)]
struct Quiet {
    cursor: i64,
    at: Instant,
    refreshing: Option<Instant>,
}

/// See the module docs.
pub struct FeedCache {
    map: Mutex<HashMap<LogKey, Quiet>>,
    live: Arc<Live>,
}

impl FeedCache {
    /// A cache that never hides what `live` noted as committed.
    pub fn new(live: Arc<Live>) -> Self {
        Self { map: Mutex::default(), live }
    }

    /// Whether a pull of `keys` after `cursor` is known to be empty.
    pub fn is_quiet(&self, keys: &[LogKey], cursor: i64) -> bool {
        {
            let mut map = live::lock(&self.map);
            let fresh =
                keys.iter().all(|k| map.get(k).is_some_and(|q| q.cursor <= cursor && q.at.elapsed() < FEED_CACHE_TTL));
            if !fresh {
                return false;
            }
            // Refresh ahead (see `live::claim_refresh`): this caller reads the database for keys past half their
            // life.
            let mut refresh = false;
            for k in keys {
                if let Some(q) = map.get_mut(k) {
                    refresh |= live::claim_refresh(q.at, &mut q.refreshing, FEED_CACHE_TTL);
                }
            }
            if refresh {
                return false;
            }
        }
        keys.iter().all(|k| self.live.logged_max(k) <= cursor)
    }

    /// Record that a read of `keys` started at `at` found nothing after `cursor`.
    pub fn record_quiet(&self, keys: &[LogKey], cursor: i64, at: Instant) {
        let mut map = live::lock(&self.map);
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
    use crate::db::{AfterCommit, Committed};

    #[test]
    fn quiet_answers_respect_cursor_and_local_commits() {
        let live = Arc::new(Live::default());
        let cache = FeedCache::new(live.clone());
        let key = Some("@test:quiet".to_owned());
        let keys = [key.clone()];
        assert!(!cache.is_quiet(&keys, 10));
        cache.record_quiet(&keys, 10, Instant::now());
        assert!(cache.is_quiet(&keys, 10));
        assert!(cache.is_quiet(&keys, 12));
        assert!(!cache.is_quiet(&keys, 9));
        live.committed(&Committed { logged: vec![(key.clone(), 11)], tokens_changed: false });
        assert!(!cache.is_quiet(&keys, 10));
        assert!(cache.is_quiet(&keys, 11));
        cache.record_quiet(&keys, 10, Instant::now() - FEED_CACHE_TTL);
        assert!(cache.is_quiet(&keys, 11), "an older answer does not replace a fresher one");
    }
}
