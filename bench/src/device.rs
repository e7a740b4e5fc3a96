//! The device suite (P1–P4, P6): the client core against a stub sync server and against the real server
//! (in-process, SQLite), every core behind a counting proxy.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use mysapk_core::{Core, CoreConfig};
use mysapk_model::sync::MutationOp;
use mysapk_model::usulan::UsulanAction;
use rusqlite::{params, Connection};

use crate::fixtures::{self, Backend, ServerEnv, PAGE, PASSWORD};
use crate::proxy::Proxy;
use crate::report::{Figure, Section};
use crate::stats::{bytes_written, ms, percentile, ratio};
use crate::{bar, Mode};

/// Device A: overlays, 1,000 extra rows, the proposal queue.
const USER_A: &str = fixtures::DEMO_USERS[0];
/// Device B: 100,000 extra rows.
const USER_B: &str = fixtures::DEMO_USERS[1];
/// The stub server's user (only in the stub device's data dir and the process's mock keystore).
const USER_STUB: &str = fixtures::DEMO_USERS[4];

struct Sizes {
    p1_window: usize,
    p1_fill: usize,
    p2_reps: usize,
    p2_overlays: usize,
    p3_rows: usize,
    p3_reps: usize,
    p4_small: usize,
    p4_large: usize,
    p4_reps: usize,
}

impl Sizes {
    fn new(mode: Mode) -> Sizes {
        match mode {
            Mode::Full => Sizes {
                p1_window: 300,
                p1_fill: 10_000,
                p2_reps: 60,
                p2_overlays: 20,
                p3_rows: 100_000,
                p3_reps: 3,
                p4_small: 1_000,
                p4_large: 100_000,
                p4_reps: 30,
            },
            Mode::Quick => Sizes {
                p1_window: 20,
                p1_fill: 100,
                p2_reps: 5,
                p2_overlays: 3,
                p3_rows: 1_200,
                p3_reps: 1,
                p4_small: 20,
                p4_large: 300,
                p4_reps: 3,
            },
        }
    }
}

pub async fn run(mode: Mode) -> anyhow::Result<Section> {
    mysapk_core::secrets::use_mock_store_for_tests();
    let s = Sizes::new(mode);
    let dir = tempfile::tempdir()?;
    let mut section = Section::new("device", mode);
    section.note(&format!(
        "The cores use keyring-core's in-memory mock store (`mysapk_core::secrets::use_mock_store_for_tests()`), \
         not the OS keystore. The real server runs in the same process (`mysapk_server::start`, {}, SQLite) and \
         every core reaches it through a counting TCP proxy on loopback. Data dirs are under the system temp dir \
         (a disk here, not tmpfs).",
        crate::build_kind()
    ));

    eprintln!("P3: first sync from a stub server ({} rows)", s.p3_rows);
    section.figures.extend(crate::p3::stub_sync(s.p3_rows, s.p3_reps, USER_STUB, dir.path()).await?);

    eprintln!("starting the real server (SQLite)");
    let server_dir = dir.path().join("server");
    std::fs::create_dir_all(&server_dir)?;
    let env = ServerEnv::start(Backend::Sqlite, &server_dir).await?;
    let proxy = Proxy::start(env.addr()).await?;
    let dir_a = dir.path().join("device-a");
    let dir_b = dir.path().join("device-b");
    let open = |d: &Path| Core::open(CoreConfig::new(d.to_path_buf(), proxy.url()));

    // Device A: log in, queue overlays, measure the start-up read.
    let core_a = open(&dir_a)?;
    core_a.login(USER_A, PASSWORD).await?;
    let mut proposed = Vec::new();
    for i in 0..s.p2_overlays {
        proposed.push(core_a.propose(add(i), Vec::new())?.id);
    }
    drop(core_a);
    eprintln!("P2: reopen and beranda");
    section.figures.extend(p2(&s, &dir_a, &proxy.url())?);

    // A gets 1,000 extra rows, B 100,000, both through the real first sync.
    let seed = bar((s.p4_small + s.p4_large) as u64, "seeding server history");
    fixtures::seed_history(&env.database_url, USER_A, s.p4_small, &seed).await?;
    fixtures::seed_history(&env.database_url, USER_B, s.p4_large, &seed).await?;
    seed.finish_and_clear();
    let core_a = open(&dir_a)?;
    core_a.sync_now().await.context("sync of device A")?;
    ensure!(core_a.status().pending == 0, "device A still has pending mutations");
    eprintln!("P3e: first sync of {} rows from the real server", s.p4_large);
    let core_b = open(&dir_b)?;
    let before = proxy.snapshot();
    let t = Instant::now();
    core_b.login(USER_B, PASSWORD).await?;
    let first = t.elapsed();
    let wire = proxy.snapshot().since(before);
    let rows_b = count_rows(&dir_b.join(format!("{USER_B}.sqlite")), "history")?;
    section.figures.push(p3_real(rows_b, first, wire.requests, wire.bytes()));

    eprintln!("P4: no-change syncs");
    let rows_a = count_rows(&dir_a.join(format!("{USER_A}.sqlite")), "history")?;
    section.figures.extend(p4(&s, &core_a, &core_b, &proxy, rows_a, rows_b).await?);
    drop(core_b);

    eprintln!("P1: proposals");
    section.figures.extend(p1(&s, &core_a, dir.path(), &mut proposed)?);

    eprintln!("P6: sending the queue");
    section.figures.extend(p6(&core_a, &proxy, &env.database_url, &proposed).await?);
    drop(core_a);
    env.finish().await;
    Ok(section)
}

