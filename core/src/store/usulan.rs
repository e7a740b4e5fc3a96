//! Proposals as the device knows them: queued locally, then the server's state as pulled.
//!
//! Three facts are kept apart: received (the outbox row is gone), decided (`state` from a pull) and applied
//! (`applied`: a pulled official record carries this proposal's id).

use chrono::{DateTime, Utc};
use mysapk_model::document::DocumentRef;
use mysapk_model::usulan::{Usulan, UsulanAction, UsulanState};
use mysapk_model::view::LocalUsulan;
use mysapk_model::Violation;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::CoreError;
use crate::store::{documents as docs, records};

/// A stored proposal with the local facts the view needs.
#[derive(Debug, Clone)]
pub(crate) struct StoredUsulan {
    pub usulan: LocalUsulan,
    pub applied: bool,
}

impl StoredUsulan {
    /// Shown beside the record: open, or approved but not yet in the pulled record.
    pub(crate) fn is_overlay(&self) -> bool {
        match self.usulan.state {
            UsulanState::Queued | UsulanState::Submitted | UsulanState::Verified | UsulanState::Returned => true,
            UsulanState::Approved => !self.applied,
            UsulanState::Rejected | UsulanState::Withdrawn => false,
        }
    }
}

fn action_columns(action: &UsulanAction) -> (&'static str, Option<&'static str>, Option<&str>) {
    let kind = action.history_kind().map(|k| k.as_str());
    match action {
        UsulanAction::AddHistory { .. } => ("add_history", kind, None),
        UsulanAction::ChangeHistory { record_id, .. } => ("change_history", kind, Some(record_id.as_str())),
        UsulanAction::DeleteHistory { record_id, .. } => ("delete_history", kind, Some(record_id.as_str())),
        UsulanAction::ChangeOwnerFields { .. } => ("change_owner_fields", None, None),
        UsulanAction::ChangeVerifiedFields { .. } => ("change_verified_fields", None, None),
    }
}

/// Insert a new proposal in state `queued`.
pub(crate) fn insert_queued(
    conn: &Connection,
    id: &str,
    action: &UsulanAction,
    documents: &[DocumentRef],
    now: DateTime<Utc>,
) -> Result<(), CoreError> {
    let (action_type, kind, record_id) = action_columns(action);
    let now = now.to_rfc3339();
    conn.prepare_cached(
        "INSERT INTO usulan (id, action_type, kind, record_id, action, documents, state, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?7)",
    )?
    .execute(params![
        id,
        action_type,
        kind,
        record_id,
        serde_json::to_string(action)?,
        serde_json::to_string(documents)?,
        now
    ])?;
    Ok(())
}

/// A returned proposal, edited: queued again under the same id. Its events (the history) stay.
pub(crate) fn requeue(
    conn: &Connection,
    id: &str,
    action: &UsulanAction,
    documents: &[DocumentRef],
    now: DateTime<Utc>,
) -> Result<(), CoreError> {
    let (action_type, kind, record_id) = action_columns(action);
    conn.prepare_cached(
        "UPDATE usulan SET action_type = ?2, kind = ?3, record_id = ?4, action = ?5, documents = ?6,
             state = 'queued', refusal = NULL, updated_at = ?7
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        action_type,
        kind,
        record_id,
        serde_json::to_string(action)?,
        serde_json::to_string(documents)?,
        now.to_rfc3339()
    ])?;
    Ok(())
}

/// The local row is a correction queued here that the server has not seen yet: it is `queued`, it was
/// pulled before (it has events), and the server's `returned` answer knows no event more than the device did
/// (a proposal never pulled, or one the server took and returned again, shows the server's state instead).
macro_rules! keep_correction {
    () => {
        "usulan.state = 'queued' AND excluded.state = 'returned' AND json_array_length(usulan.events) > 0
         AND json_array_length(excluded.events) <= json_array_length(usulan.events)"
    };
}

