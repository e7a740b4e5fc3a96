//! A network emulator: an async TCP proxy on loopback between a client and an HTTP/1.1 server.
//!
//! - **Link**: per direction a one-way latency, a random jitter on top, and a bandwidth limit (bytes/s, one
//!   shared link per direction, so parallel connections share it). A new connection can cost one round trip,
//!   as a TCP handshake would.
//! - **HTTP-aware**: requests and responses are framed (Content-Length, chunked, or until close), so keep-alive
//!   connections work and a fault hits exactly one request. [`Config::force_close`] adds `Connection: close`.
//! - **Faults**, by schedule (the n-th matching request) or by probability (seeded): drop the connection before
//!   forwarding, reset mid-body (RST after N bytes of the response), truncate the response (FIN after half of
//!   it), answer 5xx itself, answer 429 with `Retry-After`, answer 401 `auth.expired_token`.
//! - **Counts** requests, bytes, connections and faults; keeps the time of the last request (for watchdogs).
//!
//! Only `tokio` and `std`: the bench includes this folder as a module (by `#[path]` to this file; the
//! submodules below resolve relative to it).
//!
//! | module | concern |
//! | --- | --- |
//! | `config` | [`Config`], [`FaultPlan`], [`Fault`] |
//! | `link` | [`Link`]: latency, jitter and bandwidth shaping |
//! | `http` | request/response boundaries: heads, framing, bodies |
//! | `faults` | deciding and applying faults, canned answers |
//! | `proxy` | serving one client connection |
//! | `random` | the seeded generator |
//! | `stats` | [`Stats`] and the counters behind it |

mod config;
mod faults;
mod http;
mod link;
mod proxy;
mod random;
mod stats;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::net::TcpListener;

pub use config::{Config, Fault, FaultPlan};
pub use link::Link;
pub use stats::Stats;

use stats::Counters;

/// One request seen, for tests.
#[derive(Debug, Clone)]
pub struct Seen {
    pub at: Instant,
    pub method: String,
    pub path: String,
    /// The response status (the injected one for a fault that answers), `None` when none came back.
    pub status: Option<u16>,
    pub fault: Option<Fault>,
}

struct Shared {
    upstream: Mutex<SocketAddr>,
    config: Mutex<Config>,
    /// Matching requests so far (the schedule's index) and the random state.
    plan_state: Mutex<(u64, u64)>,
    counters: Counters,
    log: Mutex<Vec<Seen>>,
    last_request: Mutex<Option<Instant>>,
    /// Per direction (up, down): when the link is free again.
    busy_until: [Mutex<Instant>; 2],
    fault_counts: Mutex<HashMap<&'static str, u64>>,
}

/// The running emulator; stops when dropped.
pub struct Emulator {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

const LOG_CAP: usize = 100_000;

impl Emulator {
    /// Listen on a free loopback port and forward to `upstream`.
    pub async fn start(upstream: SocketAddr, config: Config) -> io::Result<Emulator> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let seed = config.faults.seed;
        let now = Instant::now();
        let shared = Arc::new(Shared {
            upstream: Mutex::new(upstream),
            config: Mutex::new(config),
            plan_state: Mutex::new((0, seed ^ 0x9E37_79B9_7F4A_7C15)),
            counters: Counters::default(),
            log: Mutex::new(Vec::new()),
            last_request: Mutex::new(None),
            busy_until: [Mutex::new(now), Mutex::new(now)],
            fault_counts: Mutex::new(HashMap::new()),
        });
        let s = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let client = match listener.accept().await {
                    Ok((client, _)) => client,
                    // A failed accept (a connection reset while queued, no descriptor free for a moment) ends
                    // that connection, never the emulator: with hundreds of devices it happens.
                    Err(_) => {
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        continue;
                    }
                };
                s.counters.connections.fetch_add(1, Ordering::Relaxed);
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = proxy::serve(client, s).await;
                });
            }
        });
        Ok(Emulator { addr, shared, task })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Replace the fault plan (resets the schedule's request index and the random state).
    pub fn set_faults(&self, plan: FaultPlan) {
        let seed = plan.seed;
        lock(&self.shared.config).faults = plan;
        *lock(&self.shared.plan_state) = (0, seed ^ 0x9E37_79B9_7F4A_7C15);
    }

    /// Replace the link settings (latency, bandwidth) of both directions.
    pub fn set_links(&self, up: Link, down: Link) {
        let mut c = lock(&self.shared.config);
        c.up = up;
        c.down = down;
    }

    /// Forward new connections elsewhere (e.g. a restarted server on another port).
    pub fn set_upstream(&self, upstream: SocketAddr) {
        *lock(&self.shared.upstream) = upstream;
    }

    pub fn stats(&self) -> Stats {
        self.shared.counters.snapshot()
    }

    /// Faults injected so far, by [`Fault::name`].
    pub fn fault_counts(&self) -> HashMap<&'static str, u64> {
        lock(&self.shared.fault_counts).clone()
    }

    /// When the last request arrived.
    pub fn last_request(&self) -> Option<Instant> {
        *lock(&self.shared.last_request)
    }

    /// The requests seen so far (the first 100,000).
    pub fn log(&self) -> Vec<Seen> {
        lock(&self.shared.log).clone()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Shared {
    fn record(&self, seen: Seen) {
        let mut log = lock(&self.log);
        if log.len() < LOG_CAP {
            log.push(seen);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
