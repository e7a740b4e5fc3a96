//! Documents: resumable upload, refusal of malicious or broken files (nothing stored), resume after a lost
//! connection, and who may read a document.

use mysapk_model::document::{DocumentMime, DocumentRef, UploadStatus, UPLOAD_CHUNK_BYTES};
use mysapk_model::sync::MutationOutcome;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::backend_tests;
use crate::fixtures::{add_jabatan, d, new_id, propose_with};
use crate::support::{Ctx, APPROVER_A, BUDI, DEWI_B, SITI, VERIFIKATOR_A};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A small valid PDF, distinct per `tag`.
pub fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {tag}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").into_bytes()
}

/// The PDF every test proposal attaches (see `fixtures::propose`).
pub fn standard_pdf() -> Vec<u8> {
    pdf("mysapk standard test document")
}

/// A reference to [`standard_pdf`] as document `dokumen_id`.
pub fn standard_ref(dokumen_id: &str) -> DocumentRef {
    let bytes = standard_pdf();
    reference(dokumen_id, &bytes)
}

pub fn reference(dokumen_id: &str, bytes: &[u8]) -> DocumentRef {
    DocumentRef {
        sha256: sha256_hex(bytes),
        dokumen_id: dokumen_id.into(),
        mime: DocumentMime::Pdf,
        size: bytes.len() as u64,
        file_name: format!("{dokumen_id}.pdf"),
    }
}

impl Ctx {
    /// One `PATCH` of an upload.
    pub async fn upload_chunk(
        &self,
        token: &str,
        sha: &str,
        offset: u64,
        length: u64,
        chunk: &[u8],
    ) -> (StatusCode, Value) {
        let req = self
            .http
            .patch(self.url(&format!("/api/v1/documents/{sha}")))
            .header("Upload-Offset", offset.to_string())
            .header("Upload-Length", length.to_string())
            .header("Content-Type", "application/octet-stream")
            .body(chunk.to_vec());
        self.send(req, Some(token)).await
    }

    pub async fn upload_status(&self, token: &str, sha: &str) -> UploadStatus {
        let (status, body) = self.get(&format!("/api/v1/documents/{sha}/status"), Some(token)).await;
        assert_eq!(status, StatusCode::OK, "status: {body}");
        serde_json::from_value(body).expect("upload status")
    }

    /// Upload `bytes` whole, chunk by chunk; returns its SHA-256.
    pub async fn upload(&self, token: &str, bytes: &[u8]) -> String {
        let sha = sha256_hex(bytes);
        let mut last = Value::Null;
        for (i, chunk) in bytes.chunks(UPLOAD_CHUNK_BYTES).enumerate() {
            let offset = (i * UPLOAD_CHUNK_BYTES) as u64;
            let (status, body) = self.upload_chunk(token, &sha, offset, bytes.len() as u64, chunk).await;
            assert_eq!(status, StatusCode::OK, "upload chunk {i}: {body}");
            last = body;
        }
        assert_eq!(last["complete"], Value::Bool(true), "{last}");
        sha
    }

    /// Upload `bytes` and return a reference to it as document `dokumen_id`.
    pub async fn document(&self, token: &str, dokumen_id: &str, bytes: &[u8]) -> DocumentRef {
        self.upload(token, bytes).await;
        reference(dokumen_id, bytes)
    }

    /// `GET` a document: status, content type, bytes.
    pub async fn download(&self, token: &str, sha: &str) -> (StatusCode, Option<String>, Vec<u8>) {
        let resp = self
            .http
            .get(self.url(&format!("/api/v1/documents/{sha}")))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        let status = resp.status();
        let mime = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
        (status, mime, resp.bytes().await.expect("body").to_vec())
    }

    /// Rows about `sha` in the document tables, and whether any blob or partial file mentions it.
    pub async fn stored_anything(&self, sha: &str) -> (i64, bool) {
        let mut db = self.db().await;
        let mut rows = 0;
        for table in ["document", "document_owner", "document_upload", "usulan_document"] {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE sha256 = $1"))
                .bind(sha)
                .fetch_one(&mut db)
                .await
                .expect("count");
            rows += n;
        }
        let mut files = false;
        let mut stack = vec![self.doc_dir.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains(sha)) {
                    files = true;
                }
            }
        }
        (rows, files)
    }
}

fn code(body: &Value) -> Option<&str> {
    body["code"].as_str()
}

backend_tests!(
    upload_then_propose_then_reviewer_reads,
    malicious_documents_are_refused_and_nothing_is_stored,
    truncated_upload_stays_partial_and_cannot_be_proposed,
    upload_resumes_on_a_new_connection,
    only_owner_and_agency_reviewers_read,
);