/// Store the server's view of a proposal. A pending local withdrawal survives until the server's state is final.
/// A returned proposal corrected here (queued again) keeps its corrected content and state until the server
/// has it: a stale `returned` only refreshes its reason.
pub(crate) fn upsert_from_server(conn: &Connection, u: &Usulan) -> Result<(), CoreError> {
    let (action_type, kind, record_id) = action_columns(&u.action);
    let applied = u.state == UsulanState::Approved && is_applied_now(conn, &u.id, &u.action)?;
    conn.prepare_cached(concat!(
        "INSERT INTO usulan (id, action_type, kind, record_id, action, state, reason, events, created_at, updated_at,
                             applied, documents, siasn)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, events = excluded.events, siasn = excluded.siasn,
             updated_at = excluded.updated_at, applied = max(usulan.applied, excluded.applied),
             action_type = CASE WHEN ",
        keep_correction!(),
        " THEN usulan.action_type ELSE excluded.action_type END,
             kind = CASE WHEN ",
        keep_correction!(),
        " THEN usulan.kind ELSE excluded.kind END,
             record_id = CASE WHEN ",
        keep_correction!(),
        " THEN usulan.record_id ELSE excluded.record_id END,
             action = CASE WHEN ",
        keep_correction!(),
        " THEN usulan.action ELSE excluded.action END,
             documents = CASE WHEN ",
        keep_correction!(),
        " THEN usulan.documents ELSE excluded.documents END,
             refusal = CASE WHEN ",
        keep_correction!(),
        " THEN usulan.refusal ELSE NULL END,
             state = CASE WHEN ",
        keep_correction!(),
        " THEN 'queued' ELSE excluded.state END,
             withdraw_pending = CASE WHEN excluded.state IN ('approved', 'rejected', 'withdrawn') THEN 0
                                     ELSE usulan.withdraw_pending END"
    ))?
    .execute(params![
        u.id,
        action_type,
        kind,
        record_id,
        serde_json::to_string(&u.action)?,
        u.state.as_str(),
        u.reason,
        serde_json::to_string(&u.events)?,
        u.created_at.to_rfc3339(),
        u.updated_at.to_rfc3339(),
        applied,
        serde_json::to_string(&u.documents)?,
        u.siasn.as_ref().map(serde_json::to_string).transpose()?
    ])?;
    Ok(())
}

/// Whether the mirror already shows the effect of this approved proposal.
fn is_applied_now(conn: &Connection, id: &str, action: &UsulanAction) -> Result<bool, CoreError> {
    Ok(match action {
        UsulanAction::AddHistory { .. } => records::any_history_from_usulan(conn, id)?,
        UsulanAction::ChangeHistory { record_id, .. } => match records::history_last_usulan(conn, record_id)? {
            Some(last) => last.as_deref() == Some(id),
            None => true,
        },
        UsulanAction::DeleteHistory { record_id, .. } => records::history_kind(conn, record_id)?.is_none(),
        UsulanAction::ChangeOwnerFields { .. } | UsulanAction::ChangeVerifiedFields { .. } => {
            let last: Option<Option<String>> = conn
                .prepare_cached("SELECT last_usulan_id FROM profile WHERE id = 1")?
                .query_row([], |r| r.get(0))
                .optional()?;
            last.flatten().as_deref() == Some(id)
        }
    })
}

/// A pulled record names this proposal as its last change.
pub(crate) fn mark_applied(conn: &Connection, id: &str) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE usulan SET applied = 1 WHERE id = ?1")?.execute([id])?;
    Ok(())
}

/// A pulled tombstone applies every delete proposal of that record.
pub(crate) fn mark_deletes_applied(conn: &Connection, record_id: &str) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE usulan SET applied = 1 WHERE action_type = 'delete_history' AND record_id = ?1")?
        .execute([record_id])?;
    Ok(())
}

/// The server received the proposal (applied or processed before): queued → submitted, unless a pull said more.
pub(crate) fn mark_received(conn: &Connection, id: &str) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE usulan SET state = 'submitted' WHERE id = ?1 AND state = 'queued'")?.execute([id])?;
    Ok(())
}

