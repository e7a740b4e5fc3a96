//! Derived personnel-service events (kenaikan pangkat, KGB, BUP, missing SKP, missing documents): the model's
//! rules ([`mysapk_model::services::due_events`] with [`SERVICE_RULES`]) run over each ASN's official record,
//! and every event due becomes one `Notification {kind: service}` that the device pulls like any other.
//!
//! Exactly once: an event's notification id is stable (`svc:<nip>:<key>`, [`ServiceEvent::notification_id`]),
//! it is written with `INSERT … ON CONFLICT (id) DO NOTHING RETURNING id`, and only the rows actually inserted
//! get a change-log entry, in the same transaction. Evaluating again, or on several server processes sharing one
//! PostgreSQL at once, creates nothing more (every write transaction first locks the change-log counter row, and
//! the insert of a concurrent process waits for the other's commit and then skips the row).
//!
//! A record counts as documented when an approved proposal that created or changed it carried documents
//! (`usulan_document`): the record's `last_usulan_id` is such a proposal, or an approved `ChangeHistory` with
//! documents names it. One query per ASN (per page of ASN in [`evaluate_all`]).
//!
//! Run: on a schedule in `serve` ([`spawn_schedule`], `MYSAPK_SERVICE_INTERVAL_SECS`: how often a node looks
//! whether today's evaluation is done; the rules are dates, so one full evaluation a day is enough, and of several
//! nodes only the first to claim the day in `service_run` runs it), for the ASN concerned
//! after an approval in [`crate::workflow`] ([`evaluate_after_approval`]), and by `mysapk-server
//! evaluate-services [--today YYYY-MM-DD]`.
//!
//! [`ServiceEvent::notification_id`]: mysapk_model::services::ServiceEvent::notification_id

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use mysapk_model::history::{HistoryData, HistoryRecord};
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::record::Profile;
use mysapk_model::services::{due_events, ServiceInput, SERVICE_RULES};
use mysapk_model::usulan::{Usulan, UsulanAction};
use sqlx::{AnyConnection, AnyPool};
use tokio::task::JoinHandle;

use crate::db::{self, placeholders, records, AfterCommit, LogKey, WriteTx, ENTITY_NOTIFICATION, IN_CHUNK};
use crate::error::ServerError;

/// ASN read per page by [`evaluate_all`].
pub const PAGE: usize = 500;
/// Default time between two scheduled evaluations.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(3600);
/// The first scheduled evaluation runs this long after start (or after one interval, if shorter).
pub const FIRST_RUN_AFTER: Duration = Duration::from_secs(10);
/// Offset of WIB (UTC+7), the time zone of the capital: "today" of the scheduled evaluation.
const WIB_HOURS: i64 = 7;

/// What one evaluation over every ASN did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvaluateReport {
    pub asn: u64,
    /// Events due (already notified or not).
    pub events: u64,
    /// Notifications created by this run.
    pub created: u64,
    pub elapsed: Duration,
}

/// Today in WIB.
pub fn today() -> NaiveDate {
    let now = Utc::now();
    now.checked_add_signed(TimeDelta::hours(WIB_HOURS)).unwrap_or(now).date_naive()
}

/// What the rules read of one ASN.
struct Asn {
    profile: Profile,
    records: Vec<HistoryRecord>,
    /// Ids of the records with a document on file.
    documented: HashSet<String>,
}

/// The notifications of the events due for `asn` on `today`, with the ASN's NIP.
fn notifications(asn: &Asn, today: NaiveDate, now: DateTime<Utc>) -> Vec<(String, Notification)> {
    let refs: Vec<&HistoryRecord> = asn.records.iter().collect();
    let documented = |r: &HistoryRecord| asn.documented.contains(&r.id);
    let input = ServiceInput { tanggal_lahir: asn.profile.tanggal_lahir, records: &refs, documented: &documented };
    let nip = asn.profile.nip.as_str();
    due_events(&input, today, &SERVICE_RULES)
        .into_iter()
        .map(|e| {
            let n = Notification {
                history_kind: e.history_kind,
                service: Some(e.kind),
                due_date: Some(e.due),
                lead_months: e.lead_months,
                ..Notification::new(e.notification_id(&asn.profile.nip), NotificationKind::Service, now)
            };
            (nip.to_owned(), n)
        })
        .collect()
}

