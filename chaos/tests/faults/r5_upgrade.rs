//! R5: a device database of every earlier schema version, with a full outbox, opened by today's core: the
//! migrations and the encryption at the first login keep every queued proposal and all of them reach the server
//! exactly once; and a device killed while it encrypts loses nothing.
//!
//! The old schemas are rebuilt here from the shipped migration steps (core/src/store/migrations.rs; shipped
//! steps never change), so the test does not use the core's internals.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use mysapk_model::auth::{LoginRequest, TokenResponse};
use mysapk_model::sync::MutationOp;
use rusqlite::{params, Connection};

use crate::support::{check_invariants, drain, marker_of, proposal, size, Backend, Rng, World, ASN, PASSWORD};

/// The shipped steps 1..=7 of the device schema, verbatim (7 is today's schema).
const STEPS: &[&str] = &[
    "CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE profile (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        json TEXT NOT NULL,
        last_usulan_id TEXT
    );
    CREATE TABLE history (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        sort_date TEXT NOT NULL,
        json TEXT NOT NULL,
        last_usulan_id TEXT
    );
    CREATE INDEX history_by_kind ON history (kind, sort_date DESC);
    CREATE TABLE usulan (
        id TEXT PRIMARY KEY,
        action_type TEXT NOT NULL,
        kind TEXT,
        record_id TEXT,
        action TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        refusal TEXT,
        events TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        withdraw_pending INTEGER NOT NULL DEFAULT 0,
        applied INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY,
        mutation_id TEXT NOT NULL UNIQUE,
        op TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE catalogs (
        name TEXT PRIMARY KEY,
        json TEXT NOT NULL
    );",
    "ALTER TABLE outbox ADD COLUMN last_error TEXT;
    CREATE INDEX usulan_by_created ON usulan (created_at DESC);
    CREATE INDEX notifications_unread ON notifications (read);",
    "CREATE TABLE review_items (
        usulan_id TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        kind TEXT,
        unor_nama TEXT NOT NULL DEFAULT '',
        deadline TEXT,
        gone INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX review_items_by_deadline ON review_items (deadline);
    CREATE TABLE review_decisions (
        usulan_id TEXT PRIMARY KEY,
        decision TEXT NOT NULL,
        reason TEXT,
        from_state TEXT NOT NULL,
        mutation_id TEXT NOT NULL,
        queued INTEGER NOT NULL DEFAULT 1,
        refusal TEXT,
        decided_at TEXT NOT NULL
    );",
    "ALTER TABLE usulan ADD COLUMN documents TEXT NOT NULL DEFAULT '[]';
    CREATE INDEX usulan_by_record ON usulan (record_id);
    CREATE TABLE documents (
        sha256 TEXT PRIMARY KEY,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        local INTEGER NOT NULL DEFAULT 1,
        received INTEGER NOT NULL DEFAULT 0,
        complete INTEGER NOT NULL DEFAULT 0,
        failure TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE confirmations (
        kind TEXT PRIMARY KEY,
        confirmed_at TEXT NOT NULL
    );",
    "CREATE TABLE assessments (
        id TEXT PRIMARY KEY,
        tanggal TEXT NOT NULL,
        json TEXT NOT NULL
    );",
    "ALTER TABLE documents ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;",
    "CREATE TABLE card_keys (
        kid TEXT PRIMARY KEY,
        x TEXT NOT NULL
    );",
];

