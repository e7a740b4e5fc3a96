//! The read endpoints: `GET /pns/{resource}/{nipBaru}` for every resource of
//! [`mysapk_model::siasn::RESOURCES`], answered `{"code": 1, "data": …}`, or SIASN's 404 "not found" for an
//! unknown NIP or a resource the person has nothing in (an absent object, an empty list: to_siasn's rule);
//! `GET /pns/photo/{idPns}` (by PNS id: kanekescom laravel-siasn-simpeg-api `src/Pns.php` `getPhoto`,
//! ws-siasn-php `PnsService.php`) answers image bytes.
//!
//! Beside SIASN's API, one simulator-only route: `GET /sim/instansi/{instansiId}/pns.csv`, the agency's NIP
//! list. SIASN's web service has no listing by agency (none of the sources calls one); an agency gets its list
//! from the SIASN web application's employee export, which rumahASN uploads as a spreadsheet
//! (`controller/siasn-report.controller.js` `uploadEmployees` → table `siasn_employees`, columns `nip_baru`,
//! `pns_id`, `nama`, …). The route stands for that export, with those three columns.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use mysapk_model::siasn::{resource, Envelope, Shape};
use serde_json::Value;

use crate::server::{lock, not_found, Shared};
use crate::API_BASE;

/// The photo every person has: a 1×1 PNG.
pub const PHOTO_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

pub(crate) fn routes(router: Router<Shared>) -> Router<Shared> {
    router.route(&format!("{API_BASE}/pns/{{resource}}/{{key}}"), get(read))
}

/// The simulator-only routes (no tokens: they stand for things outside SIASN's API).
pub(crate) fn sim_routes(router: Router<Shared>) -> Router<Shared> {
    router.route("/sim/instansi/{instansi}/pns.csv", get(instansi_csv))
}

fn held(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

async fn read(State(shared): State<Shared>, Path((name, key)): Path<(String, String)>) -> Response {
    let Some(res) = resource(&name) else {
        return crate::gateway::no_resource_answer();
    };
    let store = lock(&shared.store);
    if res.shape == Shape::Image {
        return match store.people.contains_key(&key) {
            true => ([(header::CONTENT_TYPE, "image/png")], PHOTO_PNG).into_response(),
            false => not_found(),
        };
    }
    let data = store.person_by_nip(&key).and_then(|p| p.resources.get(&name)).filter(|v| held(v)).cloned();
    drop(store);
    match data {
        Some(data) => Json(Envelope::ok(data)).into_response(),
        None => not_found(),
    }
}

/// `nip_baru,pns_id,nama` of every person of the agency, ordered by NIP.
async fn instansi_csv(State(shared): State<Shared>, Path(instansi): Path<String>) -> Response {
    let store = lock(&shared.store);
    let mut people: Vec<_> = store.people.values().filter(|p| p.instansi_id == instansi).collect();
    if people.is_empty() {
        return StatusCode::NOT_FOUND.into_response();
    }
    people.sort_by(|a, b| a.nip.cmp(&b.nip));
    let mut csv = String::from("nip_baru,pns_id,nama\n");
    for p in people {
        csv.push_str(&format!("{},{},\"{}\"\n", p.nip, p.pns_id, p.nama.replace('"', "\"\"")));
    }
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response()
}
