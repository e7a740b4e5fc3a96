//! A read-only facade in the shape of the national SIASN web service (`/apisiasn/1.0/pns/{resource}/{nip}`),
//! so tools written for SIASN can read from this server, and so one sync request can be compared with the
//! ~30 per-resource requests SIASN needs for one person.
//!
//! Everything SIASN-specific lives here: the route table, the `{"code": 1, "data": …}` envelope, camelCase
//! field names and `dd-mm-yyyy` dates, mapped from our model at the edge. Golongan, jabatan and pendidikan use
//! SIASN's field names; the other categories we hold (family, diklat, kursus, penghargaan, hukdis, PMK as
//! `rw-masakerja`, SKP, angka kredit, pindah instansi, CLTN) list each record's own fields in camelCase.
//! `nilaiipasn` is this year's IP ASN computed from the record by the same rules as the standing (fields in
//! [`NilaiIpAsn`]). Categories this server does not hold yet answer with a real empty list (`data: []`), or
//! `data: null` for the photo: the record has none, which is not an error.
//!
//! Access: the same bearer token as the sync API. An ASN reads only their own NIP; a verifikator, approver or
//! admin reads any NIP of their own agency; anything else (another agency, an unknown NIP or resource) is 404
//! `{"code": 0, "data": "Data tidak ditemukan"}`, so the facade does not reveal who exists elsewhere.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::record::Profile;
use mysapk_model::usulan::Role;
use serde::Serialize;
use serde_json::{json, Value};

use super::AppState;
use crate::auth::AuthUser;
use crate::db::records;
use crate::error::ServerError;

pub fn router() -> Router<AppState> {
    Router::new().route("/apisiasn/1.0/routes", get(routes)).route("/apisiasn/1.0/pns/{resource}/{nip}", get(pns))
}

/// The facade's path prefix.
pub const PREFIX: &str = "/apisiasn/1.0";

/// What this server answers for a SIASN resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    DataUtama,
    RwGolongan,
    RwJabatan,
    RwPendidikan,
    /// Another category this server holds: each record's own fields in camelCase (our names, which follow
    /// SIASN's where the domain reference gives them), dates as `dd-mm-yyyy`.
    Rw(HistoryKind),
    /// `nilaiipasn`: this year's IP ASN computed from the record ([`crate::standing`]), see [`NilaiIpAsn`].
    NilaiIpAsn,
    /// A list category this server does not hold yet: `data: []`.
    EmptyList,
    /// A single-object resource this server does not hold yet: `data: null`.
    NoneYet,
}

/// Every per-person SIASN resource (`GET /apisiasn/1.0/pns/{name}/{nip}`), in the order a full read makes them.
pub const RESOURCES: &[(&str, Kind)] = &[
    ("data-utama", Kind::DataUtama),
    ("data-ortu", Kind::Rw(HistoryKind::OrangTua)),
    ("data-pasangan", Kind::Rw(HistoryKind::Pasangan)),
    ("data-anak", Kind::Rw(HistoryKind::Anak)),
    ("rw-golongan", Kind::RwGolongan),
    ("rw-jabatan", Kind::RwJabatan),
    ("rw-pendidikan", Kind::RwPendidikan),
    ("rw-angkakredit", Kind::Rw(HistoryKind::AngkaKredit)),
    ("rw-diklat", Kind::Rw(HistoryKind::Diklat)),
    ("rw-kursus", Kind::Rw(HistoryKind::Kursus)),
    ("rw-hukdis", Kind::Rw(HistoryKind::HukumanDisiplin)),
    ("rw-penghargaan", Kind::Rw(HistoryKind::Penghargaan)),
    ("rw-pindahinstansi", Kind::Rw(HistoryKind::PindahInstansi)),
    ("rw-masakerja", Kind::Rw(HistoryKind::Pmk)),
    ("rw-skp", Kind::Rw(HistoryKind::SkpLama)),
    ("rw-skp22", Kind::Rw(HistoryKind::Skp)),
    ("rw-kinerjaperiodik", Kind::EmptyList),
    ("rw-cltn", Kind::Rw(HistoryKind::Cltn)),
    ("rw-pemberhentian", Kind::EmptyList),
    ("rw-dp3", Kind::EmptyList),
    ("rw-pwk", Kind::EmptyList),
    ("rw-pnsunor", Kind::EmptyList),
    ("rw-tubel", Kind::EmptyList),
    ("rw-sertifikasi", Kind::EmptyList),
    ("nilaiipasn", Kind::NilaiIpAsn),
    ("photo", Kind::NoneYet),
];

pub fn kind_of(resource: &str) -> Option<Kind> {
    RESOURCES.iter().find(|(name, _)| *name == resource).map(|(_, kind)| *kind)
}

