//! Counters of everything that went through the emulator, and their snapshot [`Stats`].

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters of everything that went through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub connections: u64,
    pub requests: u64,
    /// Requests forwarded to the server (not answered by a fault before).
    pub forwarded: u64,
    pub responses: u64,
    pub bytes_up: u64,
    pub bytes_down: u64,
    pub faults: u64,
}

impl Stats {
    pub fn since(self, earlier: Stats) -> Stats {
        Stats {
            connections: self.connections - earlier.connections,
            requests: self.requests - earlier.requests,
            forwarded: self.forwarded - earlier.forwarded,
            responses: self.responses - earlier.responses,
            bytes_up: self.bytes_up - earlier.bytes_up,
            bytes_down: self.bytes_down - earlier.bytes_down,
            faults: self.faults - earlier.faults,
        }
    }
}

#[derive(Default)]
pub(super) struct Counters {
    pub(super) connections: AtomicU64,
    pub(super) requests: AtomicU64,
    pub(super) forwarded: AtomicU64,
    pub(super) responses: AtomicU64,
    pub(super) bytes_up: AtomicU64,
    pub(super) bytes_down: AtomicU64,
    pub(super) faults: AtomicU64,
}

impl Counters {
    pub(super) fn snapshot(&self) -> Stats {
        Stats {
            connections: self.connections.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
            forwarded: self.forwarded.load(Ordering::Relaxed),
            responses: self.responses.load(Ordering::Relaxed),
            bytes_up: self.bytes_up.load(Ordering::Relaxed),
            bytes_down: self.bytes_down.load(Ordering::Relaxed),
            faults: self.faults.load(Ordering::Relaxed),
        }
    }
}