/// The live records and documented record ids of the ASN whose NIP is in `first..=last`, grouped by NIP, for
/// `profiles` (ordered by NIP). Two range reads on the `nip` indexes of `history` and `usulan`.
async fn load(conn: &mut AnyConnection, profiles: Vec<Profile>) -> Result<Vec<Asn>, ServerError> {
    let (Some(first), Some(last)) = (profiles.first(), profiles.last()) else {
        return Ok(Vec::new());
    };
    let (first, last) = (first.nip.as_str().to_owned(), last.nip.as_str().to_owned());
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, nip, data, last_usulan_id FROM history WHERE nip >= $1 AND nip <= $2 AND deleted = 0 ORDER BY id",
    )
    .bind(&first)
    .bind(&last)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_nip: HashMap<String, Vec<HistoryRecord>> = HashMap::new();
    for (id, nip, data, last_usulan_id) in rows {
        let data: HistoryData = serde_json::from_str(&data)?;
        by_nip.entry(nip).or_default().push(HistoryRecord { id, data, last_usulan_id, siasn_id: None });
    }
    // Approved proposals that carried documents: the records they created (still their last change) or changed.
    let approved: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.nip, u.id, u.data FROM usulan u WHERE u.nip >= $1 AND u.nip <= $2 AND u.state = 'approved' \
         AND EXISTS (SELECT 1 FROM usulan_document d WHERE d.usulan_id = u.id)",
    )
    .bind(&first)
    .bind(&last)
    .fetch_all(&mut *conn)
    .await?;
    let mut with_documents: HashMap<String, HashSet<String>> = HashMap::new();
    let mut changed: HashMap<String, HashSet<String>> = HashMap::new();
    for (nip, id, data) in approved {
        let u: Usulan = serde_json::from_str(&data)?;
        if let UsulanAction::ChangeHistory { record_id, .. } = &u.action {
            changed.entry(nip.clone()).or_default().insert(record_id.clone());
        }
        with_documents.entry(nip).or_default().insert(id);
    }
    Ok(profiles
        .into_iter()
        .map(|profile| {
            let nip = profile.nip.as_str();
            let records = by_nip.remove(nip).unwrap_or_default();
            let carried = with_documents.get(nip);
            let mut documented = changed.remove(nip).unwrap_or_default();
            documented.extend(
                records
                    .iter()
                    .filter(|r| r.last_usulan_id.as_ref().is_some_and(|u| carried.is_some_and(|c| c.contains(u))))
                    .map(|r| r.id.clone()),
            );
            Asn { profile, records, documented }
        })
        .collect())
}

