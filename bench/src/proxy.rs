//! A counting TCP proxy on loopback: bytes in both directions and HTTP/1.1 requests (request lines seen in the
//! client-to-server stream; JSON bodies cannot contain a raw CR LF, so a body never looks like one).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MARK: &[u8] = b" HTTP/1.1\r\n";
const PUSH: &[u8] = b"POST /api/v1/sync/push ";

#[derive(Default)]
pub struct Counters {
    pub up: AtomicU64,
    pub down: AtomicU64,
    pub requests: AtomicU64,
    pub pushes: AtomicU64,
    pub connections: AtomicU64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub up: u64,
    pub down: u64,
    pub requests: u64,
    /// `POST /api/v1/sync/push` requests.
    pub pushes: u64,
    pub connections: u64,
}

impl Snapshot {
    pub fn since(self, earlier: Snapshot) -> Snapshot {
        Snapshot {
            up: self.up - earlier.up,
            down: self.down - earlier.down,
            requests: self.requests - earlier.requests,
            pushes: self.pushes - earlier.pushes,
            connections: self.connections - earlier.connections,
        }
    }

    pub fn bytes(self) -> u64 {
        self.up + self.down
    }
}

pub struct Proxy {
    pub addr: SocketAddr,
    counters: Arc<Counters>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Listen on a free loopback port and forward every connection to `upstream`.
    pub async fn start(upstream: SocketAddr) -> anyhow::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let c = counters.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                c.connections.fetch_add(1, Ordering::Relaxed);
                let c = c.clone();
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(upstream).await {
                        let _ = client.set_nodelay(true);
                        let _ = server.set_nodelay(true);
                        let (cr, cw) = client.into_split();
                        let (sr, sw) = server.into_split();
                        let up = pump(cr, sw, c.clone(), true);
                        let down = pump(sr, cw, c, false);
                        let _ = tokio::join!(up, down);
                    }
                });
            }
        });
        Ok(Proxy { addr, counters, task })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            up: self.counters.up.load(Ordering::Relaxed),
            down: self.counters.down.load(Ordering::Relaxed),
            requests: self.counters.requests.load(Ordering::Relaxed),
            pushes: self.counters.pushes.load(Ordering::Relaxed),
            connections: self.counters.connections.load(Ordering::Relaxed),
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    c: Arc<Counters>,
    upstream: bool,
) -> std::io::Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut requests = Scanner::new(MARK);
    let mut pushes = Scanner::new(PUSH);
    loop {
        let n = from.read(&mut buf).await?;
        if n == 0 {
            to.shutdown().await?;
            return Ok(());
        }
        let chunk = &buf[..n];
        if upstream {
            c.up.fetch_add(n as u64, Ordering::Relaxed);
            c.requests.fetch_add(requests.feed(chunk), Ordering::Relaxed);
            c.pushes.fetch_add(pushes.feed(chunk), Ordering::Relaxed);
        } else {
            c.down.fetch_add(n as u64, Ordering::Relaxed);
        }
        to.write_all(chunk).await?;
    }
}

/// Counts a pattern in a byte stream split into arbitrary chunks.
pub struct Scanner {
    pattern: &'static [u8],
    tail: Vec<u8>,
}

impl Scanner {
    pub fn new(pattern: &'static [u8]) -> Scanner {
        Scanner { pattern, tail: Vec::new() }
    }

    pub fn feed(&mut self, chunk: &[u8]) -> u64 {
        let mut data = std::mem::take(&mut self.tail);
        data.extend_from_slice(chunk);
        let count = data.windows(self.pattern.len()).filter(|w| *w == self.pattern).count() as u64;
        let keep = data.len().min(self.pattern.len() - 1);
        self.tail = data[data.len() - keep..].to_vec();
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_request_lines_across_chunk_boundaries() {
        let stream = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}";
        for split in 0..stream.len() {
            let mut s = Scanner::new(MARK);
            let n = s.feed(&stream[..split]) + s.feed(&stream[split..]);
            assert_eq!(n, 2, "split at {split}");
            let mut p = Scanner::new(b"POST /b ");
            assert_eq!(p.feed(&stream[..split]) + p.feed(&stream[split..]), 1);
        }
        let mut s = Scanner::new(MARK);
        let n: u64 = stream.iter().map(|b| s.feed(std::slice::from_ref(b))).sum();
        assert_eq!(n, 2);
    }

    #[tokio::test]
    async fn proxy_counts_bytes_and_requests() {
        let upstream = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let up_addr = upstream.local_addr().expect("addr");
        tokio::spawn(async move {
            let (mut s, _) = upstream.accept().await.expect("accept");
            let mut buf = [0u8; 1024];
            let n = s.read(&mut buf).await.expect("read");
            assert!(n > 0);
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").await.expect("write");
        });
        let proxy = Proxy::start(up_addr).await.expect("proxy");
        let mut c = TcpStream::connect(proxy.addr).await.expect("connect");
        let req = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        c.write_all(req).await.expect("send");
        let mut resp = Vec::new();
        c.read_to_end(&mut resp).await.expect("read");
        let s = proxy.snapshot();
        assert_eq!(s.up, req.len() as u64);
        assert_eq!(s.down, resp.len() as u64);
        assert_eq!(s.requests, 1);
        assert_eq!(s.connections, 1);
    }
}
