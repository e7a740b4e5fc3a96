//! Supporting documents on the device: attached once by content (SHA-256) into the account's sealed folder
//! ([`crate::document_vault`]), uploaded in chunks before the proposals that need them are pushed (resuming from
//! what the server holds), and opened from the local copy or, for a reviewer, fetched from the server and cached
//! until the decision or the logout.

use base64::Engine;
use mysapk_model::document::{
    check_content, checksum_mismatch, is_sha256_hex, DocumentContent, DocumentRef, DEFAULT_MAX_DOCUMENT_BYTES,
    UPLOAD_CHUNK_BYTES,
};
use mysapk_model::sync::{Mutation, MutationOp};
use mysapk_model::{Code, Violation};
use sha2::{Digest, Sha256};

use crate::error::CoreError;
use crate::secrets::Tokens;
use crate::store::{documents, outbox, usulan};
use crate::{Account, Core};

/// Largest document accepted from the server for viewing (the server's own limit is configurable).
const MAX_FETCHED_BYTES: u64 = 64 * 1024 * 1024;
/// Offset disagreements with the server tolerated in a row before the upload is given up for this sync.
const MAX_OFFSET_RETRIES: u32 = 3;

/// The longest file name kept for display.
const MAX_FILE_NAME: usize = 200;

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub(crate) fn missing(dokumen_id: &str) -> Violation {
    Code::DocumentMissing.violation(&format!("documents.{dokumen_id}"))
}

fn bad_input(field: &str, code: Code) -> CoreError {
    CoreError::Validation(vec![code.violation(field)])
}

/// A refusal of the server that no retry can fix, as the violation shown on the proposals concerned.
fn permanent_refusal(e: &CoreError) -> Option<Violation> {
    let CoreError::Server { status, error } = e else { return None };
    if !matches!(status, 413 | 422) {
        return None;
    }
    Some(match Code::parse(&error.code) {
        Some(Code::DocumentChecksumMismatch) => checksum_mismatch(),
        Some(Code::DocumentTooLarge | Code::RequestTooLarge) => mysapk_model::document::too_large(),
        _ => error.to_violation("document"),
    })
}

/// What became of one document before a push.
pub(crate) enum Upload {
    Complete,
    /// Refused for good: the proposals needing it are refused locally with this violation.
    Failed(Violation),
}

/// How much of an outbox batch may be pushed now.
pub(crate) enum Prepared {
    /// Every mutation: their documents are on the server.
    All,
    /// A proposal was refused locally (a document failed for good): read the batch again.
    Changed,
    /// The first `n` mutations; the next proposal's documents could not be uploaded now.
    Prefix(usize, CoreError),
}

impl Core {
    /// Check a file by its content, store it once by its SHA-256 and record it; the proposal that attaches it
    /// is saved separately with [`Core::propose`]. Bad content is refused and nothing is stored.
    pub fn attach_document(&self, file_name: &str, dokumen_id: &str, bytes: &[u8]) -> Result<DocumentRef, CoreError> {
        let account = self.require()?;
        let dokumen_id = dokumen_id.trim();
        if dokumen_id.is_empty() || dokumen_id.len() > 64 {
            return Err(bad_input("dokumen_id", Code::FieldRequired));
        }
        let mime = check_content(bytes, DEFAULT_MAX_DOCUMENT_BYTES).map_err(|v| CoreError::Validation(vec![v]))?;
        let file_name: String = file_name.trim().chars().filter(|c| !c.is_control()).take(MAX_FILE_NAME).collect();
        let doc = DocumentRef {
            sha256: sha256_hex(bytes),
            dokumen_id: dokumen_id.to_owned(),
            mime,
            size: bytes.len() as u64,
            file_name: if file_name.is_empty() { "dokumen".into() } else { file_name },
        };
        account.vault.put(&doc.sha256, bytes)?;
        account.store.write(|tx| documents::insert_local(tx, &doc))?;
        Ok(doc)
    }

    /// A document's content for viewing: the local copy, or (a reviewer's case) fetched from the server, checked
    /// against its hash and kept for the next time.
    pub async fn open_document(&self, sha256: &str) -> Result<DocumentContent, CoreError> {
        let account = self.require()?;
        if !is_sha256_hex(sha256) {
            return Err(bad_input("sha256", Code::DocumentInvalidRef));
        }
        // Only a document this account attached or fetched is served from its folder (the folder of the plain
        // version is shared by the accounts of this device); anything else goes through the server, which checks
        // who may see it.
        let known = account.store.read(|c| documents::get(c, sha256))?.is_some_and(|d| d.local);
        let local = if known { account.vault.get(sha256)? } else { None };
        let fetched = local.is_none();
        let bytes = match local {
            Some(bytes) => bytes,
            None => {
                let bytes =
                    self.online(|access| async move { self.http.document_bytes(&access, sha256).await }).await?;
                if sha256_hex(&bytes) != sha256 {
                    return Err(CoreError::BadResponse("the document's content does not match its hash".into()));
                }
                bytes
            }
        };
        let mime = check_content(&bytes, MAX_FETCHED_BYTES).map_err(|v| CoreError::Validation(vec![v]))?;
        account.vault.put(sha256, &bytes)?;
        let doc = DocumentRef {
            sha256: sha256.to_owned(),
            dokumen_id: String::new(),
            mime,
            size: bytes.len() as u64,
            file_name: sha256.to_owned(),
        };
        account.store.write(|tx| {
            match documents::get(tx, sha256)? {
                Some(d) if d.local => {}
                Some(_) => documents::set_local(tx, sha256)?,
                None => documents::insert_on_server(tx, &doc, true)?,
            }
            // A copy from the server is a cache: dropped after the decision and at logout.
            if fetched {
                documents::set_cached(tx, sha256)?;
            }
            Ok(())
        })?;
        Ok(DocumentContent { mime, content_base64: base64::engine::general_purpose::STANDARD.encode(&bytes) })
    }

