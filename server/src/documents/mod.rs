//! Supporting documents: resumable upload, verification by content, storage once by SHA-256, and reads
//! authorised for the owner and the reviewers of an agency whose proposal carries the document.
//!
//! Protocol (see `http::documents`): the device asks `status`, then sends chunks with `PATCH` at the offset
//! the server holds (`Upload-Offset`, `Upload-Length`). When the last byte arrives the server checks the
//! SHA-256 and the content ([`check_content`]); a refused upload leaves nothing stored.

pub mod store;

use std::sync::Arc;

use mysapk_model::document::{
    check_content, checksum_mismatch, is_sha256_hex, too_large, DocumentMime, UploadStatus, UPLOAD_CHUNK_BYTES,
};
use mysapk_model::usulan::Role;
use mysapk_model::Code;
use mysapk_model::Violation;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

pub use store::{BlobStore, DirBlobStore};

use crate::auth::AuthUser;
use crate::db::{self, documents as documents_db};
use crate::error::ServerError;

pub const ENTITY_DOCUMENT: &str = "document";

/// An upload not advanced for this long is removed at the next start ([`Documents::sweep_stale`]).
pub const STALE_UPLOAD_AFTER: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// The document service's configuration: where bytes live and how large one document may be.
#[derive(Clone)]
pub struct Documents {
    pub store: Arc<dyn BlobStore>,
    pub max_bytes: u64,
}

/// A refused request about a document: `code` on `field` (the code's kind says how HTTP answers it).
fn refused(code: Code, field: &str) -> ServerError {
    ServerError::rule(code.violation(field))
}

fn not_found() -> ServerError {
    refused(Code::DocumentNotFound, "sha256")
}

fn check_sha(sha256: &str) -> Result<(), ServerError> {
    if is_sha256_hex(sha256) {
        Ok(())
    } else {
        Err(refused(Code::DocumentInvalidSha256, "sha256"))
    }
}

fn offset_mismatch(received: u64) -> ServerError {
    ServerError::rule(Violation::new(
        Code::DocumentOffsetMismatch,
        "Upload-Offset",
        &format!("Server sudah menerima {received} byte; lanjutkan dari sana."),
        &format!("The server holds {received} bytes; continue from there."),
    ))
}

/// The partial blob of `nip`'s upload of `sha256`.
fn partial_key(sha256: &str, nip: &str) -> String {
    format!("{sha256}-{nip}")
}

impl Documents {
    /// A directory store under `dir` with the size limit `max_bytes`.
    pub fn in_dir(dir: impl Into<std::path::PathBuf>, max_bytes: u64) -> Self {
        Self { store: Arc::new(DirBlobStore::new(dir)), max_bytes }
    }

    /// How much of `sha256` the caller has uploaded; complete when they own the stored document.
    pub async fn status(&self, pool: &AnyPool, user: &AuthUser, sha256: &str) -> Result<UploadStatus, ServerError> {
        check_sha(sha256)?;
        let mut conn = pool.acquire().await?;
        if documents_db::is_owner(&mut conn, sha256, &user.nip).await? {
            let size = documents_db::get(&mut conn, sha256).await?.map_or(0, |d| d.size);
            return Ok(UploadStatus { sha256: sha256.to_owned(), received: size, complete: true });
        }
        let received = documents_db::get_upload(&mut conn, sha256, &user.nip).await?.map_or(0, |u| u.received);
        Ok(UploadStatus { sha256: sha256.to_owned(), received, complete: false })
    }

    /// Receive the chunk at `offset` of a document of `length` bytes.
    pub async fn patch(
        &self,
        pool: &AnyPool,
        user: &AuthUser,
        sha256: &str,
        offset: u64,
        length: u64,
        chunk: &[u8],
    ) -> Result<UploadStatus, ServerError> {
        check_sha(sha256)?;
        if length > self.max_bytes {
            return Err(ServerError::rule(too_large()));
        }
        if length == 0 {
            return Err(refused(Code::DocumentEmpty, "Upload-Length"));
        }
        if chunk.len() > UPLOAD_CHUNK_BYTES || offset.saturating_add(chunk.len() as u64) > length {
            return Err(refused(Code::DocumentChunkInvalid, "body"));
        }
        let mut conn = pool.acquire().await?;
        if documents_db::is_owner(&mut conn, sha256, &user.nip).await? {
            return Ok(UploadStatus { sha256: sha256.to_owned(), received: length, complete: true });
        }
        let key = partial_key(sha256, &user.nip);
        match documents_db::get_upload(&mut conn, sha256, &user.nip).await? {
            None if offset != 0 => return Err(offset_mismatch(0)),
            None => documents_db::start_upload(&mut conn, sha256, &user.nip, length).await?,
            // A new length restarts the upload only from the beginning.
            Some(u) if u.length != length && offset == 0 => {
                documents_db::start_upload(&mut conn, sha256, &user.nip, length).await?
            }
            Some(u) if u.length != length => return Err(refused(Code::DocumentLengthMismatch, "Upload-Length")),
            Some(u) if u.received != offset => return Err(offset_mismatch(u.received)),
            Some(_) => {}
        }
        let received = offset + chunk.len() as u64;
        if !chunk.is_empty() {
            self.store.append_partial(&key, offset, chunk).await?;
            if !documents_db::advance_upload(&mut conn, sha256, &user.nip, offset, received).await? {
                let now = documents_db::get_upload(&mut conn, sha256, &user.nip).await?.map_or(0, |u| u.received);
                return Err(offset_mismatch(now));
            }
        }
        if received < length {
            return Ok(UploadStatus { sha256: sha256.to_owned(), received, complete: false });
        }
        drop(conn);
        self.finish(pool, user, sha256, length).await
    }

