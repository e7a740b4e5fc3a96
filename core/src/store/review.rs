//! The reviewer's work queue as pulled (`review_items`, a mirror) and the decisions taken on this device
//! (`review_decisions`, local state that lives until the server's answer and the next pull settle it).
//!
//! A decision is `queued` while its outbox row waits; once sent it stays until the pull removes the item or
//! moves it to another step. A refused decision keeps the server's violation, and its item stays visible (also
//! when the pull says it is gone) so the reviewer sees why.

use chrono::{DateTime, Utc};
use mysapk_model::review::ReviewItem;
use mysapk_model::usulan::{Decision, UsulanState};
use mysapk_model::view::PendingDecision;
use mysapk_model::Violation;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CoreError;

/// One stored item with its local facts.
#[derive(Debug, Clone)]
pub(crate) struct StoredItem {
    pub item: ReviewItem,
    pub gone: bool,
    pub decision: Option<PendingDecision>,
}

fn decision_str(d: Decision) -> &'static str {
    match d {
        Decision::Verify => "verify",
        Decision::Approve => "approve",
        Decision::Return => "return",
        Decision::Reject => "reject",
    }
}

fn parse_decision(s: &str) -> Result<Decision, CoreError> {
    Ok(match s {
        "verify" => Decision::Verify,
        "approve" => Decision::Approve,
        "return" => Decision::Return,
        "reject" => Decision::Reject,
        other => return Err(CoreError::corrupt(format!("decision {other}"))),
    })
}

/// A pulled item (upsert). A sent or refused decision taken on an earlier step is dropped: the item moved on.
pub(crate) fn upsert_item(conn: &Connection, item: &ReviewItem) -> Result<(), CoreError> {
    let kind = item.usulan.action.history_kind().map(|k| k.as_str());
    conn.prepare_cached(
        "INSERT INTO review_items (usulan_id, json, kind, unor_nama, deadline, gone) VALUES (?1, ?2, ?3, ?4, ?5, 0)
         ON CONFLICT (usulan_id) DO UPDATE SET json = excluded.json, kind = excluded.kind,
             unor_nama = excluded.unor_nama, deadline = excluded.deadline, gone = 0",
    )?
    .execute(params![
        item.usulan.id,
        serde_json::to_string(item)?,
        kind,
        item.unor_nama,
        item.deadline.map(|d| d.to_rfc3339())
    ])?;
    conn.prepare_cached("DELETE FROM review_decisions WHERE usulan_id = ?1 AND queued = 0 AND from_state <> ?2")?
        .execute(params![item.usulan.id, item.usulan.state.as_str()])?;
    Ok(())
}