/// A SIASN date: `dd-mm-yyyy`.
pub fn siasn_date(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// The facade's answers: the SIASN envelope, or its not-found, or a server error in our usual form.
pub enum Reply {
    Data(Value),
    NotFound,
    Error(ServerError),
}

impl From<ServerError> for Reply {
    fn from(e: ServerError) -> Self {
        Reply::Error(e)
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Reply::Data(data) => Json(json!({"code": 1, "data": data})).into_response(),
            Reply::NotFound => {
                (StatusCode::NOT_FOUND, Json(json!({"code": 0, "data": "Data tidak ditemukan"}))).into_response()
            }
            Reply::Error(e) => e.into_response(),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DataUtama {
    id: String,
    nip_baru: String,
    nip_lama: Option<String>,
    nama: String,
    gelar_depan: Option<String>,
    gelar_belakang: Option<String>,
    tempat_lahir: String,
    tgl_lahir: String,
    jenis_kelamin: String,
    email: Option<String>,
    no_hp: Option<String>,
    alamat: Option<String>,
    instansi_induk_id: String,
    instansi_induk_nama: String,
    instansi_kerja_id: String,
    instansi_kerja_nama: String,
    unor_nama: String,
    gol_ruang_akhir_id: Option<String>,
    gol_ruang_akhir: Option<String>,
    tmt_gol_akhir: Option<String>,
    jabatan_nama: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RwGolongan {
    id: String,
    id_pns: String,
    nip_baru: String,
    golongan_id: String,
    golongan: Option<String>,
    sk_nomor: String,
    sk_tanggal: String,
    tmt_golongan: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RwJabatan {
    id: String,
    id_pns: String,
    nip_baru: String,
    jenis_jabatan: String,
    jabatan_nama: String,
    unor_nama: String,
    eselon_id: Option<String>,
    tmt_jabatan: String,
    tmt_selesai: Option<String>,
    nomor_sk: String,
    tanggal_sk: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RwPendidikan {
    id: String,
    id_pns: String,
    nip_baru: String,
    tk_pendidikan_id: String,
    pendidikan_nama: String,
    nama_sekolah: String,
    tahun_lulus: String,
    nomor_ijasah: String,
}

/// `nilaiipasn`: the IP ASN of the current year, from [`crate::standing::standing_in`] (Peraturan BKN 8/2019 as
/// `mysapk_model::standing::ip_asn` reads it). SIASN publishes no schema for it; the fields are the four
/// dimension scores with SIASN-style names, their sum and its category.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NilaiIpAsn {
    /// = NIP (this server's PNS id).
    pub id_pns: String,
    pub nip_baru: String,
    /// The evaluated year.
    pub tahun: i32,
    /// Kualifikasi, 0-25.
    pub kualifikasi: u32,
    /// Kompetensi, 0-40.
    pub kompetensi: u32,
    /// Kinerja, 0-30 (last year's SKP).
    pub kinerja: u32,
    /// Disiplin, 0-5.
    pub disiplin: u32,
    /// The IP ASN, 0-100.
    pub total: u32,
    /// `Sangat Tinggi` (91-100), `Tinggi` (81-90), `Sedang` (71-80), `Rendah` (61-70), `Sangat Rendah` (≤ 60).
    pub kategori: String,
    /// The rule set's version.
    pub versi_aturan: String,
}

fn nilai_ip_asn(nip: &str, s: &mysapk_model::standing::Standing) -> NilaiIpAsn {
    use mysapk_model::standing::ip_asn::{Band, Dimension};
    let score = |d: Dimension| s.ip_asn.dimensions.iter().find(|x| x.dimension == d).map_or(0, |x| x.score);
    NilaiIpAsn {
        id_pns: nip.to_owned(),
        nip_baru: nip.to_owned(),
        tahun: s.ip_asn.year,
        kualifikasi: score(Dimension::Kualifikasi),
        kompetensi: score(Dimension::Kompetensi),
        kinerja: score(Dimension::Kinerja),
        disiplin: score(Dimension::Disiplin),
        total: s.ip_asn.total,
        kategori: match s.ip_asn.band {
            Band::SangatTinggi => "Sangat Tinggi",
            Band::Tinggi => "Tinggi",
            Band::Sedang => "Sedang",
            Band::Rendah => "Rendah",
            Band::SangatRendah => "Sangat Rendah",
        }
        .to_owned(),
        versi_aturan: s.ip_asn.rules_version.clone(),
    }
}

fn golongan_nama(golongan: &[mysapk_model::catalog::CatalogEntry], id: &str) -> Option<String> {
    golongan.iter().find(|e| e.id == id).map(|e| e.nama.clone())
}

fn data_utama(p: &Profile, history: &[HistoryRecord], golongan: &[mysapk_model::catalog::CatalogEntry]) -> DataUtama {
    // The TMT of the current golongan: the latest record of that golongan.
    let tmt_gol_akhir = p.golongan_id.as_deref().and_then(|g| {
        history
            .iter()
            .filter_map(|r| match &r.data {
                HistoryData::Golongan(mysapk_model::history::Golongan { golongan_id, tmt_golongan, .. })
                    if golongan_id == g =>
                {
                    Some(*tmt_golongan)
                }
                _ => None,
            })
            .max()
            .map(siasn_date)
    });
    DataUtama {
        id: p.nip.as_str().to_owned(),
        nip_baru: p.nip.as_str().to_owned(),
        nip_lama: None,
        nama: p.nama.clone(),
        gelar_depan: p.gelar_depan.clone(),
        gelar_belakang: p.gelar_belakang.clone(),
        tempat_lahir: p.tempat_lahir.clone(),
        tgl_lahir: siasn_date(p.tanggal_lahir),
        jenis_kelamin: p.jenis_kelamin.clone(),
        email: p.owner.email.clone(),
        no_hp: p.owner.no_hp.clone(),
        alamat: p.owner.alamat.clone(),
        instansi_induk_id: p.instansi_id.clone(),
        instansi_induk_nama: p.instansi_nama.clone(),
        instansi_kerja_id: p.instansi_id.clone(),
        instansi_kerja_nama: p.instansi_nama.clone(),
        unor_nama: p.unor_nama.clone(),
        gol_ruang_akhir_id: p.golongan_id.clone(),
        gol_ruang_akhir: p.golongan_id.as_deref().and_then(|g| golongan_nama(golongan, g)),
        tmt_gol_akhir,
        jabatan_nama: p.jabatan_nama.clone(),
    }
}

/// `snake_case` → `camelCase`.
fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for ch in key.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// One record of a [`Kind::Rw`] category: `id`, `idPns`, `nipBaru` and the record's fields, ISO dates as
/// SIASN dates.
fn generic_item(r: &HistoryRecord, nip: &str) -> Option<Value> {
    let Value::Object(fields) = serde_json::to_value(&r.data).ok()? else { return None };
    let mut out = serde_json::Map::new();
    out.insert("id".into(), Value::String(r.id.clone()));
    out.insert("idPns".into(), Value::String(nip.to_owned()));
    out.insert("nipBaru".into(), Value::String(nip.to_owned()));
    for (key, value) in fields.into_iter().filter(|(k, _)| k != "kind") {
        let value = match value {
            Value::String(s) => match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
                Ok(d) if s.len() == 10 => Value::String(siasn_date(d)),
                _ => Value::String(s),
            },
            other => other,
        };
        out.insert(camel(&key), value);
    }
    Some(Value::Object(out))
}

/// The records of one SIASN `rw-*` list, oldest first, mapped to SIASN fields.
fn rw_list(
    kind: Kind,
    nip: &str,
    history: &[HistoryRecord],
    golongan: &[mysapk_model::catalog::CatalogEntry],
) -> Value {
    let mut records: Vec<&HistoryRecord> = history.iter().collect();
    records.sort_by(|a, b| a.data.sort_date().cmp(&b.data.sort_date()).then_with(|| a.id.cmp(&b.id)));
    let items: Vec<Value> = records
        .into_iter()
        .filter_map(|r| {
            let (id, id_pns, nip_baru) = (r.id.clone(), nip.to_owned(), nip.to_owned());
            if let Kind::Rw(k) = kind {
                return (r.data.kind() == k).then(|| generic_item(r, nip)).flatten();
            }
            let item = match (&r.data, kind) {
                (
                    HistoryData::Golongan(mysapk_model::history::Golongan {
                        golongan_id,
                        tmt_golongan,
                        sk_nomor,
                        sk_tanggal,
                        ..
                    }),
                    Kind::RwGolongan,
                ) => serde_json::to_value(RwGolongan {
                    id,
                    id_pns,
                    nip_baru,
                    golongan_id: golongan_id.clone(),
                    golongan: golongan_nama(golongan, golongan_id),
                    sk_nomor: sk_nomor.clone(),
                    sk_tanggal: siasn_date(*sk_tanggal),
                    tmt_golongan: siasn_date(*tmt_golongan),
                }),
                (
                    HistoryData::Jabatan(mysapk_model::history::Jabatan {
                        jenis_jabatan_id,
                        jabatan_nama,
                        unor_nama,
                        eselon_id,
                        tmt_jabatan,
                        tmt_selesai,
                        sk_nomor,
                        sk_tanggal,
                        ..
                    }),
                    Kind::RwJabatan,
                ) => serde_json::to_value(RwJabatan {
                    id,
                    id_pns,
                    nip_baru,
                    jenis_jabatan: jenis_jabatan_id.clone(),
                    jabatan_nama: jabatan_nama.clone(),
                    unor_nama: unor_nama.clone(),
                    eselon_id: eselon_id.clone(),
                    tmt_jabatan: siasn_date(*tmt_jabatan),
                    tmt_selesai: tmt_selesai.map(siasn_date),
                    nomor_sk: sk_nomor.clone(),
                    tanggal_sk: siasn_date(*sk_tanggal),
                }),
                (
                    HistoryData::Pendidikan(mysapk_model::history::Pendidikan {
                        tingkat_pendidikan_id,
                        pendidikan_nama,
                        nama_sekolah,
                        tahun_lulus,
                        nomor_ijazah,
                        ..
                    }),
                    Kind::RwPendidikan,
                ) => serde_json::to_value(RwPendidikan {
                    id,
                    id_pns,
                    nip_baru,
                    tk_pendidikan_id: tingkat_pendidikan_id.clone(),
                    pendidikan_nama: pendidikan_nama.clone(),
                    nama_sekolah: nama_sekolah.clone(),
                    tahun_lulus: tahun_lulus.to_string(),
                    nomor_ijasah: nomor_ijazah.clone(),
                }),
                _ => return None,
            };
            item.ok()
        })
        .collect();
    Value::Array(items)
}

fn is_agency_reader(user: &AuthUser) -> bool {
    user.roles.iter().any(|r| matches!(r, Role::Verifikator | Role::Approver | Role::Admin))
}

/// `GET /apisiasn/1.0/pns/{resource}/{nip}`.
pub async fn pns(
    State(state): State<AppState>,
    user: AuthUser,
    Path((resource, nip)): Path<(String, String)>,
) -> Reply {
    match read(&state, &user, &resource, &nip).await {
        Ok(Some(data)) => Reply::Data(data),
        Ok(None) => Reply::NotFound,
        Err(e) => Reply::Error(e),
    }
}

async fn read(state: &AppState, user: &AuthUser, resource: &str, nip: &str) -> Result<Option<Value>, ServerError> {
    let Some(kind) = kind_of(resource) else { return Ok(None) };
    let mut conn = state.pool.acquire().await?;
    let Some(profile) = records::get_profile(&mut conn, nip).await? else { return Ok(None) };
    let allowed = nip == user.nip || (is_agency_reader(user) && profile.instansi_id == user.instansi_id);
    if !allowed {
        return Ok(None);
    }
    let data = match kind {
        Kind::EmptyList => Value::Array(Vec::new()),
        Kind::NoneYet => Value::Null,
        Kind::NilaiIpAsn => {
            let s = crate::standing::standing_in(&mut conn, nip, chrono::Utc::now().date_naive()).await?;
            serde_json::to_value(nilai_ip_asn(nip, &s))?
        }
        Kind::DataUtama | Kind::RwGolongan | Kind::RwJabatan | Kind::RwPendidikan | Kind::Rw(_) => {
            let history = records::list_history(&mut conn, nip).await?;
            let golongan = if matches!(kind, Kind::DataUtama | Kind::RwGolongan) {
                records::get_catalog(&mut conn, "golongan").await?.map(|c| c.entries).unwrap_or_default()
            } else {
                Vec::new()
            };
            if kind == Kind::DataUtama {
                serde_json::to_value(data_utama(&profile, &history, &golongan))?
            } else {
                rw_list(kind, nip, &history, &golongan)
            }
        }
    };
    Ok(Some(data))
}

/// `GET /apisiasn/1.0/routes`: the per-person request paths (with a `{nip}` placeholder), so a client can
/// enumerate a full SIASN-style read of one person. `held` says whether this server holds data for it yet.
pub async fn routes() -> Reply {
    let items = RESOURCES
        .iter()
        .map(|(name, kind)| {
            json!({
                "path": format!("{PREFIX}/pns/{name}/{{nip}}"),
                "resource": name,
                "held": !matches!(kind, Kind::EmptyList | Kind::NoneYet),
            })
        })
        .collect();
    Reply::Data(Value::Array(items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_unique_and_dates_are_siasn() {
        for (i, (a, _)) in RESOURCES.iter().enumerate() {
            assert!(RESOURCES[i + 1..].iter().all(|(b, _)| a != b), "{a} twice");
        }
        assert_eq!(kind_of("rw-jabatan"), Some(Kind::RwJabatan));
        assert_eq!(kind_of("rw-nothing"), None);
        let d = NaiveDate::from_ymd_opt(1990, 1, 2).expect("date");
        assert_eq!(siasn_date(d), "02-01-1990");
        assert_eq!(camel("tanggal_sk"), "tanggalSk");
        assert_eq!(kind_of("rw-skp22"), Some(Kind::Rw(HistoryKind::Skp)));
        assert_eq!(kind_of("nilaiipasn"), Some(Kind::NilaiIpAsn));
    }
}
