//! The write endpoints: each stores the riwayat and answers SIASN's `{success, message, mapData}`.
//!
//! Beyond the sources (the simulator's own wording, as SIASN's is not public): the messages of the refusals
//! below and of a success. The checks are the ones SIASN evidently makes: the person exists, an edited riwayat
//! exists, dates are `dd-mm-yyyy` (what every source sends).

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use mysapk_model::siasn::write::{parse_date, MapData, SaveAnswer, WriteBody, WriteEndpoint};
use serde_json::json;

use crate::records;
use crate::server::{lock, Shared};
use crate::store::{Riwayat, SaveEvent, SaveOutcome, Store};

pub(crate) const SAVED: &str = "Data berhasil disimpan";
pub(crate) const NO_PERSON: &str = "Data PNS tidak ditemukan";
pub(crate) const NO_RIWAYAT: &str = "Data riwayat tidak ditemukan";

/// A new SIASN id: 32 lowercase hex digits, like every SIASN GUID.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

pub(crate) async fn save(shared: Shared, endpoint: WriteEndpoint, bytes: Bytes) -> Response {
    let body = match WriteBody::from_json(endpoint, &bytes) {
        Ok(body) => body,
        // The back end's own error shape (`{message}`, as its JWT faults); the text is the parser's.
        Err(e) => return (StatusCode::BAD_REQUEST, Json(json!({ "message": e.to_string() }))).into_response(),
    };
    let mut store = lock(&shared.store);
    let outcome = decide(&mut store, &body);
    store.saves.push(SaveEvent { body, outcome: outcome.clone() });
    let lost = matches!(outcome, SaveOutcome::Accepted { .. }) && store.lose_answer();
    drop(store);
    if lost {
        return crate::gateway::answer_lost();
    }
    let answer = match outcome {
        SaveOutcome::Refused(message) => SaveAnswer { success: false, message, map_data: None },
        SaveOutcome::Accepted { riwayat_id, .. } => SaveAnswer {
            success: true,
            message: SAVED.to_owned(),
            map_data: endpoint
                .map_data_key()
                .zip(riwayat_id)
                .map(|(key, id)| MapData::Ids([(key.to_owned(), id)].into_iter().collect())),
        },
    };
    Json(answer).into_response()
}

fn decide(store: &mut Store, body: &WriteBody) -> SaveOutcome {
    if let Some(message) = &store.refusal {
        return SaveOutcome::Refused(message.clone());
    }
    let pns_id = body.pns_id().to_owned();
    if !store.people.contains_key(&pns_id) {
        return SaveOutcome::Refused(NO_PERSON.to_owned());
    }
    if let Some((field, _)) = body.dates().into_iter().find(|(_, v)| parse_date(v).is_none()) {
        return SaveOutcome::Refused(format!("Format {field} tidak valid, gunakan dd-mm-yyyy"));
    }
    let resource = records::resource_of(body.endpoint());
    let (id, edit) = match (body, body.riwayat_id()) {
        (WriteBody::DataUtama(_), _) => {
            if let Some(person) = store.people.get_mut(&pns_id) {
                records::apply(person, "", body, &Default::default());
            }
            return SaveOutcome::Accepted { riwayat_id: None, edit: true };
        }
        (_, Some(id)) => {
            let held = store.people.get(&pns_id).is_some_and(|p| records::holds(p, resource, id));
            if !held {
                return SaveOutcome::Refused(NO_RIWAYAT.to_owned());
            }
            (id.to_owned(), true)
        }
        (_, None) => (new_id(), false),
    };
    let riwayat = store.riwayat.entry(id.clone()).or_insert_with(|| Riwayat {
        id: id.clone(),
        pns_id: pns_id.clone(),
        body: body.clone(),
        documents: Default::default(),
    });
    riwayat.body = body.clone();
    riwayat.documents.extend(body.path().iter().map(|d| (d.dok_id.clone(), d.clone())));
    let documents = riwayat.documents.clone();
    if let Some(person) = store.people.get_mut(&pns_id) {
        records::apply(person, &id, body, &documents);
    }
    SaveOutcome::Accepted { riwayat_id: Some(id), edit }
}
