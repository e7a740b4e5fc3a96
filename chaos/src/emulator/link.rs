//! One direction of the link, [`Link`], and shaping traffic by its latency, jitter and bandwidth.

use std::io;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::random::unit;
use super::{lock, Shared};

/// One direction of the link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Link {
    /// One-way delay of every message.
    pub latency: Duration,
    /// A random extra delay in `[0, jitter]` per message.
    pub jitter: Duration,
    /// Bytes per second; `None` is unlimited.
    pub bandwidth: Option<u64>,
}

impl Link {
    /// `latency_ms` one way, `bits_per_second` of bandwidth (e.g. 2_000_000 for 2 Mbit/s).
    pub fn new(latency_ms: u64, bits_per_second: u64) -> Link {
        Link {
            latency: Duration::from_millis(latency_ms),
            jitter: Duration::ZERO,
            bandwidth: Some(bits_per_second / 8),
        }
    }
}

impl Shared {
    pub(super) fn link(&self, up: bool) -> Link {
        let c = lock(&self.config);
        if up {
            c.up
        } else {
            c.down
        }
    }

    fn jitter(&self, max: Duration) -> Duration {
        if max.is_zero() {
            return Duration::ZERO;
        }
        let mut st = lock(&self.plan_state);
        max.mul_f64(unit(&mut st.1))
    }

    /// Send `bytes` over one direction of the link: the latency once, then the bandwidth on a shared link.
    pub(super) async fn transmit(&self, to: &mut TcpStream, bytes: &[u8], up: bool) -> io::Result<()> {
        let link = self.link(up);
        let delay = link.latency + self.jitter(link.jitter);
        let started = Instant::now();
        for piece in bytes.chunks(16 * 1024) {
            if let Some(bw) = link.bandwidth.filter(|b| *b > 0) {
                let wire = Duration::from_secs_f64(piece.len() as f64 / bw as f64);
                let done = {
                    let mut busy = lock(&self.busy_until[usize::from(!up)]);
                    let start = (*busy).max(Instant::now());
                    *busy = start + wire;
                    *busy
                };
                tokio::time::sleep_until((done + delay).into()).await;
            } else {
                tokio::time::sleep_until((started + delay).into()).await;
            }
            to.write_all(piece).await?;
            let counter = if up { &self.counters.bytes_up } else { &self.counters.bytes_down };
            counter.fetch_add(piece.len() as u64, Ordering::Relaxed);
        }
        Ok(())
    }
}
