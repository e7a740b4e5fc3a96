//! The proposals the fault tests and `chaos-device` save: one shape, each carrying a unique marker so a test
//! can count every proposal on the server (none lost, none twice).
//!
//! They add an organisasi record: a category without mandatory documents and without order rules against
//! the record, so any number of them is valid at once and the tests exercise the outbox, not the rules.

use chrono::NaiveDate;
use mysapk_model::history::{HistoryData, Organisasi};
use mysapk_model::usulan::UsulanAction;

/// The JSON key holding the marker.
pub const MARKER_KEY: &str = "jabatan_organisasi";

/// A proposal whose marker is `marker`; `i` varies the rest.
pub fn proposal(i: u64, marker: &str) -> UsulanAction {
    let base = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN);
    let start = base + chrono::Duration::days((i % 12_000) as i64);
    UsulanAction::AddHistory {
        data: HistoryData::Organisasi(Organisasi {
            nama_organisasi: format!("Koperasi Pegawai {}", i % 97),
            jabatan_organisasi: marker.to_owned(),
            tanggal_mulai: start,
            tanggal_selesai: None,
        }),
    }
}

/// The first string under `key` anywhere in `v`.
pub fn find_string(v: &serde_json::Value, key: &str) -> Option<String> {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::String(s)) = m.get(key) {
                return Some(s.clone());
            }
            m.values().find_map(|x| find_string(x, key))
        }
        serde_json::Value::Array(a) => a.iter().find_map(|x| find_string(x, key)),
        _ => None,
    }
}

/// The marker of a proposal made by [`proposal`].
pub fn marker_of(action: &UsulanAction) -> Option<String> {
    find_string(&serde_json::to_value(action).ok()?, MARKER_KEY)
}
