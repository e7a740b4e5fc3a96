//! `seed --asn N --instansi M`: N generated ASN spread over the first M agencies of `instansi.json`, each with a
//! plausible record in every category and an account (role ASN; the first three ASN of each agency are also its
//! verifikator, approver and admin), all with the password [`super::DEMO_PASSWORD`].
//!
//! Built for millions of rows: one thread generates (and serialises) the ASN in NIP order while the async side
//! writes batches of [`GenerateOptions::batch`] ASN per transaction with multi-row `INSERT`s (at most
//! [`MAX_BINDS`] bound values per statement on PostgreSQL, [`MAX_BINDS_SQLITE`] on SQLite), through a bounded
//! channel. Each batch reserves its change-log versions with one counter update and logs the profile and
//! every history record, so a first sync of a generated ASN returns the full record. Writing in NIP order with
//! ids that rise with it keeps every index append-only.
//!
//! Deterministic: the same `seed`, N and M give the same NIPs, names and records. A database is seeded once:
//! the run is marked in the audit log first, and a second run on the same database is refused.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use mysapk_model::usulan::Role;
use mysapk_model::Nip;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use sqlx::AnyConnection;

use super::person::{self, Skeleton, Tables};
use super::reference::Reference;
use mysapk_server::db::ENTITY_ASSESSMENT;
use mysapk_server::db::{self, accounts};
use mysapk_server::db::{ENTITY_HISTORY, ENTITY_PROFILE};
use mysapk_server::error::ServerError;

/// The default random seed of `seed --asn`.
pub const DEFAULT_SEED: u64 = 20_251_231;

/// Most values bound to one statement on PostgreSQL (its limit is 65,535).
pub const MAX_BINDS: usize = 32_000;

/// Most values bound to one statement on SQLite: its parameter lookups by name are linear, so binding cost
/// grows with the square of a statement's values (10,000 ASN: 34 ASN/s with 32,000 values, 553 with 1,000).
pub const MAX_BINDS_SQLITE: usize = 1_000;

/// The audit-log entity and id marking a database seeded by [`generate`].
const MARK_ENTITY: &str = "seed";
const MARK_ID: &str = "generated";

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    /// How many ASN.
    pub asn: usize,
    /// Spread over the first this many agencies of `instansi.json`.
    pub instansi: usize,
    /// The random seed: the same seed gives the same data.
    pub seed: u64,
    /// ASN per write transaction.
    pub batch: usize,
}

