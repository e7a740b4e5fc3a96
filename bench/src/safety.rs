//! The price of safety on the server's hot paths, each beside a baseline of the same run: S1 no-change syncs
//! over HTTPS vs plain HTTP (P7's shared-session load), S2 the first request of a new connection (handshake
//! included) with and without TLS, S3 a successful login (argon2 behind its gate, the throttle's reads and
//! write, a new session) vs the floor of a request (`GET /healthz`).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use mysapk_model::auth::LoginRequest;
use mysapk_server::tls::TlsFiles;

use crate::fixtures::{self, Backend, ServerEnv, DEMO_USERS, PASSWORD};
use crate::report::{Figure, Section};
use crate::stats::{ms, percentile, ratio};
use crate::{bar, Mode};

struct Sizes {
    devices: usize,
    sessions: usize,
    /// Measured seconds of each S1 phase, after `warm` seconds (TLS handshakes of all devices fall in there).
    seconds: f64,
    warm: f64,
    /// New connections per transport (S2).
    connections: usize,
    logins: usize,
}

/// A context figure: no goal to meet, the ratio to its same-run baseline is the price.
fn figure(id: &'static str, name: String, setup: String, measured: String, baseline: String, ratio: String) -> Figure {
    let goal = "(price of safety)".into();
    Figure { id, name, command: String::new(), setup, goal, measured, baseline, ratio, met: None }
}

/// One of the two servers: where it listens and, for HTTPS, the certificate its clients trust.
struct Target {
    base: String,
    addr: SocketAddr,
    cert: Option<reqwest::Certificate>,
}

impl Target {
    fn of(env: &ServerEnv, cert: Option<reqwest::Certificate>) -> Target {
        let scheme = if cert.is_some() { "https" } else { "http" };
        Target { base: format!("{scheme}://localhost:{}", env.addr().port()), addr: env.addr(), cert }
    }

    /// A client of its own (its own connection pool); both transports reach `localhost` the same way.
    fn client(&self) -> anyhow::Result<reqwest::Client> {
        let mut b = reqwest::Client::builder().resolve("localhost", self.addr).timeout(Duration::from_secs(30));
        if let Some(cert) = &self.cert {
            b = b.add_root_certificate(cert.clone()).tls_built_in_root_certs(false);
        }
        Ok(b.build()?)
    }
}

pub async fn run(mode: Mode) -> anyhow::Result<Section> {
    let s = match mode {
        Mode::Full => Sizes { devices: 256, sessions: 32, seconds: 6.0, warm: 1.0, connections: 1_000, logins: 200 },
        Mode::Quick => Sizes { devices: 8, sessions: 2, seconds: 0.3, warm: 0.2, connections: 10, logins: 4 },
    };
    let mut section = Section::new("safety", mode);
    section.note(&format!(
        "Two servers run in the bench's process (`mysapk_server::start`, {}, SQLite, each on its own seeded demo \
         database) on the same tokio runtime as the load, over loopback; the machine has {} cores shared by \
         servers and load. They differ only in `Config.tls`: one serves HTTPS (TLS 1.3 by rustls/ring, a \
         self-signed ECDSA P-256 certificate made by rcgen, trusted by the clients through \
         `add_root_certificate`), the other plain HTTP. Both are reached as `localhost` by the same client setup.",
        crate::build_kind(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    ));
    let dir = tempfile::tempdir()?;
    let (files, pem) = certificate(dir.path())?;
    let cert = reqwest::Certificate::from_pem(pem.as_bytes()).context("the certificate PEM")?;
    let tls_env = serve(&dir.path().join("tls"), Some(files)).await?;
    let plain_env = match serve(&dir.path().join("plain"), None).await {
        Ok(env) => env,
        Err(e) => {
            tls_env.finish().await;
            return Err(e);
        }
    };
    let (tls, plain) = (Target::of(&tls_env, Some(cert)), Target::of(&plain_env, None));

    eprintln!("S1 no-change syncs over HTTPS and plain HTTP");
    match s1(&s, &tls, &plain).await {
        Ok(f) => section.figures.extend(f),
        Err(e) => section.note(&format!("S1 not measured: {e:#}")),
    }
    eprintln!("S2 new connections");
    match s2(&s, &tls, &plain).await {
        Ok(f) => section.figures.push(f),
        Err(e) => section.note(&format!("S2 not measured: {e:#}")),
    }
    eprintln!("S3 logins");
    match s3(&s, &plain).await {
        Ok(f) => section.figures.push(f),
        Err(e) => section.note(&format!("S3 not measured: {e:#}")),
    }
    tls_env.finish().await;
    plain_env.finish().await;
    Ok(section)
}

/// A seeded SQLite server in `dir` (documents in it too), serving HTTPS with `tls` if given.
async fn serve(dir: &Path, tls: Option<TlsFiles>) -> anyhow::Result<ServerEnv> {
    std::fs::create_dir_all(dir)?;
    ServerEnv::start_with(Backend::Sqlite, dir, |c| {
        c.tls = tls;
        c.document_dir = dir.join("documents");
    })
    .await
}

/// A self-signed certificate for `localhost` written as PEM files into `dir`; its certificate PEM.
fn certificate(dir: &Path) -> anyhow::Result<(TlsFiles, String)> {
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])?;
    let files = TlsFiles { cert: dir.join("cert.pem"), key: dir.join("key.pem") };
    std::fs::write(&files.cert, generated.cert.pem())?;
    std::fs::write(&files.key, generated.key_pair.serialize_pem())?;
    Ok((files, generated.cert.pem()))
}