/// A valid proposal without mandatory documents (the chaos tests' shape), so P1 measures the outbox alone.
fn add(i: usize) -> UsulanAction {
    mysapk_chaos::proposals::proposal(i as u64, &format!("bench-{i}"))
}

/// An account database of a core of this process, opened with the key the (in-memory) keystore holds for it.
fn open_device_db(db: &Path) -> anyhow::Result<Connection> {
    let name = mysapk_core::secrets::db_key_name(db);
    let key = keyring_core::Entry::new("mysapk.db", &name)?.get_password()?;
    let conn = Connection::open(db)?;
    conn.pragma_update(None, "key", format!("x'{}'", key.trim()))?;
    Ok(conn)
}

pub(crate) fn count_rows(db: &Path, table: &str) -> anyhow::Result<u64> {
    let conn = open_device_db(db)?;
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}

/// A bare SQLite file with the core's PRAGMAs (WAL, synchronous=FULL, foreign keys), encrypted like the core's
/// account database when `sealed`.
fn bare_db(path: &Path, ddl: &str, sealed: bool) -> anyhow::Result<Connection> {
    let conn = Connection::open(path)?;
    if sealed {
        fixtures::key_like_the_core(&conn)?;
    }
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.execute_batch(ddl)?;
    Ok(conn)
}

const BARE_OUTBOX: &str = "CREATE TABLE outbox (seq INTEGER PRIMARY KEY, mutation_id TEXT NOT NULL UNIQUE, \
                           op TEXT NOT NULL, created_at TEXT NOT NULL);";

fn bare_insert(conn: &mut Connection, seq: i64, json: &str) -> anyhow::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO outbox (seq, mutation_id, op, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![seq, uuid::Uuid::now_v7().to_string(), json, chrono::Utc::now().to_rfc3339()],
    )?;
    tx.commit()?;
    Ok(())
}

#[derive(Default)]
struct Window {
    core: Vec<Duration>,
    core_bytes: u64,
    bare: Vec<Duration>,
    bare_bytes: u64,
    /// The rows the plain bare file got (seq, JSON), for its encrypted twin after the window.
    rows: Vec<(i64, String)>,
}

impl Window {
    /// Give the encrypted twin the rows the plain file got during the window.
    fn catch_up(&self, sealed: &mut Connection) -> anyhow::Result<()> {
        for (seq, json) in &self.rows {
            bare_insert(sealed, *seq, json)?;
        }
        Ok(())
    }
}

