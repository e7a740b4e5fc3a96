//! SIASN, the national civil-service system of record: its wire shapes. The read shapes ([`read`]), the write
//! bodies ([`write`]), the mapping tables of an import (`import`) and our model → SIASN ([`to_siasn`]).
//!
//! # Identity
//!
//! SIASN names a PNS by an Oracle GUID, 32 uppercase hex digits (`"A8ACA7CD3C7F3912E040640A040269BB"` in a
//! consumer's `rw-pendidikan` fixture; `"7E85A2743B04BD8DE050640A3C036B36"` in R's `CompareDataPasangan.js`), and
//! a riwayat by an id of its era: Oracle GUIDs for old records, 32 lowercase hex (`"8ae483c68026f7960180314c64470589"`,
//! a `rw-golongan` fixture) and dashed UUIDs for new ones (`"ba970862-d79c-4b53-9315-25d3f2c20a6b"`, a
//! `rw-jabatan` fixture; family `orang` ids in R). Our model carries them:
//!
//! | our field | SIASN field |
//! | --- | --- |
//! | `Profile::siasn_pns_id` | `data-utama.id`, `idPns`, `pnsOrangId`, `pns`, `pnsOrang` of every record |
//! | `Profile::unor_id` | `data-utama.unorId` (the unit; `unor_nama` is its name) |
//! | `HistoryRecord::siasn_id` | the record's `id` (`orang.id` for a spouse, child or parent) |
//! | `Jabatan::unor_id` | `rw-jabatan.unorId` |
//! | `Jabatan::jabatan_id` | `jabatanFungsionalId` (jenis `2`) or `jabatanFungsionalUmumId` (jenis `4`); a struktural position (jenis `1`) is the unit's own |
//! | `Pendidikan::pendidikan_id` | `rw-pendidikan.pendidikanId` (`pendidikan.json`) |
//!
//! The other reference ids SIASN records carry are already our codes: `golonganId` (11..45), `tkPendidikanId`,
//! `latihanStrukturalId`, `jenisDiklatId`, `hargaId`, `cltnId`, `jenisHukuman`, `instansiIndukId`. Records made in
//! mysapk and not yet in SIASN have no SIASN id (`None`).

pub mod forward;
pub mod import;
pub mod lenient;
pub mod read;
pub mod reference;
pub mod to_siasn;
pub mod write;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What SIASN writes for an empty date in the family and jabatan resources (R `CompareDataPasangan.js`:
/// `"tglMeninggal": "01-01-0001"`; a consumer's `rw-jabatan` fixture: `"tmtPelantikan": "01-01-0001"`).
pub const EMPTY_DATE: &str = "01-01-0001";

/// The `data` of SIASN's not-found answer (B `src/Resources/HttpClient.php`: HTTP 404 with
/// `{"code": 0, "data": "Data tidak ditemukan"}`; R `controller/siasn/rw-keluarga.controller.js` checks the same).
pub const NOT_FOUND_TEXT: &str = "Data tidak ditemukan";

/// A SIASN date, `dd-mm-yyyy` (K's transformers parse every read date with `d-m-Y`).
pub fn siasn_date(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// A SIASN date string → the date; `""`, [`EMPTY_DATE`] and anything else unreadable → `None`.
pub fn parse_siasn_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() || s == EMPTY_DATE {
        return None;
    }
    NaiveDate::parse_from_str(s, "%d-%m-%Y").ok()
}

/// Whether `id` has the form of a SIASN PNS id: 32 hex digits (uppercase in every source).
pub fn is_pns_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

/// Whether `id` has one of the forms of a SIASN riwayat id: 32 hex digits (either case) or a dashed UUID.
pub fn is_riwayat_id(id: &str) -> bool {
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    match id.len() {
        32 => hex(id),
        36 => {
            let parts: Vec<&str> = id.split('-').collect();
            parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) && parts.iter().all(|p| hex(p))
        }
        _ => false,
    }
}

/// SIASN's success envelope: `{"code": 1, "data": …}` (B `ResponseTransformerTrait.php` reads `code` as the
/// success flag; R reads `res.data.data`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub code: i64,
    pub data: T,
}

impl<T> Envelope<T> {
    pub fn ok(data: T) -> Self {
        Envelope { code: 1, data }
    }
}

/// SIASN's not-found answer, HTTP 404: `{"code": 0, "data": "Data tidak ditemukan"}`.
pub fn not_found() -> Envelope<String> {
    Envelope { code: 0, data: NOT_FOUND_TEXT.to_owned() }
}

