//! P5: the first full sync of a typical record over a slow link (300 ms RTT, 2 Mbit/s, emulated by
//! `chaos/src/emulator/`), the core's sync against a per-resource client of the server's SIASN-shaped facade
//! (`GET /apisiasn/1.0/pns/{resource}/{nipBaru}`, the photo by PNS id, one request at a time, as integrators do), in the same run.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use mysapk_core::{Core, CoreConfig};

use crate::fixtures::{Backend, ServerEnv, DEMO_USERS, PASSWORD};
use crate::report::{Figure, Section};
use crate::Mode;
use mysapk_chaos::emulator::{Config, Emulator, Fault, FaultPlan, Link, Stats};

/// One way: 150 ms; both ways 2 Mbit/s.
const ONE_WAY_MS: u64 = 150;
const BITS_PER_SECOND: u64 = 2_000_000;

struct Run {
    took: Duration,
    stats: Stats,
}

pub async fn run(mode: Mode) -> anyhow::Result<Section> {
    mysapk_core::secrets::use_mock_store_for_tests();
    let dir = tempfile::tempdir()?;
    let env = ServerEnv::start(Backend::Sqlite, dir.path()).await?;
    let rounds = if mode == Mode::Quick { 1 } else { 3 };
    let nip = DEMO_USERS[0];
    let mut core_runs = Vec::new();
    let mut siasn_runs = Vec::new();
    let mut resources = 0;
    for round in 0..rounds {
        eprintln!("P5: round {} of {rounds}", round + 1);
        core_runs.push(core_first_sync(&env, &dir.path().join(format!("device{round}")), nip).await?);
        let (r, n) = per_resource(&env, nip).await?;
        siasn_runs.push(r);
        resources = n;
    }
    env.finish().await;
    // The median round of each (by time).
    let median = |runs: &mut Vec<Run>| {
        runs.sort_by_key(|r| r.took);
        runs.swap_remove(runs.len() / 2)
    };
    let core = median(&mut core_runs);
    let siasn = median(&mut siasn_runs);
    let mut section = Section::new("p5", mode);
    let link = format!(
        "Both clients go through the network emulator of `chaos/` (`chaos/src/emulator/`): {ONE_WAY_MS} ms each \
         way (300 ms RTT), {} Mbit/s each way shared by the connections, and one RTT for each new connection (the \
         TCP handshake; no TLS). Server in process ({}, SQLite, demo seed), user {nip} (the seed's typical \
         record). Median of {rounds} rounds; each round a fresh device.",
        BITS_PER_SECOND / 1_000_000,
        crate::build_kind()
    );
    let core_setup = format!(
        "{link} Core: after `Core::login` on an empty data dir (its own first sync refused once by the emulator, \
         503), the timed `Core::sync_now`: the first full sync (push nothing, pull pages until done: profile, \
         history, catalogs, notifications). Baseline: a per-resource client in the same run: login and \
         `GET /apisiasn/1.0/routes` (untimed), then, timed, `GET /apisiasn/1.0/pns/{{resource}}/{{nipBaru}}` for each \
         of the {resources} per-person resources listed, one request at a time on one keep-alive connection, \
         same bearer token, reqwest with gzip. Logins excluded on both sides."
    );
    let time_ratio = siasn.took.as_secs_f64() / core.took.as_secs_f64().max(1e-9);
    section.figures.push(Figure {
        id: "P5",
        name: "first full sync of a typical record at 300 ms RTT, 2 Mbit/s".into(),
        command: String::new(),
        setup: core_setup.clone(),
        goal: "≥ 10× faster than per-resource".into(),
        measured: format!("{} ({:.0} kB down)", secs(core.took), core.stats.bytes_down as f64 / 1e3),
        baseline: format!("{} ({:.0} kB down)", secs(siasn.took), siasn.stats.bytes_down as f64 / 1e3),
        ratio: format!("{time_ratio:.1}× faster"),
        met: Some(time_ratio >= 10.0),
    });
    let req_ratio = siasn.stats.requests as f64 / (core.stats.requests.max(1)) as f64;
    section.figures.push(Figure {
        id: "P5r",
        name: "requests for that first full sync".into(),
        command: String::new(),
        setup: core_setup,
        goal: "≥ 20× fewer requests".into(),
        measured: format!("{} requests", core.stats.requests),
        baseline: format!("{} requests", siasn.stats.requests),
        ratio: format!("{req_ratio:.1}× fewer"),
        met: Some(req_ratio >= 20.0),
    });
    section.note(&format!(
        "Counts exclude the logins and the routes listing. The core fetched {:.0} kB up / {:.0} kB down, the per-resource client {:.0} kB up / {:.0} kB down; the core also \
         brings the catalogs and notifications, which the per-resource client never reads.",
        core.stats.bytes_up as f64 / 1e3,
        core.stats.bytes_down as f64 / 1e3,
        siasn.stats.bytes_up as f64 / 1e3,
        siasn.stats.bytes_down as f64 / 1e3
    ));
    Ok(section)
}