    /// Upload the documents the proposals of `batch` need, in outbox order. A document refused for good refuses
    /// every queued proposal that needs it (locally, with the server's reason) and takes it out of the outbox,
    /// so the rest of the queue goes on.
    pub(crate) async fn prepare_batch(
        &self,
        account: &Account,
        tokens: &mut Tokens,
        batch: &[Mutation],
    ) -> Result<Prepared, CoreError> {
        for (i, m) in batch.iter().enumerate() {
            let MutationOp::Propose { usulan_id, documents: docs, .. } = &m.op else { continue };
            for d in docs {
                match self.upload(account, tokens, d).await {
                    Ok(Upload::Complete) => {}
                    Ok(Upload::Failed(v)) => {
                        tracing::info!(code = v.code, "document refused; its proposal is refused locally");
                        account.store.write(|tx| {
                            usulan::mark_refused(tx, usulan_id, &v)?;
                            outbox::remove(tx, &m.id)
                        })?;
                        return Ok(Prepared::Changed);
                    }
                    Err(e) => return Ok(Prepared::Prefix(i, e)),
                }
            }
        }
        Ok(Prepared::All)
    }

    /// Bring one document to the server: ask what it holds, then send the rest in chunks. An offset the server
    /// disagrees with (a chunk whose answer was lost) is re-read and the upload continues from there.
    async fn upload(&self, account: &Account, tokens: &mut Tokens, d: &DocumentRef) -> Result<Upload, CoreError> {
        let nip = account.user.nip.clone();
        let stored = account.store.read(|c| documents::get(c, &d.sha256))?;
        let Some(stored) = stored else { return Ok(Upload::Failed(missing(&d.dokumen_id))) };
        if stored.complete {
            return Ok(Upload::Complete);
        }
        if let Some(v) = stored.failure {
            return Ok(Upload::Failed(v));
        }
        let Some(bytes) = account.vault.get(&d.sha256)? else {
            let v = missing(&d.dokumen_id);
            account.store.write(|tx| documents::set_failed(tx, &d.sha256, &v))?;
            return Ok(Upload::Failed(v));
        };
        let total = bytes.len() as u64;
        let sha = d.sha256.as_str();
        let mut status =
            self.authed(&nip, tokens, |access| async move { self.http.document_status(&access, sha).await }).await?;
        let mut mismatches = 0;
        let mut finishing = false;
        loop {
            account.store.write(|tx| documents::set_received(tx, sha, status.received, status.complete))?;
            if status.complete {
                return Ok(Upload::Complete);
            }
            if status.received > total || (status.received == total && finishing) {
                return Err(CoreError::BadResponse("the server holds the whole document but not as complete".into()));
            }
            // Every byte arrived but the server did not finish (it failed storing it): an empty last chunk asks
            // it to finish again.
            finishing = status.received == total;
            let start = status.received as usize;
            let end = (start + UPLOAD_CHUNK_BYTES).min(bytes.len());
            let chunk = &bytes[start..end];
            let sent = self
                .authed(&nip, tokens, |access| async move {
                    self.http.document_chunk(&access, sha, start as u64, total, chunk.to_vec()).await
                })
                .await;
            match sent {
                Ok(next) => {
                    mismatches = 0;
                    status = next;
                }
                Err(CoreError::Server { status: 409, error })
                    if error.code == Code::DocumentOffsetMismatch.as_str() =>
                {
                    mismatches += 1;
                    if mismatches > MAX_OFFSET_RETRIES {
                        return Err(CoreError::BadResponse("the upload offset keeps disagreeing".into()));
                    }
                    status = self
                        .authed(&nip, tokens, |access| async move { self.http.document_status(&access, sha).await })
                        .await?;
                }
                Err(e) => match permanent_refusal(&e) {
                    Some(v) => {
                        account.store.write(|tx| documents::set_failed(tx, sha, &v))?;
                        return Ok(Upload::Failed(v));
                    }
                    None => return Err(e),
                },
            }
        }
    }
}

/// Drop the cached copies (see [`Core::open_document`]) among `shas`, or all of them (`None`): their files and
/// their `local` mark; the server still holds them.
pub(crate) fn drop_cached(account: &Account, shas: Option<&[String]>) -> Result<(), CoreError> {
    let cached = account.store.read(documents::cached)?;
    let dropped: Vec<String> = cached.into_iter().filter(|s| shas.is_none_or(|only| only.contains(s))).collect();
    for sha in &dropped {
        account.vault.remove(sha)?;
    }
    if !dropped.is_empty() {
        account.store.write(|tx| documents::uncache(tx, &dropped))?;
    }
    Ok(())
}
