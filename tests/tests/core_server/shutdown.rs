//! A graceful stop under load: the real `mysapk-server` binary (`target/debug/mysapk-server`; build it with
//! `cargo build -p mysapk-server-cli`) gets SIGTERM while several devices push. Every push it acknowledged is
//! durable (a restarted server answers each of its mutations `already_processed`), no client sees an error but a
//! retryable one (a 503, or a refused/reset/closed connection once the server stops accepting), and the process
//! exits 0 within its shutdown timeout.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mysapk_model::auth::{LoginRequest, TokenResponse};
use mysapk_model::record::OwnerFields;
use mysapk_model::sync::{Mutation, MutationOp, MutationOutcome, PushRequest, PushResponse};
use mysapk_model::usulan::UsulanAction;
use reqwest::StatusCode;
use sqlx::Connection;

use crate::support::{reference_dir, Backend, Bench, ASN, PASSWORD};

/// Devices pushing at once (more than the server's 4 concurrent writers: some wait at its write gate).
const DEVICES: usize = 6;
/// The server's bound on finishing in-flight requests.
const SHUTDOWN_TIMEOUT_SECS: u64 = 20;

fn server_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let p = target.join("debug").join("mysapk-server");
    assert!(p.exists(), "{} missing: cargo build -p mysapk-server-cli", p.display());
    p
}

/// The server process, killed if the test fails before it exits.
struct Server(Option<Child>);

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// What one device saw.
#[derive(Default)]
struct Seen {
    /// Mutations the server answered `applied` or `already_processed` (acknowledged).
    acked: Vec<Mutation>,
    /// The mutation whose push got no answer when the server stopped (a retryable error): sent again later.
    unanswered: Vec<Mutation>,
    busy: usize,
    connection_errors: usize,
    /// Of those, connections refused (the listener closed), as opposed to closed or reset under a request.
    refused: usize,
    /// Anything else: a failure of the test.
    unexpected: Vec<String>,
}

fn owner_change(seq: i64, device: usize) -> Mutation {
    Mutation {
        id: uuid::Uuid::new_v4().to_string(),
        seq,
        op: MutationOp::Propose {
            usulan_id: uuid::Uuid::new_v4().to_string(),
            action: UsulanAction::ChangeOwnerFields {
                fields: OwnerFields { no_hp: Some(format!("0812{device:02}{seq:06}")), ..Default::default() },
            },
            documents: Vec::new(),
        },
    }
}

fn usulan_id(m: &Mutation) -> String {
    match &m.op {
        MutationOp::Propose { usulan_id, .. } => usulan_id.clone(),
        other => panic!("not a proposal: {other:?}"),
    }
}

async fn login(http: &reqwest::Client, base: &str) -> String {
    let res = http.post(format!("{base}/api/v1/auth/login")).json(&LoginRequest::new(ASN, PASSWORD)).send().await;
    let res = res.expect("login");
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<TokenResponse>().await.expect("tokens").access_token
}