/// The ids among `notes` already stored (one query per [`IN_CHUNK`] ids).
async fn existing(conn: &mut AnyConnection, notes: &[(String, Notification)]) -> Result<HashSet<String>, ServerError> {
    let mut out = HashSet::new();
    for chunk in notes.chunks(IN_CHUNK) {
        let sql = format!("SELECT id FROM notification WHERE id IN ({})", placeholders(1, chunk.len()));
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for (_, n) in chunk {
            q = q.bind(n.id.clone());
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// Insert the notifications not stored yet and log exactly those for sync, in the caller's write transaction.
/// Returns the change-log entries appended (one per inserted notification).
async fn insert_new(
    conn: &mut AnyConnection,
    notes: &[(String, Notification)],
) -> Result<Vec<(LogKey, i64)>, ServerError> {
    let mut inserted = HashSet::new();
    for chunk in notes.chunks(IN_CHUNK) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("({})", placeholders(i * 3 + 1, 3))).collect();
        let sql = format!(
            "INSERT INTO notification (id, nip, data) VALUES {} ON CONFLICT (id) DO NOTHING RETURNING id",
            values.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for (nip, n) in chunk {
            q = q.bind(n.id.clone()).bind(nip.clone()).bind(serde_json::to_string(n)?);
        }
        inserted.extend(q.fetch_all(&mut *conn).await?);
    }
    let log: Vec<(String, &str, String)> = notes
        .iter()
        .filter(|(_, n)| inserted.contains(&n.id))
        .map(|(nip, n)| (nip.clone(), ENTITY_NOTIFICATION, n.id.clone()))
        .collect();
    db::append_changes(conn, &log).await
}

/// Write the notifications among `notes` not stored yet, in one write transaction (none when all exist).
async fn write(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    notes: Vec<(String, Notification)>,
) -> Result<usize, ServerError> {
    let known = {
        let mut conn = pool.acquire().await?;
        existing(&mut conn, &notes).await?
    };
    let fresh: Vec<(String, Notification)> = notes.into_iter().filter(|(_, n)| !known.contains(&n.id)).collect();
    if fresh.is_empty() {
        return Ok(0);
    }
    let mut tx = db::begin_write(pool, after).await?;
    let logged = insert_new(&mut tx, &fresh).await?;
    let created = logged.len();
    tx.note_logged(logged);
    tx.commit().await?;
    Ok(created)
}

/// Evaluate one ASN on `today`; returns how many notifications were created (0 for an unknown NIP).
pub async fn evaluate(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    nip: &str,
    today: NaiveDate,
) -> Result<usize, ServerError> {
    let notes = {
        let mut conn = pool.acquire().await?;
        let Some(profile) = records::get_profile(&mut conn, nip).await? else {
            return Ok(0);
        };
        let now = Utc::now();
        load(&mut conn, vec![profile]).await?.iter().flat_map(|a| notifications(a, today, now)).collect::<Vec<_>>()
    };
    write(pool, after, notes).await
}

/// Evaluate one ASN in the caller's write transaction (begun with [`db::begin_write`]); returns the change-log
/// entries appended (one per notification created).
pub async fn evaluate_in(
    conn: &mut AnyConnection,
    nip: &str,
    today: NaiveDate,
) -> Result<Vec<(LogKey, i64)>, ServerError> {
    let Some(profile) = records::get_profile(conn, nip).await? else {
        return Ok(Vec::new());
    };
    let now = Utc::now();
    let notes: Vec<_> = load(conn, vec![profile]).await?.iter().flat_map(|a| notifications(a, today, now)).collect();
    insert_new(conn, &notes).await
}

/// After an approval changed `nip`'s record: evaluate that ASN in the decision's transaction, inside a savepoint,
/// so a failure is logged and rolled back without failing the decision.
pub async fn evaluate_after_approval(tx: &mut WriteTx<'_>, nip: &str) {
    let result = async {
        let mut savepoint = tx.savepoint().await?;
        let logged = evaluate_in(&mut savepoint, nip, today()).await?;
        savepoint.commit().await?;
        Ok::<_, ServerError>(logged)
    }
    .await;
    match result {
        Ok(logged) if logged.is_empty() => {}
        Ok(logged) => {
            tracing::info!(%nip, created = logged.len(), "service events after approval");
            tx.note_logged(logged);
        }
        Err(e) => tracing::warn!(%nip, error = %e, "could not evaluate service events after approval"),
    }
}

/// Evaluate every ASN on `today`, [`PAGE`] at a time in NIP order; `progress(done, total)` after each page.
/// A page whose events are all notified already writes nothing.
pub async fn evaluate_all(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    today: NaiveDate,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<EvaluateReport, ServerError> {
    let started = Instant::now();
    let total: i64 = {
        let mut conn = pool.acquire().await?;
        sqlx::query_scalar("SELECT COUNT(*) FROM profile").fetch_one(&mut *conn).await?
    };
    let total = u64::try_from(total).unwrap_or(0);
    let mut report = EvaluateReport::default();
    let mut last_nip = String::new();
    let limit = i64::try_from(PAGE).unwrap_or(500);
    loop {
        let notes = {
            let mut conn = pool.acquire().await?;
            let rows: Vec<String> = sqlx::query_scalar("SELECT data FROM profile WHERE nip > $1 ORDER BY nip LIMIT $2")
                .bind(&last_nip)
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?;
            let profiles = rows.iter().map(|d| serde_json::from_str(d)).collect::<Result<Vec<Profile>, _>>()?;
            let Some(last) = profiles.last() else { break };
            last_nip = last.nip.as_str().to_owned();
            report.asn += profiles.len() as u64;
            let now = Utc::now();
            load(&mut conn, profiles).await?.iter().flat_map(|a| notifications(a, today, now)).collect::<Vec<_>>()
        };
        report.events += notes.len() as u64;
        report.created += write(pool, after, notes).await? as u64;
        progress(report.asn, total.max(report.asn));
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Claim `day`'s full evaluation for `node`: true for the first node to ask, false for every later one.
pub async fn claim_day(pool: &AnyPool, day: NaiveDate, node: &str) -> Result<bool, ServerError> {
    let done =
        sqlx::query("INSERT INTO service_run (day, node, started_at) VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING")
            .bind(day.to_string())
            .bind(node)
            .bind(Utc::now().to_rfc3339())
            .execute(pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Evaluate every ASN once a day: first after [`FIRST_RUN_AFTER`] (or `interval`, if shorter), then every
/// `interval` this node looks whether the day is claimed ([`claim_day`]) and, if not, claims and evaluates it.
/// Errors are logged; a day whose claimed run fails is covered by the next day's run and by the evaluations after
/// approvals. Abort the handle to stop.
pub fn spawn_schedule(
    pool: AnyPool,
    after: Arc<dyn AfterCommit>,
    interval: Duration,
    metrics: crate::metrics::Metrics,
) -> JoinHandle<()> {
    let node = uuid::Uuid::new_v4().to_string();
    tokio::spawn(metrics.instrument(async move {
        tokio::time::sleep(FIRST_RUN_AFTER.min(interval)).await;
        loop {
            let today = today();
            match claim_day(&pool, today, &node).await {
                Ok(true) => {}
                Ok(false) => {
                    tokio::time::sleep(interval).await;
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "claiming the day's service evaluation failed");
                    tokio::time::sleep(interval).await;
                    continue;
                }
            }
            match evaluate_all(&pool, after.as_ref(), today, &|_, _| {}).await {
                Ok(r) => {
                    // Events first: a scrape that sees the run sees its events.
                    metrics::counter!(crate::metrics::SERVICE_EVENTS).increment(r.created);
                    metrics::counter!(crate::metrics::SERVICE_RUNS, "outcome" => "ok").increment(1);
                    tracing::info!(
                        %today,
                        asn = r.asn,
                        events = r.events,
                        created = r.created,
                        secs = r.elapsed.as_secs_f64(),
                        "service events evaluated"
                    )
                }
                Err(e) => {
                    metrics::counter!(crate::metrics::SERVICE_RUNS, "outcome" => "failed").increment(1);
                    tracing::warn!(error = %e, "service event evaluation failed")
                }
            }
            tokio::time::sleep(interval).await;
        }
    }))
}
