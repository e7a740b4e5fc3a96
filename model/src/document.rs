//! Supporting documents: the reference a proposal carries, the upload protocol's wire types, and validation
//! by content (never by file name).

use serde::{Deserialize, Serialize};

use crate::Code;
use crate::Violation;

/// Default size limit of one document (2 MiB); the server's is configurable.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 2 * 1024 * 1024;

/// Upload chunk size: small enough for a weak mobile link to finish a chunk, under the 1 MiB body limit.
pub const UPLOAD_CHUNK_BYTES: usize = 256 * 1024;

/// A document attached to a proposal, identified by the SHA-256 of its content (stored once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentRef {
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    /// The document type (`dokumen.json` id or a project `x-` id), see [`crate::rules::kinds`].
    pub dokumen_id: String,
    pub mime: DocumentMime,
    pub size: u64,
    /// The name the user picked, for display only.
    pub file_name: String,
}

/// The content types accepted, recognised by their signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DocumentMime {
    #[serde(rename = "application/pdf")]
    Pdf,
    #[serde(rename = "image/jpeg")]
    Jpeg,
}

impl DocumentMime {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentMime::Pdf => "application/pdf",
            DocumentMime::Jpeg => "image/jpeg",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [DocumentMime::Pdf, DocumentMime::Jpeg].into_iter().find(|m| m.as_str() == s)
    }
}

/// How much of an upload the server holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadStatus {
    pub sha256: String,
    /// Bytes received so far; the next chunk starts here.
    pub received: u64,
    /// Whether the document is complete, verified and stored.
    pub complete: bool,
}

/// A document's content handed to the UI for viewing (IPC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentContent {
    pub mime: DocumentMime,
    pub content_base64: String,
}

/// The proof of submission (bukti PDM), generated on the device from local data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BuktiPdm {
    /// Where the PDF was saved on the device.
    pub path: String,
    pub pdf_base64: String,
}

fn violation(code: Code) -> Violation {
    code.violation("document")
}

/// Whether `s` is a lower-case hex SHA-256.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Recognise a document by its content and check it is whole: a PDF starts with `%PDF-` and ends with
/// `%%EOF`; a JPEG starts with SOI and ends with EOI. Anything else (an executable, HTML, a truncated file)
/// is refused.
pub fn check_content(bytes: &[u8], max_bytes: u64) -> Result<DocumentMime, Violation> {
    if bytes.is_empty() {
        return Err(violation(Code::DocumentEmpty));
    }
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    if bytes.starts_with(b"%PDF-") {
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        if !tail.windows(5).any(|w| w == b"%%EOF") {
            return Err(violation(Code::DocumentTruncated));
        }
        return Ok(DocumentMime::Pdf);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let end = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        if end < 4 || bytes[end - 2..end] != [0xFF, 0xD9] {
            return Err(violation(Code::DocumentTruncated));
        }
        return Ok(DocumentMime::Jpeg);
    }
    Err(violation(Code::DocumentNotPdfOrJpeg))
}

/// The violation for a document over the size limit.
pub fn too_large() -> Violation {
    violation(Code::DocumentTooLarge)
}

/// The violation for content whose SHA-256 is not the one announced.
pub fn checksum_mismatch() -> Violation {
    violation(Code::DocumentChecksumMismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_rules() {
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        assert_eq!(check_content(&pdf, 1024), Ok(DocumentMime::Pdf));
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0xFF, 0xD9];
        assert_eq!(check_content(&jpeg, 1024), Ok(DocumentMime::Jpeg));
        let code = |b: &[u8], max| check_content(b, max).map_err(|v| v.code);
        assert_eq!(code(b"MZ\x90\x00\x03 this program", 1024), Err("document.not_pdf_or_jpeg".into()));
        assert_eq!(code(b"\x7fELF\x02\x01\x01", 1024), Err("document.not_pdf_or_jpeg".into()));
        assert_eq!(code(b"<!DOCTYPE html><html><script>", 1024), Err("document.not_pdf_or_jpeg".into()));
        assert_eq!(code(&pdf[..20], 1024), Err("document.truncated".into()));
        assert_eq!(code(&jpeg[..5], 1024), Err("document.truncated".into()));
        assert_eq!(code(&pdf, 10), Err("document.too_large".into()));
        assert_eq!(code(b"", 10), Err("document.empty".into()));
        assert!(is_sha256_hex(&"a".repeat(64)));
        assert!(!is_sha256_hex(&"A".repeat(64)));
        assert!(!is_sha256_hex("abc"));
    }
}
