//! R4: access tokens that expire every 2 s and injected 401 `auth.expired_token` answers during a drain: the
//! core refreshes on its own (no user action while the refresh token is valid); nothing lost or duplicated.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use mysapk_chaos::{Config, Emulator, Fault, FaultPlan};

use crate::r3_network::drain_under_faults;
use crate::support::{check_invariants, drain, proposal, size, Backend, Rng, World, ASN, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiring_tokens_and_injected_401s_during_a_drain() {
    let world = World::new(Backend::Sqlite).await;
    let server = world.start(Some(Duration::from_secs(2))).await;
    let mut rng = Rng::new("r4");
    let plan = FaultPlan::random(0.2, vec![Fault::ExpiredToken], rng.next()).on_paths(&["/api/v1/sync"]);
    let emu =
        Arc::new(Emulator::start(world.addr, Config { faults: plan, ..Config::default() }).await.expect("emulator"));
    let core = world.core("phone", &emu.url());
    core.login(ASN, PASSWORD).await.expect("login");
    let n = size(500, 10_000);
    let report = drain_under_faults(&world, &emu, &core, n, &mut rng).await;
    eprintln!("r4: {report}");
    // A real expiry, with no injected fault: the access token is older than its 2 s lifetime.
    let before = emu.log().iter().filter(|s| s.path.starts_with("/api/v1/auth/refresh")).count();
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let marker = "R4-after-expiry".to_owned();
    core.propose(proposal(3, &marker), Vec::new()).expect("propose");
    drain(&core, 5).await;
    let after = emu.log().iter().filter(|s| s.path.starts_with("/api/v1/auth/refresh")).count();
    assert!(after > before, "the expired access token was refreshed");
    let all = world.server_proposals(ASN).await;
    assert_eq!(all.iter().filter(|(_, m)| *m == marker).count(), 1);
    let refreshes = emu.log().iter().filter(|s| s.path.starts_with("/api/v1/auth/refresh")).count();
    let logins = emu.log().iter().filter(|s| s.path.starts_with("/api/v1/auth/login")).count();
    eprintln!("r4: {refreshes} refreshes, {logins} logins");
    assert!(refreshes > 0, "the tokens were refreshed");
    assert_eq!(logins, 1, "no user action: the only login is the first");
    assert!(core.session().is_some(), "still logged in");
    server.shutdown().await;
    world.finish().await;
}

/// The answer to a refresh is lost (the connection resets after the server rotated the refresh token). The
/// device still holds the old refresh token; were it refused (`auth.invalid_refresh`), the core would forget the
/// session and the user would have to log in again for nothing. The server therefore accepts a just-rotated
/// refresh token for a short window (`Config::refresh_reuse_grace`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_refresh_answer_keeps_the_session() {
    let world = World::new(Backend::Sqlite).await;
    let server = world.start(Some(Duration::from_secs(1))).await;
    let mut schedule = HashMap::new();
    schedule.insert(0, Fault::ResetMidBody { after: 20 });
    let plan = FaultPlan { schedule, ..FaultPlan::default() }.on_paths(&["/api/v1/auth/refresh"]);
    let emu = Emulator::start(world.addr, Config { faults: plan, ..Config::default() }).await.expect("emulator");
    let core = world.core("phone", &emu.url());
    core.login(ASN, PASSWORD).await.expect("login");
    let marker = "R4-lost-refresh".to_owned();
    core.propose(proposal(1, &marker), Vec::new()).expect("propose");
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let first = core.sync_now().await;
    eprintln!("r4: sync with the refresh answer lost: {:?}", first.as_ref().map(|s| s.pending).map_err(|e| e.code()));
    let second = core.sync_now().await;
    eprintln!("r4: the next sync: {:?}", second.as_ref().map(|s| s.pending).map_err(|e| e.code()));
    assert!(core.session().is_some(), "the session survives a lost refresh answer");
    drain(&core, 5).await;
    check_invariants(&world, &core, &[marker].into_iter().collect()).await;
    server.shutdown().await;
    world.finish().await;
}

/// Two 401 `auth.expired_token` in a row on one call (the retry after a successful refresh is refused too, as a
/// server with a skewed clock or a proxy would do): the session is valid; a core that took it for a dead session
/// would then wrongly report `NeedsLogin`. The core treats that refusal as transient (`auth.fresh_token_refused`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_401_after_refresh_does_not_ask_for_login() {
    let world = World::new(Backend::Sqlite).await;
    let server = world.start(None).await;
    let mut schedule = HashMap::new();
    schedule.insert(0, Fault::ExpiredToken);
    schedule.insert(1, Fault::ExpiredToken);
    let plan = FaultPlan { schedule, ..FaultPlan::default() }.on_paths(&["/api/v1/sync"]);
    let emu = Emulator::start(world.addr, Config::default()).await.expect("emulator");
    let core = world.core("phone", &emu.url());
    core.login(ASN, PASSWORD).await.expect("login");
    emu.set_faults(plan);
    core.propose(proposal(2, "R4-double-401"), Vec::new()).expect("propose");
    let result = core.sync_now().await;
    eprintln!(
        "r4: sync with two 401s: {:?}, phase {:?}",
        result.as_ref().map(|s| s.pending).map_err(|e| e.code()),
        core.status().phase
    );
    assert!(core.session().is_some(), "the session is valid");
    assert_ne!(core.status().phase, mysapk_model::view::SyncPhase::NeedsLogin, "no login asked for");
    server.shutdown().await;
    world.finish().await;
}
