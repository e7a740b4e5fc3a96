//! Supporting documents on the device: one row per content (SHA-256), with how much of it the server holds.
//! The bytes live in the account's document folder (see `crate::document_vault`); `local = 0` marks a document
//! known only from the server (a resubmitted proposal's earlier attachment) that this device never stored, and
//! `cached = 1` a copy fetched from the server for viewing (dropped after a decision and at logout).

use chrono::Utc;
use mysapk_model::document::{DocumentMime, DocumentRef};
use mysapk_model::Violation;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CoreError;

/// One document as the device knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredDocument {
    pub sha256: String,
    pub mime: DocumentMime,
    pub size: u64,
    pub file_name: String,
    /// The bytes are in the documents folder.
    pub local: bool,
    /// Bytes the server held when last asked.
    pub received: u64,
    /// The server holds the whole document, verified.
    pub complete: bool,
    /// The server refused it for good (bad content, too large, checksum).
    pub failure: Option<Violation>,
}

/// Record a document whose bytes were just stored. Attaching the same content again keeps its upload state,
/// but clears an earlier failure (the file is back).
pub(crate) fn insert_local(conn: &Connection, d: &DocumentRef) -> Result<(), CoreError> {
    conn.prepare_cached(
        "INSERT INTO documents (sha256, mime, size, file_name, local, created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)
         ON CONFLICT (sha256) DO UPDATE SET local = 1, cached = 0,
             failure = CASE WHEN documents.complete = 1 THEN NULL ELSE documents.failure END",
    )?
    .execute(params![d.sha256, d.mime.as_str(), d.size as i64, d.file_name, Utc::now().to_rfc3339()])?;
    Ok(())
}

/// Record a document the server already holds (fetched for viewing, or attached to a proposal before).
pub(crate) fn insert_on_server(conn: &Connection, d: &DocumentRef, local: bool) -> Result<(), CoreError> {
    conn.prepare_cached(
        "INSERT INTO documents (sha256, mime, size, file_name, local, received, complete, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?3, 1, ?6)
         ON CONFLICT (sha256) DO UPDATE SET complete = 1, received = excluded.received, failure = NULL,
             local = max(documents.local, excluded.local)",
    )?
    .execute(params![d.sha256, d.mime.as_str(), d.size as i64, d.file_name, local, Utc::now().to_rfc3339()])?;
    Ok(())
}

pub(crate) fn get(conn: &Connection, sha256: &str) -> Result<Option<StoredDocument>, CoreError> {
    let row = conn
        .prepare_cached(
            "SELECT sha256, mime, size, file_name, local, received, complete, failure FROM documents
             WHERE sha256 = ?1",
        )?
        .query_row([sha256], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })
        .optional()?;
    let Some((sha256, mime, size, file_name, local, received, complete, failure)) = row else {
        return Ok(None);
    };
    Ok(Some(StoredDocument {
        sha256,
        mime: DocumentMime::parse(&mime).ok_or_else(|| CoreError::corrupt(format!("document mime {mime}")))?,
        size: size.max(0) as u64,
        file_name,
        local,
        received: received.max(0) as u64,
        complete,
        failure: failure.map(|f| serde_json::from_str(&f)).transpose()?,
    }))
}

/// The bytes are now in the documents folder.
pub(crate) fn set_local(conn: &Connection, sha256: &str) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE documents SET local = 1 WHERE sha256 = ?1")?.execute([sha256])?;
    Ok(())
}

/// What the server said it holds.
pub(crate) fn set_received(conn: &Connection, sha256: &str, received: u64, complete: bool) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE documents SET received = ?2, complete = ?3 WHERE sha256 = ?1")?.execute(params![
        sha256,
        received as i64,
        complete
    ])?;
    Ok(())
}

/// The server refused the document for good.
pub(crate) fn set_failed(conn: &Connection, sha256: &str, v: &Violation) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE documents SET failure = ?2 WHERE sha256 = ?1")?
        .execute(params![sha256, serde_json::to_string(v)?])?;
    Ok(())
}

/// How many of `docs` the server does not hold yet (an unknown one counts as waiting).
pub(crate) fn waiting(conn: &Connection, docs: &[DocumentRef]) -> Result<u32, CoreError> {
    let mut n = 0;
    for d in docs {
        let complete: Option<bool> = conn
            .prepare_cached("SELECT complete FROM documents WHERE sha256 = ?1")?
            .query_row([&d.sha256], |r| r.get(0))
            .optional()?;
        if complete != Some(true) {
            n += 1;
        }
    }
    Ok(n)
}

/// Mark a copy fetched from the server for viewing.
pub(crate) fn set_cached(conn: &Connection, sha256: &str) -> Result<(), CoreError> {
    conn.prepare_cached("UPDATE documents SET cached = 1 WHERE sha256 = ?1")?.execute([sha256])?;
    Ok(())
}

/// The documents held only as cached copies.
pub(crate) fn cached(conn: &Connection) -> Result<Vec<String>, CoreError> {
    let mut stmt = conn.prepare_cached("SELECT sha256 FROM documents WHERE cached = 1 AND local = 1")?;
    let rows = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
    Ok(rows)
}

/// The cached copies of `shas` are gone: the server holds them, this device does not.
pub(crate) fn uncache(conn: &Connection, shas: &[String]) -> Result<(), CoreError> {
    let mut stmt = conn.prepare_cached("UPDATE documents SET cached = 0, local = 0 WHERE sha256 = ?1")?;
    for sha in shas {
        stmt.execute([sha])?;
    }
    Ok(())
}
