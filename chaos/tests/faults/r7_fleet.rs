//! R7: many devices, each its own generated ASN, syncing for minutes through the network emulator with random
//! faults against a server (a child process) on PostgreSQL. Every proposal reaches the server exactly once and
//! the server's memory stays flat (its resident size sampled throughout).
//!
//! Short (CI): 16 devices for 40 s. Long (`MYSAPK_CHAOS_LONG=1`): 500 devices for 10 minutes.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mysapk_chaos::{Config, Emulator, Fault, FaultPlan};
use mysapk_seed::GenerateOptions;

use crate::support::{check_invariants_of, drain, proposal, reference_dir, size, Backend, Rng, World, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_under_faults_keeps_everything_and_server_memory_flat() {
    let world = World::new(Backend::Postgres).await;
    let devices = size(16, 500);
    let run_for = Duration::from_secs(size(40, 600) as u64);
    let opts = GenerateOptions { batch: 500, ..GenerateOptions::new(devices + 10, 2) };
    mysapk_seed::generate(&world.database_url, &reference_dir(), &opts, indicatif::ProgressBar::hidden())
        .await
        .expect("generate the fleet's ASN");
    let nips = fleet_nips(&world.database_url, devices).await;
    let mut server = world.spawn_server();
    let server_pid = server.id();
    let mut rng = Rng::new("r7");
    let plan = FaultPlan::random(0.05, Fault::every_kind(1), rng.next()).on_paths(&["/api/v1/sync"]);
    let emu =
        Arc::new(Emulator::start(world.addr, Config { faults: plan, ..Config::default() }).await.expect("emulator"));

    // Log every device in (logins are not faulted), then start their sync loops.
    let mut fleet = Vec::new();
    for (i, nip) in nips.iter().enumerate() {
        let core = world.core(&format!("device-{i}"), &emu.url());
        login(&core, nip).await;
        let sync_loop = core.spawn_sync_loop();
        fleet.push((nip.clone(), core, sync_loop));
    }

    // Memory of the server process, sampled until the run ends.
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                if let Some(kb) = rss_kib(server_pid) {
                    samples.push(kb);
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            samples
        })
    };

    // Each device proposes now and then while its loop syncs through the faults.
    let started = Instant::now();
    let mut users = Vec::new();
    for (nip, core, _) in &fleet {
        let core = core.clone();
        let nip = nip.clone();
        let mut rng = Rng::derived(&mut rng);
        users.push(tokio::spawn(async move {
            let mut made = BTreeSet::new();
            while started.elapsed() < run_for {
                tokio::time::sleep(Duration::from_millis(rng.range(500, 5_000))).await;
                for _ in 0..rng.range(0, 4) {
                    let marker = format!("R7-{nip}-{}-{}", made.len(), rng.next());
                    core.propose(proposal(rng.next(), &marker), Vec::new()).expect("propose");
                    made.insert(marker);
                }
            }
            made
        }));
    }
    let mut expected = Vec::new();
    for u in users {
        expected.push(u.await.expect("device task"));
    }
    stop.store(true, Ordering::Relaxed);
    let samples = sampler.await.expect("sampler");

    // Faults off: every device drains and holds exactly what it made, once.
    emu.set_faults(FaultPlan::none());
    let stats = emu.stats();
    eprintln!(
        "r7: run over; server alive {}, emulator: {} connections, {} requests, {} forwarded",
        rss_kib(server_pid).is_some(),
        stats.connections,
        stats.requests,
        stats.forwarded
    );
    report_fleet(&fleet);
    let mut total = 0;
    for ((nip, core, sync_loop), made) in fleet.iter().zip(&expected) {
        sync_loop.abort();
        drain(core, 20).await;
        let on_server = check_invariants_of(&world, core, nip, made).await;
        assert_eq!(on_server, made.len(), "{nip}: exactly the proposals made");
        total += on_server;
    }
    let (first, last) = memory_halves(&samples);
    eprintln!(
        "r7: {devices} devices for {run_for:?}: {total} proposals, all on the server once; {} requests, faults {:?}; \
         server RSS {} samples, first-half max {first} KiB, second-half max {last} KiB",
        emu.stats().requests,
        emu.fault_counts(),
        samples.len()
    );
    assert!(total > 0, "the fleet made proposals");
    // Flat: the second half of the run does not grow past the first by more than a quarter (allocator slack).
    assert!(last <= first + first / 4, "server memory grew: {first} KiB → {last} KiB ({samples:?})");
    server.kill();
    drop(fleet);
    world.finish().await;
}

/// How the devices stand when the run ends: phases, last errors, and those that have not synced for a minute.
fn report_fleet(fleet: &[(String, Arc<mysapk_core::Core>, tokio::task::JoinHandle<()>)]) {
    let mut phases = std::collections::BTreeMap::<String, usize>::new();
    let mut errors = std::collections::BTreeMap::<String, usize>::new();
    let mut stale = Vec::new();
    let now = chrono::Utc::now();
    for (nip, core, _) in fleet {
        let s = core.status();
        *phases.entry(format!("{:?}", s.phase)).or_default() += 1;
        *errors.entry(s.last_error.clone().unwrap_or_else(|| "none".into())).or_default() += 1;
        let age = s.last_synced_at.map(|t| (now - t).num_seconds());
        if age.is_none_or(|a| a > 60) {
            stale.push(format!("{nip}: last sync {age:?} s ago, {s:?}"));
        }
    }
    eprintln!("r7: device phases {phases:?}, last errors {errors:?}, {} not synced for 60 s", stale.len());
    for line in stale.iter().take(20) {
        eprintln!("r7:   {line}");
    }
}

/// Log in as a user would: again after a timeout (a loaded server answers logins, argon2 by design, slowly).
pub(crate) async fn login(core: &mysapk_core::Core, nip: &str) {
    let mut last = None;
    for _ in 0..5 {
        match core.login(nip, PASSWORD).await {
            Ok(_) => return,
            Err(e) if e.code() == "network.timeout" || e.code() == "network.unreachable" => last = Some(e),
            Err(e) => panic!("login of {nip}: {e}"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    panic!("login of {nip}: {last:?}");
}

/// `n` plain ASN accounts of the database (the generator also makes reviewers and an admin per agency).
pub(crate) async fn fleet_nips(database_url: &str, n: usize) -> Vec<String> {
    let pool = mysapk_server::db::connect(database_url).await.expect("pool");
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT nip FROM users WHERE roles = 'asn' ORDER BY nip").fetch_all(&pool).await.expect("nips");
    pool.close().await;
    let nips: Vec<String> = rows.into_iter().map(|(n,)| n).take(n).collect();
    assert_eq!(nips.len(), n, "enough generated ASN");
    nips
}

/// Resident set size of a process, from /proc.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The largest sample of each half of the run (after the first tenth, the warm-up).
fn memory_halves(samples: &[u64]) -> (u64, u64) {
    let warm = &samples[samples.len() / 10..];
    let (a, b) = warm.split_at(warm.len() / 2);
    (a.iter().copied().max().unwrap_or(0), b.iter().copied().max().unwrap_or(0))
}