/// An error answered by the API gateway in front of SIASN (WSO2 APIM) rather than by SIASN: R's
/// `middleware/siasn.middleware.js` reads `code`, `message`, `type`, `description` and `data` of it and treats
/// `message` `"Invalid Credentials"` or `"invalid or expired jwt"`, `message` `"Runtime Error"` (unless
/// `description` says `SUSPENDED`) and `data` `"Token SSO mismatch"` as an expired or refused token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GatewayError {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::de")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::de")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type", deserialize_with = "lenient::de")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::de")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::de")]
    pub data: Option<String>,
}

/// The gateway's messages for a token it refuses (R `middleware/siasn.middleware.js`).
pub const TOKEN_INVALID_CREDENTIALS: &str = "Invalid Credentials";
pub const TOKEN_EXPIRED_JWT: &str = "invalid or expired jwt";
pub const TOKEN_RUNTIME_ERROR: &str = "Runtime Error";
pub const TOKEN_SSO_MISMATCH: &str = "Token SSO mismatch";

impl GatewayError {
    /// Whether this error says the APIM or SSO token is expired or refused, so a client renews it.
    pub fn is_token_error(&self) -> bool {
        let message = self.message.as_deref();
        message == Some(TOKEN_INVALID_CREDENTIALS)
            || message == Some(TOKEN_EXPIRED_JWT)
            || (message == Some(TOKEN_RUNTIME_ERROR)
                && !self.description.as_deref().is_some_and(|d| d.contains("SUSPENDED")))
            || self.data.as_deref() == Some(TOKEN_SSO_MISMATCH)
    }
}

/// What one read answered, from its status and body.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadAnswer {
    /// `{code: 1, data}`: the resource's `data`.
    Found(serde_json::Value),
    /// 404 `{code: 0, data: "Data tidak ditemukan"}`: SIASN holds nothing for it, which is not an error.
    NotFound,
    /// Anything else: the gateway's or SIASN's error as it came.
    Error { status: u16, error: GatewayError },
}

/// Classify a read's answer (pure: the HTTP client hands status and body).
pub fn classify_read(status: u16, body: &[u8]) -> ReadAnswer {
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or(serde_json::Value::Null);
    let code = value.get("code").and_then(|c| c.as_i64().or_else(|| c.as_str().and_then(|s| s.parse().ok())));
    if (200..300).contains(&status) && code == Some(1) {
        return ReadAnswer::Found(value.get("data").cloned().unwrap_or(serde_json::Value::Null));
    }
    if code == Some(0) && value.get("data").and_then(|d| d.as_str()) == Some(NOT_FOUND_TEXT) {
        return ReadAnswer::NotFound;
    }
    let error = serde_json::from_value(value).unwrap_or_default();
    ReadAnswer::Error { status, error }
}

/// What a per-PNS resource holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One object (`data-utama`, `data-pasangan`, `data-anak`, `data-ortu`, `nilaiipasn`).
    Object,
    /// A list of records (`rw-*`).
    List,
    /// The photo: image bytes, not JSON.
    Image,
}

/// One per-PNS read resource: `GET /apisiasn/1.0/pns/{name}/{nipBaru}` (`photo` takes the PNS id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource {
    pub name: &'static str,
    pub shape: Shape,
    /// The documented field names of its object or of one record; empty when no source documents them.
    pub fields: &'static [&'static str],
    /// Where the name and fields come from.
    pub source: &'static str,
}