/// `n` sessions (the demo users in turn), each with its user's current cursor.
async fn sessions(target: &Target, n: usize) -> anyhow::Result<Vec<(String, String)>> {
    let http = target.client()?;
    let base = &target.base;
    let mut out = Vec::new();
    for i in 0..n {
        out.push(fixtures::caught_up_session(&http, base, DEMO_USERS[i % DEMO_USERS.len()]).await?);
    }
    Ok(out)
}

/// The samples of one load phase, or of phases pooled, and the measured seconds they span.
#[derive(Default)]
struct Load {
    seconds: f64,
    latencies: Vec<Duration>,
    errors: usize,
}

impl Load {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.seconds.max(1e-9)
    }

    fn add(&mut self, other: Load) {
        self.seconds += other.seconds;
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
    }
}

/// P7's load: `devices` tasks, each with its own client and keep-alive connection, looping no-change pulls.
async fn sync_load(
    s: &Sizes,
    target: &Target,
    sessions: Arc<Vec<(String, String)>>,
    label: &str,
) -> anyhow::Result<Load> {
    eprintln!("  {label}: {:.1} s", s.warm + s.seconds);
    // The clients are built before the clock starts: building one is no part of the load.
    let clients = (0..s.devices).map(|_| target.client()).collect::<anyhow::Result<Vec<_>>>()?;
    let warm = Instant::now() + Duration::from_secs_f64(s.warm);
    let end = warm + Duration::from_secs_f64(s.seconds);
    let url = format!("{}/api/v1/sync", target.base);
    let mut tasks = Vec::new();
    for (i, client) in clients.into_iter().enumerate() {
        let (sessions, url) = (sessions.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let (token, cursor) = &sessions[i % sessions.len()];
            let mut load = Load::default();
            loop {
                let t = Instant::now();
                if t >= end {
                    break;
                }
                let req = client.get(&url).query(&[("cursor", cursor.as_str()), ("limit", "500")]).bearer_auth(token);
                let ok = fetch(req).await;
                if t >= warm && ok {
                    load.latencies.push(t.elapsed());
                } else if t >= warm {
                    load.errors += 1;
                }
            }
            load
        }));
    }
    let mut load = Load { seconds: s.seconds, ..Load::default() };
    for t in tasks {
        load.add(t.await?);
    }
    eprintln!("  {label}: {:.0} req/s", load.rate());
    Ok(load)
}

async fn s1(s: &Sizes, tls: &Target, plain: &Target) -> anyhow::Result<Vec<Figure>> {
    let tls_sessions = Arc::new(sessions(tls, s.sessions).await.context("sessions over HTTPS")?);
    let plain_sessions = Arc::new(sessions(plain, s.sessions).await.context("sessions over plain HTTP")?);
    // Plain before and after: the HTTPS phase sits between its two halves, so drift of the shared machine
    // weighs on both sides alike.
    let mut base = sync_load(s, plain, plain_sessions.clone(), "plain syncs (1/2)").await?;
    let secure = sync_load(s, tls, tls_sessions, "HTTPS syncs").await?;
    base.add(sync_load(s, plain, plain_sessions, "plain syncs (2/2)").await?);
    ensure!(secure.errors == 0 && base.errors == 0, "failed syncs: {} HTTPS, {} plain", secure.errors, base.errors);
    let setup = format!(
        "{} concurrent devices, each with its own reqwest client and keep-alive connection, looping \
         `GET /api/v1/sync?cursor=<current>&limit=500` with a bearer token (a no-change pull) as in P7; {} sessions \
         shared by the devices. Each phase: {:.1} s warm-up (every TLS handshake falls in it), then {:.1} s measured; \
         order plain, HTTPS, plain (baseline = both plain phases pooled). {} HTTPS and {} plain requests, no errors.",
        s.devices,
        s.sessions,
        s.warm,
        s.seconds,
        secure.latencies.len(),
        base.latencies.len()
    );
    Ok(vec![
        figure(
            "S1",
            format!("no-change syncs from {} devices over HTTPS: throughput", s.devices),
            setup.clone(),
            format!("{:.0} req/s", secure.rate()),
            format!("plain HTTP {:.0} req/s", base.rate()),
            format!("{} of plain", ratio(secure.rate(), base.rate())),
        ),
        figure(
            "S1",
            "no-change sync latency over HTTPS p50 / p99".to_owned(),
            setup,
            p50_p99(&secure.latencies),
            format!("plain HTTP {}", p50_p99(&base.latencies)),
            latency_ratio(&secure.latencies, &base.latencies),
        ),
    ])
}

