//! R3: every emulator fault (drop, reset mid-body, truncation, 5xx, 429 with `Retry-After`, 401 expired) on the
//! sync requests while the background loop drains N proposals. The queue empties, nothing is lost or
//! duplicated, and a watchdog asserts the queue is never left with pending items and no attempt for longer
//! than twice the core's maximum backoff (2 × 30 s).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mysapk_chaos::{Config, Emulator, Fault, FaultPlan};
use mysapk_core::{Core, CoreEvent};
use mysapk_model::view::SyncPhase;

use crate::support::{check_invariants, drain, proposal, size, Backend, Rng, World, ASN, PASSWORD};

/// The core's longest backoff (core/src/sync.rs `MAX_BACKOFF`).
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_during_a_drain() {
    let world = World::new(Backend::Sqlite).await;
    let server = world.start(None).await;
    let mut rng = Rng::new("r3");
    let mut plan = FaultPlan::random(0.2, Fault::every_kind(1), rng.next()).on_paths(&["/api/v1/sync"]);
    // Every kind at least once, early, with successes between; then at random.
    for (i, f) in Fault::every_kind(1).into_iter().enumerate() {
        plan.schedule.insert(1 + 3 * i as u64, f);
    }
    let emu =
        Arc::new(Emulator::start(world.addr, Config { faults: plan, ..Config::default() }).await.expect("emulator"));
    let core = world.core("phone", &emu.url());
    core.login(ASN, PASSWORD).await.expect("login");
    let n = size(500, 10_000);
    let report = drain_under_faults(&world, &emu, &core, n, &mut rng).await;
    eprintln!("r3: {report}");
    let counts = emu.fault_counts();
    for kind in ["drop", "reset", "truncate", "5xx", "429", "401"] {
        assert!(counts.get(kind).copied().unwrap_or(0) > 0, "fault {kind} was injected: {counts:?}");
    }
    server.shutdown().await;
    world.finish().await;
}

/// Propose `n` in chunks while the sync loop runs through `emu`; wait for the outbox to empty under a
/// watchdog; then check the invariants. Returns a summary line.
pub async fn drain_under_faults(
    world: &World,
    emu: &Arc<Emulator>,
    core: &Arc<Core>,
    n: usize,
    rng: &mut Rng,
) -> String {
    let started = Instant::now();
    let deadline = started + if crate::support::long() { Duration::from_secs(3_600) } else { Duration::from_secs(50) };
    let phases = Arc::new(std::sync::Mutex::new(BTreeMap::<String, u64>::new()));
    let mut events = core.subscribe();
    let p = phases.clone();
    let listener = tokio::spawn(async move {
        let mut last = None;
        while let Ok(e) = events.recv().await {
            if let CoreEvent::Status(s) = e {
                if last != Some(s.phase) {
                    last = Some(s.phase);
                    *p.lock().expect("phases").entry(format!("{:?}", s.phase)).or_insert(0) += 1;
                }
            }
        }
    });
    let loop_task = core.spawn_sync_loop();
    // Watchdog: the longest time with pending items and no request reaching the emulator.
    let stop = Arc::new(AtomicBool::new(false));
    let worst_ms = Arc::new(AtomicU64::new(0));
    let watchdog = {
        let core = core.clone();
        let stop = stop.clone();
        let worst = worst_ms.clone();
        let emu = emu.clone();
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let pending = core.status().pending;
                if pending > 0 {
                    let since = emu.last_request().map_or(Duration::ZERO, |t| t.elapsed());
                    worst.fetch_max(since.as_millis() as u64, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let mut expected = BTreeSet::new();
    let chunk = 25;
    let mut made = 0;
    while made < n {
        for _ in 0..chunk.min(n - made) {
            let marker = format!("R-{made}-{}", rng.next());
            core.propose(proposal(rng.next(), &marker), Vec::new()).expect("propose");
            expected.insert(marker);
            made += 1;
        }
        tokio::time::sleep(Duration::from_millis(rng.range(0, 200))).await;
    }
    while core.status().pending > 0 {
        let worst = Duration::from_millis(worst_ms.load(Ordering::Relaxed));
        assert!(worst <= 2 * MAX_BACKOFF, "watchdog: pending items and no attempt for {worst:?}");
        assert!(
            Instant::now() < deadline,
            "the queue did not drain in time: {:?}, faults {:?}, worst gap {worst:?}",
            core.status(),
            emu.fault_counts()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let _ = watchdog.await;
    loop_task.abort();
    let drained_in = started.elapsed();
    // Faults off: one clean sync brings the server's states of the last proposals.
    emu.set_faults(FaultPlan::none());
    drain(core, 5).await;
    let on_server = check_invariants(world, core, &expected).await;
    assert_eq!(on_server, expected.len(), "exactly the proposals made");
    listener.abort();
    let worst = Duration::from_millis(worst_ms.load(Ordering::Relaxed));
    let phases = phases.lock().expect("phases").clone();
    let needs_login = phases.get(&format!("{:?}", SyncPhase::NeedsLogin)).copied().unwrap_or(0);
    format!(
        "{n} proposals drained in {drained_in:?}; {} requests, faults {:?}; longest gap with pending items {worst:?} \
         (bound {:?}); phases entered {phases:?}; NeedsLogin entered {needs_login} times",
        emu.stats().requests,
        emu.fault_counts(),
        2 * MAX_BACKOFF
    )
}
