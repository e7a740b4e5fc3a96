//! SQL for supporting documents: `document`, `document_owner`, `document_upload`, `usulan_document`.

use mysapk_model::document::{DocumentMime, DocumentRef};
use sqlx::AnyConnection;

use crate::error::ServerError;

/// A complete, stored document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    pub sha256: String,
    pub mime: DocumentMime,
    pub size: u64,
}

/// An upload in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upload {
    pub received: u64,
    pub length: u64,
}

fn to_i64(n: u64) -> Result<i64, ServerError> {
    i64::try_from(n).map_err(|_| ServerError::internal("size out of range"))
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub async fn get(conn: &mut AnyConnection, sha256: &str) -> Result<Option<StoredDocument>, ServerError> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as("SELECT sha256, mime, size FROM document WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(sha256, mime, size)| {
        let mime = DocumentMime::parse(&mime).ok_or_else(|| ServerError::internal(format!("stored mime {mime}")))?;
        Ok(StoredDocument { sha256, mime, size: to_u64(size) })
    })
    .transpose()
}

/// Insert the document row unless it exists; returns whether it was inserted.
pub async fn insert(conn: &mut AnyConnection, d: &StoredDocument) -> Result<bool, ServerError> {
    let done = sqlx::query(
        "INSERT INTO document (sha256, mime, size, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&d.sha256)
    .bind(d.mime.as_str())
    .bind(to_i64(d.size)?)
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn is_owner(conn: &mut AnyConnection, sha256: &str, nip: &str) -> Result<bool, ServerError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM document_owner WHERE sha256 = $1 AND nip = $2")
        .bind(sha256)
        .bind(nip)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

pub async fn add_owner(conn: &mut AnyConnection, sha256: &str, nip: &str) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO document_owner (sha256, nip, created_at) VALUES ($1, $2, $3) ON CONFLICT (sha256, nip) DO NOTHING",
    )
    .bind(sha256)
    .bind(nip)
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether a proposal of agency `instansi_id` carries the document.
pub async fn referenced_in_agency(
    conn: &mut AnyConnection,
    sha256: &str,
    instansi_id: &str,
) -> Result<bool, ServerError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM usulan_document ud JOIN usulan u ON u.id = ud.usulan_id \
         WHERE ud.sha256 = $1 AND u.instansi_id = $2",
    )
    .bind(sha256)
    .bind(instansi_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

pub async fn get_upload(conn: &mut AnyConnection, sha256: &str, nip: &str) -> Result<Option<Upload>, ServerError> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT received, length FROM document_upload WHERE sha256 = $1 AND nip = $2")
            .bind(sha256)
            .bind(nip)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(received, length)| Upload { received: to_u64(received), length: to_u64(length) }))
}

/// Start (or restart from zero) an upload.
pub async fn start_upload(conn: &mut AnyConnection, sha256: &str, nip: &str, length: u64) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO document_upload (sha256, nip, received, length, updated_at) VALUES ($1, $2, 0, $3, $4) \
         ON CONFLICT (sha256, nip) DO UPDATE SET received = 0, length = excluded.length, updated_at = excluded.updated_at",
    )
    .bind(sha256)
    .bind(nip)
    .bind(to_i64(length)?)
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Move an upload from `from` to `to` received bytes; false when another request moved it meanwhile.
pub async fn advance_upload(
    conn: &mut AnyConnection,
    sha256: &str,
    nip: &str,
    from: u64,
    to: u64,
) -> Result<bool, ServerError> {
    let done = sqlx::query(
        "UPDATE document_upload SET received = $1, updated_at = $2 WHERE sha256 = $3 AND nip = $4 AND received = $5",
    )
    .bind(to_i64(to)?)
    .bind(super::now_text())
    .bind(sha256)
    .bind(nip)
    .bind(to_i64(from)?)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_upload(conn: &mut AnyConnection, sha256: &str, nip: &str) -> Result<(), ServerError> {
    sqlx::query("DELETE FROM document_upload WHERE sha256 = $1 AND nip = $2")
        .bind(sha256)
        .bind(nip)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Replace the documents a proposal carries.
pub async fn set_usulan_documents(
    conn: &mut AnyConnection,
    usulan_id: &str,
    documents: &[DocumentRef],
) -> Result<(), ServerError> {
    sqlx::query("DELETE FROM usulan_document WHERE usulan_id = $1").bind(usulan_id).execute(&mut *conn).await?;
    for d in documents {
        sqlx::query(
            "INSERT INTO usulan_document (usulan_id, sha256, dokumen_id) VALUES ($1, $2, $3) \
             ON CONFLICT (usulan_id, sha256, dokumen_id) DO NOTHING",
        )
        .bind(usulan_id)
        .bind(&d.sha256)
        .bind(&d.dokumen_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Uploads not advanced since `before` (RFC 3339, as `now_text` writes it): `(sha256, nip)`.
pub async fn stale_uploads(conn: &mut AnyConnection, before: &str) -> Result<Vec<(String, String)>, ServerError> {
    Ok(sqlx::query_as("SELECT sha256, nip FROM document_upload WHERE updated_at < $1")
        .bind(before)
        .fetch_all(&mut *conn)
        .await?)
}
