//! The emulator's settings: [`Config`], the fault plan [`FaultPlan`] and the kinds of [`Fault`].

use std::collections::HashMap;

use super::Link;

/// A fault injected on one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Close the client's connection without forwarding the request.
    DropBeforeForward,
    /// Forward, then send the first `after` bytes of the response and reset the connection (RST).
    ResetMidBody { after: usize },
    /// Forward, then send the head and half the body of the response and close (FIN).
    Truncate,
    /// Answer this status (5xx) without forwarding.
    ServerError { status: u16 },
    /// Answer 429 with `Retry-After: secs` without forwarding.
    TooManyRequests { retry_after: u64 },
    /// Answer 401 `{"code":"auth.expired_token",…}` without forwarding.
    ExpiredToken,
}

impl Fault {
    /// One of each kind, for a "every fault" pool.
    pub fn every_kind(retry_after: u64) -> Vec<Fault> {
        vec![
            Fault::DropBeforeForward,
            Fault::ResetMidBody { after: 40 },
            Fault::Truncate,
            Fault::ServerError { status: 503 },
            Fault::ServerError { status: 500 },
            Fault::TooManyRequests { retry_after },
            Fault::ExpiredToken,
        ]
    }

    pub fn name(&self) -> &'static str {
        match self {
            Fault::DropBeforeForward => "drop",
            Fault::ResetMidBody { .. } => "reset",
            Fault::Truncate => "truncate",
            Fault::ServerError { .. } => "5xx",
            Fault::TooManyRequests { .. } => "429",
            Fault::ExpiredToken => "401",
        }
    }
}

/// When to inject faults. Only requests whose path starts with one of `paths` count (all when empty).
#[derive(Debug, Clone, Default)]
pub struct FaultPlan {
    pub paths: Vec<String>,
    /// The n-th matching request (0-based) gets this fault.
    pub schedule: HashMap<u64, Fault>,
    /// Otherwise, with this probability, a fault drawn from `pool`.
    pub probability: f64,
    pub pool: Vec<Fault>,
    pub seed: u64,
}

impl FaultPlan {
    pub fn none() -> FaultPlan {
        FaultPlan::default()
    }

    pub fn random(probability: f64, pool: Vec<Fault>, seed: u64) -> FaultPlan {
        FaultPlan { probability, pool, seed, ..FaultPlan::default() }
    }

    pub fn on_paths(mut self, prefixes: &[&str]) -> FaultPlan {
        self.paths = prefixes.iter().map(|p| (*p).to_owned()).collect();
        self
    }

    pub(super) fn matches(&self, path: &str) -> bool {
        self.paths.is_empty() || self.paths.iter().any(|p| path.starts_with(p.as_str()))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Client to server.
    pub up: Link,
    /// Server to client.
    pub down: Link,
    /// A new client connection waits one round trip (up + down latency) before its first request.
    pub handshake_rtt: bool,
    /// Ask the server to close after each response, and close the client's connection too.
    pub force_close: bool,
    pub faults: FaultPlan,
}