    /// The last byte arrived: verify the checksum and the content, then store once; on any refusal remove the
    /// partial and the upload row so nothing remains.
    async fn finish(
        &self,
        pool: &AnyPool,
        user: &AuthUser,
        sha256: &str,
        length: u64,
    ) -> Result<UploadStatus, ServerError> {
        let key = partial_key(sha256, &user.nip);
        let bytes = self.store.read_partial(&key).await?;
        let verdict = if bytes.len() as u64 != length || hex::encode(Sha256::digest(&bytes)) != sha256 {
            Err(checksum_mismatch())
        } else {
            check_content(&bytes, self.max_bytes)
        };
        let mime = match verdict {
            Ok(mime) => mime,
            Err(v) => {
                self.store.delete_partial(&key).await?;
                let mut conn = pool.acquire().await?;
                documents_db::delete_upload(&mut conn, sha256, &user.nip).await?;
                tracing::info!(nip = %user.nip, sha256, code = %v.code, "document refused");
                return Err(ServerError::rule(v));
            }
        };
        self.store.put(sha256, &bytes).await?;
        // A stored document changes nothing a cache or an event stream holds (no change-log entry).
        let mut tx = db::begin_write(pool, &db::NoHook).await?;
        let stored = documents_db::StoredDocument { sha256: sha256.to_owned(), mime, size: length };
        let new = documents_db::insert(&mut tx, &stored).await?;
        documents_db::add_owner(&mut tx, sha256, &user.nip).await?;
        documents_db::delete_upload(&mut tx, sha256, &user.nip).await?;
        db::audit(
            &mut tx,
            db::Audit {
                actor: &user.nip,
                action: "document.upload",
                entity: ENTITY_DOCUMENT,
                entity_id: sha256,
                subject: Some(&user.nip),
                instansi: Some(&user.instansi_id),
                details: json!({"mime": mime, "size": length, "new": new}),
                ..db::Audit::default()
            },
        )
        .await?;
        tx.commit().await?;
        self.store.delete_partial(&key).await?;
        Ok(UploadStatus { sha256: sha256.to_owned(), received: length, complete: true })
    }

    /// Remove uploads abandoned for longer than `max_age` (their partial bytes and progress rows); returns how
    /// many. Run at start-up, so an abandoned upload does not hold disk space forever.
    pub async fn sweep_stale(&self, pool: &AnyPool, max_age: std::time::Duration) -> Result<usize, ServerError> {
        let age = chrono::Duration::from_std(max_age).map_err(|e| ServerError::internal(e.to_string()))?;
        let before = (chrono::Utc::now() - age).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let mut conn = pool.acquire().await?;
        let stale = documents_db::stale_uploads(&mut conn, &before).await?;
        for (sha256, nip) in &stale {
            self.store.delete_partial(&partial_key(sha256, nip)).await?;
            documents_db::delete_upload(&mut conn, sha256, nip).await?;
        }
        Ok(stale.len())
    }

    /// The bytes of a document, for its owner and for the verifikator/approver/admin of an agency whose
    /// proposal carries it; anyone else gets `document.not_found` (existence is not revealed).
    pub async fn read(
        &self,
        pool: &AnyPool,
        user: &AuthUser,
        sha256: &str,
    ) -> Result<(DocumentMime, Vec<u8>), ServerError> {
        if !is_sha256_hex(sha256) {
            return Err(not_found());
        }
        let mut conn = pool.acquire().await?;
        let Some(doc) = documents_db::get(&mut conn, sha256).await? else {
            return Err(not_found());
        };
        let reviewer = user.roles.iter().any(|r| matches!(r, Role::Verifikator | Role::Approver | Role::Admin));
        let allowed = documents_db::is_owner(&mut conn, sha256, &user.nip).await?
            || (reviewer && documents_db::referenced_in_agency(&mut conn, sha256, &user.instansi_id).await?);
        drop(conn);
        if !allowed {
            return Err(not_found());
        }
        match self.store.get(sha256).await? {
            Some(bytes) => Ok((doc.mime, bytes)),
            None => {
                tracing::error!(sha256, "document row without its blob");
                Err(not_found())
            }
        }
    }
}
