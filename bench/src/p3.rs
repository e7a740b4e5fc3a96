//! P3: a first sync applied on the device, from a stub sync server, against the ceiling of the same load done
//! bare with rusqlite in the same run, on a plain and on an encrypted (SQLCipher) file.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::ensure;
use mysapk_core::{Core, CoreConfig};
use mysapk_model::history::HistoryRecord;
use mysapk_model::sync::{Change, PullResponse};
use rusqlite::{params, Connection};

use crate::fixtures::{self, Stub, PAGE, PASSWORD};
use crate::report::Figure;
use crate::stats::{ms, percentile, ratio};

/// The core's batch for pulled data: changes applied per transaction (`core/src/sync.rs`, `APPLY_BATCH`).
const BATCH: usize = 2_000;

/// One row as the device's `history` table holds it, serialized before any clock starts.
struct Row {
    id: String,
    kind: &'static str,
    sort_date: String,
    json: String,
}

pub async fn stub_sync(rows: usize, reps: usize, user: &str, dir: &Path) -> anyhow::Result<Vec<Figure>> {
    let records: Vec<HistoryRecord> = (0..rows).map(fixtures::history_record).collect();
    let changes = records.iter().cloned().map(|record| Change::History { record }).collect();
    let stub = Stub::start(user, changes).await?;
    let t = Instant::now();
    for page in stub.pages() {
        let _: PullResponse = serde_json::from_slice(page)?;
    }
    let decode = t.elapsed();
    let wire: usize = stub.pages().iter().map(Vec::len).sum();
    let prepared = records
        .iter()
        .map(|r| {
            Ok(Row {
                id: r.id.clone(),
                kind: r.data.kind().as_str(),
                sort_date: r.data.sort_date().to_string(),
                json: serde_json::to_string(r)?,
            })
        })
        .collect::<anyhow::Result<Vec<Row>>>()?;
    let (mut core_t, mut plain_t, mut cipher_t) = (Vec::new(), Vec::new(), Vec::new());
    for rep in 0..reps {
        let data = dir.join(format!("stub-{rep}"));
        stub.arm(false);
        let core = Core::open(CoreConfig::new(data.clone(), stub.url()))?;
        core.login(user, PASSWORD).await?;
        stub.arm(true);
        let t = Instant::now();
        core.sync_now().await?;
        core_t.push(t.elapsed());
        drop(core);
        let n = crate::device::count_rows(&data.join(format!("{user}.sqlite")), "history")?;
        ensure!(n as usize == rows, "applied {n} of {rows} rows");
        plain_t.push(ceiling(&dir.join(format!("ceiling-plain-{rep}.sqlite")), &prepared, false)?);
        cipher_t.push(ceiling(&dir.join(format!("ceiling-cipher-{rep}.sqlite")), &prepared, true)?);
    }
    let (core_med, plain_med, cipher_med) =
        (percentile(&core_t, 50.0), percentile(&plain_t, 50.0), percentile(&cipher_t, 50.0));
    let rate = |d: Duration| rows as f64 / d.as_secs_f64().max(1e-9);
    let rates = |d: Duration| format!("{:.0} rows/s ({})", rate(d), ms(d));
    let setup = format!(
        "{rows} History changes served by a stub sync server (axum, loopback, pre-serialized pages of {PAGE} \
         changes, {:.1} MB JSON, no gzip) to a freshly logged-in core (its database encrypted with SQLCipher, as \
         every account database is); timed: `sync_now()` = {} pulls, the pages decoded and applied by the core's \
         real apply path ({BATCH} changes per transaction, synchronous=NORMAL for pulled data, the cursor in the \
         same transaction). Median of {} runs. JSON decoding alone takes {} for all pages. Ceiling, same run: \
         the fastest bare load of the same rows with rusqlite: their JSON serialized before the clock starts, one \
         prepared upsert, the same table and index, {BATCH} rows per transaction, the core's pragmas for pulled \
         data (WAL, synchronous=NORMAL, 16 MiB cache), on an encrypted file keyed as the core keys it (raw key).",
        wire as f64 / 1e6,
        rows.div_ceil(PAGE),
        reps,
        ms(decode)
    );
    Ok(vec![
        Figure {
            id: "P3",
            name: "apply a first sync into SQLite: rows/s".into(),
            command: String::new(),
            setup,
            goal: "≥ 150,000 rows/s (5× PowerSync's 27,600 rows/s on a desktop)".into(),
            measured: rates(core_med),
            baseline: format!("{} (bare, encrypted)", rates(cipher_med)),
            ratio: format!("{} of the ceiling's rate", ratio(rate(core_med), rate(cipher_med))),
            met: Some(rate(core_med) >= 150_000.0),
        },
        Figure {
            id: "P3c",
            name: "price of encryption on that load (bare, SQLCipher against plain SQLite)".into(),
            command: String::new(),
            setup: "The two ceilings of P3, same run: the same bare rusqlite load into an encrypted file and \
                    into a plain one (identical pragmas, table, index and transactions)."
                .into(),
            goal: "(price of safety)".into(),
            measured: format!("{} (encrypted)", rates(cipher_med)),
            baseline: format!("{} (plain)", rates(plain_med)),
            ratio: format!("{} of the plain rate", ratio(rate(cipher_med), rate(plain_med))),
            met: None,
        },
    ])
}

/// The bare load of `rows` into a new file at `path`; the time of the inserts and commits only.
fn ceiling(path: &Path, rows: &[Row], encrypted: bool) -> anyhow::Result<Duration> {
    let mut conn = Connection::open(path)?;
    if encrypted {
        crate::fixtures::key_like_the_core(&conn)?;
    }
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -16_384)?;
    conn.execute_batch(
        "CREATE TABLE history (id TEXT PRIMARY KEY, kind TEXT NOT NULL, sort_date TEXT NOT NULL, \
         json TEXT NOT NULL, last_usulan_id TEXT); \
         CREATE INDEX history_by_kind ON history (kind, sort_date DESC);",
    )?;
    let t = Instant::now();
    for chunk in rows.chunks(BATCH) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut st = tx.prepare_cached(
                "INSERT INTO history (id, kind, sort_date, json, last_usulan_id) VALUES (?1, ?2, ?3, ?4, NULL) \
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, sort_date = excluded.sort_date, \
                 json = excluded.json, last_usulan_id = excluded.last_usulan_id",
            )?;
            for r in chunk {
                st.execute(params![r.id, r.kind, r.sort_date, r.json])?;
            }
        }
        tx.commit()?;
    }
    Ok(t.elapsed())
}
