//! Notifications mirrored from the server, with the local read mark.

use mysapk_model::notification::Notification;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CoreError;

/// Store a pulled notification; a local read mark wins over an older unread copy. Returns whether it is new.
pub(crate) fn upsert(conn: &Connection, n: &Notification) -> Result<bool, CoreError> {
    let old_read: Option<bool> = conn
        .prepare_cached("SELECT read FROM notifications WHERE id = ?1")?
        .query_row([&n.id], |r| r.get(0))
        .optional()?;
    let read = n.read || old_read.unwrap_or(false);
    let mut stored = n.clone();
    stored.read = read;
    conn.prepare_cached(
        "INSERT INTO notifications (id, json, created_at, read) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET json = excluded.json, created_at = excluded.created_at, read = excluded.read",
    )?
    .execute(params![n.id, serde_json::to_string(&stored)?, n.created_at.to_rfc3339(), read])?;
    Ok(old_read.is_none())
}

/// Newest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Notification>, CoreError> {
    let mut st = conn.prepare_cached("SELECT json, read FROM notifications ORDER BY created_at DESC, id")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (json, read) = row?;
        let mut n: Notification = serde_json::from_str(&json)?;
        n.read = read;
        out.push(n);
    }
    Ok(out)
}

/// Mark one read; returns whether it exists.
pub(crate) fn mark_read(conn: &Connection, id: &str) -> Result<bool, CoreError> {
    Ok(conn.prepare_cached("UPDATE notifications SET read = 1 WHERE id = ?1")?.execute([id])? > 0)
}

pub(crate) fn unread_count(conn: &Connection) -> Result<u32, CoreError> {
    Ok(conn.prepare_cached("SELECT count(*) FROM notifications WHERE read = 0")?.query_row([], |r| r.get(0))?)
}