fn p50_p99(samples: &[Duration]) -> String {
    format!("{} / {}", ms(percentile(samples, 50.0)), ms(percentile(samples, 99.0)))
}

fn latency_ratio(a: &[Duration], b: &[Duration]) -> String {
    let r = |p| ratio(percentile(a, p).as_secs_f64(), percentile(b, p).as_secs_f64());
    format!("p50 {}, p99 {}", r(50.0), r(99.0))
}

/// How long one request took, its body included; an error unless it succeeded.
async fn timed(req: reqwest::RequestBuilder, what: &str) -> anyhow::Result<Duration> {
    let t = Instant::now();
    ensure!(fetch(req).await, "{what} failed");
    Ok(t.elapsed())
}

/// One request with its body; whether it succeeded.
async fn fetch(req: reqwest::RequestBuilder) -> bool {
    match req.send().await {
        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
        Err(_) => false,
    }
}

async fn s2(s: &Sizes, tls: &Target, plain: &Target) -> anyhow::Result<Figure> {
    let pb = bar(s.connections as u64, "new connections");
    let (mut secure, mut base) = (Vec::new(), Vec::new());
    // A few untimed rounds first; then the two transports alternate, each going first every other round.
    for i in 0..s.connections + 5 {
        let order = if i % 2 == 0 { [(tls, true), (plain, false)] } else { [(plain, false), (tls, true)] };
        for (target, is_tls) in order {
            // The client is built before the clock: its cost is not the connection's.
            let client = target.client()?;
            let took = timed(client.get(format!("{}/healthz", target.base)), "healthz on a new connection").await?;
            if i >= 5 {
                (if is_tls { &mut secure } else { &mut base }).push(took);
            }
        }
        if i >= 5 {
            pb.inc(1);
        }
    }
    pb.finish_and_clear();
    Ok(figure(
        "S2",
        "first request on a new connection (HTTPS handshake included) p50 / p99".to_owned(),
        format!(
            "{} sequential `GET /healthz`, each from a fresh reqwest client (so a new TCP connection, and over \
             HTTPS a full TLS handshake; no session resumption) built before the clock; HTTPS and plain HTTP \
             alternate request by request after 5 untimed rounds.",
            s.connections
        ),
        p50_p99(&secure),
        format!("plain HTTP {}", p50_p99(&base)),
        latency_ratio(&secure, &base),
    ))
}

async fn s3(s: &Sizes, plain: &Target) -> anyhow::Result<Figure> {
    let client = plain.client()?;
    let login_url = format!("{}/api/v1/auth/login", plain.base);
    let health_url = format!("{}/healthz", plain.base);
    // A stored hash of a demo user's password (the server's own parameters), for argon2 alone.
    let phc = tokio::task::spawn_blocking(|| mysapk_server::auth::password::hash_password(PASSWORD)).await??;
    let pb = bar(s.logins as u64, "logins");
    let (mut logins, mut health, mut argon) = (Vec::new(), Vec::new(), Vec::new());
    // Two untimed rounds; then login, healthz and argon2 alone alternate.
    for i in 0..s.logins + 2 {
        let nip = DEMO_USERS[i % DEMO_USERS.len()];
        let login = timed(client.post(&login_url).json(&LoginRequest::new(nip, PASSWORD)), "a login").await?;
        let h = timed(client.get(&health_url), "healthz").await?;
        let phc = phc.clone();
        let t = Instant::now();
        let ok =
            tokio::task::spawn_blocking(move || mysapk_server::auth::password::verify_password(PASSWORD, &phc)).await?;
        let a = t.elapsed();
        ensure!(ok, "argon2 verify of the demo password failed");
        if i >= 2 {
            logins.push(login);
            health.push(h);
            argon.push(a);
            pb.inc(1);
        }
    }
    pb.finish_and_clear();
    Ok(figure(
        "S3",
        "successful login, sequential p50 / p99".to_owned(),
        format!(
            "{} sequential `POST /api/v1/auth/login` of the demo users in turn (right password, no second factor: \
             `mfa_required = None`) over plain HTTP on one keep-alive connection, each followed by a `GET /healthz` \
             on the same connection (the baseline: the floor of a request) and by an argon2 verify alone (the \
             server's `verify_password`, same parameters, on a blocking thread like the server's gate: {}), after \
             2 untimed rounds. A login: the throttle's check (two reads of `login_throttle`: NIP, address), the \
             user and its lock, argon2 behind its semaphore (uncontended), the throttle's success (a delete of the \
             NIP's row), the second-factor lookup, a write transaction for the session. No baseline without the \
             throttle: no configuration takes it out of the path (`ThrottleLimits` only decides when counted \
             failures start a block; the check and the delete run on every login whatever the limits).",
            s.logins,
            p50_p99(&argon),
        ),
        p50_p99(&logins),
        format!("healthz {}", p50_p99(&health)),
        latency_ratio(&logins, &health),
    ))
}