/// The two bare outboxes: plain (P1's baseline) and encrypted like the core's (P1c).
struct Bare {
    plain: Connection,
    sealed: Connection,
}

/// `n` proposals through the core interleaved with `n` bare inserts of the same JSON into the plain bare file
/// (its encrypted twin gets them after the window, so nothing else runs between the core's saves).
fn p1_window(
    core: &Core,
    bare: &mut Bare,
    seq: &mut i64,
    start: usize,
    n: usize,
    ids: &mut Vec<String>,
) -> anyhow::Result<Window> {
    let mut w = Window::default();
    for i in start..start + n {
        let action = add(i);
        let json = serde_json::to_string(&MutationOp::Propose {
            usulan_id: uuid::Uuid::now_v7().to_string(),
            action: action.clone(),
            documents: Vec::new(),
        })?;
        let b0 = bytes_written().unwrap_or(0);
        let t = Instant::now();
        let u = core.propose(action, Vec::new())?;
        w.core.push(t.elapsed());
        let b1 = bytes_written().unwrap_or(0);
        ids.push(u.id);
        let t = Instant::now();
        *seq += 1;
        bare_insert(&mut bare.plain, *seq, &json)?;
        w.bare.push(t.elapsed());
        let b2 = bytes_written().unwrap_or(0);
        w.core_bytes += b1 - b0;
        w.bare_bytes += b2 - b1;
        w.rows.push((*seq, json));
    }
    w.catch_up(&mut bare.sealed)?;
    Ok(w)
}

/// P1c: `n` bare inserts into the plain file (`bare`) interleaved with the same into its encrypted twin
/// (`sealed`), apart from the core's windows so that nothing is added between the core's saves. The window's
/// `core` series holds the encrypted inserts, `bare` the plain ones.
fn p1c_window(bare: &mut Bare, seq: &mut i64, start: usize, n: usize) -> anyhow::Result<Window> {
    let mut w = Window::default();
    for i in start..start + n {
        let json = serde_json::to_string(&MutationOp::Propose {
            usulan_id: uuid::Uuid::now_v7().to_string(),
            action: add(i),
            documents: Vec::new(),
        })?;
        *seq += 1;
        let b0 = bytes_written().unwrap_or(0);
        let t = Instant::now();
        bare_insert(&mut bare.sealed, *seq, &json)?;
        w.core.push(t.elapsed());
        let b1 = bytes_written().unwrap_or(0);
        let t = Instant::now();
        bare_insert(&mut bare.plain, *seq, &json)?;
        w.bare.push(t.elapsed());
        let b2 = bytes_written().unwrap_or(0);
        w.core_bytes += b1 - b0;
        w.bare_bytes += b2 - b1;
    }
    Ok(w)
}

