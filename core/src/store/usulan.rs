//! Proposals as the device knows them: queued locally, then the server's state as pulled.
//!
//! Three facts are kept apart: received (the outbox row is gone), decided (`state` from a pull) and applied
//! (`applied`: a pulled official record carries this proposal's id).

use chrono::{DateTime, Utc};
use mysapk_model::usulan::{Usulan, UsulanAction, UsulanState};
use mysapk_model::view::LocalUsulan;
use mysapk_model::Violation;
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::CoreError;
use crate::store::records;

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
    }
}

/// Insert a new proposal in state `queued`.
pub(crate) fn insert_queued(
    conn: &Connection,
    id: &str,
    action: &UsulanAction,
    now: DateTime<Utc>,
) -> Result<(), CoreError> {
    let (action_type, kind, record_id) = action_columns(action);
    let now = now.to_rfc3339();
    conn.prepare_cached(
        "INSERT INTO usulan (id, action_type, kind, record_id, action, state, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?6)",
    )?
    .execute(params![id, action_type, kind, record_id, serde_json::to_string(action)?, now])?;
    Ok(())
}

/// Store the server's view of a proposal. A pending local withdrawal survives until the server's state is final.
pub(crate) fn upsert_from_server(conn: &Connection, u: &Usulan) -> Result<(), CoreError> {
    let (action_type, kind, record_id) = action_columns(&u.action);
    let applied = u.state == UsulanState::Approved && is_applied_now(conn, &u.id, &u.action)?;
    conn.prepare_cached(
        "INSERT INTO usulan (id, action_type, kind, record_id, action, state, reason, events, created_at, updated_at,
                             applied)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET action_type = excluded.action_type, kind = excluded.kind,
             record_id = excluded.record_id, action = excluded.action, state = excluded.state,
             reason = excluded.reason, events = excluded.events, updated_at = excluded.updated_at,
             refusal = NULL, applied = max(usulan.applied, excluded.applied),
             withdraw_pending = CASE WHEN excluded.state IN ('approved', 'rejected', 'withdrawn') THEN 0
                                     ELSE usulan.withdraw_pending END",
    )?
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
        applied
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
        UsulanAction::ChangeOwnerFields { .. } => {
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

const COLUMNS: &str = "id, action, state, reason, refusal, events, created_at, withdraw_pending, applied";

fn from_row(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
}

type RawRow = (String, String, String, Option<String>, Option<String>, String, String, bool, bool);

fn decode(raw: RawRow) -> Result<StoredUsulan, CoreError> {
    let (id, action, state, reason, refusal, events, created_at, withdraw_pending, applied) = raw;
    let state = UsulanState::parse(&state).ok_or_else(|| CoreError::corrupt(format!("usulan state {state}")))?;
    let state = if withdraw_pending { UsulanState::Withdrawn } else { state };
    Ok(StoredUsulan {
        usulan: LocalUsulan {
            id,
            action: serde_json::from_str(&action)?,
            state,
            reason,
            refusal: refusal.map(|r| serde_json::from_str(&r)).transpose()?,
            created_at: DateTime::parse_from_rfc3339(&created_at).map_err(CoreError::corrupt)?.with_timezone(&Utc),
            events: serde_json::from_str(&events)?,
        },
        applied,
    })
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<StoredUsulan>, CoreError> {
    let raw = conn.query_row(&format!("SELECT {COLUMNS} FROM usulan WHERE id = ?1"), [id], from_row).optional()?;
    raw.map(decode).transpose()
}

/// Every proposal, newest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<StoredUsulan>, CoreError> {
    let mut st = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM usulan ORDER BY created_at DESC, id DESC"))?;
    let rows = st.query_map([], from_row)?;
    let mut out = Vec::new();
    for raw in rows {
        out.push(decode(raw?)?);
    }
    Ok(out)
}