async fn upload_then_propose_then_reviewer_reads(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let bytes = pdf("sk jabatan budi");
    let sk = ctx.document(&budi, "872", &bytes).await;
    // Uploading again is idempotent: already complete.
    let status = ctx.upload_status(&budi, &sk.sha256).await;
    assert_eq!((status.received, status.complete), (bytes.len() as u64, true));
    let (s, body) = ctx.upload_chunk(&budi, &sk.sha256, 0, bytes.len() as u64, &bytes).await;
    assert_eq!((s, body["complete"].as_bool()), (StatusCode::OK, Some(true)));
    let id = new_id();
    let resp =
        ctx.push(&budi, "dev", &[propose_with(1, &id, add_jabatan(d(2024, 7, 1), None), vec![sk.clone()])]).await;
    assert_eq!(resp.results[0].outcome, MutationOutcome::Applied);
    let (_, changes) = ctx.pull_all(&budi, "").await;
    let usulan = changes
        .iter()
        .find_map(|c| match c {
            mysapk_model::sync::Change::Usulan { usulan } if usulan.id == id => Some(usulan.clone()),
            _ => None,
        })
        .expect("usulan pulled");
    assert_eq!(usulan.documents, vec![sk.clone()]);
    let v = ctx.token(VERIFIKATOR_A).await;
    let (status, mime, got) = ctx.download(&v, &sk.sha256).await;
    assert_eq!((status, mime.as_deref()), (StatusCode::OK, Some("application/pdf")));
    assert_eq!(got, bytes);
}