fn p1(s: &Sizes, core: &Core, dir: &Path, ids: &mut Vec<String>) -> anyhow::Result<Vec<Figure>> {
    let mut bare = Bare {
        plain: bare_db(&dir.join("bare-outbox.sqlite"), BARE_OUTBOX, false)?,
        sealed: bare_db(&dir.join("bare-outbox-sealed.sqlite"), BARE_OUTBOX, true)?,
    };
    let mut seq = 0i64;
    let mut next = 0;
    // Fill to 10 pending, measure; fill to `p1_fill`, measure.
    p1_window(core, &mut bare, &mut seq, next, 10, ids)?;
    next += 10;
    let small = p1_window(core, &mut bare, &mut seq, next, s.p1_window, ids)?;
    next += s.p1_window;
    let fill = s.p1_fill.saturating_sub(next);
    let pb = bar(fill as u64, "filling the outbox");
    for _ in 0..fill {
        let action = add(next);
        let json = serde_json::to_string(&MutationOp::Propose {
            usulan_id: String::new(),
            action: action.clone(),
            documents: Vec::new(),
        })?;
        ids.push(core.propose(action, Vec::new())?.id);
        seq += 1;
        bare_insert(&mut bare.plain, seq, &json)?;
        bare_insert(&mut bare.sealed, seq, &json)?;
        next += 1;
        pb.inc(1);
    }
    pb.finish_and_clear();
    let pending_large = core.status().pending;
    let large = p1_window(core, &mut bare, &mut seq, next, s.p1_window, ids)?;
    let n = s.p1_window as f64;
    let setup = format!(
        "Device A (logged in, demo record + {} extra golongan rows, catalogs synced). `Core::propose(AddHistory)`: \
         validation against the synced catalogs, overlay row, outbox row, one IMMEDIATE transaction, WAL with \
         synchronous=FULL. {} proposals measured at 10 pending and {} at {} pending, each interleaved with the \
         baseline: a bare rusqlite INSERT of the same `MutationOp` JSON into a one-table file with the same PRAGMAs, \
         one transaction each. Bytes: `wchar` of /proc/self/io (all write(2) calls: WAL frames and checkpoints).",
        s.p4_small, s.p1_window, s.p1_window, pending_large
    );
    let mut out = Vec::new();
    for (label, w) in [("10 pending", &small), (&*format!("{pending_large} pending"), &large)] {
        let p99 = percentile(&w.core, 99.0);
        out.push(Figure {
            id: "P1",
            name: format!("save a proposal durably, {label}: p50 / p99"),
            command: String::new(),
            setup: setup.clone(),
            goal: "p99 ≤ 2 ms".into(),
            measured: format!("{} / {}", ms(percentile(&w.core, 50.0)), ms(p99)),
            baseline: format!("{} / {}", ms(percentile(&w.bare, 50.0)), ms(percentile(&w.bare, 99.0))),
            ratio: format!(
                "p50 {} · p99 {}",
                ratio(percentile(&w.core, 50.0).as_secs_f64(), percentile(&w.bare, 50.0).as_secs_f64()),
                ratio(p99.as_secs_f64(), percentile(&w.bare, 99.0).as_secs_f64())
            ),
            met: Some(p99 <= Duration::from_millis(2)),
        });
    }
    let (cs, cl) = (small.core_bytes as f64 / n, large.core_bytes as f64 / n);
    let (bs, bl) = (small.bare_bytes as f64 / n, large.bare_bytes as f64 / n);
    out.push(Figure {
        id: "P1",
        name: format!("bytes written per proposal, 10 → {pending_large} pending"),
        command: String::new(),
        setup,
        goal: "flat (large/small ≤ 1.25×)".into(),
        measured: format!("{cs:.0} B → {cl:.0} B ({})", ratio(cl, cs)),
        baseline: format!("{bs:.0} B → {bl:.0} B ({})", ratio(bl, bs)),
        ratio: format!("{} at 10 · {} at {pending_large}", ratio(cs, bs), ratio(cl, bl)),
        met: Some(cs > 0.0 && cl / cs <= 1.25),
    });
    let price = p1c_window(&mut bare, &mut seq, next + s.p1_window, s.p1_window)?;
    let p = |d: &[Duration], q: f64| percentile(d, q).as_secs_f64();
    let (sealed_bytes, plain_bytes) = (price.core_bytes as f64 / n, price.bare_bytes as f64 / n);
    out.push(Figure {
        id: "P1c",
        name: format!(
            "price of encryption on a durable save (bare, SQLCipher against plain), {pending_large} pending: p50 / p99"
        ),
        command: String::new(),
        setup: format!(
            "After P1's windows: {} of the baseline's INSERT above into its file and, interleaved, into an encrypted \
             twin of it filled with the same rows (SQLCipher, a raw random 256-bit key as the core's account \
             database has, same PRAGMAs). The core itself runs only on an encrypted database.",
            s.p1_window
        ),
        goal: "(price of safety)".into(),
        measured: format!(
            "{} / {}, {sealed_bytes:.0} B (encrypted)",
            ms(percentile(&price.core, 50.0)),
            ms(percentile(&price.core, 99.0))
        ),
        baseline: format!(
            "{} / {}, {plain_bytes:.0} B (plain)",
            ms(percentile(&price.bare, 50.0)),
            ms(percentile(&price.bare, 99.0))
        ),
        ratio: format!(
            "p50 {} · p99 {} · bytes {}",
            ratio(p(&price.core, 50.0), p(&price.bare, 50.0)),
            ratio(p(&price.core, 99.0), p(&price.bare, 99.0)),
            ratio(sealed_bytes, plain_bytes)
        ),
        met: None,
    });
    Ok(out)
}

