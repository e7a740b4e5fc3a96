//! The outbox: one row per queued mutation, in per-device sequence order.

use chrono::{DateTime, Utc};
use mysapk_model::sync::{Mutation, MutationOp};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CoreError;
use crate::store::meta;

/// Append a mutation with the next sequence number. Call inside the transaction of the local edit.
pub(crate) fn enqueue(conn: &Connection, op: MutationOp) -> Result<Mutation, CoreError> {
    let next: i64 = meta::get(conn, meta::NEXT_SEQ)?.and_then(|s| s.parse().ok()).unwrap_or(1);
    // Never reuse a number, even if the meta row were behind the table.
    let max: i64 = conn.prepare_cached("SELECT coalesce(max(seq), 0) FROM outbox")?.query_row([], |r| r.get(0))?;
    let seq = next.max(max + 1);
    let m = Mutation { id: uuid::Uuid::now_v7().to_string(), seq, op };
    conn.prepare_cached("INSERT INTO outbox (seq, mutation_id, op, created_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![m.seq, m.id, serde_json::to_string(&m.op)?, Utc::now().to_rfc3339()])?;
    meta::set(conn, meta::NEXT_SEQ, &(seq + 1).to_string())?;
    Ok(m)
}

/// The oldest `limit` mutations, in sequence order.
pub(crate) fn batch(conn: &Connection, limit: usize) -> Result<Vec<Mutation>, CoreError> {
    let mut st = conn.prepare_cached("SELECT seq, mutation_id, op FROM outbox ORDER BY seq LIMIT ?1")?;
    let rows =
        st.query_map([limit as i64], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, id, op) = row?;
        out.push(Mutation { id, seq, op: serde_json::from_str(&op)? });
    }
    Ok(out)
}

pub(crate) fn get(conn: &Connection, mutation_id: &str) -> Result<Option<Mutation>, CoreError> {
    let row: Option<(i64, String)> = conn
        .query_row("SELECT seq, op FROM outbox WHERE mutation_id = ?1", [mutation_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        Some((seq, op)) => Ok(Some(Mutation { id: mutation_id.to_owned(), seq, op: serde_json::from_str(&op)? })),
        None => Ok(None),
    }
}

pub(crate) fn remove(conn: &Connection, mutation_id: &str) -> Result<(), CoreError> {
    conn.prepare_cached("DELETE FROM outbox WHERE mutation_id = ?1")?.execute([mutation_id])?;
    Ok(())
}

pub(crate) fn count(conn: &Connection) -> Result<u32, CoreError> {
    Ok(conn.prepare_cached("SELECT count(*) FROM outbox")?.query_row([], |r| r.get(0))?)
}

/// Remember a failed attempt on every queued row: attempts, error code and the earliest next try.
pub(crate) fn record_failure(conn: &Connection, code: &str, not_before: DateTime<Utc>) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE outbox SET attempts = attempts + 1, last_error = ?1, not_before = ?2")?
        .execute(params![code, not_before.to_rfc3339()])?;
    Ok(())
}

/// The persisted "not before" of the queue, if any.
pub(crate) fn not_before(conn: &Connection) -> Result<Option<DateTime<Utc>>, CoreError> {
    let s: Option<String> = conn.prepare_cached("SELECT max(not_before) FROM outbox")?.query_row([], |r| r.get(0))?;
    Ok(s.and_then(|s| DateTime::parse_from_rfc3339(&s).ok()).map(|d| d.with_timezone(&Utc)))
}

pub(crate) fn clear_failures(conn: &Connection) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE outbox SET not_before = NULL, last_error = NULL WHERE not_before IS NOT NULL")?
        .execute([])?;
    Ok(())
}