/// Push one mutation after another until the server is gone (`stopping` set and a connection error).
async fn device(base: String, token: String, n: usize, stopping: Arc<AtomicBool>) -> Seen {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client");
    let device_id = format!("shutdown-device-{n}");
    let mut seen = Seen::default();
    let mut seq = 1;
    // A device sends the same mutation again until it is answered (as the core's outbox does).
    let mut m = owner_change(seq, n);
    loop {
        let req = PushRequest { device_id: device_id.clone(), mutations: vec![m.clone()] };
        match http.post(format!("{base}/api/v1/sync/push")).bearer_auth(&token).json(&req).send().await {
            Ok(res) if res.status() == StatusCode::OK => match res.json::<PushResponse>().await {
                Ok(answer) => match &answer.results[..] {
                    [r] if matches!(r.outcome, MutationOutcome::Applied | MutationOutcome::AlreadyProcessed) => {
                        seen.acked.push(m.clone());
                        seq += 1;
                        m = owner_change(seq, n);
                    }
                    other => {
                        seen.unexpected.push(format!("{other:?}"));
                        break;
                    }
                },
                Err(e) if stopping.load(Ordering::SeqCst) => {
                    // The answer cut off by the stop: not acknowledged.
                    let _ = e;
                    seen.connection_errors += 1;
                    seen.unanswered.push(m);
                    break;
                }
                Err(e) => {
                    seen.unexpected.push(format!("answer unreadable before the stop: {e}"));
                    break;
                }
            },
            Ok(res) if res.status() == StatusCode::SERVICE_UNAVAILABLE => {
                seen.busy += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Ok(res) => {
                let status = res.status();
                seen.unexpected.push(format!("{status}: {}", res.text().await.unwrap_or_default()));
                break;
            }
            Err(e) if e.is_timeout() => {
                seen.unexpected.push(format!("timed out: {e}"));
                break;
            }
            Err(e) => {
                if stopping.load(Ordering::SeqCst) {
                    seen.connection_errors += 1;
                    seen.refused += usize::from(e.is_connect());
                    seen.unanswered.push(m);
                } else {
                    seen.unexpected.push(format!("a connection error before the stop: {e}"));
                }
                break;
            }
        }
    }
    seen
}

pub async fn sigterm_during_pushes_loses_no_acknowledged_push(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    let base = bench.url();
    let mut child = Command::new(server_binary())
        .arg("serve")
        .env("DATABASE_URL", &bench.database_url)
        .env("MYSAPK_ADDR", bench.addr.to_string())
        .env("MYSAPK_REFERENCE_DIR", reference_dir())
        .env("MYSAPK_DOCUMENT_DIR", bench.dir.path().join("documents"))
        .env("MYSAPK_MFA_REQUIRED", "none")
        .env("MYSAPK_SERVICE_INTERVAL_SECS", "0")
        .env("MYSAPK_SHUTDOWN_TIMEOUT_SECS", SHUTDOWN_TIMEOUT_SECS.to_string())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn mysapk-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut server = Server(Some(child));
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).expect("the listening line");
    assert!(first.contains("listening on"), "{first}");
    let http = reqwest::Client::new();
    let ready = http.get(format!("{base}/readyz")).send().await.expect("readyz");
    assert_eq!(ready.status(), StatusCode::OK);

    let stopping = Arc::new(AtomicBool::new(false));
    let mut devices = Vec::new();
    for n in 0..DEVICES {
        let token = login(&http, &base).await;
        devices.push(tokio::spawn(device(base.clone(), token, n, Arc::clone(&stopping))));
    }
    // Let every device get some pushes through, then stop the server in the middle of the pushes.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stopping.store(true, Ordering::SeqCst);
    let pid = server.0.as_ref().expect("running").id();
    let term = Command::new("kill").args(["-TERM", &pid.to_string()]).status().expect("kill -TERM");
    assert!(term.success());
    let signalled = Instant::now();
    let exit = tokio::task::spawn_blocking(move || {
        let mut child = server.0.take().expect("running");
        let deadline = Instant::now() + Duration::from_secs(SHUTDOWN_TIMEOUT_SECS + 10);
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                return Some(status);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    })
    .await
    .expect("waiter");
    let stopped_in = signalled.elapsed();
    let exit = exit.expect("the server did not exit within its shutdown timeout");
    assert!(exit.success(), "exit status {exit:?}");
    assert!(stopped_in < Duration::from_secs(SHUTDOWN_TIMEOUT_SECS), "{stopped_in:?}");

    let mut seen = Vec::new();
    for d in devices {
        seen.push(d.await.expect("device task"));
    }
    let acked: usize = seen.iter().map(|s| s.acked.len()).sum();
    let busy: usize = seen.iter().map(|s| s.busy).sum();
    let connection_errors: usize = seen.iter().map(|s| s.connection_errors).sum();
    let refused: usize = seen.iter().map(|s| s.refused).sum();
    eprintln!(
        "{backend:?}: {acked} pushes acknowledged by {DEVICES} devices, {busy} answered 503, {connection_errors} \
         connection errors after the stop ({refused} refused, the rest closed under the request); the server \
         exited 0 {stopped_in:?} after SIGTERM"
    );
    for (n, s) in seen.iter().enumerate() {
        assert!(s.unexpected.is_empty(), "device {n}: {:?}", s.unexpected);
        assert!(!s.acked.is_empty(), "device {n} got no push through before the stop");
    }

    // The database after the stop: every acknowledged proposal is there, and the device's last processed
    // sequence number covers its acknowledged ones.
    sqlx::any::install_default_drivers();
    let mut db = sqlx::AnyConnection::connect(&bench.database_url).await.expect("database");
    for (n, s) in seen.iter().enumerate() {
        for m in &s.acked {
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usulan WHERE id = $1")
                .bind(usulan_id(m))
                .fetch_one(&mut db)
                .await
                .expect("count");
            assert_eq!(count, 1, "device {n}: acknowledged mutation seq {} lost", m.seq);
        }
    }
    let _ = db.close().await;

    // A new server on the same database: each device's processed sequence covers what it was told; the
    // mutation whose answer was lost is processed once when the device sends it again.
    bench.start().await;
    for (n, s) in seen.iter().enumerate() {
        let token = login(&http, &base).await;
        let device_id = format!("shutdown-device-{n}");
        let empty = PushRequest { device_id: device_id.clone(), mutations: Vec::new() };
        let res = http.post(format!("{base}/api/v1/sync/push")).bearer_auth(&token).json(&empty).send().await;
        let answer: PushResponse = res.expect("push").json().await.expect("answer");
        let highest = s.acked.iter().map(|m| m.seq).max().unwrap_or(0);
        assert!(answer.last_processed_seq >= highest, "device {n}: {} < {highest}", answer.last_processed_seq);
        for m in &s.unanswered {
            let again = PushRequest { device_id: device_id.clone(), mutations: vec![m.clone()] };
            let res = http.post(format!("{base}/api/v1/sync/push")).bearer_auth(&token).json(&again).send().await;
            let answer: PushResponse = res.expect("push").json().await.expect("answer");
            assert!(
                matches!(answer.results[..], [ref r] if matches!(r.outcome, MutationOutcome::Applied | MutationOutcome::AlreadyProcessed)),
                "device {n}: {answer:?}"
            );
            let mut db = sqlx::AnyConnection::connect(&bench.database_url).await.expect("database");
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usulan WHERE id = $1")
                .bind(usulan_id(m))
                .fetch_one(&mut db)
                .await
                .expect("count");
            let _ = db.close().await;
            assert_eq!(count, 1, "device {n}: the resent mutation seq {}", m.seq);
        }
    }
    bench.finish().await;
}