/// An account database at schema `version` holding `n` queued proposals, as the app of that version left it
/// (the user logged in once, before any sync), plus `device.json` naming the account.
fn old_device(dir: &std::path::Path, version: usize, user_json: &str, n: usize, rng: &mut Rng) -> BTreeSet<String> {
    std::fs::create_dir_all(dir).expect("device dir");
    std::fs::write(
        dir.join("device.json"),
        serde_json::json!({"device_id": uuid::Uuid::new_v4().to_string(), "last_nip": ASN}).to_string(),
    )
    .expect("device.json");
    let mut conn = Connection::open(dir.join(format!("{ASN}.sqlite"))).expect("open old db");
    let tx = conn.transaction().expect("tx");
    for step in &STEPS[..version] {
        tx.execute_batch(step).expect("old step");
    }
    tx.pragma_update(None, "user_version", version as i64).expect("version");
    let meta = |k: &str, v: &str| {
        tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", params![k, v]).expect("meta");
    };
    meta("user", user_json);
    meta("replica_id", &uuid::Uuid::new_v4().to_string());
    meta("next_seq", &(n + 1).to_string());
    let mut markers = BTreeSet::new();
    let now = Utc::now().to_rfc3339();
    for i in 0..n {
        let marker = format!("R5-v{version}-{i}-{}", rng.next());
        let action = proposal(rng.next(), &marker);
        let id = uuid::Uuid::now_v7().to_string();
        tx.execute(
            "INSERT INTO usulan (id, action_type, kind, record_id, action, state, created_at, updated_at)
             VALUES (?1, 'add_history', ?2, NULL, ?3, 'queued', ?4, ?4)",
            params![
                id,
                action.history_kind().map(|k| k.as_str()),
                serde_json::to_string(&action).expect("action"),
                now
            ],
        )
        .expect("usulan");
        let op = MutationOp::Propose { usulan_id: id, action: action.clone(), documents: Vec::new() };
        tx.execute(
            "INSERT INTO outbox (seq, mutation_id, op, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![(i + 1) as i64, uuid::Uuid::now_v7().to_string(), serde_json::to_string(&op).expect("op"), now],
        )
        .expect("outbox");
        markers.insert(marker_of(&action).expect("marker"));
    }
    tx.commit().expect("commit");
    markers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_old_schema_with_a_full_outbox_upgrades_without_loss() {
    let world = World::new(Backend::Sqlite).await;
    let server = world.start(None).await;
    let mut rng = Rng::new("r5");
    let n = size(1_000, 10_000);
    let user_json = user_json(&world).await;
    let mut expected = BTreeSet::new();
    for version in 1..=STEPS.len() {
        let name = format!("v{version}");
        let dir = world.device_dir(&name);
        expected.extend(old_device(&dir, version, &user_json, n, &mut rng));
        let core = world.core(&name, &world.url());
        let before = core.status().pending;
        assert_eq!(before as usize, n, "v{version}: every queued proposal survived the migration");
        let queued = core.beranda().expect("beranda").usulan.len();
        assert_eq!(queued, n, "v{version}: every proposal is shown");
        core.login(ASN, PASSWORD).await.expect("login");
        drain(&core, 20).await;
        let on_server = check_invariants(&world, &core, &expected).await;
        assert_eq!(on_server, expected.len(), "v{version}: exactly the queued proposals");
        // The login encrypted the plain database (its schema migrations ran: the proposals were read from it).
        assert!(!is_plain(&dir.join(format!("{ASN}.sqlite"))), "v{version}: encrypted at the first login");
        eprintln!("r5: from schema v{version}, plain → encrypted: {n} queued proposals, all on the server once");
        drop(core);
        // The next device's proposals are checked against all the server holds.
        let _ = world.server_proposals(ASN).await;
    }
    server.shutdown().await;
    world.finish().await;
}

/// The ASN's `UserInfo` as the app of every version stored it after its login.
async fn user_json(world: &World) -> String {
    let tokens: TokenResponse = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", world.url()))
        .json(&LoginRequest::new(ASN, PASSWORD))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("tokens");
    serde_json::to_string(&tokens.user).expect("user")
}

/// Whether `path` is a plain SQLite database (its header), not an encrypted one.
fn is_plain(path: &Path) -> bool {
    let mut header = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut header)).is_ok() && &header == b"SQLite format 3\0"
}

/// The device (`chaos-device`) killed with SIGKILL during its first login with a plain database at today's schema
/// holding `n` queued proposals, 0–20 ms after the encrypted copy beside it appears (so mostly inside the export): the database is always there, readable after the next login, and every proposal
/// reaches the server exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_encrypting_loses_nothing() {
    let world = World::new(Backend::Sqlite).await;
    let server = world.start(None).await;
    let mut rng = Rng::new("r5-encrypt");
    let (n, trials) = (size(1_000, 10_000), size(6, 50));
    let user_json = user_json(&world).await;
    let template = world.device_dir("plain-template");
    let expected = old_device(&template, STEPS.len(), &user_json, n, &mut rng);
    let mut inside_export = 0;
    let started = Instant::now();
    for t in 0..trials {
        let name = format!("encrypt-{t}");
        let dir = world.device_dir(&name);
        std::fs::create_dir_all(&dir).expect("dir");
        for file in ["device.json".to_owned(), format!("{ASN}.sqlite")] {
            std::fs::copy(template.join(&file), dir.join(&file)).expect("copy the plain device");
        }
        let db = dir.join(format!("{ASN}.sqlite"));
        let copy = dir.join(format!("{ASN}.sqlite.encrypting"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_chaos-device"))
            .args([dir.to_string_lossy().as_ref(), &world.url(), ASN, PASSWORD, "0", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn chaos-device");
        let delay = Duration::from_millis(rng.range(0, 20));
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = None;
        while Instant::now() < deadline && seen.is_none_or(|at: Instant| at.elapsed() < delay) {
            if seen.is_none() && copy.exists() {
                seen = Some(Instant::now());
            }
            if matches!(child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        child.kill().expect("SIGKILL the device");
        child.wait().expect("reap");
        if copy.exists() {
            inside_export += 1;
            assert!(is_plain(&db), "trial {t}: killed inside the export, the plain database is untouched");
        }
        assert!(db.exists(), "trial {t}: the database is always there");
        let core = world.core(&name, &world.url());
        core.login(ASN, PASSWORD).await.expect("login after the kill");
        assert!(!is_plain(&db), "trial {t}: encrypted");
        drain(&core, 20).await;
        let on_server = check_invariants(&world, &core, &expected).await;
        assert_eq!(on_server, expected.len(), "trial {t}: exactly the queued proposals");
        drop(core);
    }
    eprintln!(
        "r5: {trials} devices with {n} queued proposals killed during their first (encrypting) login, {inside_export} \
         inside the export; every proposal on the server once ({:?})",
        started.elapsed()
    );
    assert!(inside_export > 0, "at least one kill landed inside the export");
    server.shutdown().await;
    world.finish().await;
}
