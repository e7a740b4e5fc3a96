//! R8: PostgreSQL failover. Devices sync (their own sync loops, as the app runs them) through the network
//! emulator to a server (a child process) whose `DATABASE_URL` points at HAProxy in front of a Patroni cluster
//! (`ha.rs`: a primary and a strict synchronous standby). In the middle of the pushes the primary's postmaster is
//! killed with SIGKILL; Patroni promotes the standby, HAProxy follows `GET /primary`, the server's pool
//! reconnects, and the devices converge with no user action.
//!
//! Invariants: every proposal a device holds as acknowledged when the primary dies is on the new primary, once;
//! after the run every proposal made is on the server exactly once; every request that failed meanwhile failed
//! retryably (no answer, or 503). Figures: seconds from the kill to the first successful push, the failed
//! requests by kind, proposals acknowledged vs on the new primary.
//!
//! Not in `cargo test` (needs Debian's patroni, etcd-server, haproxy, postgresql-15, and root): `chaos/ha/setup.sh`
//! installs them; run with `cargo test -p mysapk-chaos --test faults r8 -- --ignored --nocapture`. Short: 1 kill,
//! 8 devices; long (`MYSAPK_CHAOS_LONG=1`): 5 kills (the old primary rejoins as the standby between kills), 32
//! devices.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mysapk_chaos::{Config, Emulator};
use mysapk_model::usulan::UsulanState;
use mysapk_seed::GenerateOptions;
use sqlx::Connection;

use crate::ha::{self, Cluster};
use crate::r7_fleet::{fleet_nips, login};
use crate::support::{check_invariants_of, drain, proposal, reference_dir, size, Rng, World};

const PUSH: &str = "/api/v1/sync/push";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs patroni, etcd, haproxy, PostgreSQL 15 and root (chaos/ha/setup.sh); \
            run: cargo test -p mysapk-chaos --test faults r8 -- --ignored --nocapture"]