/// The server refused the proposal outright.
pub(crate) fn mark_refused(conn: &Connection, id: &str, v: &Violation) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE usulan SET state = 'rejected', refusal = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, serde_json::to_string(v)?, Utc::now().to_rfc3339()])?;
    Ok(())
}

pub(crate) fn set_withdraw_pending(conn: &Connection, id: &str) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE usulan SET withdraw_pending = 1 WHERE id = ?1")?.execute([id])?;
    Ok(())
}

/// The server refused the withdrawal: show the proposal's real state again, with the reason.
pub(crate) fn withdraw_refused(conn: &Connection, id: &str, v: &Violation) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE usulan SET withdraw_pending = 0, refusal = ?2 WHERE id = ?1")?
        .execute(params![id, serde_json::to_string(v)?])?;
    Ok(())
}

const COLUMNS: &str =
    "id, action, state, reason, refusal, events, created_at, withdraw_pending, applied, documents, siasn";

struct RawRow {
    id: String,
    action: String,
    state: String,
    reason: Option<String>,
    refusal: Option<String>,
    events: String,
    created_at: String,
    withdraw_pending: bool,
    applied: bool,
    documents: String,
    siasn: Option<String>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        id: r.get(0)?,
        action: r.get(1)?,
        state: r.get(2)?,
        reason: r.get(3)?,
        refusal: r.get(4)?,
        events: r.get(5)?,
        created_at: r.get(6)?,
        withdraw_pending: r.get(7)?,
        applied: r.get(8)?,
        documents: r.get(9)?,
        siasn: r.get(10)?,
    })
}

fn time(s: &str) -> Result<DateTime<Utc>, CoreError> {
    Ok(DateTime::parse_from_rfc3339(s).map_err(CoreError::corrupt)?.with_timezone(&Utc))
}

fn decode(conn: &Connection, raw: RawRow) -> Result<StoredUsulan, CoreError> {
    let RawRow { id, action, state, reason, refusal, events, created_at, withdraw_pending, applied, documents, siasn } =
        raw;
    let state = UsulanState::parse(&state).ok_or_else(|| CoreError::corrupt(format!("usulan state {state}")))?;
    let state = if withdraw_pending { UsulanState::Withdrawn } else { state };
    let documents: Vec<DocumentRef> = serde_json::from_str(&documents)?;
    // Only a queued proposal waits for its documents; once the server has it, it has them.
    let documents_waiting = if state == UsulanState::Queued { docs::waiting(conn, &documents)? } else { 0 };
    Ok(StoredUsulan {
        usulan: LocalUsulan {
            id,
            action: serde_json::from_str(&action)?,
            state,
            reason,
            refusal: refusal.map(|r| serde_json::from_str(&r)).transpose()?,
            created_at: time(&created_at)?,
            events: serde_json::from_str(&events)?,
            documents,
            documents_waiting,
            siasn: siasn.map(|s| serde_json::from_str(&s)).transpose()?,
        },
        applied,
    })
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<StoredUsulan>, CoreError> {
    let raw = conn.query_row(&format!("SELECT {COLUMNS} FROM usulan WHERE id = ?1"), [id], from_row).optional()?;
    raw.map(|raw| decode(conn, raw)).transpose()
}

/// Every proposal, newest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<StoredUsulan>, CoreError> {
    let mut st = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM usulan ORDER BY created_at DESC, id DESC"))?;
    let rows = st.query_map([], from_row)?;
    let mut out = Vec::new();
    for raw in rows {
        out.push(decode(conn, raw?)?);
    }
    Ok(out)
}

/// How many proposals (queued, submitted, verified or approved; not withdrawn here) changed `record_id`,
/// `except` one: the count the one-time edit rule looks at.
pub(crate) fn changes_of(conn: &Connection, record_id: &str, except: Option<&str>) -> Result<u32, CoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM usulan WHERE action_type = 'change_history' AND record_id = ?1
                 AND state IN ('queued', 'submitted', 'verified', 'approved') AND withdraw_pending = 0
                 AND id IS NOT ?2",
        )?
        .query_row(params![record_id, except], |r| r.get(0))?)
}