/// A plain copy of the encrypted account database `db` (SQLCipher's export), for P2c.
fn plain_copy(db: &Path, to: &Path) -> anyhow::Result<()> {
    let conn = open_device_db(db)?;
    conn.execute("ATTACH DATABASE ?1 AS plain KEY ''", [to.to_string_lossy()])?;
    conn.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))?;
    conn.execute_batch("DETACH DATABASE plain")?;
    Ok(())
}

/// Open an account database (with its key from the keystore when `encrypted`) and count its history rows.
fn open_and_count(db: &Path, encrypted: bool) -> anyhow::Result<i64> {
    let conn = if encrypted { open_device_db(db)? } else { Connection::open(db)? };
    Ok(conn.query_row("SELECT count(*) FROM history", [], |r| r.get(0))?)
}

fn p2(s: &Sizes, dir: &Path, url: &str) -> anyhow::Result<Vec<Figure>> {
    let db = dir.join(format!("{USER_A}.sqlite"));
    // Beside the data dir, not in it: the core never sees the copy.
    let plain = dir.with_file_name(format!("{USER_A}-plain.sqlite"));
    plain_copy(&db, &plain)?;
    let mut core_t = Vec::new();
    let mut bare_t = Vec::new();
    let mut plain_t = Vec::new();
    let mut overlays = 0;
    for _ in 0..s.p2_reps {
        let t = Instant::now();
        let core = Core::open(CoreConfig::new(dir.to_path_buf(), url.to_owned()))?;
        let b = core.beranda()?;
        core_t.push(t.elapsed());
        overlays = b.usulan.len();
        ensure!(b.profile.is_some(), "beranda without the record");
        drop(core);
        let t = Instant::now();
        let n = open_and_count(&db, true)?;
        bare_t.push(t.elapsed());
        let t = Instant::now();
        let m = open_and_count(&plain, false)?;
        plain_t.push(t.elapsed());
        ensure!(n > 0 && n == m, "the plain copy holds the same rows ({n} / {m})");
    }
    let p95 = percentile(&core_t, 95.0);
    let b95 = percentile(&bare_t, 95.0);
    let c95 = percentile(&plain_t, 95.0);
    let start = Figure {
        id: "P2",
        name: "app start to beranda from the local DB: p95".into(),
        command: String::new(),
        setup: format!(
            "Device A after a real login and first sync (demo record, catalogs) with {overlays} queued proposals \
             as overlays. Timed: `Core::open` on the existing data dir (device.json, migrations check, account \
             DB) + `beranda()`; {} runs, page cache warm. Baseline, interleaved: `Connection::open` of the same \
             (encrypted) file with its key + `SELECT count(*) FROM history`.",
            s.p2_reps
        ),
        goal: "p95 ≤ 20 ms".into(),
        measured: format!("{} (p50 {})", ms(p95), ms(percentile(&core_t, 50.0))),
        baseline: format!("{} (p50 {})", ms(b95), ms(percentile(&bare_t, 50.0))),
        ratio: ratio(p95.as_secs_f64(), b95.as_secs_f64()),
        met: Some(p95 <= Duration::from_millis(20)),
    };
    let price = Figure {
        id: "P2c",
        name: "price of encryption on opening the account database and a first read: p95".into(),
        command: String::new(),
        setup: "P2's baseline (open the encrypted file with its key, count the history rows), interleaved with the \
                same on a plain copy of that file made by SQLCipher's `sqlcipher_export` before the runs."
            .into(),
        goal: "(price of safety)".into(),
        measured: format!("{} (p50 {}) (encrypted)", ms(b95), ms(percentile(&bare_t, 50.0))),
        baseline: format!("{} (p50 {}) (plain)", ms(c95), ms(percentile(&plain_t, 50.0))),
        ratio: format!(
            "p50 {} · p95 {}",
            ratio(percentile(&bare_t, 50.0).as_secs_f64(), percentile(&plain_t, 50.0).as_secs_f64()),
            ratio(b95.as_secs_f64(), c95.as_secs_f64())
        ),
        met: None,
    };
    Ok(vec![start, price])
}

