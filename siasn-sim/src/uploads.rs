//! `/upload-dok`, `/upload-dok-rw` (multipart: `file`, `id_ref_dokumen`, and `id_riwayat` for the second) and
//! `/download-dok?filePath=` (black-coffee04/ws-siasn-php `src/Services/DokumenService.php`; kanekescom
//! laravel-siasn-simpeg-api `PostUploadDokCommand.php`, `PostUploadDokRwCommand.php`, `src/Upload.php`).
//!
//! The answer's `data` is `{dok_id, dok_nama, dok_uri, object, slug}` with `dok_uri` like
//! `peremajaan/usulan/<32 hex>_<yyyymmdd>_<hhmmss>_<file name>` and `object` the same, `slug` the type id
//! (a real answer in ws-siasn-php `examples/dokumen.php`). Document type names: the reference table
//! `dokumen.json` (SIASN's export in ws-siasn-php `src/Data/Referensi/`); SIASN's records use more types than it
//! lists (rumahASN reads `path[858]`), so any type id is taken, named by the table where it can be.

use std::collections::HashMap;

use axum::extract::{Multipart, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use mysapk_model::siasn::write::{upload_field, DokumenPath, UploadAnswer};
use serde_json::json;

use crate::records;
use crate::saves::{new_id, NO_RIWAYAT};
use crate::server::{lock, not_found, Shared};
use crate::store::StoredUpload;

/// `dokumen.json`: id → name (the name sits under the key `"Dokumen Evaluasi Kinerja"` in the export).
const DOC_TYPES: &[(&str, &str)] = &[
    ("1179", "Dokumen Evaluasi Kinerja"),
    ("890", "Dokumen Evaluasi Kinerja"),
    ("874", "Dok Sertifikat Diklat"),
    ("879", "Dok PAK"),
    ("880", "SK PAK"),
    ("891", "Dok Realisasi SKP"),
    ("881", "Dok Sertifikat Kursus"),
    ("882", "Dok SK Hukuman Disiplin"),
    ("872", "Dok SK Jabatan"),
    ("873", "Dok Surat Pelantikan"),
    ("887", "Dok SK PNS"),
    ("888", "Dok Surat Perintah Melaksanakan Tugas"),
    ("889", "Dok SK CPNS"),
    ("892", "Dok Sertifikat Penghargaan"),
];

/// The name of document type `id`.
pub fn doc_type_name(id: &str) -> Option<&'static str> {
    DOC_TYPES.iter().find(|(i, _)| *i == id).map(|(_, n)| *n)
}

fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "message": message }))).into_response()
}

fn refused(message: &str) -> Response {
    Json(UploadAnswer { success: false, message: message.to_owned(), data: None }).into_response()
}

pub(crate) async fn upload_dok(State(shared): State<Shared>, multipart: Multipart) -> Response {
    upload(shared, multipart, false).await
}

pub(crate) async fn upload_dok_rw(State(shared): State<Shared>, multipart: Multipart) -> Response {
    upload(shared, multipart, true).await
}

struct Received {
    file: Option<(String, String, Vec<u8>)>,
    id_ref_dokumen: Option<String>,
    id_riwayat: Option<String>,
}

async fn read(mut multipart: Multipart) -> Result<Received, axum::extract::multipart::MultipartError> {
    let mut received = Received { file: None, id_ref_dokumen: None, id_riwayat: None };
    while let Some(field) = multipart.next_field().await? {
        match field.name() {
            Some(upload_field::FILE) => {
                let name = field.file_name().unwrap_or("dokumen").to_owned();
                let content_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
                received.file = Some((name, content_type, field.bytes().await?.to_vec()));
            }
            Some(upload_field::ID_REF_DOKUMEN) => received.id_ref_dokumen = Some(field.text().await?.trim().to_owned()),
            Some(upload_field::ID_RIWAYAT) => received.id_riwayat = Some(field.text().await?.trim().to_owned()),
            _ => {}
        }
    }
    Ok(received)
}

/// The file name as it goes into a storage key: letters, digits, `.`, `-`, `_`; lowercase.
fn storage_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c.to_ascii_lowercase() } else { '-' })
        .collect()
}

async fn upload(shared: Shared, multipart: Multipart, riwayat: bool) -> Response {
    let received = match read(multipart).await {
        Ok(r) => r,
        Err(e) => return bad_request(&e.body_text()),
    };
    let Some((file_name, content_type, bytes)) = received.file else {
        return bad_request("file is required");
    };
    let Some(dok_id) = received.id_ref_dokumen.filter(|i| !i.is_empty()) else {
        return bad_request("id_ref_dokumen is required");
    };
    let id_riwayat = if riwayat {
        match received.id_riwayat.filter(|i| !i.is_empty()) {
            Some(id) => Some(id),
            None => return bad_request("id_riwayat is required"),
        }
    } else {
        None
    };
    let mut store = lock(&shared.store);
    if let Some(id) = &id_riwayat {
        if !store.riwayat.contains_key(id) && store.holder_of(id).is_none() {
            return refused(NO_RIWAYAT);
        }
    }
    let stamp = chrono::Utc::now().format("%Y%m%d_%H%M%S");
    let uri = format!("peremajaan/usulan/{}_{stamp}_{}", new_id(), storage_name(&file_name));
    let dok = DokumenPath {
        dok_nama: doc_type_name(&dok_id).unwrap_or(&dok_id).to_owned(),
        dok_uri: uri.clone(),
        object: uri.clone(),
        slug: dok_id.clone(),
        dok_id,
    };
    if let Some(id) = &id_riwayat {
        if let Some(r) = store.riwayat.get_mut(id) {
            r.documents.insert(dok.dok_id.clone(), dok.clone());
        }
        if let Some((person, name)) = store.holder_of(id) {
            records::attach(person, &name, id, &dok);
        }
    }
    store.uploads.insert(uri, StoredUpload { dok: dok.clone(), file_name, content_type, bytes, id_riwayat });
    let lost = store.lose_answer();
    drop(store);
    if lost {
        return crate::gateway::answer_lost();
    }
    Json(UploadAnswer { success: true, message: "success".to_owned(), data: Some(dok) }).into_response()
}

/// `GET /download-dok?filePath=<dok_uri>`: the stored bytes.
pub(crate) async fn download_dok(
    State(shared): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let found = query.get("filePath").and_then(|path| lock(&shared.store).uploads.get(path).cloned());
    match found {
        Some(u) => ([(header::CONTENT_TYPE, u.content_type)], u.bytes).into_response(),
        None => not_found(),
    }
}
