//! The official record mirror: profile and history records, as the server last sent them.

use mysapk_model::history::{HistoryKind, HistoryRecord};
use mysapk_model::record::Profile;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CoreError;

pub(crate) fn upsert_profile(conn: &Connection, profile: &Profile) -> Result<(), CoreError> {
    conn.prepare_cached(
        "INSERT INTO profile (id, json, last_usulan_id) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET json = excluded.json, last_usulan_id = excluded.last_usulan_id",
    )?
    .execute(params![serde_json::to_string(profile)?, profile.last_usulan_id])?;
    Ok(())
}

pub(crate) fn profile(conn: &Connection) -> Result<Option<Profile>, CoreError> {
    let json: Option<String> =
        conn.prepare_cached("SELECT json FROM profile WHERE id = 1")?.query_row([], |r| r.get(0)).optional()?;
    Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
}

pub(crate) fn upsert_history(conn: &Connection, record: &HistoryRecord) -> Result<(), CoreError> {
    conn.prepare_cached(
        "INSERT INTO history (id, kind, sort_date, json, last_usulan_id) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, sort_date = excluded.sort_date,
             json = excluded.json, last_usulan_id = excluded.last_usulan_id",
    )?
    .execute(params![
        record.id,
        record.data.kind().as_str(),
        record.data.sort_date().to_string(),
        serde_json::to_string(record)?,
        record.last_usulan_id
    ])?;
    Ok(())
}

pub(crate) fn delete_history(conn: &Connection, id: &str) -> Result<(), CoreError> {
    conn.prepare_cached("DELETE FROM history WHERE id = ?1")?.execute([id])?;
    Ok(())
}

/// The kind of a record, if the device has it.
pub(crate) fn history_kind(conn: &Connection, id: &str) -> Result<Option<HistoryKind>, CoreError> {
    let kind: Option<String> =
        conn.prepare_cached("SELECT kind FROM history WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    Ok(kind.and_then(|k| HistoryKind::parse(&k)))
}

/// The last proposal applied to a record, if the device has the record.
pub(crate) fn history_last_usulan(conn: &Connection, id: &str) -> Result<Option<Option<String>>, CoreError> {
    Ok(conn
        .prepare_cached("SELECT last_usulan_id FROM history WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

pub(crate) fn any_history_from_usulan(conn: &Connection, usulan_id: &str) -> Result<bool, CoreError> {
    Ok(conn
        .query_row("SELECT 1 FROM history WHERE last_usulan_id = ?1 LIMIT 1", [usulan_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Records of one kind, newest first.
pub(crate) fn history_of(conn: &Connection, kind: HistoryKind) -> Result<Vec<HistoryRecord>, CoreError> {
    let mut st = conn.prepare_cached("SELECT json FROM history WHERE kind = ?1 ORDER BY sort_date DESC, id")?;
    let rows = st.query_map([kind.as_str()], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for json in rows {
        out.push(serde_json::from_str(&json?)?);
    }
    Ok(out)
}

/// One record, if the device has it.
pub(crate) fn history_by_id(conn: &Connection, id: &str) -> Result<Option<HistoryRecord>, CoreError> {
    let json: Option<String> =
        conn.prepare_cached("SELECT json FROM history WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
}

/// Every official record, by id: the order the server reads them in for the standing (the model's rules take
/// the first record of a year when there are two, so both sides must see the same order).
pub(crate) fn all_history(conn: &Connection) -> Result<Vec<HistoryRecord>, CoreError> {
    let mut st = conn.prepare_cached("SELECT json FROM history ORDER BY id")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for json in rows {
        out.push(serde_json::from_str(&json?)?);
    }
    Ok(out)
}
