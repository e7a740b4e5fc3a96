//! SQL for `siasn_outbox`: approved changes waiting to be forwarded to SIASN (migration 0013), or to be entered
//! in SIASN by hand by the agency's admin (state [`MANUAL`]: never claimed by the worker).
//!
//! Claims are a conditional `UPDATE` (compare-and-set on the lease): on PostgreSQL a second node's `UPDATE` of
//! the same row waits for the first one's commit and then no longer matches, on SQLite writes are serialised, so
//! exactly one node holds a row until its lease lapses.

use sqlx::AnyConnection;

use crate::error::ServerError;

/// One outbox row.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxRow {
    pub usulan_id: String,
    pub nip: String,
    pub instansi_id: String,
    pub record_id: Option<String>,
    pub endpoint: String,
    pub body: String,
    pub documents: String,
    pub uploaded: String,
    pub state: String,
    pub attempts: i64,
    pub next_at: i64,
    pub sent_at: Option<i64>,
    pub siasn_id: Option<String>,
    pub message: Option<String>,
    pub updated_at: i64,
}

const COLUMNS: &str = "usulan_id, nip, instansi_id, record_id, endpoint, body, documents, uploaded, state, attempts, \
                       next_at, sent_at, siasn_id, message, updated_at";

pub const PENDING: &str = "pending";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
/// SIASN cannot take the change from us: it waits for the agency's admin to enter it in SIASN and mark it so.
pub const MANUAL: &str = "manual";

/// The `endpoint` of a [`MANUAL`] row (no save is sent): one of the profile (the import holds the profile) or of
/// a history record (`record_id`; for a deletion, the deleted record).
pub const MANUAL_PROFILE: &str = "manual_profile";
pub const MANUAL_RECORD: &str = "manual_record";

/// A new row to queue.
pub struct NewRow<'a> {
    pub usulan_id: &'a str,
    pub nip: &'a str,
    pub instansi_id: &'a str,
    pub record_id: Option<&'a str>,
    pub endpoint: &'a str,
    pub body: &'a str,
    pub documents: &'a str,
    pub now: i64,
}

/// How a new row starts.
#[derive(Debug, Clone, Copy)]
pub enum Start<'a> {
    /// For the worker to send.
    Pending,
    /// For the admin to enter in SIASN by hand, never claimed; `reason` (a `NotForwardable` name) goes into
    /// `message`.
    Manual { reason: &'a str },
}

