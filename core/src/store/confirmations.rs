//! Categories the ASN confirmed on this device ("data sudah sesuai"), shown as confirmed at once and kept
//! until a pulled profile carries the confirmation (or the server refuses it).

use chrono::Utc;
use mysapk_model::history::HistoryKind;
use rusqlite::{params, Connection};

use crate::error::CoreError;

pub(crate) fn insert(conn: &Connection, kind: HistoryKind) -> Result<(), CoreError> {
    conn.prepare_cached("INSERT OR IGNORE INTO confirmations (kind, confirmed_at) VALUES (?1, ?2)")?
        .execute(params![kind.as_str(), Utc::now().to_rfc3339()])?;
    Ok(())
}

pub(crate) fn remove(conn: &Connection, kind: HistoryKind) -> Result<(), CoreError> {
    conn.prepare_cached("DELETE FROM confirmations WHERE kind = ?1")?.execute([kind.as_str()])?;
    Ok(())
}

/// The confirmations not yet in the pulled profile.
pub(crate) fn all(conn: &Connection) -> Result<Vec<HistoryKind>, CoreError> {
    let mut st = conn.prepare_cached("SELECT kind FROM confirmations ORDER BY kind")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for kind in rows {
        if let Some(k) = HistoryKind::parse(&kind?) {
            out.push(k);
        }
    }
    Ok(out)
}

/// A pulled profile carries these confirmations: the local overlay is no longer needed.
pub(crate) fn pulled(conn: &Connection, confirmed: &[HistoryKind]) -> Result<(), CoreError> {
    for kind in confirmed {
        remove(conn, *kind)?;
    }
    Ok(())
}