fn p3_real(rows: u64, took: Duration, requests: u64, bytes: u64) -> Figure {
    Figure {
        id: "P3e",
        name: "first sync end to end from the real server: rows/s".into(),
        command: String::new(),
        setup: format!(
            "Device B: `Core::login` (login + first sync) against the real server on SQLite holding {rows} history \
             rows for the user (seeded through the server's own storage functions). Includes the server's \
             change-feed reads, gzip and the wire; {requests} requests, {:.1} MB on the wire. For context only: \
             no baseline, the stub figure above isolates the device side.",
            bytes as f64 / 1e6
        ),
        goal: "(context for P3)".into(),
        measured: format!("{:.0} rows/s ({})", rows as f64 / took.as_secs_f64().max(1e-9), ms(took)),
        baseline: "—".into(),
        ratio: "—".into(),
        met: None,
    }
}

async fn p4(s: &Sizes, a: &Core, b: &Core, proxy: &Proxy, rows_a: u64, rows_b: u64) -> anyhow::Result<Vec<Figure>> {
    let raw = reqwest::Client::new();
    let health = format!("{}/healthz", proxy.url());
    for _ in 0..2 {
        a.sync_now().await?;
        b.sync_now().await?;
    }
    let (mut ta, mut tb, mut th) = (Vec::new(), Vec::new(), Vec::new());
    let (mut wa, mut wb) = (crate::proxy::Snapshot::default(), crate::proxy::Snapshot::default());
    let pb = bar(s.p4_reps as u64, "no-change syncs");
    for _ in 0..s.p4_reps {
        for (core, times, wire) in [(a, &mut ta, &mut wa), (b, &mut tb, &mut wb)] {
            let before = proxy.snapshot();
            let t = Instant::now();
            core.sync_now().await?;
            times.push(t.elapsed());
            let d = proxy.snapshot().since(before);
            wire.up += d.up;
            wire.down += d.down;
            wire.requests += d.requests;
        }
        let t = Instant::now();
        raw.get(&health).send().await?.error_for_status()?.bytes().await?;
        th.push(t.elapsed());
        pb.inc(1);
    }
    pb.finish_and_clear();
    let n = s.p4_reps as f64;
    let setup = format!(
        "Devices A ({rows_a} local history rows) and B ({rows_b}) after their first sync, nothing changed on the \
         server; `sync_now()` through the counting proxy, {} rounds alternating A, B and the baseline (a raw \
         `GET /healthz` through the same proxy with a fresh reqwest client's pooled connection). Bytes are TCP \
         payload both ways (HTTP headers included, TCP/IP headers not).",
        s.p4_reps
    );
    let req = |w: crate::proxy::Snapshot| w.requests as f64 / n;
    let bytes = |w: crate::proxy::Snapshot| w.bytes() as f64 / n;
    let (pa, pb50, ph) = (percentile(&ta, 50.0), percentile(&tb, 50.0), percentile(&th, 50.0));
    Ok(vec![
        Figure {
            id: "P4",
            name: "no-change sync: requests".into(),
            command: String::new(),
            setup: setup.clone(),
            goal: "1".into(),
            measured: format!("{:.2} (A) · {:.2} (B)", req(wa), req(wb)),
            baseline: "1 (healthz)".into(),
            ratio: "—".into(),
            met: Some(req(wa) <= 1.0 && req(wb) <= 1.0),
        },
        Figure {
            id: "P4",
            name: "no-change sync: bytes on the wire".into(),
            command: String::new(),
            setup: setup.clone(),
            goal: "≤ 1 KB (1,024 B)".into(),
            measured: format!("{:.0} B (A) · {:.0} B (B)", bytes(wa), bytes(wb)),
            baseline: "—".into(),
            ratio: "—".into(),
            met: Some(bytes(wa) <= 1024.0 && bytes(wb) <= 1024.0),
        },
        Figure {
            id: "P4",
            name: format!("no-change sync: p50 time at {rows_a} vs {rows_b} local rows"),
            command: String::new(),
            setup,
            goal: "within 1.2× (B / A)".into(),
            measured: format!(
                "{} vs {} ({}); p99 {} vs {}",
                ms(pa),
                ms(pb50),
                ratio(pb50.as_secs_f64(), pa.as_secs_f64()),
                ms(percentile(&ta, 99.0)),
                ms(percentile(&tb, 99.0))
            ),
            baseline: format!("healthz {}", ms(ph)),
            ratio: format!(
                "A {} · B {} of healthz",
                ratio(pa.as_secs_f64(), ph.as_secs_f64()),
                ratio(pb50.as_secs_f64(), ph.as_secs_f64())
            ),
            met: Some(pb50.as_secs_f64() <= 1.2 * pa.as_secs_f64()),
        },
    ])
}

