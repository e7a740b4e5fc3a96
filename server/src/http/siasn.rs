//! A read-only facade in the shape of the national SIASN web service (`/apisiasn/1.0/pns/{resource}/{nipBaru}`),
//! so tools written for SIASN can read from this server, and so one sync request can be compared with the
//! ~25 per-resource requests SIASN needs for one person.
//!
//! The shapes are SIASN's own, field for field ([`mysapk_model::siasn::read`], each with its source), filled from
//! our model by [`mysapk_model::siasn::to_siasn`]: SIASN's field names and nesting, string ids, `dd-mm-yyyy`
//! dates, its empty values. Answers:
//! - found: `{"code": 1, "data": …}`;
//! - nothing to answer: HTTP 404 `{"code": 0, "data": "Data tidak ditemukan"}`, as SIASN does
//!   (`black-coffee04/ws-siasn-php` `src/Resources/HttpClient.php`): an unknown resource or NIP, a person the
//!   caller may not read, a list with no record, `data-anak` without a child, and the resources our model does
//!   not hold (`rw-dp3`, `rw-pwk`, `rw-pnsunor`, `rw-pemberhentian`, `rw-kinerjaperiodik`, `rw-sertifikasi`,
//!   `rw-tubel`);
//! - `photo/{idPns}`: SIASN addresses it by the PNS id and answers the image bytes; this server holds no ASN
//!   photo, so it answers what SIASN answers for a PNS without one: 200 with an empty body (the consumers
//!   `kanekescom/laravel-siasn-simpeg-api` `GetPnsPhotoCommand` and `rumahASN` `siasn-profile.controller.js`
//!   take an empty body as "no photo");
//! - `nilaiipasn`: this year's IP ASN computed from the record by the same rules as the standing, in the five
//!   fields a consumer reads (`kualifikasi`, `kompetensi`, `kinerja`, `disiplin`, `subtotal`) plus this server's
//!   own (`nipBaru`, `tahun`, `total`, `kategori`, `versiAturan`).
//!
//! Ids: `id`/`idPns` are the PNS's SIASN id ([`Profile::siasn_pns_id`]); a person SIASN does not know yet is
//! named by the NIP instead (no GUID is invented), and `photo` accepts either. A record's `id` is its SIASN id,
//! else our record id (a dashed UUID, one of SIASN's own forms).
//!
//! Access: the same bearer token as the sync API. An ASN reads only their own record; a verifikator, approver or
//! admin reads any person of their own agency; anything else is the not-found answer, so the facade does not
//! reveal who exists elsewhere.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use mysapk_model::record::Profile;
use mysapk_model::siasn::{self, is_pns_id, not_found, to_siasn, Envelope, Shape, RESOURCES};
use mysapk_model::standing::Standing;
use mysapk_model::usulan::Role;
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::AnyConnection;

use super::AppState;
use crate::auth::AuthUser;
use crate::db::records;
use crate::error::ServerError;

pub fn router() -> Router<AppState> {
    Router::new().route("/apisiasn/1.0/routes", get(routes)).route("/apisiasn/1.0/pns/{resource}/{key}", get(pns))
}

/// The facade's path prefix.
pub const PREFIX: &str = "/apisiasn/1.0";

/// The catalogs whose names the shapes carry (golongan and pangkat, agama, status kawin, …).
const NAMED_CATALOGS: &[&str] = &[
    "golongan",
    "agama",
    "kawin",
    "jenis_jabatan",
    "eselon",
    "tingkat_pendidikan",
    "jenis_kp",
    "latihan_struktural",
    "penghargaan",
    "jenis_hukuman",
    "alasan_hukdis",
];

/// The facade's answers.
pub enum Reply {
    /// `{"code": 1, "data": …}`.
    Data(Value),
    /// 404 `{"code": 0, "data": "Data tidak ditemukan"}`.
    NotFound,
    /// The photo of a PNS without one: 200, empty body.
    NoPhoto,
    /// A server error in our usual form.
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
            Reply::Data(data) => Json(Envelope::ok(data)).into_response(),
            Reply::NotFound => (StatusCode::NOT_FOUND, Json(not_found())).into_response(),
            Reply::NoPhoto => StatusCode::OK.into_response(),
            Reply::Error(e) => e.into_response(),
        }
    }
}

/// `nilaiipasn`: the IP ASN of the current year, from [`crate::standing::standing_in`] (Peraturan BKN 8/2019 as
/// `mysapk_model::standing::ip_asn` reads it).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NilaiIpAsn {
    /// Kualifikasi, 0-25.
    pub kualifikasi: u32,
    /// Kompetensi, 0-40.
    pub kompetensi: u32,
    /// Kinerja, 0-30 (last year's SKP).
    pub kinerja: u32,
    /// Disiplin, 0-5.
    pub disiplin: u32,
    /// The IP ASN, 0-100 (SIASN's name).
    pub subtotal: u32,
    /// This server's own: the NIP.
    pub nip_baru: String,
    /// This server's own: the evaluated year.
    pub tahun: i32,
    /// This server's own: = `subtotal`.
    pub total: u32,
    /// This server's own: `Sangat Tinggi` (91-100), `Tinggi` (81-90), `Sedang` (71-80), `Rendah` (61-70),
    /// `Sangat Rendah` (≤ 60).
    pub kategori: String,
    /// This server's own: the rule set's version.
    pub versi_aturan: String,
}

