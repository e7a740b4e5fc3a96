//! The streams listening per change-log key, nudged after a commit logged under that key.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use super::lock;
use crate::db::LogKey;

/// One stream's wake-up: the newest version nudged for any of its keys.
#[derive(Default)]
pub struct Signal {
    pub notify: Notify,
    pub nudged: AtomicI64,
}

#[derive(Default)]
struct Listeners {
    everyone: HashMap<u64, Arc<Signal>>,
    by_key: HashMap<String, HashMap<u64, Arc<Signal>>>,
}

/// The listening streams of one server (see the module docs).
#[derive(Default)]
pub struct Hub {
    listeners: Mutex<Listeners>,
    listening: AtomicUsize,
    next_id: AtomicU64,
    open_streams: AtomicUsize,
}

impl Hub {
    /// A commit appended `version` under `key`: wake the streams listening on it.
    pub fn nudge(&self, key: Option<&str>, version: i64) {
        if self.listening.load(Ordering::Relaxed) == 0 {
            return;
        }
        let listeners = lock(&self.listeners);
        let signals = match key {
            None => Some(&listeners.everyone),
            Some(k) => listeners.by_key.get(k),
        };
        for signal in signals.into_iter().flat_map(HashMap::values) {
            signal.nudged.fetch_max(version, Ordering::SeqCst);
            signal.notify.notify_one();
        }
    }

    /// Listen on `keys` until the subscription is dropped.
    pub fn subscribe(self: &Arc<Self>, keys: Vec<LogKey>) -> Subscription {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let signal = Arc::new(Signal::default());
        {
            let mut listeners = lock(&self.listeners);
            for key in &keys {
                let map = match key {
                    None => &mut listeners.everyone,
                    Some(k) => listeners.by_key.entry(k.clone()).or_default(),
                };
                map.insert(id, signal.clone());
            }
        }
        self.listening.fetch_add(1, Ordering::Relaxed);
        Subscription { hub: Arc::clone(self), id, keys, signal }
    }
}

/// A slot among the open streams of one server, given back on drop.
pub struct StreamSlot {
    hub: Arc<Hub>,
}

impl Hub {
    /// A slot for one more stream, unless `max` are open.
    pub fn open_stream(self: &Arc<Self>, max: usize) -> Option<StreamSlot> {
        let before = self.open_streams.fetch_add(1, Ordering::SeqCst);
        if before >= max {
            self.open_streams.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(StreamSlot { hub: Arc::clone(self) })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.hub.open_streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A stream's registration in the hub, removed on drop.
pub struct Subscription {
    hub: Arc<Hub>,
    id: u64,
    keys: Vec<LogKey>,
    pub signal: Arc<Signal>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut listeners = lock(&self.hub.listeners);
        for key in &self.keys {
            match key {
                None => {
                    listeners.everyone.remove(&self.id);
                }
                Some(k) => {
                    if let Some(map) = listeners.by_key.get_mut(k) {
                        map.remove(&self.id);
                        if map.is_empty() {
                            listeners.by_key.remove(k);
                        }
                    }
                }
            }
        }
        self.hub.listening.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn nudges_reach_only_the_keys_listened_to() {
        let hub = Arc::new(Hub::default());
        let sub = hub.subscribe(vec![Some("a".into()), None]);
        hub.nudge(Some("b"), 5);
        assert_eq!(sub.signal.nudged.load(Ordering::SeqCst), 0);
        hub.nudge(Some("a"), 7);
        hub.nudge(None, 6);
        assert_eq!(sub.signal.nudged.load(Ordering::SeqCst), 7);
        tokio::time::timeout(Duration::from_secs(1), sub.signal.notify.notified()).await.expect("notified");
        drop(sub);
        assert!(!lock(&hub.listeners).by_key.contains_key("a"));
    }
}