impl GenerateOptions {
    pub fn new(asn: usize, instansi: usize) -> Self {
        Self { asn, instansi, seed: DEFAULT_SEED, batch: 2_000 }
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenerateReport {
    pub asn: usize,
    pub histories: usize,
    pub instansi: usize,
    /// Catalogs written because the database had none of them yet.
    pub catalogs: usize,
    /// The NIPs of the first generated ASN (in NIP order), for trying them out.
    pub sample_nips: Vec<String>,
    pub elapsed: Duration,
}

/// One batch of serialised rows, generated on the generator thread.
#[derive(Default)]
pub(super) struct Batch {
    pub asn: usize,
    /// (nip, roles, instansi id)
    pub users: Vec<(String, String, String)>,
    /// (nip, instansi id, profile JSON)
    pub profiles: Vec<(String, String, String)>,
    /// (id, nip, kind, data JSON, SIASN id)
    pub histories: Vec<(String, String, &'static str, String, String)>,
    /// (id, nip, data JSON): about one ASN in three
    pub assessments: Vec<(String, String, String)>,
}

/// Generate and write the ASN of `opts` into `database_url` (migrating it first), reporting each written ASN
/// on `bar`.
pub async fn generate(
    database_url: &str,
    reference_dir: &Path,
    opts: &GenerateOptions,
    bar: ProgressBar,
) -> Result<GenerateReport, ServerError> {
    let started = Instant::now();
    let reference = Reference::load(reference_dir)?;
    if opts.asn == 0 || opts.batch == 0 {
        return Err(ServerError::Config("--asn and the batch size must be at least 1".into()));
    }
    if opts.instansi == 0 || opts.instansi > reference.instansi.len() {
        return Err(ServerError::Config(format!(
            "--instansi must be between 1 and {} (the agencies of instansi.json)",
            reference.instansi.len()
        )));
    }
    let pool = db::connect(database_url).await?;
    let result = run(&pool, reference, opts, &bar, database_url.starts_with("postgres")).await;
    bar.finish_and_clear();
    pool.close().await;
    let mut report = result?;
    report.elapsed = started.elapsed();
    Ok(report)
}

async fn run(
    pool: &sqlx::AnyPool,
    reference: Reference,
    opts: &GenerateOptions,
    bar: &ProgressBar,
    postgres: bool,
) -> Result<GenerateReport, ServerError> {
    let agencies: Vec<(String, String)> = reference.instansi[..opts.instansi].to_vec();
    let hash = super::demo_password_hash().await?;
    let mut report = GenerateReport { instansi: agencies.len(), ..GenerateReport::default() };
    let existing: HashSet<String> = {
        let mut tx = db::begin_write(pool, &db::NoHook).await?;
        let marked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND entity_id = $2")
            .bind(MARK_ENTITY)
            .bind(MARK_ID)
            .fetch_one(&mut *tx)
            .await?;
        if marked > 0 {
            return Err(ServerError::Config(
                "this database already holds generated ASN (`seed --asn` ran on it before, or was interrupted); \
                 seed a fresh database instead"
                    .into(),
            ));
        }
        report.catalogs = super::ensure_catalogs(&mut tx, &reference, &agencies).await?;
        db::audit(
            &mut tx,
            db::Audit {
                actor: "seed",
                action: "seed.generate",
                entity: MARK_ENTITY,
                entity_id: MARK_ID,
                details: json!({"asn": opts.asn, "instansi": opts.instansi, "seed": opts.seed}),
                ..db::Audit::default()
            },
        )
        .await?;
        let nips: Vec<String> = sqlx::query_scalar("SELECT nip FROM users").fetch_all(&mut *tx).await?;
        tx.commit().await?;
        nips.into_iter().collect()
    };

    bar.set_length(opts.asn as u64);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Batch, ServerError>>(4);
    let gen_opts = opts.clone();
    let tables_owned = (reference.fungsional_ahli, reference.instansi);
    let generator = std::thread::Builder::new().name("seed-generate".into()).spawn(move || {
        let tables = Tables { fungsional_ahli: &tables_owned.0, all_instansi: &tables_owned.1 };
        let result =
            generate_batches(&gen_opts, &agencies, &tables, &existing, |batch| tx.blocking_send(Ok(batch)).is_ok());
        if let Err(e) = result {
            let _ = tx.blocking_send(Err(e));
        }
    })?;
    let mut write_result = Ok(());
    while let Some(batch) = rx.recv().await {
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                write_result = Err(e);
                break;
            }
        };
        if report.sample_nips.len() < 5 {
            report.sample_nips.extend(batch.users.iter().take(5 - report.sample_nips.len()).map(|u| u.0.clone()));
        }
        if let Err(e) = write_batch(pool, &batch, &hash, postgres).await {
            write_result = Err(e);
            break;
        }
        report.asn += batch.asn;
        report.histories += batch.histories.len();
        bar.inc(batch.asn as u64);
    }
    drop(rx);
    generator.join().map_err(|_| ServerError::internal("the seed generator thread panicked"))?;
    write_result?;
    let mut tx = db::begin_write(pool, &db::NoHook).await?;
    db::audit(
        &mut tx,
        db::Audit {
            actor: "seed",
            action: "seed.generate.done",
            entity: MARK_ENTITY,
            entity_id: "generated.done",
            details: json!({"asn": report.asn, "histories": report.histories}),
            ..db::Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    if postgres {
        // Fresh statistics for the planner: without them it misjudges the per-ASN reads of a bulk-loaded table.
        sqlx::query("ANALYZE").execute(pool).await?;
    }
    Ok(report)
}

/// Generate the ASN of `opts` in NIP order, handing each full batch to `send` (which returns false to stop).
pub(super) fn generate_batches(
    opts: &GenerateOptions,
    agencies: &[(String, String)],
    tables: &Tables,
    existing: &HashSet<String>,
    mut send: impl FnMut(Batch) -> bool,
) -> Result<(), ServerError> {
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let mut skeletons: Vec<Skeleton> = (0..opts.asn).map(|_| person::skeleton(&mut rng)).collect();
    skeletons.sort_unstable();
    let mut rng = StdRng::seed_from_u64(opts.seed.wrapping_add(1));
    let tag = (opts.seed as u32) ^ ((opts.seed >> 32) as u32);
    let mut next_id: u64 = 0;
    let mut per_agency = vec![0usize; agencies.len()];
    let mut batch = Batch::default();
    let mut seq = 0u32;
    let mut prev: Option<Skeleton> = None;
    for s in &skeletons {
        seq = if prev.as_ref() == Some(s) { seq + 1 } else { 1 };
        prev = Some(*s);
        let mut nip = person::nip_of(s, seq);
        while existing.contains(&nip) && seq < 999 {
            seq += 1;
            nip = person::nip_of(s, seq);
        }
        if seq > 999 || existing.contains(&nip) {
            continue;
        }
        let parsed = Nip::parse(&nip).map_err(|v| ServerError::internal(format!("generated NIP {nip}: {v}")))?;
        let a = rng.gen_range(0..agencies.len());
        let (id, nama) = &agencies[a];
        let roles: &[Role] = match per_agency[a] {
            0 => &[Role::Asn, Role::Verifikator],
            1 => &[Role::Asn, Role::Approver],
            2 => &[Role::Asn, Role::Admin],
            _ => &[Role::Asn],
        };
        per_agency[a] += 1;
        let g = person::person(&mut rng, s, parsed, (id, nama), tables);
        for (data, siasn_id) in g.histories.iter().zip(&g.siasn_ids) {
            next_id += 1;
            batch.histories.push((
                format!("{tag:08x}-0000-8000-8000-{next_id:012x}"),
                nip.clone(),
                data.kind().as_str(),
                serde_json::to_string(data)?,
                siasn_id.clone(),
            ));
        }
        // From its own stream (seed and NIP), so the records above stay what they were without assessments.
        let mut arng = StdRng::seed_from_u64(opts.seed ^ nip.parse::<u64>().unwrap_or(0).rotate_left(21));
        if arng.gen_ratio(1, super::assessment::ONE_IN) {
            let tmt_cpns = chrono::NaiveDate::parse_from_str(&format!("{}01", &nip[8..14]), "%Y%m%d")
                .unwrap_or_else(|_| super::life::as_of());
            let aid = super::assessment::id_for(tag, &nip);
            let a = super::assessment::assessment(&mut arng, aid, tmt_cpns);
            batch.assessments.push((a.id.clone(), nip.clone(), serde_json::to_string(&a)?));
        }
        batch.profiles.push((nip.clone(), id.clone(), serde_json::to_string(&g.profile)?));
        batch.users.push((nip, accounts::roles_to_text(roles), id.clone()));
        batch.asn += 1;
        if batch.asn >= opts.batch && !send(std::mem::take(&mut batch)) {
            return Ok(());
        }
    }
    if batch.asn > 0 {
        send(batch);
    }
    Ok(())
}

/// Write one batch in one transaction: accounts, profiles, history records and their change-log entries.
async fn write_batch(pool: &sqlx::AnyPool, b: &Batch, hash: &str, postgres: bool) -> Result<(), ServerError> {
    let mut tx = db::begin_write(pool, &db::NoHook).await?;
    if postgres {
        // Only the commit waits less; a crash loses at most the last batches, and the run is refused again.
        sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut *tx).await?;
    }
    let now = db::now_text();
    let max_binds = if postgres { MAX_BINDS } else { MAX_BINDS_SQLITE };
    insert_rows(
        &mut Sink { conn: &mut tx, max_binds },
        "INSERT INTO users (nip, password_hash, roles, instansi_id, created_at) VALUES ",
        &[hash, &now],
        &b.users,
        3,
        |k| format!("(${k}, $1, ${}, ${}, $2)", k + 1, k + 2),
        |q, (nip, roles, instansi)| q.bind(nip.as_str()).bind(roles.as_str()).bind(instansi.as_str()),
    )
    .await?;
    insert_rows(
        &mut Sink { conn: &mut tx, max_binds },
        "INSERT INTO profile (nip, instansi_id, data, updated_at) VALUES ",
        &[&now],
        &b.profiles,
        3,
        |k| format!("(${k}, ${}, ${}, $1)", k + 1, k + 2),
        |q, (nip, instansi, data)| q.bind(nip.as_str()).bind(instansi.as_str()).bind(data.as_str()),
    )
    .await?;
    insert_rows(
        &mut Sink { conn: &mut tx, max_binds },
        "INSERT INTO history (id, nip, kind, data, last_usulan_id, deleted, updated_at, siasn_id) VALUES ",
        &[&now],
        &b.histories,
        5,
        |k| format!("(${k}, ${}, ${}, ${}, NULL, 0, $1, ${})", k + 1, k + 2, k + 3, k + 4),
        |q, (id, nip, kind, data, siasn_id)| {
            q.bind(id.as_str()).bind(nip.as_str()).bind(*kind).bind(data.as_str()).bind(siasn_id.as_str())
        },
    )
    .await?;

    insert_rows(
        &mut Sink { conn: &mut tx, max_binds },
        "INSERT INTO assessment (id, nip, data) VALUES ",
        &[],
        &b.assessments,
        3,
        |k| format!("(${k}, ${}, ${})", k + 1, k + 2),
        |q, (id, nip, data)| q.bind(id.as_str()).bind(nip.as_str()).bind(data.as_str()),
    )
    .await?;

    // The change log: each ASN's profile, then its records and assessment, with versions rising in NIP order.
    let n = b.profiles.len() + b.histories.len() + b.assessments.len();
    let last: i64 =
        sqlx::query_scalar("UPDATE counter SET value = value + $1 WHERE name = 'change_log' RETURNING value")
            .bind(i64::try_from(n).map_err(|_| ServerError::internal("batch too large"))?)
            .fetch_one(&mut *tx)
            .await?;
    let mut version = last - n as i64;
    let mut log: Vec<(i64, &str, Entity, &str)> = Vec::with_capacity(n);
    let mut h = b.histories.iter().peekable();
    let mut a = b.assessments.iter().peekable();
    for (nip, _, _) in &b.profiles {
        version += 1;
        log.push((version, nip, Entity::Profile, nip));
        while let Some((id, _, _, _, _)) = h.next_if(|r| r.1 == *nip) {
            version += 1;
            log.push((version, nip, Entity::History, id));
        }
        while let Some((id, _, _)) = a.next_if(|r| r.1 == *nip) {
            version += 1;
            log.push((version, nip, Entity::Assessment, id));
        }
    }
    if h.next().is_some() || a.next().is_some() || log.len() != n {
        return Err(ServerError::internal("seed batch: history rows out of NIP order"));
    }
    insert_rows(
        &mut Sink { conn: &mut tx, max_binds },
        "INSERT INTO change_log (version, nip, entity, entity_id) VALUES ",
        &[ENTITY_PROFILE, ENTITY_HISTORY, ENTITY_ASSESSMENT],
        &log,
        3,
        |k| format!("(${k}, ${}, $?, ${})", k + 1, k + 2),
        |q, (v, nip, _, id)| q.bind(*v).bind(*nip).bind(*id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where [`insert_rows`] writes, and how many values it binds per statement.
struct Sink<'c> {
    conn: &'c mut AnyConnection,
    max_binds: usize,
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Insert `rows` with multi-row statements `head (…), (…), …`: the `shared` values are `$1..$s`, each row's
/// `per_row` values follow, its tuple written by `tuple(first placeholder number)`. For the change log, `$?`
/// in a tuple picks `$1` or `$2` by the row's entity.
async fn insert_rows<'r, R: LogEntity>(
    sink: &mut Sink<'_>,
    head: &str,
    shared: &[&str],
    rows: &'r [R],
    per_row: usize,
    tuple: impl Fn(usize) -> String,
    bind: impl for<'q> Fn(AnyQuery<'q>, &'q R) -> AnyQuery<'q>,
) -> Result<(), ServerError> {
    let per_statement = (sink.max_binds - shared.len()) / per_row;
    for chunk in rows.chunks(per_statement) {
        let mut sql = String::with_capacity(head.len() + chunk.len() * (per_row * 8 + 16));
        sql.push_str(head);
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let t = tuple(shared.len() + 1 + i * per_row);
            match row.entity_param() {
                Some(p) => sql.push_str(&t.replace("$?", p)),
                None => sql.push_str(&t),
            }
        }
        let mut q = sqlx::query(&sql);
        for s in shared {
            q = q.bind(*s);
        }
        for row in chunk {
            q = bind(q, row);
        }
        q.execute(&mut *sink.conn).await?;
    }
    Ok(())
}

/// Which shared placeholder names a change-log row's entity (`None` for other tables).
trait LogEntity {
    fn entity_param(&self) -> Option<&'static str> {
        None
    }
}

impl LogEntity for (String, String, String) {}
impl LogEntity for (String, String, &'static str, String, String) {}
/// The entity of a seeded change-log row (which shared placeholder names it).
#[derive(Clone, Copy)]
enum Entity {
    Profile,
    History,
    Assessment,
}

impl LogEntity for (i64, &str, Entity, &str) {
    fn entity_param(&self) -> Option<&'static str> {
        Some(match self.2 {
            Entity::Profile => "$1",
            Entity::History => "$2",
            Entity::Assessment => "$3",
        })
    }
}