fn nilai_ip_asn(nip: &str, s: &Standing) -> NilaiIpAsn {
    use mysapk_model::standing::ip_asn::{Band, Dimension};
    let score = |d: Dimension| s.ip_asn.dimensions.iter().find(|x| x.dimension == d).map_or(0, |x| x.score);
    NilaiIpAsn {
        kualifikasi: score(Dimension::Kualifikasi),
        kompetensi: score(Dimension::Kompetensi),
        kinerja: score(Dimension::Kinerja),
        disiplin: score(Dimension::Disiplin),
        subtotal: s.ip_asn.total,
        nip_baru: nip.to_owned(),
        tahun: s.ip_asn.year,
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

fn is_agency_reader(user: &AuthUser) -> bool {
    user.roles.iter().any(|r| matches!(r, Role::Verifikator | Role::Approver | Role::Admin))
}

fn may_read(user: &AuthUser, p: &Profile) -> bool {
    p.nip.as_str() == user.nip || (is_agency_reader(user) && p.instansi_id == user.instansi_id)
}

/// The person `key` names: a NIP, or for `photo` a PNS id (or the NIP of a person SIASN does not know yet).
async fn person(
    conn: &mut AnyConnection,
    user: &AuthUser,
    key: &str,
    by_pns_id: bool,
) -> Result<Option<Profile>, ServerError> {
    let found = match records::get_profile(conn, key).await? {
        Some(p) if !by_pns_id || p.siasn_pns_id.is_none() => Some(p),
        Some(_) => None,
        None if by_pns_id && is_pns_id(key) => {
            // The caller's own record first, then their agency's (the only ones they may read).
            match records::get_profile(conn, &user.nip).await? {
                Some(own) if own.siasn_pns_id.as_deref() == Some(key) => Some(own),
                _ if is_agency_reader(user) => records::find_profile_by_siasn_id(conn, &user.instansi_id, key).await?,
                _ => None,
            }
        }
        None => None,
    };
    Ok(found.filter(|p| may_read(user, p)))
}

/// `GET /apisiasn/1.0/pns/{resource}/{nipBaru}` (and `photo/{idPns}`).
pub async fn pns(
    State(state): State<AppState>,
    user: AuthUser,
    Path((resource, key)): Path<(String, String)>,
) -> Reply {
    match read(&state, &user, &resource, &key).await {
        Ok(reply) => reply,
        Err(e) => Reply::Error(e),
    }
}

async fn read(state: &AppState, user: &AuthUser, resource: &str, key: &str) -> Result<Reply, ServerError> {
    let Some(res) = siasn::resource(resource) else { return Ok(Reply::NotFound) };
    let mut conn = state.pool.acquire().await?;
    let Some(profile) = person(&mut conn, user, key, res.shape == Shape::Image).await? else {
        return Ok(Reply::NotFound);
    };
    let nip = profile.nip.as_str().to_owned();
    match res.name {
        // This server holds no ASN photo.
        "photo" => Ok(Reply::NoPhoto),
        "nilaiipasn" => {
            let s = crate::standing::standing_in(&mut conn, &nip, chrono::Utc::now().date_naive()).await?;
            Ok(Reply::Data(serde_json::to_value(nilai_ip_asn(&nip, &s))?))
        }
        name => {
            let history = records::list_history(&mut conn, &nip).await?;
            let catalogs = records::get_catalogs(&mut conn, NAMED_CATALOGS).await?;
            Ok(to_siasn::read(name, &profile, &history, &catalogs).map_or(Reply::NotFound, Reply::Data))
        }
    }
}

/// Whether this server answers resource `name` from data it holds (the others are always not found).
pub fn held(name: &str) -> bool {
    !matches!(
        name,
        "rw-dp3"
            | "rw-pwk"
            | "rw-pnsunor"
            | "rw-pemberhentian"
            | "rw-kinerjaperiodik"
            | "rw-sertifikasi"
            | "rw-tubel"
            | "photo"
    )
}

/// `GET /apisiasn/1.0/routes` (this server's own): the per-person request paths (`{nipBaru}`, or `{idPns}` for
/// the photo), so a client can enumerate a full SIASN-style read of one person; `held` says whether this server
/// holds data for it.
pub async fn routes() -> Reply {
    let items = RESOURCES
        .iter()
        .map(|r| {
            let key = if r.shape == Shape::Image { "{idPns}" } else { "{nipBaru}" };
            json!({"path": format!("{PREFIX}/pns/{}/{key}", r.name), "resource": r.name, "held": held(r.name)})
        })
        .collect();
    Reply::Data(Value::Array(items))
}