/// The pull says the proposal no longer waits for this user. Kept (as gone) while a decision on it is still
/// queued or was refused, so its outcome can be shown; otherwise forgotten.
pub(crate) fn item_gone(conn: &Connection, usulan_id: &str) -> Result<(), CoreError> {
    let keep: bool = conn
        .query_row(
            "SELECT 1 FROM review_decisions WHERE usulan_id = ?1 AND (queued = 1 OR refusal IS NOT NULL)",
            [usulan_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if keep {
        conn.prepare_cached("UPDATE review_items SET gone = 1 WHERE usulan_id = ?1")?.execute([usulan_id])?;
    } else {
        forget(conn, usulan_id)?;
    }
    Ok(())
}

fn forget(conn: &Connection, usulan_id: &str) -> Result<(), CoreError> {
    conn.prepare_cached("DELETE FROM review_decisions WHERE usulan_id = ?1")?.execute([usulan_id])?;
    conn.prepare_cached("DELETE FROM review_items WHERE usulan_id = ?1")?.execute([usulan_id])?;
    Ok(())
}

/// Record a decision taken here (replacing a refused one). Call in the transaction that queues its mutation.
pub(crate) fn insert_decision(
    conn: &Connection,
    usulan_id: &str,
    decision: Decision,
    reason: Option<&str>,
    from: UsulanState,
    mutation_id: &str,
    now: DateTime<Utc>,
) -> Result<(), CoreError> {
    conn.prepare_cached("INSERT INTO review_decisions (usulan_id, decision, reason, from_state, mutation_id, queued, refusal, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, NULL, ?6)
         ON CONFLICT (usulan_id) DO UPDATE SET decision = excluded.decision, reason = excluded.reason,
             from_state = excluded.from_state, mutation_id = excluded.mutation_id, queued = 1, refusal = NULL,
             decided_at = excluded.decided_at")?.execute(params![usulan_id, decision_str(decision), reason, from.as_str(), mutation_id, now.to_rfc3339()])?;
    Ok(())
}

/// The server took the decision: it is no longer queued. If the pull already said the item is gone, both go.
pub(crate) fn decision_sent(conn: &Connection, mutation_id: &str) -> Result<(), CoreError> {
    let usulan_id: Option<String> = conn
        .query_row("SELECT usulan_id FROM review_decisions WHERE mutation_id = ?1", [mutation_id], |r| r.get(0))
        .optional()?;
    let Some(usulan_id) = usulan_id else { return Ok(()) };
    conn.prepare_cached("UPDATE review_decisions SET queued = 0 WHERE mutation_id = ?1")?.execute([mutation_id])?;
    let gone: bool = conn
        .query_row("SELECT gone FROM review_items WHERE usulan_id = ?1", [&usulan_id], |r| r.get(0))
        .optional()?
        .unwrap_or(true);
    if gone {
        forget(conn, &usulan_id)?;
    }
    Ok(())
}

/// The server refused the decision: keep why, so the reviewer sees it.
pub(crate) fn decision_refused(conn: &Connection, mutation_id: &str, v: &Violation) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE review_decisions SET queued = 0, refusal = ?2 WHERE mutation_id = ?1")?
        .execute(params![mutation_id, serde_json::to_string(v)?])?;
    Ok(())
}

const SELECT: &str = "SELECT i.json, i.gone, d.decision, d.reason, d.queued, d.refusal, d.decided_at
     FROM review_items i LEFT JOIN review_decisions d ON d.usulan_id = i.usulan_id";

type Raw = (String, bool, Option<String>, Option<String>, Option<bool>, Option<String>, Option<String>);

fn decode(raw: Raw) -> Result<StoredItem, CoreError> {
    let (json, gone, decision, reason, queued, refusal, decided_at) = raw;
    let decision = match (decision, decided_at) {
        (Some(d), Some(at)) => Some(PendingDecision {
            decision: parse_decision(&d)?,
            reason,
            queued: queued.unwrap_or(false),
            refusal: refusal.map(|r| serde_json::from_str(&r)).transpose()?,
            decided_at: DateTime::parse_from_rfc3339(&at).map_err(CoreError::corrupt)?.with_timezone(&Utc),
        }),
        _ => None,
    };
    Ok(StoredItem { item: serde_json::from_str(&json)?, gone, decision })
}

fn rows(conn: &Connection, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<StoredItem>, CoreError> {
    let mut st = conn.prepare_cached(sql)?;
    let rows =
        st.query_map(args, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?;
    let mut out = Vec::new();
    for raw in rows {
        out.push(decode(raw?)?);
    }
    Ok(out)
}

pub(crate) fn get(conn: &Connection, usulan_id: &str) -> Result<Option<StoredItem>, CoreError> {
    Ok(rows(conn, &format!("{SELECT} WHERE i.usulan_id = ?1"), &[&usulan_id])?.into_iter().next())
}

/// What the queue shows: waiting items, and gone ones whose decision is pending or was refused. Soonest
/// deadline first (items without a deadline last).
pub(crate) fn visible(conn: &Connection, kind: Option<&str>, unor: Option<&str>) -> Result<Vec<StoredItem>, CoreError> {
    rows(
        conn,
        &format!(
            "{SELECT} WHERE (i.gone = 0 OR d.usulan_id IS NOT NULL)
               AND (?1 IS NULL OR i.kind = ?1) AND (?2 IS NULL OR i.unor_nama = ?2)
             ORDER BY i.deadline IS NULL, i.deadline, i.usulan_id"
        ),
        &[&kind, &unor],
    )
}

/// The work units of the visible queue, for the filter.
pub(crate) fn units(conn: &Connection) -> Result<Vec<String>, CoreError> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT i.unor_nama FROM review_items i LEFT JOIN review_decisions d ON d.usulan_id = i.usulan_id
         WHERE (i.gone = 0 OR d.usulan_id IS NOT NULL) AND i.unor_nama <> '' ORDER BY i.unor_nama",
    )?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Items waiting for this user with no decision taken here (a refused decision counts as none).
pub(crate) fn waiting_count(conn: &Connection) -> Result<u32, CoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM review_items i LEFT JOIN review_decisions d ON d.usulan_id = i.usulan_id
         WHERE i.gone = 0 AND (d.usulan_id IS NULL OR d.refusal IS NOT NULL)",
        )?
        .query_row([], |r| r.get(0))?)
}