fn slow_link() -> Config {
    Config {
        up: Link::new(ONE_WAY_MS, BITS_PER_SECOND),
        down: Link::new(ONE_WAY_MS, BITS_PER_SECOND),
        handshake_rtt: true,
        ..Config::default()
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

async fn core_first_sync(env: &ServerEnv, data_dir: &Path, nip: &str) -> anyhow::Result<Run> {
    // The login's own first sync is refused once (503), so the timed first sync below starts from an empty
    // database on an open connection, as the per-resource client's reads start after its login.
    let mut config = slow_link();
    config.faults =
        FaultPlan { schedule: [(0, Fault::ServerError { status: 503 })].into_iter().collect(), ..FaultPlan::default() }
            .on_paths(&["/api/v1/sync"]);
    let emu = Emulator::start(env.addr(), config).await?;
    let core = Core::open(CoreConfig::new(data_dir.to_path_buf(), emu.url()))?;
    core.login(nip, PASSWORD).await?;
    anyhow::ensure!(core.beranda()?.profile.is_none(), "the login's sync was meant to be refused");
    emu.set_faults(FaultPlan::none());
    let before = emu.stats();
    let t = Instant::now();
    core.sync_now().await?;
    let took = t.elapsed();
    let beranda = core.beranda()?;
    anyhow::ensure!(
        beranda.profile.as_ref().is_some_and(|p| p.nip.as_str() == nip),
        "the first sync brought the record"
    );
    Ok(Run { took, stats: emu.stats().since(before) })
}

/// Login and the routes listing (untimed), then every per-person resource, one request at a time (timed).
async fn per_resource(env: &ServerEnv, nip: &str) -> anyhow::Result<(Run, usize)> {
    let emu = Emulator::start(env.addr(), slow_link()).await?;
    let http = reqwest::Client::builder().gzip(true).build()?;
    let base = emu.url();
    let tokens = crate::fixtures::login(&http, &base, nip).await?;
    let routes: serde_json::Value = http
        .get(format!("{base}/apisiasn/1.0/routes"))
        .bearer_auth(&tokens.access_token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let paths: Vec<String> = routes["data"]
        .as_array()
        .context("routes: data is a list")?
        .iter()
        .filter_map(|r| r["path"].as_str().map(|p| p.replace("{nipBaru}", nip)))
        .collect();
    anyhow::ensure!(!paths.is_empty(), "the facade lists no per-person routes");
    let before = emu.stats();
    let t = Instant::now();
    // As an integrator reads: data-utama gives the PNS id the photo is addressed by; every resource is asked for,
    // and SIASN answers what a person does not have with 404 `{code: 0}` and a missing photo with an empty 200.
    let mut pns_id: Option<String> = None;
    for path in &paths {
        let url = match pns_id.as_deref() {
            Some(id) => path.replace("{idPns}", id),
            None if path.contains("{idPns}") => anyhow::bail!("{path}: asked before data-utama gave the PNS id"),
            None => path.clone(),
        };
        let response = http.get(format!("{base}{url}")).bearer_auth(&tokens.access_token).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        if path.contains("{idPns}") {
            anyhow::ensure!(status.is_success(), "{url}: {status}");
            continue;
        }
        let body: serde_json::Value = serde_json::from_slice(&body).with_context(|| url.clone())?;
        match (status.as_u16(), body["code"].as_i64()) {
            (200, Some(1)) => {}
            (404, Some(0)) => continue,
            _ => anyhow::bail!("{url}: {status} {body}"),
        }
        if path.contains("/data-utama/") {
            pns_id = body["data"]["id"].as_str().map(str::to_owned);
        }
    }
    let took = t.elapsed();
    Ok((Run { took, stats: emu.stats().since(before) }, paths.len()))
}