async fn p6(core: &Arc<Core>, proxy: &Proxy, database_url: &str, proposed: &[String]) -> anyhow::Result<Vec<Figure>> {
    let pending = core.status().pending as usize;
    let before = proxy.snapshot();
    let t = Instant::now();
    core.sync_now().await.context("sending the queue")?;
    let took = t.elapsed();
    let wire = proxy.snapshot().since(before);
    let left = core.status().pending;
    let on_server = fixtures::server_usulan_ids(database_url, USER_A).await?;
    let distinct: std::collections::HashSet<&str> = on_server.iter().map(String::as_str).collect();
    let lost = proposed.iter().filter(|id| !distinct.contains(id.as_str())).count();
    let duplicated = on_server.len() - distinct.len();
    let extra = distinct.len().saturating_sub(proposed.len());
    let batches = pending.div_ceil(mysapk_model::sync::MAX_PUSH_BATCH);
    let setup = format!(
        "Device A with {pending} queued proposals (from P1, offline in effect: nothing was sent since), then one \
         `sync_now()` through the counting proxy against the real server (SQLite); took {}, {:.1} MB on the wire. \
         Push batch = {} (`MAX_PUSH_BATCH`). Loss and duplication checked in the server DB: every id the device \
         proposed ({} in all) against `SELECT id FROM usulan WHERE nip = …`. The goal counts the pushes; the \
         same `sync_now()` then pulls the proposals' server states (`submitted`: design §2.6, *decided* arrives \
         by pull) in pages of {PAGE}, which the total shows separately.",
        ms(took),
        wire.bytes() as f64 / 1e6,
        mysapk_model::sync::MAX_PUSH_BATCH,
        proposed.len()
    );
    Ok(vec![
        Figure {
            id: "P6",
            name: format!("send {pending} queued proposals: requests"),
            command: String::new(),
            setup: setup.clone(),
            goal: format!("⌈{pending}/{}⌉ = {batches} (+2 at most)", mysapk_model::sync::MAX_PUSH_BATCH),
            measured: format!(
                "{} push + {} pull = {} requests",
                wire.pushes,
                wire.requests - wire.pushes,
                wire.requests
            ),
            baseline: format!("{batches} (the ideal)"),
            ratio: ratio(wire.pushes as f64, batches as f64) + " (pushes)",
            met: Some(wire.pushes as usize <= batches + 2),
        },
        Figure {
            id: "P6",
            name: "send the queue: lost / duplicated".into(),
            command: String::new(),
            setup,
            goal: "0 / 0".into(),
            measured: format!("{lost} / {duplicated} (pending after: {left}; unknown extra on server: {extra})"),
            baseline: "—".into(),
            ratio: "—".into(),
            met: Some(lost == 0 && duplicated == 0 && left == 0 && extra == 0),
        },
    ])
}