async fn malicious_documents_are_refused_and_nothing_is_stored(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let mut big = pdf("big");
    big.splice(10..10, std::iter::repeat_n(b' ', 2 * 1024 * 1024));
    let cases: Vec<(&str, Vec<u8>, Option<String>, &str)> = vec![
        (
            "exe named .pdf",
            b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode".to_vec(),
            None,
            "document.not_pdf_or_jpeg",
        ),
        ("html", b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec(), None, "document.not_pdf_or_jpeg"),
        ("truncated pdf", pdf("cut")[..20].to_vec(), None, "document.truncated"),
        ("checksum mismatch", pdf("real"), Some(sha256_hex(&pdf("announced"))), "document.checksum_mismatch"),
        ("over the limit", big, None, "document.too_large"),
    ];
    for (what, bytes, announced, expected) in cases {
        let sha = announced.unwrap_or_else(|| sha256_hex(&bytes));
        let total = bytes.len() as u64;
        let mut last = (StatusCode::OK, Value::Null);
        for (i, chunk) in bytes.chunks(UPLOAD_CHUNK_BYTES).enumerate() {
            last = ctx.upload_chunk(&budi, &sha, (i * UPLOAD_CHUNK_BYTES) as u64, total, chunk).await;
            if last.0 != StatusCode::OK {
                break;
            }
        }
        let (status, body) = last;
        assert_eq!(code(&body), Some(expected), "{what}: {body}");
        let want = if expected == "document.too_large" {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        assert_eq!(status, want, "{what}");
        assert_eq!(ctx.stored_anything(&sha).await, (0, false), "{what}: something was stored");
        let st = ctx.upload_status(&budi, &sha).await;
        assert_eq!((st.received, st.complete), (0, false), "{what}");
        // A proposal referencing it is refused.
        let mut doc = reference("872", &bytes);
        doc.sha256.clone_from(&sha);
        let resp = ctx
            .push(
                &budi,
                &format!("dev-{what}"),
                &[propose_with(1, &new_id(), add_jabatan(d(2024, 7, 1), None), vec![doc])],
            )
            .await;
        match &resp.results[0].outcome {
            MutationOutcome::Rejected { violation } => {
                assert_eq!(
                    (violation.code.as_str(), violation.field.as_str()),
                    ("document.missing", "documents.872"),
                    "{what}"
                );
            }
            other => panic!("{what}: {other:?}"),
        }
    }
}

async fn truncated_upload_stays_partial_and_cannot_be_proposed(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let mut bytes = pdf("ijazah");
    bytes.splice(10..10, std::iter::repeat_n(b'x', UPLOAD_CHUNK_BYTES));
    let sha = sha256_hex(&bytes);
    let (s, body) = ctx.upload_chunk(&budi, &sha, 0, bytes.len() as u64, &bytes[..UPLOAD_CHUNK_BYTES]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let st = ctx.upload_status(&budi, &sha).await;
    assert_eq!((st.received, st.complete), (UPLOAD_CHUNK_BYTES as u64, false));
    let doc = reference("872", &bytes);
    let resp = ctx.push(&budi, "dev", &[propose_with(1, &new_id(), add_jabatan(d(2024, 7, 1), None), vec![doc])]).await;
    assert!(
        matches!(&resp.results[0].outcome, MutationOutcome::Rejected { violation } if violation.code == "document.missing"),
        "{resp:?}"
    );
    // The wrong offset is refused with the offset the server holds.
    let (s, body) = ctx.upload_chunk(&budi, &sha, 7, bytes.len() as u64, b"x").await;
    assert_eq!((s, code(&body)), (StatusCode::CONFLICT, Some("document.offset_mismatch")));
    // Nobody else sees a partial upload, not even its progress.
    let siti = ctx.token(SITI).await;
    assert_eq!(ctx.upload_status(&siti, &sha).await.received, 0);
    let (s, _, _) = ctx.download(&budi, &sha).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Abandoned for over a week: the next server start removes the partial bytes and the progress.
    assert_eq!(ctx.stored_anything(&sha).await, (1, true));
    let mut db = ctx.db().await;
    sqlx::query("UPDATE document_upload SET updated_at = '2000-01-01T00:00:00.000000Z' WHERE sha256 = $1")
        .bind(&sha)
        .execute(&mut db)
        .await
        .expect("age the upload");
    let dir = ctx.doc_dir.clone();
    let restarted = crate::support::start(&ctx.db_url, move |c| c.document_dir = dir).await;
    restarted.shutdown().await;
    assert_eq!(ctx.stored_anything(&sha).await, (0, false));
    assert_eq!(ctx.upload_status(&budi, &sha).await.received, 0);
}

async fn upload_resumes_on_a_new_connection(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let mut bytes = pdf("sk kp");
    bytes.splice(10..10, (0..(UPLOAD_CHUNK_BYTES * 2)).map(|i| b'a' + (i % 26) as u8));
    let sha = sha256_hex(&bytes);
    let total = bytes.len() as u64;
    let (s, body) = ctx.upload_chunk(&budi, &sha, 0, total, &bytes[..UPLOAD_CHUNK_BYTES]).await;
    assert_eq!((s, body["received"].as_u64()), (StatusCode::OK, Some(UPLOAD_CHUNK_BYTES as u64)));
    // The connection is lost: a new client reads the status and continues from there.
    let fresh = Ctx { http: crate::support::client(), ..ctx.clone() };
    let st = fresh.upload_status(&budi, &sha).await;
    assert_eq!((st.received, st.complete), (UPLOAD_CHUNK_BYTES as u64, false));
    let mut offset = st.received;
    while offset < total {
        let end = (offset as usize + UPLOAD_CHUNK_BYTES).min(bytes.len());
        let (s, body) = fresh.upload_chunk(&budi, &sha, offset, total, &bytes[offset as usize..end]).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        offset = body["received"].as_u64().expect("received");
    }
    let st = fresh.upload_status(&budi, &sha).await;
    assert_eq!((st.received, st.complete), (total, true));
    let (s, mime, got) = fresh.download(&budi, &sha).await;
    assert_eq!((s, mime.as_deref()), (StatusCode::OK, Some("application/pdf")));
    assert_eq!(got, bytes);
    let (rows, files) = ctx.stored_anything(&sha).await;
    assert_eq!((rows, files), (2, true), "one document row and one owner row, the blob file");
}

async fn only_owner_and_agency_reviewers_read(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let bytes = pdf("private sk of budi");
    let sk = ctx.document(&budi, "872", &bytes).await;
    let siti = ctx.token(SITI).await;
    // Dewi (agency B) becomes a verifikator of agency B.
    let mut db = ctx.db().await;
    sqlx::query("UPDATE users SET roles = 'asn,verifikator' WHERE nip = $1")
        .bind(DEWI_B)
        .execute(&mut db)
        .await
        .expect("grant");
    let dewi = ctx.token(DEWI_B).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    // Before any proposal carries it, only the owner reads it.
    for (who, token) in [("siti", &siti), ("dewi", &dewi), ("verifikator A", &v)] {
        let (s, _, body) = ctx.download(token, &sk.sha256).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{who}");
        let body: Value = serde_json::from_slice(&body).expect("json error");
        assert_eq!(code(&body), Some("document.not_found"));
    }
    let id = new_id();
    let resp =
        ctx.push(&budi, "dev", &[propose_with(1, &id, add_jabatan(d(2024, 7, 1), None), vec![sk.clone()])]).await;
    assert_eq!(resp.results[0].outcome, MutationOutcome::Applied);
    for (who, token) in [("another ASN", &siti), ("a reviewer of another agency", &dewi)] {
        let (s, _, _) = ctx.download(token, &sk.sha256).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{who}");
    }
    // A document that does not exist answers the same.
    let (s, _, _) = ctx.download(&siti, &"0".repeat(64)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    for (who, token) in [("owner", &budi), ("verifikator A", &v), ("approver A", &ctx.token(APPROVER_A).await)] {
        let (s, mime, got) = ctx.download(token, &sk.sha256).await;
        assert_eq!((s, mime.as_deref()), (StatusCode::OK, Some("application/pdf")), "{who}");
        assert_eq!(got, bytes, "{who}");
    }
    // Another user cannot claim the document by its hash alone: they must upload the whole content.
    let st = ctx.upload_status(&siti, &sk.sha256).await;
    assert!(!st.complete);
}
