//! R2: the server (a `chaos-server` child process) killed with SIGKILL while it processes push batches; it is
//! restarted on the same port. On SQLite and on PostgreSQL. Nothing lost, nothing applied twice.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use mysapk_chaos::{Config, Emulator};

use crate::support::{check_invariants, drain, proposal, size, Backend, Rng, World, ASN, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    server_killed_during_push_batches(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    server_killed_during_push_batches(Backend::Postgres).await;
}

async fn server_killed_during_push_batches(backend: Backend) {
    let world = World::new(backend).await;
    let mut server = world.spawn_server();
    let emu = Emulator::start(world.addr, Config::default()).await.expect("emulator");
    let core = world.core("phone", &emu.url());
    core.login(ASN, PASSWORD).await.expect("login");
    let rounds = size(5, 100);
    let per_round = 300u64;
    let mut rng = Rng::new("r2");
    let mut expected = BTreeSet::new();
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    let mut partial = 0;
    let mut prev_on_server = 0;
    let mut deltas = Vec::new();
    let batch = mysapk_model::sync::MAX_PUSH_BATCH;
    let started = Instant::now();
    for round in 0..rounds {
        for i in 0..per_round {
            let marker = format!("R2-{round}-{i}-{}", rng.next());
            core.propose(proposal(rng.next(), &marker), Vec::new()).expect("propose");
            expected.insert(marker);
        }
        let before = emu.stats().forwarded;
        let c = core.clone();
        let sync = tokio::spawn(async move { c.sync_now().await });
        // Wait until the push is on its way to the server, then kill it at a random moment of the batch.
        let deadline = Instant::now() + Duration::from_secs(20);
        while emu.stats().forwarded == before && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.range(0, 400))).await;
        server.kill();
        let outcome = match sync.await.expect("sync task") {
            Ok(_) => "finished before the kill".to_owned(),
            Err(e) => e.code().as_str().to_owned(),
        };
        *outcomes.entry(outcome).or_insert(0) += 1;
        // How far the killed batch got: committed mutations survive, the rest is resent.
        let on_server = world.server_proposals(ASN).await.len();
        let committed = on_server - prev_on_server;
        prev_on_server = on_server;
        deltas.push(committed);
        if committed > 0 && committed < batch {
            partial += 1;
        }
        server = world.spawn_server();
    }
    eprintln!("r2 {backend:?}: {rounds} kills, sync outcomes {outcomes:?}, {partial} kills inside a batch (committed per kill: {deltas:?})");
    drain(&core, 20).await;
    let n = check_invariants(&world, &core, &expected).await;
    assert_eq!(n, expected.len(), "exactly the proposals made");
    eprintln!("r2 {backend:?}: {n} proposals on the server; {:?}", started.elapsed());
    server.kill();
    drop(core);
    world.finish().await;
}
