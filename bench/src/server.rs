//! The server suite (P7): no-change syncs from many concurrent devices sharing a few sessions, with
//! `GET /healthz` as the ceiling, on SQLite and on PostgreSQL; then, on each, P7 with distinct users and the
//! deadline-hour mix (`distinct`), with the shared-session figure of the same run as their baseline.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::ensure;

use crate::distinct;
use crate::fixtures::{self, Backend, ServerEnv, DEMO_USERS};
use crate::report::{Figure, Section};
use crate::stats::{ms, percentile, ratio};
use crate::{bar, Mode};

struct Sizes {
    devices: usize,
    sessions: usize,
    seconds: f64,
}

pub async fn run(mode: Mode) -> anyhow::Result<Section> {
    let s = match mode {
        Mode::Full => Sizes { devices: 256, sessions: 32, seconds: 10.0 },
        Mode::Quick => Sizes { devices: 8, sessions: 2, seconds: 0.5 },
    };
    let mut section = Section::new("server", mode);
    section.note(&format!(
        "The server runs in the bench's process (`mysapk_server::start`, {}) on the same tokio runtime \
         as the load ({} tasks, one reqwest client and keep-alive connection each, over loopback); the machine \
         has {} cores shared by server and load, so the figures are a floor for a dedicated server. {} sessions \
         (logins of the 6 demo users in turn) are shared by the tasks: a no-change pull costs the server the same \
         whichever token carries it. Each phase runs {:.1} s after a 0.5 s warm-up.",
        crate::build_kind(),
        s.devices,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        s.sessions,
        s.seconds
    ));
    let distinct = distinct::Sizes::new(mode);
    for backend in [Backend::Sqlite, Backend::Postgres] {
        eprintln!("P7 on {}", backend.name());
        let shared = match p7(&s, backend).await {
            Ok((f, shared)) => {
                section.figures.extend(f);
                shared
            }
            Err(e) => {
                section.note(&format!("P7 on {} not measured: {e:#}", backend.name()));
                continue;
            }
        };
        eprintln!("P7 with distinct users on {}", backend.name());
        match distinct::run(&distinct, backend, &shared).await {
            Ok((f, m)) => {
                section.figures.extend(f);
                section.note(&format!(
                    "{}: per node (this machine, load generator included) {:.0} no-change syncs/s of distinct users, \
                     {:.0} requests/s of the deadline-hour mix, {:.1} logins/s (used by docs/CAPACITY.md).",
                    backend.name(),
                    m.nochange_rate,
                    m.mix_rate,
                    m.login_rate
                ));
            }
            Err(e) => section.note(&format!("P7 with distinct users on {} not measured: {e:#}", backend.name())),
        }
    }
    Ok(section)
}

struct Load {
    count: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    errors: usize,
}

