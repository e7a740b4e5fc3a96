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
//! Only `tokio` and `std`: the bench includes this file as a module.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

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

    fn matches(&self, path: &str) -> bool {
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

#[derive(Default)]
struct Counters {
    connections: AtomicU64,
    requests: AtomicU64,
    forwarded: AtomicU64,
    responses: AtomicU64,
    bytes_up: AtomicU64,
    bytes_down: AtomicU64,
    faults: AtomicU64,
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
            while let Ok((client, _)) = listener.accept().await {
                s.counters.connections.fetch_add(1, Ordering::Relaxed);
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = serve(client, s).await;
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
        let c = &self.shared.counters;
        Stats {
            connections: c.connections.load(Ordering::Relaxed),
            requests: c.requests.load(Ordering::Relaxed),
            forwarded: c.forwarded.load(Ordering::Relaxed),
            responses: c.responses.load(Ordering::Relaxed),
            bytes_up: c.bytes_up.load(Ordering::Relaxed),
            bytes_down: c.bytes_down.load(Ordering::Relaxed),
            faults: c.faults.load(Ordering::Relaxed),
        }
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

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// xorshift64*: a small seeded generator, enough for fault draws and jitter.
fn next_random(state: &mut u64) -> u64 {
    let mut x = *state;
    if x == 0 {
        x = 0x2545_F491_4F6C_DD1D;
    }
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

fn unit(state: &mut u64) -> f64 {
    (next_random(state) >> 11) as f64 / (1u64 << 53) as f64
}

impl Shared {
    fn decide(&self, path: &str) -> Option<Fault> {
        let config = lock(&self.config);
        let plan = &config.faults;
        if !plan.matches(path) {
            return None;
        }
        let mut st = lock(&self.plan_state);
        let index = st.0;
        st.0 += 1;
        if let Some(f) = plan.schedule.get(&index) {
            return Some(f.clone());
        }
        if plan.probability > 0.0 && !plan.pool.is_empty() && unit(&mut st.1) < plan.probability {
            let i = (next_random(&mut st.1) % plan.pool.len() as u64) as usize;
            return plan.pool.get(i).cloned();
        }
        None
    }

    fn link(&self, up: bool) -> Link {
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
    async fn transmit(&self, to: &mut TcpStream, bytes: &[u8], up: bool) -> io::Result<()> {
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

    fn record(&self, seen: Seen) {
        let mut log = lock(&self.log);
        if log.len() < LOG_CAP {
            log.push(seen);
        }
    }
}

/// A buffered reader over a socket.
struct Reader {
    buf: Vec<u8>,
}

impl Reader {
    fn new() -> Reader {
        Reader { buf: Vec::new() }
    }

    async fn fill(&mut self, s: &mut TcpStream) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let n = s.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// Bytes up to and including the blank line; `None` on a clean close before any byte.
    async fn head(&mut self, s: &mut TcpStream) -> io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                return Ok(Some(self.buf.drain(..end + 4).collect()));
            }
            if self.buf.len() > 64 * 1024 {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "HTTP head too large"));
            }
            if self.fill(s).await? == 0 {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    async fn exact(&mut self, s: &mut TcpStream, n: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() < n {
            if self.fill(s).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    async fn line(&mut self, s: &mut TcpStream) -> io::Result<Vec<u8>> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n") {
                return Ok(self.buf.drain(..end + 2).collect());
            }
            if self.fill(s).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    async fn until_eof(&mut self, s: &mut TcpStream) -> io::Result<Vec<u8>> {
        while self.fill(s).await? > 0 {}
        Ok(std::mem::take(&mut self.buf))
    }

    /// The body after `head` with its framing bytes, as received.
    async fn body(&mut self, s: &mut TcpStream, framing: Framing) -> io::Result<Vec<u8>> {
        match framing {
            Framing::None => Ok(Vec::new()),
            Framing::Length(n) => self.exact(s, n).await,
            Framing::UntilClose => self.until_eof(s).await,
            Framing::Chunked => {
                let mut out = Vec::new();
                loop {
                    let line = self.line(s).await?;
                    let size_text = String::from_utf8_lossy(&line);
                    let size_hex = size_text.trim().split(';').next().unwrap_or("").trim().to_owned();
                    let size = usize::from_str_radix(&size_hex, 16)
                        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
                    out.extend_from_slice(&line);
                    if size == 0 {
                        // Trailers, then the blank line.
                        loop {
                            let t = self.line(s).await?;
                            let blank = t == b"\r\n";
                            out.extend_from_slice(&t);
                            if blank {
                                return Ok(out);
                            }
                        }
                    }
                    out.extend_from_slice(&self.exact(s, size + 2).await?);
                }
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    None,
    Length(usize),
    Chunked,
    UntilClose,
}

/// A parsed message head.
#[derive(Debug, Clone)]
struct Head {
    /// Request: method; response: the status code as text.
    first: String,
    /// Request: path; response: empty.
    target: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn parse(raw: &[u8], request: bool) -> io::Result<Head> {
        let text = String::from_utf8_lossy(raw);
        let mut lines = text.split("\r\n");
        let start = lines.next().unwrap_or("");
        let mut parts = start.split(' ');
        let (first, target) = if request {
            (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned())
        } else {
            let _version = parts.next();
            (parts.next().unwrap_or("").to_owned(), String::new())
        };
        if first.is_empty() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "bad HTTP start line"));
        }
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Ok(Head { first, target, headers })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn closes(&self) -> bool {
        self.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }

    fn framing(&self, request: bool, request_method: &str) -> Framing {
        if self.header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
            return Framing::Chunked;
        }
        if let Some(n) = self.header("content-length").and_then(|v| v.parse::<usize>().ok()) {
            return Framing::Length(n);
        }
        if request {
            return Framing::None;
        }
        let status: u16 = self.first.parse().unwrap_or(200);
        if request_method == "HEAD" || (100..200).contains(&status) || status == 204 || status == 304 {
            Framing::None
        } else {
            Framing::UntilClose
        }
    }
}

/// Rewrite a head to carry `Connection: close`.
fn with_close(raw: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::new();
    for line in text.split("\r\n") {
        if line.is_empty() {
            continue;
        }
        if line.to_ascii_lowercase().starts_with("connection:") {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

fn canned(status: u16, extra: &str, body: &str) -> Vec<u8> {
    let reason = match status {
        401 => "Unauthorized",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn serve(mut client: TcpStream, s: Arc<Shared>) -> io::Result<()> {
    let _ = client.set_nodelay(true);
    let (handshake, force_close) = {
        let c = lock(&s.config);
        (c.handshake_rtt.then_some(c.up.latency + c.down.latency), c.force_close)
    };
    if let Some(rtt) = handshake {
        tokio::time::sleep(rtt).await;
    }
    let mut from_client = Reader::new();
    let mut server: Option<(TcpStream, Reader)> = None;
    loop {
        let Some(raw_head) = from_client.head(&mut client).await? else { return Ok(()) };
        let head = Head::parse(&raw_head, true)?;
        let body = from_client.body(&mut client, head.framing(true, &head.first)).await?;
        s.counters.requests.fetch_add(1, Ordering::Relaxed);
        *lock(&s.last_request) = Some(Instant::now());
        let fault = s.decide(&head.target);
        if let Some(f) = &fault {
            s.counters.faults.fetch_add(1, Ordering::Relaxed);
            *lock(&s.fault_counts).entry(f.name()).or_insert(0) += 1;
        }
        let mut seen =
            Seen { at: Instant::now(), method: head.first.clone(), path: head.target.clone(), status: None, fault };
        // Faults answered here, without the server.
        let answer = match &seen.fault {
            Some(Fault::DropBeforeForward) => {
                s.record(seen);
                return Ok(());
            }
            Some(Fault::ServerError { status }) => Some((
                *status,
                canned(*status, "", r#"{"code":"server.unavailable","message":"Injected by the emulator."}"#),
            )),
            Some(Fault::TooManyRequests { retry_after }) => Some((
                429,
                canned(
                    429,
                    &format!("Retry-After: {retry_after}\r\n"),
                    r#"{"code":"server.busy","message":"Injected by the emulator."}"#,
                ),
            )),
            Some(Fault::ExpiredToken) => Some((
                401,
                canned(401, "", r#"{"code":"auth.expired_token","message":"The access token has expired."}"#),
            )),
            _ => None,
        };
        if let Some((status, bytes)) = answer {
            // The request still crossed the link before the emulator "answered" at the far end.
            tokio::time::sleep(s.link(true).latency).await;
            s.counters.bytes_up.fetch_add((raw_head.len() + body.len()) as u64, Ordering::Relaxed);
            s.transmit(&mut client, &bytes, false).await?;
            s.counters.responses.fetch_add(1, Ordering::Relaxed);
            seen.status = Some(status);
            s.record(seen);
            if force_close {
                return Ok(());
            }
            continue;
        }
        // Forward.
        if server.is_none() {
            let addr = *lock(&s.upstream);
            let sock = TcpStream::connect(addr).await?;
            let _ = sock.set_nodelay(true);
            server = Some((sock, Reader::new()));
        }
        let Some((up_sock, from_server)) = server.as_mut() else { return Ok(()) };
        let mut request = if force_close { with_close(&raw_head) } else { raw_head };
        request.extend_from_slice(&body);
        s.transmit(up_sock, &request, true).await?;
        s.counters.forwarded.fetch_add(1, Ordering::Relaxed);
        let Some(resp_raw) = from_server.head(up_sock).await? else {
            s.record(seen);
            return Ok(());
        };
        let resp = Head::parse(&resp_raw, false)?;
        let resp_body = from_server.body(up_sock, resp.framing(false, &head.first)).await?;
        seen.status = resp.first.parse().ok();
        let mut response = resp_raw.clone();
        response.extend_from_slice(&resp_body);
        match &seen.fault {
            Some(Fault::ResetMidBody { after }) => {
                let n = (*after).min(response.len().saturating_sub(1));
                s.transmit(&mut client, &response[..n], false).await?;
                let _ = client.set_zero_linger();
                s.record(seen);
                return Ok(());
            }
            Some(Fault::Truncate) => {
                let n = resp_raw.len() + resp_body.len() / 2;
                s.transmit(&mut client, &response[..n.min(response.len().saturating_sub(1))], false).await?;
                let _ = client.shutdown().await;
                s.record(seen);
                return Ok(());
            }
            _ => {}
        }
        s.transmit(&mut client, &response, false).await?;
        s.counters.responses.fetch_add(1, Ordering::Relaxed);
        s.record(seen);
        if force_close || resp.closes() || head.closes() || resp.framing(false, &head.first) == Framing::UntilClose {
            let _ = client.shutdown().await;
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A keep-alive HTTP/1.1 server answering every request with `body` (chunked when `chunked`).
    async fn origin(chunked: bool) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut r = Reader::new();
                    while let Ok(Some(raw)) = r.head(&mut sock).await {
                        let head = Head::parse(&raw, true).expect("head");
                        let body = r.body(&mut sock, head.framing(true, &head.first)).await.expect("body");
                        let text = format!("{} {} {}", head.first, head.target, body.len());
                        let close = if head.closes() { "Connection: close\r\n" } else { "" };
                        let resp = if chunked {
                            let (a, b) = text.split_at(text.len() / 2);
                            format!(
                                "HTTP/1.1 200 OK\r\n{close}Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
                                a.len(),
                                b.len()
                            )
                        } else {
                            format!("HTTP/1.1 200 OK\r\n{close}Content-Length: {}\r\n\r\n{text}", text.len())
                        };
                        if sock.write_all(resp.as_bytes()).await.is_err() || head.closes() {
                            break;
                        }
                    }
                });
            }
        });
        addr
    }

    fn client() -> reqwest::Client {
        reqwest::Client::builder().build().expect("client")
    }

    #[tokio::test]
    async fn keep_alive_requests_pass_through_and_are_counted() {
        for chunked in [false, true] {
            let emu = Emulator::start(origin(chunked).await, Config::default()).await.expect("start");
            let http = client();
            for i in 0..5 {
                let text = http
                    .post(format!("{}/p/{i}", emu.url()))
                    .body("x".repeat(i * 10))
                    .send()
                    .await
                    .expect("send")
                    .text()
                    .await
                    .expect("text");
                assert_eq!(text, format!("POST /p/{i} {}", i * 10));
            }
            let st = emu.stats();
            assert_eq!(st.requests, 5);
            assert_eq!(st.responses, 5);
            assert_eq!(st.connections, 1, "keep-alive reuses the connection");
            assert!(st.bytes_up > 100 && st.bytes_down > 100);
        }
    }

    #[tokio::test]
    async fn force_close_closes_every_connection() {
        let cfg = Config { force_close: true, ..Config::default() };
        let emu = Emulator::start(origin(false).await, cfg).await.expect("start");
        let http = client();
        for _ in 0..3 {
            let r = http.get(format!("{}/a", emu.url())).send().await.expect("send");
            assert_eq!(r.headers().get("connection").and_then(|v| v.to_str().ok()), Some("close"));
            assert_eq!(r.text().await.expect("text"), "GET /a 0");
        }
        assert_eq!(emu.stats().connections, 3);
    }

    #[tokio::test]
    async fn scheduled_faults_hit_exactly_their_request() {
        let mut schedule = HashMap::new();
        schedule.insert(0, Fault::ServerError { status: 503 });
        schedule.insert(1, Fault::TooManyRequests { retry_after: 7 });
        schedule.insert(2, Fault::ExpiredToken);
        schedule.insert(3, Fault::DropBeforeForward);
        schedule.insert(4, Fault::ResetMidBody { after: 10 });
        schedule.insert(5, Fault::Truncate);
        let plan = FaultPlan { schedule, ..FaultPlan::default() }.on_paths(&["/sync"]);
        let emu =
            Emulator::start(origin(false).await, Config { faults: plan, ..Config::default() }).await.expect("start");
        let http = client();
        let url = |p: &str| format!("{}{p}", emu.url());
        // A path outside the plan neither counts nor fails.
        assert_eq!(http.get(url("/login")).send().await.expect("login").status(), 200);
        let r = http.get(url("/sync")).send().await.expect("503");
        assert_eq!(r.status(), 503);
        let r = http.get(url("/sync")).send().await.expect("429");
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("7"));
        let r = http.get(url("/sync")).send().await.expect("401");
        assert_eq!(r.status(), 401);
        assert!(r.text().await.expect("body").contains("auth.expired_token"));
        assert!(http.get(url("/sync")).send().await.is_err(), "dropped before forwarding");
        let reset = match http.get(url("/sync")).send().await {
            Ok(r) => r.text().await.is_err(),
            Err(_) => true,
        };
        assert!(reset, "reset mid-body");
        let truncated = match http.get(url("/sync")).send().await {
            Ok(r) => r.text().await.is_err(),
            Err(_) => true,
        };
        assert!(truncated, "truncated body");
        let r = http.get(url("/sync")).send().await.expect("healthy again");
        assert_eq!(r.text().await.expect("text"), "GET /sync 0");
        let st = emu.stats();
        assert_eq!(st.faults, 6);
        assert_eq!(st.forwarded, 4, "login, reset, truncate, last");
        let counts = emu.fault_counts();
        assert_eq!(counts.get("drop"), Some(&1));
        assert_eq!(counts.get("truncate"), Some(&1));
        let log = emu.log();
        assert_eq!(log.len(), 8);
        assert_eq!(log[1].status, Some(503));
    }

    #[tokio::test]
    async fn random_faults_follow_the_probability() {
        let plan = FaultPlan::random(0.3, vec![Fault::ServerError { status: 500 }], 42);
        let emu =
            Emulator::start(origin(false).await, Config { faults: plan, ..Config::default() }).await.expect("start");
        let http = client();
        let mut failed = 0;
        for _ in 0..200 {
            if http.get(format!("{}/x", emu.url())).send().await.expect("send").status() == 500 {
                failed += 1;
            }
        }
        assert!((30..=90).contains(&failed), "{failed} of 200 at p = 0.3");
        assert_eq!(emu.stats().faults, failed);
    }

    #[tokio::test]
    async fn latency_and_bandwidth_slow_the_exchange() {
        let cfg = Config {
            up: Link { latency: Duration::from_millis(50), ..Link::default() },
            down: Link { latency: Duration::from_millis(50), jitter: Duration::ZERO, bandwidth: Some(100_000) },
            handshake_rtt: true,
            ..Config::default()
        };
        let emu = Emulator::start(origin(false).await, cfg).await.expect("start");
        let http = client();
        let t = Instant::now();
        http.get(format!("{}/a", emu.url())).send().await.expect("send").text().await.expect("text");
        let first = t.elapsed();
        assert!(first >= Duration::from_millis(200), "handshake + round trip: {first:?}");
        let t = Instant::now();
        // 50 kB up at unlimited, the small answer down: one round trip.
        http.post(format!("{}/b", emu.url())).body(vec![b'x'; 50_000]).send().await.expect("send");
        let second = t.elapsed();
        assert!(second >= Duration::from_millis(100) && second < Duration::from_millis(400), "{second:?}");
        // Limit the upload to 100 kB/s: 50 kB take 0.5 s more.
        emu.set_links(Link { bandwidth: Some(100_000), ..Link::new(50, 0) }, Link::new(50, 0));
        let t = Instant::now();
        http.post(format!("{}/c", emu.url())).body(vec![b'x'; 50_000]).send().await.expect("send");
        let third = t.elapsed();
        assert!(third >= Duration::from_millis(550), "{third:?}");
    }

    #[test]
    fn heads_parse_and_rewrite() {
        let raw = b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 12\r\n\r\n";
        let h = Head::parse(raw, true).expect("parse");
        assert_eq!((h.first.as_str(), h.target.as_str()), ("POST", "/api/v1/sync/push"));
        assert_eq!(h.framing(true, "POST"), Framing::Length(12));
        let closed = with_close(raw);
        let c = Head::parse(&closed, true).expect("parse");
        assert!(c.closes());
        assert_eq!(c.headers.iter().filter(|(k, _)| k == "connection").count(), 1);
        let resp = Head::parse(b"HTTP/1.1 204 No Content\r\n\r\n", false).expect("resp");
        assert_eq!(resp.framing(false, "GET"), Framing::None);
        let eof = Head::parse(b"HTTP/1.1 200 OK\r\n\r\n", false).expect("resp");
        assert_eq!(eof.framing(false, "GET"), Framing::UntilClose);
    }
}