/// Queue a change (in the approval's transaction). A proposal already queued stays as it is.
pub async fn insert(conn: &mut AnyConnection, row: &NewRow<'_>, start: Start<'_>) -> Result<(), ServerError> {
    let (state, message) = match start {
        Start::Pending => (PENDING, None),
        Start::Manual { reason } => (MANUAL, Some(reason)),
    };
    sqlx::query(
        "INSERT INTO siasn_outbox (usulan_id, nip, instansi_id, record_id, endpoint, body, documents, state, next_at, \
         message, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $9) \
         ON CONFLICT (usulan_id) DO NOTHING",
    )
    .bind(row.usulan_id)
    .bind(row.nip)
    .bind(row.instansi_id)
    .bind(row.record_id)
    .bind(row.endpoint)
    .bind(row.body)
    .bind(row.documents)
    .bind(state)
    .bind(row.now)
    .bind(message)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The admin entered a [`MANUAL`] row's change in SIASN: `done`. `false` when it is not waiting.
pub async fn mark_entered(conn: &mut AnyConnection, usulan_id: &str, now: i64) -> Result<bool, ServerError> {
    let done = sqlx::query(
        "UPDATE siasn_outbox SET state = 'done', updated_at = $1 WHERE usulan_id = $2 AND state = 'manual'",
    )
    .bind(now)
    .bind(usulan_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(conn: &mut AnyConnection, usulan_id: &str) -> Result<Option<OutboxRow>, ServerError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM siasn_outbox WHERE usulan_id = $1"))
        .bind(usulan_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// An approved change of `nip` SIASN has not recorded yet (pending, failed, or waiting for manual entry): the
/// record it wrote (or deleted), if any, and its endpoint name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Unrecorded {
    pub record_id: Option<String>,
    pub endpoint: String,
}

/// The approved changes of `nip` SIASN has not recorded yet (what an import must not overwrite).
pub async fn unrecorded(conn: &mut AnyConnection, nip: &str) -> Result<Vec<Unrecorded>, ServerError> {
    Ok(sqlx::query_as(
        "SELECT record_id, endpoint FROM siasn_outbox WHERE nip = $1 AND state IN ('pending', 'failed', 'manual')",
    )
    .bind(nip)
    .fetch_all(&mut *conn)
    .await?)
}

/// Rows due now and not held by a live lease, oldest due first.
pub async fn due(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<String>, ServerError> {
    Ok(sqlx::query_scalar(
        "SELECT usulan_id FROM siasn_outbox WHERE state = 'pending' AND next_at <= $1 \
         AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_at, usulan_id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Claim a due row for `owner` until `until`; `true` when this caller won it.
pub async fn claim(
    conn: &mut AnyConnection,
    usulan_id: &str,
    owner: &str,
    now: i64,
    until: i64,
) -> Result<bool, ServerError> {
    let done = sqlx::query(
        "UPDATE siasn_outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3 \
         WHERE usulan_id = $4 AND state = 'pending' AND next_at <= $3 AND (lease_until IS NULL OR lease_until < $3)",
    )
    .bind(owner)
    .bind(until)
    .bind(now)
    .bind(usulan_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Keep the uploaded documents' `path` entries; `false` when `owner` no longer holds the row.
pub async fn set_uploaded(
    conn: &mut AnyConnection,
    usulan_id: &str,
    owner: &str,
    uploaded: &str,
) -> Result<bool, ServerError> {
    let done = sqlx::query("UPDATE siasn_outbox SET uploaded = $1 WHERE usulan_id = $2 AND lease_owner = $3")
        .bind(uploaded)
        .bind(usulan_id)
        .bind(owner)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Note that the save is about to be sent (committed before the request leaves); `false` when `owner` no longer
/// holds the row.
pub async fn mark_sending(
    conn: &mut AnyConnection,
    usulan_id: &str,
    owner: &str,
    now: i64,
) -> Result<bool, ServerError> {
    let done = sqlx::query("UPDATE siasn_outbox SET sent_at = $1 WHERE usulan_id = $2 AND lease_owner = $3")
        .bind(now)
        .bind(usulan_id)
        .bind(owner)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The outcome of one try.
pub struct Outcome<'a> {
    pub state: &'a str,
    pub next_at: i64,
    pub siasn_id: Option<&'a str>,
    pub message: Option<&'a str>,
    /// Whether the save's outcome is known now (`sent_at` cleared); an unknown one keeps it.
    pub known: bool,
    pub now: i64,
}

/// Store a try's outcome and release the lease; `false` when `owner` no longer holds the row.
pub async fn finish(
    conn: &mut AnyConnection,
    usulan_id: &str,
    owner: &str,
    o: &Outcome<'_>,
) -> Result<bool, ServerError> {
    let done = sqlx::query(
        "UPDATE siasn_outbox SET state = $1, next_at = $2, siasn_id = COALESCE($3, siasn_id), message = $4, \
         sent_at = CASE WHEN $5 = 1 THEN NULL ELSE sent_at END, lease_owner = NULL, lease_until = NULL, \
         updated_at = $6 WHERE usulan_id = $7 AND lease_owner = $8",
    )
    .bind(o.state)
    .bind(o.next_at)
    .bind(o.siasn_id)
    .bind(o.message)
    .bind(i64::from(o.known))
    .bind(o.now)
    .bind(usulan_id)
    .bind(owner)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An admin sends a failed row again: pending now, attempts counted afresh; `forget_sent` drops the note of a
/// send with an unknown outcome (the admin checked SIASN). `false` when it is not failed.
pub async fn retry(
    conn: &mut AnyConnection,
    usulan_id: &str,
    now: i64,
    forget_sent: bool,
) -> Result<bool, ServerError> {
    let done = sqlx::query(
        "UPDATE siasn_outbox SET state = 'pending', next_at = $1, attempts = 0, message = NULL, updated_at = $1, \
         sent_at = CASE WHEN $2 = 1 THEN NULL ELSE sent_at END WHERE usulan_id = $3 AND state = 'failed'",
    )
    .bind(now)
    .bind(i64::from(forget_sent))
    .bind(usulan_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The rows of one agency in one state, newest first.
pub async fn list(conn: &mut AnyConnection, instansi_id: &str, state: &str) -> Result<Vec<OutboxRow>, ServerError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM siasn_outbox WHERE instansi_id = $1 AND state = $2 ORDER BY updated_at DESC LIMIT 500"
    ))
    .bind(instansi_id)
    .bind(state)
    .fetch_all(&mut *conn)
    .await?)
}

/// A failed (or manual) row with its proposal (JSON) and the ASN's profile (JSON, `None` when there is none).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FailedRow {
    pub usulan_id: String,
    pub nip: String,
    pub message: Option<String>,
    pub attempts: i64,
    /// When it failed (or began to wait for manual entry): the row is not written again until the admin acts.
    pub updated_at: i64,
    pub usulan: String,
    pub profile: Option<String>,
}

/// The failed rows of agency `instansi_id`, newest failure first, at most `limit`. Every row has its proposal
/// (queued in the approval's transaction; proposals are never deleted).
pub async fn failed(conn: &mut AnyConnection, instansi_id: &str, limit: i64) -> Result<Vec<FailedRow>, ServerError> {
    listed(conn, instansi_id, FAILED, limit).await
}

/// The rows of agency `instansi_id` waiting for manual entry, newest first, at most `limit`.
pub async fn manual(conn: &mut AnyConnection, instansi_id: &str, limit: i64) -> Result<Vec<FailedRow>, ServerError> {
    listed(conn, instansi_id, MANUAL, limit).await
}

async fn listed(
    conn: &mut AnyConnection,
    instansi_id: &str,
    state: &str,
    limit: i64,
) -> Result<Vec<FailedRow>, ServerError> {
    Ok(sqlx::query_as(
        "SELECT o.usulan_id, o.nip, o.message, o.attempts, o.updated_at, u.data AS usulan, p.data AS profile \
         FROM siasn_outbox o JOIN usulan u ON u.id = o.usulan_id LEFT JOIN profile p ON p.nip = o.nip \
         WHERE o.instansi_id = $1 AND o.state = $2 ORDER BY o.updated_at DESC, o.usulan_id DESC LIMIT $3",
    )
    .bind(instansi_id)
    .bind(state)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}
