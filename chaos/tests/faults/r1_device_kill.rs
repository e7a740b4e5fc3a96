//! R1: the app killed with SIGKILL at random moments while saving, sending, receiving the reply or applying a
//! pull. The core runs in `chaos-device` (a child process); after the kills it is reopened and drained. Every
//! proposal the child reported as saved reaches the server exactly once; none twice; no orphan overlay.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{check_invariants, drain, size, Backend, Rng, World, ASN, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_killed_at_random_moments_loses_and_duplicates_nothing() {
    let world = World::new(Backend::Sqlite).await;
    let server = world.start(None).await;
    let kills = size(10, 1_000);
    let mut rng = Rng::new("r1");
    let dir = world.device_dir("phone");
    let mut saved: BTreeSet<String> = BTreeSet::new();
    let mut phases = std::collections::BTreeMap::<String, usize>::new();
    let started = Instant::now();
    for k in 0..kills {
        let sync_every = rng.range(1, 30);
        let mut child = Command::new(env!("CARGO_BIN_EXE_chaos-device"))
            .arg(&dir)
            .arg(world.url())
            .arg(ASN)
            .arg(PASSWORD)
            .arg("400")
            .arg(sync_every.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn chaos-device");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Kill a quarter of the runs at any moment from the start (opening, logging in, the first sync and
        // its pull), the rest after the device is ready (saving, pushing, receiving, pulling).
        let from_start = rng.range(0, 4) == 0;
        let delay = Duration::from_millis(if from_start { rng.range(0, 1_500) } else { rng.range(0, 1_200) });
        let mut armed_at = if from_start { Some(Instant::now()) } else { None };
        let mut last = String::from("spawned");
        loop {
            if let Some(t) = armed_at {
                if t.elapsed() >= delay {
                    break;
                }
            }
            match rx.recv_timeout(Duration::from_millis(5)) {
                Ok(line) => {
                    if line == "ready" && armed_at.is_none() {
                        armed_at = Some(Instant::now());
                    }
                    if let Some(rest) = line.strip_prefix("saved ") {
                        let marker = rest.split(' ').nth(1).unwrap_or_default().to_owned();
                        saved.insert(marker);
                    }
                    if line == "done" {
                        break;
                    }
                    last = line.split(' ').next().unwrap_or_default().to_owned();
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        child.kill().expect("SIGKILL the device");
        child.wait().expect("reap");
        reader.join().expect("reader");
        // Lines printed before the kill but not read yet.
        for line in rx.try_iter() {
            if let Some(rest) = line.strip_prefix("saved ") {
                saved.insert(rest.split(' ').nth(1).unwrap_or_default().to_owned());
            }
        }
        *phases.entry(last).or_insert(0) += 1;
        if k % 50 == 49 {
            eprintln!("r1: {} kills, {} saved, {:?}", k + 1, saved.len(), started.elapsed());
        }
    }
    eprintln!("r1: {kills} kills; last line before each kill: {phases:?}; {} proposals saved", saved.len());
    let core = world.core("phone", &world.url());
    core.login(ASN, PASSWORD).await.expect("login after the kills");
    drain(&core, 20).await;
    let on_server = check_invariants(&world, &core, &saved).await;
    eprintln!("r1: {on_server} proposals on the server, {} reported saved; {:?}", saved.len(), started.elapsed());
    assert!(!saved.is_empty(), "the device saved something between the kills");
    drop(core);
    server.shutdown().await;
    world.finish().await;
}