impl Load {
    fn rate(&self) -> f64 {
        self.count as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

async fn p7(s: &Sizes, backend: Backend) -> anyhow::Result<(Vec<Figure>, distinct::Shared)> {
    let dir = tempfile::tempdir()?;
    let env = ServerEnv::start(backend, dir.path()).await?;
    let base = env.url();
    let result = measure(s, backend, &base).await;
    env.finish().await;
    result
}

async fn measure(s: &Sizes, backend: Backend, base: &str) -> anyhow::Result<(Vec<Figure>, distinct::Shared)> {
    // Sessions and each user's current cursor.
    let http = reqwest::Client::new();
    let mut sessions: Vec<(String, String)> = Vec::new();
    let pb = bar(s.sessions as u64, "logging in");
    for i in 0..s.sessions {
        sessions.push(fixtures::caught_up_session(&http, base, DEMO_USERS[i % DEMO_USERS.len()]).await?);
        pb.inc(1);
    }
    pb.finish_and_clear();
    let sessions = Arc::new(sessions);

    let health = run_load(s, base, sessions.clone(), false).await?;
    let sync = run_load(s, base, sessions.clone(), true).await?;
    let health2 = run_load(s, base, sessions, false).await?;
    ensure!(sync.errors == 0, "{} failed sync requests", sync.errors);
    let ceiling = health.rate().max(health2.rate());
    let p50 = percentile(&sync.latencies, 50.0);
    let p99 = percentile(&sync.latencies, 99.0);
    let setup = format!(
        "{} concurrent devices each looping `GET /api/v1/sync?cursor=<current>&limit=500` (a no-change pull: \
         200 with an empty page) for {:.1} s; healthz measured before and after with the same tasks and \
         connections (ceiling = the better of the two: {:.0} and {:.0} req/s). {} requests, {} errors.",
        s.devices,
        s.seconds,
        health.rate(),
        health2.rate(),
        sync.count,
        sync.errors
    );
    let name = backend.name();
    let shared = distinct::Shared { rate: sync.rate(), p50, p99, devices: s.devices, sessions: s.sessions };
    let figures = vec![
        Figure {
            id: "P7",
            name: format!("{name}: no-change syncs from {} devices: throughput", s.devices),
            command: String::new(),
            setup: setup.clone(),
            goal: "≥ 5,000 req/s and ≥ 50% of healthz".into(),
            measured: format!("{:.0} req/s", sync.rate()),
            baseline: format!("healthz {ceiling:.0} req/s"),
            ratio: format!("{:.0}% of healthz", 100.0 * sync.rate() / ceiling.max(1e-9)),
            met: Some(sync.rate() >= 5_000.0 && sync.rate() >= 0.5 * ceiling),
        },
        Figure {
            id: "P7",
            name: format!("{name}: no-change sync latency p50 / p99"),
            command: String::new(),
            setup,
            goal: "p99 ≤ 50 ms".into(),
            measured: format!("{} / {}", ms(p50), ms(p99)),
            baseline: format!(
                "healthz {} / {}",
                ms(percentile(&health.latencies, 50.0)),
                ms(percentile(&health.latencies, 99.0))
            ),
            ratio: format!("p99 {}", ratio(p99.as_secs_f64(), percentile(&health.latencies, 99.0).as_secs_f64())),
            met: Some(p99 <= Duration::from_millis(50)),
        },
    ];
    Ok((figures, shared))
}

async fn run_load(s: &Sizes, base: &str, sessions: Arc<Vec<(String, String)>>, sync: bool) -> anyhow::Result<Load> {
    let label = if sync { "no-change syncs" } else { "healthz" };
    let pb = bar((s.seconds * 10.0) as u64, label);
    let warm = Instant::now() + Duration::from_millis(500);
    let end = warm + Duration::from_secs_f64(s.seconds);
    let mut tasks = Vec::new();
    for i in 0..s.devices {
        let sessions = sessions.clone();
        let url = if sync { format!("{base}/api/v1/sync") } else { format!("{base}/healthz") };
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let (token, cursor) = &sessions[i % sessions.len()];
            let mut lat = Vec::new();
            let mut errors = 0usize;
            loop {
                let t = Instant::now();
                if t >= end {
                    break;
                }
                let req = if sync {
                    client.get(&url).query(&[("cursor", cursor.as_str()), ("limit", "500")]).bearer_auth(token)
                } else {
                    client.get(&url)
                };
                let ok = match req.send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if t >= warm {
                    if ok {
                        lat.push(t.elapsed());
                    } else {
                        errors += 1;
                    }
                }
            }
            (lat, errors)
        }));
    }
    let ticker = {
        let pb = pb.clone();
        tokio::spawn(async move {
            while Instant::now() < end {
                tokio::time::sleep(Duration::from_millis(100)).await;
                pb.inc(1);
            }
        })
    };
    let mut load = Load { count: 0, elapsed: Duration::from_secs_f64(s.seconds), latencies: Vec::new(), errors: 0 };
    for t in tasks {
        let (lat, errors) = t.await?;
        load.count += lat.len();
        load.latencies.extend(lat);
        load.errors += errors;
    }
    ticker.abort();
    pb.finish_and_clear();
    Ok(load)
}
