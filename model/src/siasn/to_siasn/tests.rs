//! Tests of the model → SIASN mapping (and the sample owner the import's tests share).

use super::*;
use crate::history::samples::sample;
use crate::siasn::{is_riwayat_id, parse_siasn_date, RESOURCES};

/// A profile to serve records for, with a SIASN PNS id (the tests of this module and of the import use it).
pub(crate) fn sample_owner() -> Profile {
    serde_json::from_value(serde_json::json!({
        "nip": "198503102010011002", "nama": "Budi", "gelar_depan": null, "gelar_belakang": "S.AP.",
        "tempat_lahir": "Bandung", "tanggal_lahir": "1985-03-10", "jenis_kelamin": "M",
        "instansi_id": "A5EB03E23C37F6A0E040640A040252AD", "instansi_nama": "Pemerintah Kab. X",
        "unor_nama": "Bagian Kepegawaian", "golongan_id": "34", "jabatan_nama": "Analis",
        "owner": {"alamat": null, "no_hp": null, "email": null}, "last_usulan_id": null,
        "siasn_pns_id": "A8ACA7CD3C7F3912E040640A040269BB"
    }))
    .expect("profile")
}

fn person() -> (Profile, Vec<HistoryRecord>) {
    let born = NaiveDate::from_ymd_opt(1985, 3, 10).expect("date");
    let history: Vec<HistoryRecord> = HistoryKind::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| HistoryRecord {
            id: format!("00000000-0000-4000-8000-{i:012}"),
            data: sample(*k, born, 0),
            last_usulan_id: None,
            siasn_id: None,
        })
        .collect();
    let profile = sample_owner();
    (profile, history)
}

#[test]
fn every_served_object_has_exactly_the_documented_fields() {
    let (p, history) = person();
    for r in RESOURCES.iter().filter(|r| !r.fields.is_empty()) {
        let Some(data) = read(r.name, &p, &history, &NoNames) else { continue };
        let item = data.as_array().map_or(data.clone(), |a| a[0].clone());
        let mut keys: Vec<&str> = item.as_object().expect("object").keys().map(String::as_str).collect();
        let mut documented = r.fields.to_vec();
        keys.sort_unstable();
        documented.sort_unstable();
        assert_eq!(keys, documented, "{}", r.name);
    }
}

#[test]
fn ids_and_dates_are_siasn_shaped() {
    let (p, history) = person();
    let du = data_utama(&p, &history, &NoNames);
    assert_eq!(du.id.as_deref(), Some("A8ACA7CD3C7F3912E040640A040269BB"));
    assert!(du.tgl_lahir.as_deref().and_then(parse_siasn_date).is_some());
    let jab = rw_jabatan(&p, &history, &NoNames);
    assert!(jab.iter().all(|j| j.id.as_deref().is_some_and(is_riwayat_id)));
    assert_eq!(jab[0].jenis_jabatan.as_deref(), Some("4"));
    let mut no_guid = p.clone();
    no_guid.siasn_pns_id = None;
    assert_eq!(pns_id(&no_guid), "198503102010011002");
    assert_eq!(read("rw-dp3", &p, &history, &NoNames), None);
    assert_eq!(split_name("III/a (Penata Muda)"), ("III/a".into(), Some("Penata Muda".into())));
}

#[test]
fn coverage_counts_held_leaves() {
    let v = serde_json::json!({"a": "x", "b": "", "c": null, "d": EMPTY_DATE, "path": {"1": {}},
        "list": [{"e": 1, "f": null}, {"e": 2}]});
    assert_eq!(coverage(&v), (3, 7));
}