const fn res(name: &'static str, shape: Shape, fields: &'static [&'static str], source: &'static str) -> Resource {
    Resource { name, shape, fields, source }
}

const K: &str = "kanekescom/laravel-siasn-simpeg database/migrations";

/// Every per-PNS read resource the sources name, in the order a full read of one person makes them
/// (B `src/Services/PnsService.php` and `RiwayatService.php`; `rw-sertifikasi` and `rw-tubel` from R
/// `utils/siasn-utils.js`, which documents no field of them).
pub const RESOURCES: &[Resource] = &[
    res("data-utama", Shape::Object, read::DATA_UTAMA_FIELDS, "K …000006_create_siasn_simpeg_pns_data_utama_table.php"),
    res(
        "data-pasangan",
        Shape::Object,
        read::DATA_PASANGAN_FIELDS,
        "R src/components/PemutakhiranData/CompareDataPasangan.js; K …000005, …000031, …000032 (commit 9c07e427)",
    ),
    res(
        "data-anak",
        Shape::Object,
        read::DATA_ANAK_FIELDS,
        "R controller/siasn-keluarga.controller.js; K …000003 (commit 9c07e427)",
    ),
    res(
        "data-ortu",
        Shape::Object,
        read::DATA_ORTU_FIELDS,
        "R controller/siasn-keluarga.controller.js; K …000004, …000029, …000030 (commit 9c07e427)",
    ),
    res("rw-golongan", Shape::List, read::RW_GOLONGAN_FIELDS, K),
    res("rw-jabatan", Shape::List, read::RW_JABATAN_FIELDS, K),
    res("rw-pendidikan", Shape::List, read::RW_PENDIDIKAN_FIELDS, K),
    res("rw-angkakredit", Shape::List, read::RW_ANGKAKREDIT_FIELDS, K),
    res("rw-diklat", Shape::List, read::RW_DIKLAT_FIELDS, K),
    res("rw-kursus", Shape::List, read::RW_KURSUS_FIELDS, K),
    res("rw-hukdis", Shape::List, read::RW_HUKDIS_FIELDS, K),
    res("rw-penghargaan", Shape::List, read::RW_PENGHARGAAN_FIELDS, K),
    res("rw-pindahinstansi", Shape::List, read::RW_PINDAHINSTANSI_FIELDS, K),
    res("rw-masakerja", Shape::List, read::RW_MASAKERJA_FIELDS, K),
    res("rw-skp", Shape::List, read::RW_SKP_FIELDS, K),
    res("rw-skp22", Shape::List, read::RW_SKP22_FIELDS, K),
    res("rw-kinerjaperiodik", Shape::List, read::RW_KINERJAPERIODIK_FIELDS, K),
    res("rw-cltn", Shape::List, read::RW_CLTN_FIELDS, K),
    res("rw-pemberhentian", Shape::List, read::RW_PEMBERHENTIAN_FIELDS, K),
    res("rw-dp3", Shape::List, read::RW_DP3_FIELDS, K),
    res("rw-pwk", Shape::List, read::RW_PWK_FIELDS, K),
    res("rw-pnsunor", Shape::List, read::RW_PNSUNOR_FIELDS, K),
    res("rw-sertifikasi", Shape::List, &[], "R utils/siasn-utils.js (no fields documented)"),
    res("rw-tubel", Shape::List, &[], "R utils/siasn-utils.js (no fields documented)"),
    res(
        "nilaiipasn",
        Shape::Object,
        read::NILAI_IPASN_FIELDS,
        "R controller/siasn-pengembangan-kompentensi.controller.js",
    ),
    res("photo", Shape::Image, &[], "R utils/siasn-utils.js, B src/Services/PnsService.php (by PNS id, image bytes)"),
];

/// The resource named `name`.
pub fn resource(name: &str) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_ids() {
        let d = NaiveDate::from_ymd_opt(1990, 1, 2).expect("date");
        assert_eq!(siasn_date(d), "02-01-1990");
        assert_eq!(parse_siasn_date("02-01-1990"), Some(d));
        assert_eq!(parse_siasn_date(EMPTY_DATE), None);
        assert_eq!(parse_siasn_date(""), None);
        assert!(is_pns_id("A8ACA7CD3C7F3912E040640A040269BB"));
        assert!(!is_pns_id("a8aca7cd3c7f3912e040640a040269bb"));
        assert!(!is_pns_id("198503102010011002"));
        assert!(is_riwayat_id("8ae483c68026f7960180314c64470589"));
        assert!(is_riwayat_id("ba970862-d79c-4b53-9315-25d3f2c20a6b"));
        assert!(!is_riwayat_id("ba970862d79c-4b53-9315-25d3f2c20a6b0"));
    }

    #[test]
    fn answers_are_classified() {
        assert_eq!(classify_read(200, br#"{"code":1,"data":[]}"#), ReadAnswer::Found(serde_json::json!([])));
        assert_eq!(classify_read(404, br#"{"code":0,"data":"Data tidak ditemukan"}"#), ReadAnswer::NotFound);
        let ReadAnswer::Error { status, error } =
            classify_read(401, br#"{"code":"900901","message":"Invalid Credentials","description":"x"}"#)
        else {
            panic!("error")
        };
        assert_eq!(status, 401);
        assert!(error.is_token_error());
        let ReadAnswer::Error { error, .. } = classify_read(500, b"<html>") else { panic!("error") };
        assert!(!error.is_token_error());
    }

    #[test]
    fn resources_are_unique() {
        for (i, a) in RESOURCES.iter().enumerate() {
            assert!(RESOURCES[i + 1..].iter().all(|b| a.name != b.name), "{}", a.name);
        }
        assert_eq!(resource("rw-jabatan").map(|r| r.shape), Some(Shape::List));
    }
}