async fn r8_primary_killed_during_pushes_loses_nothing() {
    let missing = ha::missing_tools();
    assert!(missing.is_empty(), "R8 needs {missing:?}: run chaos/ha/setup.sh");
    let started = Instant::now();
    let cluster = Cluster::start().await;
    eprintln!("r8: cluster up in {:?}: {}", started.elapsed(), cluster.describe().await);
    let mut admin = sqlx::PgConnection::connect(&cluster.url("postgres")).await.expect("connect through HAProxy");
    sqlx::query("CREATE DATABASE mysapk").execute(&mut admin).await.expect("create database");
    admin.close().await.expect("close");

    let world = World::on_database(cluster.url("mysapk")).await;
    let devices = size(8, 32);
    let kills = size(1, 5);
    let opts = GenerateOptions { batch: 500, ..GenerateOptions::new(devices + 10, 2) };
    mysapk_seed::generate(&world.database_url, &reference_dir(), &opts, indicatif::ProgressBar::hidden())
        .await
        .expect("generate the devices' ASN");
    let nips = fleet_nips(&world.database_url, devices).await;
    let mut server = world.spawn_server();
    let emu = Arc::new(Emulator::start(world.addr, Config::default()).await.expect("emulator"));
    let mut fleet = Vec::new();
    for (i, nip) in nips.iter().enumerate() {
        let core = world.core(&format!("device-{i}"), &emu.url());
        login(&core, nip).await;
        let sync_loop = core.spawn_sync_loop();
        fleet.push((nip.clone(), core, sync_loop));
    }

    // Each device proposes every 0.2–1 s while its sync loop pushes.
    let mut rng = Rng::new("r8");
    let stop = Arc::new(AtomicBool::new(false));
    let mut users = Vec::new();
    for (nip, core, _) in &fleet {
        let (core, nip, stop) = (core.clone(), nip.clone(), stop.clone());
        let mut rng = Rng::derived(&mut rng);
        users.push(tokio::spawn(async move {
            let mut made = BTreeSet::new();
            while !stop.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(rng.range(200, 1_000))).await;
                let marker = format!("R8-{nip}-{}-{}", made.len(), rng.next());
                core.propose(proposal(rng.next(), &marker), Vec::new()).expect("propose");
                made.insert(marker);
            }
            made
        }));
    }

    let mut rounds = Vec::new();
    for round in 0..kills {
        // Both nodes in place: a primary and its synchronous standby.
        let ready = cluster
            .eventually(Duration::from_secs(180), |c| async move {
                match c.primary().await {
                    Some(p) => c.is_sync_standby(1 - p).await,
                    None => false,
                }
            })
            .await;
        assert!(ready, "round {round}: no primary with a synchronous standby: {}", cluster.describe().await);
        let old = cluster.primary().await.expect("a primary");
        tokio::time::sleep(Duration::from_secs(8)).await;
        let pushes_before = successes(&emu.log(), None);
        assert!(pushes_before > 0, "round {round}: pushes went through before the kill");

        let pid = cluster.kill_postmaster(old);
        let killed_at = Instant::now();
        // What the devices hold as acknowledged at the kill: every proposal no longer queued on a device.
        let acknowledged = acknowledged_ids(&fleet);
        // Watched together, every 50 ms: when the standby reports itself primary (Patroni's `GET /primary`), and
        // when the first push made after the kill has been answered 200 (the emulator logs a request once its
        // answer is through; a push made before the promotion may wait in the server for a connection and
        // succeed after it: the time it was answered is what counts).
        let (mut promoted_after, mut first_ok) = (None, None);
        let deadline = Instant::now() + Duration::from_secs(120);
        while (promoted_after.is_none() || first_ok.is_none()) && Instant::now() < deadline {
            if promoted_after.is_none() && cluster.primary().await == Some(1 - old) {
                promoted_after = Some(killed_at.elapsed());
            }
            if first_ok.is_none() && successes(&emu.log(), Some(killed_at)) > 0 {
                first_ok = Some(killed_at.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let (Some(promoted_after), Some(first_ok)) = (promoted_after, first_ok) else {
            panic!(
                "round {round}: promoted after {promoted_after:?}, first push after {first_ok:?}: {}",
                cluster.describe().await
            )
        };
        // Let the devices run on the new primary a while (and the old node rejoin as its standby).
        tokio::time::sleep(Duration::from_secs(10)).await;

        // Acknowledged before the kill and on the new primary (read there directly, not through HAProxy).
        let new_primary = cluster.node_url(1 - old, "mysapk");
        let on_new = count_ids(&new_primary, &acknowledged).await;
        let failed = failures(&emu.log(), killed_at);
        eprintln!(
            "r8 round {round}: killed postmaster {pid} of {}; promoted {} after {:.1} s; first push answered 200 \
             {:.1} s after the kill; acknowledged at the kill {}, of those on the new primary {} (once each: {}); failed requests \
             since the kill {:?}; cluster: {}",
            cluster.nodes[old].name,
            cluster.nodes[1 - old].name,
            promoted_after.as_secs_f64(),
            first_ok.as_secs_f64(),
            acknowledged.len(),
            on_new.0,
            on_new.1,
            failed,
            cluster.describe().await
        );
        assert_eq!(on_new.0, acknowledged.len(), "round {round}: acknowledged proposals lost in the failover");
        assert!(on_new.1, "round {round}: an acknowledged proposal is twice on the new primary");
        rounds.push((first_ok, failed));
    }

    // Stop proposing; every device drains and holds exactly what it made, once, on the (new) primary.
    stop.store(true, Ordering::Relaxed);
    let mut made = Vec::new();
    for u in users {
        made.push(u.await.expect("device task"));
    }
    let mut total = 0;
    for ((nip, core, sync_loop), made) in fleet.iter().zip(&made) {
        sync_loop.abort();
        drain(core, 150).await;
        let on_server = check_invariants_of(&world, core, nip, made).await;
        assert_eq!(on_server, made.len(), "{nip}: exactly the proposals made");
        total += on_server;
    }

    // Every failure during the run was retryable: no answer (the connection cut), or 503.
    let log = emu.log();
    let mut by_status = BTreeMap::<String, usize>::new();
    for s in log.iter().filter(|s| s.path.starts_with("/api/v1/sync")) {
        *by_status.entry(s.status.map_or("no answer".to_owned(), |c| c.to_string())).or_default() += 1;
    }
    eprintln!(
        "r8: {devices} devices, {kills} kill(s): {total} proposals made, acknowledged and on the server once \
         (lost 0, duplicated 0); sync requests by status {by_status:?}; {:?} in all",
        started.elapsed()
    );
    let bad: Vec<_> =
        by_status.keys().filter(|k| !matches!(k.as_str(), "200" | "503" | "no answer")).cloned().collect();
    assert!(bad.is_empty(), "sync requests failed with a non-retryable answer: {by_status:?}");
    assert!(total > 0);
    server.kill();
    drop(fleet);
    world.finish().await;
    drop(cluster);
}

/// Successful pushes in the log (since `since`, by the time the request was made).
fn successes(log: &[mysapk_chaos::emulator::Seen], since: Option<Instant>) -> usize {
    log.iter().filter(|s| since.is_none_or(|t| s.at > t) && s.path.starts_with(PUSH) && s.status == Some(200)).count()
}

/// Sync requests made since `since` that did not succeed, by kind.
fn failures(log: &[mysapk_chaos::emulator::Seen], since: Instant) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for s in log.iter().filter(|s| s.at > since && s.path.starts_with("/api/v1/sync")) {
        let kind = match s.status {
            Some(200) => continue,
            Some(code) => format!("{} {code}", if s.path.starts_with(PUSH) { "push" } else { "pull" }),
            None => format!("{} no answer", if s.path.starts_with(PUSH) { "push" } else { "pull" }),
        };
        *out.entry(kind).or_default() += 1;
    }
    out
}

/// The ids of the proposals each device no longer holds as queued (the server acknowledged them).
fn acknowledged_ids(fleet: &[(String, Arc<mysapk_core::Core>, tokio::task::JoinHandle<()>)]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for (_, core, _) in fleet {
        let beranda = core.beranda().expect("beranda");
        ids.extend(beranda.usulan.iter().filter(|u| u.state != UsulanState::Queued).map(|u| u.id.clone()));
    }
    ids
}

/// How many of `ids` are in `usulan` at `url`, and whether each is there at most once.
async fn count_ids(url: &str, ids: &BTreeSet<String>) -> (usize, bool) {
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to the new primary");
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id FROM usulan").fetch_all(&mut conn).await.expect("usulan ids");
    let _ = conn.close().await;
    let mut seen = BTreeMap::<&str, usize>::new();
    for (id,) in &rows {
        *seen.entry(id.as_str()).or_default() += 1;
    }
    let present = ids.iter().filter(|id| seen.contains_key(id.as_str())).count();
    let once = ids.iter().all(|id| seen.get(id.as_str()).copied().unwrap_or(0) <= 1);
    (present, once)
}
