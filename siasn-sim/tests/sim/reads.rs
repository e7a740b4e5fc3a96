//! Reads: generated agencies in SIASN's shapes, not-found answers, the photo, writes read back, a changed
//! record, the agency's NIP list, people from our model, the data file.

use mysapk_model::nip::Nip;
use mysapk_model::siasn::read::{DataAnak, DataPasangan, DataUtama, RwGolongan, RwJabatan};
use mysapk_model::siasn::to_siasn::NoNames;
use mysapk_model::siasn::write::{SaveAnswer, UploadAnswer, WriteEndpoint};
use mysapk_model::siasn::{is_pns_id, is_riwayat_id, parse_siasn_date};
use mysapk_siasn_sim::{SimConfig, Simulator, PHOTO_PNG};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;

async fn read(session: &Session, resource: &str, nip: &str) -> (StatusCode, Value) {
    json(session.get(&format!("/pns/{resource}/{nip}")).await).await
}

async fn data<T: serde::de::DeserializeOwned>(session: &Session, resource: &str, nip: &str) -> T {
    let (status, body) = read(session, resource, nip).await;
    assert_eq!(status, StatusCode::OK, "{resource}: {body}");
    assert_eq!(body["code"], 1);
    serde_json::from_value(body["data"].clone()).expect("SIASN shape")
}

#[tokio::test]
async fn a_generated_agency_reads_in_siasn_shapes() {
    let sim = Simulator::start(SimConfig::default().with_people(INSTANSI, 6, 42)).await.unwrap();
    let session = Session::login(&sim).await;
    let nips = sim.data().nips_of(INSTANSI);
    assert_eq!(nips.len(), 6);
    for nip in &nips {
        Nip::parse(nip).expect("a valid NIP");
        let du: DataUtama = data(&session, "data-utama", nip).await;
        assert_eq!(du.nip_baru.as_deref(), Some(nip.as_str()));
        assert!(du.id.as_deref().is_some_and(is_pns_id), "{:?}", du.id);
        assert_eq!(du.instansi_induk_id.as_deref(), Some(INSTANSI));
        for date in [&du.tgl_lahir, &du.tmt_cpns, &du.tmt_pns, &du.tmt_gol_akhir, &du.tmt_jabatan] {
            assert!(date.as_deref().and_then(parse_siasn_date).is_some(), "{date:?}");
        }
        assert!(du.pangkat_akhir.is_some() && du.gol_ruang_akhir.is_some() && du.jabatan_nama.is_some());
        let golongan: Vec<RwGolongan> = data(&session, "rw-golongan", nip).await;
        assert!(!golongan.is_empty());
        assert!(golongan.iter().all(|g| g.id.as_deref().is_some_and(is_riwayat_id)));
        assert_eq!(golongan.last().and_then(|g| g.golongan_id.clone()), du.gol_ruang_akhir_id);
        let jabatan: Vec<RwJabatan> = data(&session, "rw-jabatan", nip).await;
        assert_eq!(jabatan.last().and_then(|j| j.nama_jabatan.clone()), du.jabatan_nama);
        let _: Value = data(&session, "data-ortu", nip).await;
    }

    // The same seed gives the same people; another seed others.
    let again = Simulator::start(SimConfig::default().with_people(INSTANSI, 6, 42)).await.unwrap();
    assert_eq!(again.data().people(), sim.data().people());
    let other = Simulator::start(SimConfig::default().with_people(INSTANSI, 6, 43)).await.unwrap();
    assert_ne!(other.data().nips_of(INSTANSI), nips);
}

#[tokio::test]
async fn what_siasn_does_not_hold_is_not_found() {
    let sim = Simulator::start(SimConfig::default().with_people(INSTANSI, 1, 1)).await.unwrap();
    let session = Session::login(&sim).await;
    let person = sim.data().people().remove(0);
    let not_found = json!({"code": 0, "data": "Data tidak ditemukan"});

    assert_eq!(read(&session, "data-utama", "199901012020121001").await, (StatusCode::NOT_FOUND, not_found.clone()));
    assert_eq!(read(&session, "rw-hukdis", &person.nip).await, (StatusCode::NOT_FOUND, not_found.clone()));
    let (status, body) = read(&session, "rw-unknown", &person.nip).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "900906");

    // The photo is by PNS id, as an image.
    let photo = session.get(&format!("/pns/photo/{}", person.pns_id)).await;
    assert_eq!(photo.status(), StatusCode::OK);
    assert_eq!(photo.headers()["content-type"], "image/png");
    assert_eq!(photo.bytes().await.unwrap().as_ref(), PHOTO_PNG);
    assert_eq!(read(&session, "photo", &person.nip).await, (StatusCode::NOT_FOUND, not_found));
}

#[tokio::test]
async fn writes_are_read_back() {
    let sim = Simulator::start(SimConfig::default().with_people(INSTANSI, 1, 5)).await.unwrap();
    let session = Session::login(&sim).await;
    let person = sim.data().people().remove(0);
    let nip = person.nip.clone();
    let before: Vec<RwJabatan> = data(&session, "rw-jabatan", &nip).await;

    // A new jabatan with its document.
    let upload: UploadAnswer =
        session.upload("/upload-dok", &[("id_ref_dokumen", "872")], Some(("sk.pdf", PDF))).await.json().await.unwrap();
    let mut body = super::writes::body(WriteEndpoint::Jabatan);
    body["pnsId"] = json!(person.pns_id);
    body["path"] = json!([upload.data.clone().unwrap()]);
    let saved: SaveAnswer = session.post_json("/jabatan/save", &body).await.json().await.unwrap();
    let id = saved.id(WriteEndpoint::Jabatan).unwrap().to_owned();
    let after: Vec<RwJabatan> = data(&session, "rw-jabatan", &nip).await;
    assert_eq!(after.len(), before.len() + 1);
    let new = after.iter().find(|j| j.id.as_deref() == Some(id.as_str())).expect("the saved jabatan");
    assert_eq!(new.nomor_sk.as_deref(), Some("800/12/2024"));
    assert_eq!(new.tmt_jabatan.as_deref(), Some("01-02-2024"));
    let path = new.path.as_ref().and_then(|p| p.get("872")).expect("path[872]");
    assert_eq!(path.dok_uri, upload.data.map(|d| d.dok_uri));

    // An edit of a record SIASN already held: only what the body carries changes.
    let old = &before[0];
    let mut edit = body.clone();
    edit["id"] = json!(old.id);
    edit["nomorSk"] = json!("EDIT/1");
    edit["path"] = json!([]);
    let edited: SaveAnswer = session.post_json("/jabatan/save", &edit).await.json().await.unwrap();
    assert_eq!(edited.id(WriteEndpoint::Jabatan), old.id.as_deref());
    let after: Vec<RwJabatan> = data(&session, "rw-jabatan", &nip).await;
    let changed = after.iter().find(|j| j.id == old.id).unwrap();
    assert_eq!(changed.nomor_sk.as_deref(), Some("EDIT/1"));
    assert_eq!(changed.unor_nama, old.unor_nama);

    // A document attached to that record afterwards.
    let attached: UploadAnswer = session
        .upload(
            "/upload-dok-rw",
            &[("id_riwayat", old.id.as_deref().unwrap()), ("id_ref_dokumen", "873")],
            Some(("pelantikan.pdf", PDF)),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(attached.success);
    let after: Vec<RwJabatan> = data(&session, "rw-jabatan", &nip).await;
    let changed = after.iter().find(|j| j.id == old.id).unwrap();
    assert!(changed.path.as_ref().is_some_and(|p| p.contains_key("873")));

    // Family and data utama.
    let had_spouses = sim
        .data()
        .person_by_nip(&nip)
        .unwrap()
        .resource::<DataPasangan>("data-pasangan")
        .map_or(0, |d| d.list_pasangan.len());
    let mut pasangan = super::writes::body(WriteEndpoint::Pasangan);
    pasangan["pnsOrangId"] = json!(person.pns_id);
    assert!(session.post_json("/keluarga/pasangan/save", &pasangan).await.json::<SaveAnswer>().await.unwrap().success);
    let spouses: DataPasangan = data(&session, "data-pasangan", &nip).await;
    assert_eq!(spouses.list_pasangan.len(), had_spouses + 1);
    let added = spouses.list_pasangan.last().unwrap();
    assert_eq!(added.orang.as_ref().and_then(|o| o.nama.clone()).as_deref(), Some("Siti Rahayu"));
    assert_eq!(added.data_pernikahan.as_ref().and_then(|d| d.tggl_menikah.clone()).as_deref(), Some("12-12-2012"));

    let mut anak = super::writes::body(WriteEndpoint::Anak);
    anak["pnsOrangId"] = json!(person.pns_id);
    assert!(session.post_json("/keluarga/anak/save", &anak).await.json::<SaveAnswer>().await.unwrap().success);
    let children: DataAnak = data(&session, "data-anak", &nip).await;
    assert!(children.list_anak.iter().any(|a| a.nama.as_deref() == Some("Rizky Saputra")));

    let mut update = super::writes::body(WriteEndpoint::DataUtama);
    update["pns_orang_id"] = json!(person.pns_id);
    assert!(session.post_json("/pns/data-utama-update", &update).await.json::<SaveAnswer>().await.unwrap().success);
    let du: DataUtama = data(&session, "data-utama", &nip).await;
    assert_eq!(du.email.as_deref(), Some("budi@example.go.id"));
    assert_eq!(du.no_hp.as_deref(), Some("081234567890"));
}

#[tokio::test]
async fn a_record_changed_in_siasn_is_read_changed() {
    let sim = Simulator::start(SimConfig::default().with_people(INSTANSI, 2, 9)).await.unwrap();
    let session = Session::login(&sim).await;
    let nip = sim.data().nips_of(INSTANSI).remove(0);
    let changed = sim.data().update_person(&nip, |p| {
        let mut du = p.data_utama();
        du.jabatan_nama = Some("Analis Kebijakan Ahli Muda".into());
        p.set_resource("data-utama", &du);
    });
    assert!(changed);
    let du: DataUtama = data(&session, "data-utama", &nip).await;
    assert_eq!(du.jabatan_nama.as_deref(), Some("Analis Kebijakan Ahli Muda"));
    assert!(!sim.data().update_person("199901012020121001", |_| {}));
}

#[tokio::test]
async fn the_agency_nip_list_stands_for_siasn_export() {
    let sim = Simulator::start(SimConfig::default().with_people(INSTANSI, 3, 2)).await.unwrap();
    let response = http().get(sim.instansi_csv_url(INSTANSI)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "nip_baru,pns_id,nama");
    let nips: Vec<String> = lines[1..].iter().map(|l| l.split(',').next().unwrap().to_owned()).collect();
    assert_eq!(nips, sim.data().nips_of(INSTANSI));
    let other = http().get(sim.instansi_csv_url("A5EB03E23B74F6A0E040640A040252AD")).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn people_from_our_model_read_through_to_siasn() {
    use mysapk_model::history::samples::sample;
    use mysapk_model::history::{HistoryKind, HistoryRecord};
    use mysapk_model::record::Profile;

    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let session = Session::login(&sim).await;
    let born = chrono::NaiveDate::from_ymd_opt(1985, 3, 10).unwrap();
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
    let profile: Profile = serde_json::from_value(json!({
        "nip": "198503102010011002", "nama": "Budi", "gelar_depan": null, "gelar_belakang": "S.AP.",
        "tempat_lahir": "Bandung", "tanggal_lahir": "1985-03-10", "jenis_kelamin": "M",
        "instansi_id": INSTANSI, "instansi_nama": "Kementerian Dalam Negeri",
        "unor_nama": "Bagian Kepegawaian", "golongan_id": "34", "jabatan_nama": "Analis",
        "owner": {"alamat": null, "no_hp": null, "email": null}, "last_usulan_id": null,
        "siasn_pns_id": "A8ACA7CD3C7F3912E040640A040269BB"
    }))
    .unwrap();
    sim.data().add_from_model(&profile, &history, &NoNames);
    let du: DataUtama = data(&session, "data-utama", "198503102010011002").await;
    assert_eq!(du.id.as_deref(), Some("A8ACA7CD3C7F3912E040640A040269BB"));
    let jabatan: Vec<RwJabatan> = data(&session, "rw-jabatan", "198503102010011002").await;
    assert!(!jabatan.is_empty());
}

#[tokio::test]
async fn the_data_file_keeps_people_records_and_uploads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("siasn.json");
    let config = SimConfig { data_file: Some(file.clone()), ..SimConfig::default().with_people(INSTANSI, 2, 3) };
    let sim = Simulator::start(config.clone()).await.unwrap();
    let session = Session::login(&sim).await;
    let pns_id = sim.data().people()[0].pns_id.clone();
    let mut body = super::writes::body(WriteEndpoint::Diklat);
    body["pnsOrangId"] = json!(pns_id);
    let saved: SaveAnswer = session.post_json("/diklat/save", &body).await.json().await.unwrap();
    let id = saved.id(WriteEndpoint::Diklat).unwrap().to_owned();
    session.upload("/upload-dok-rw", &[("id_riwayat", &id), ("id_ref_dokumen", "874")], Some(("s.pdf", PDF))).await;
    sim.save_data().unwrap();
    let people = sim.data().people();
    sim.stop().await;

    // Restarted from the file: its people, not freshly generated ones that would drop the saved record.
    let again = Simulator::start(config).await.unwrap();
    assert_eq!(again.data().people(), people);
    let riwayat = again.data().riwayat(&id).expect("kept riwayat");
    assert!(riwayat.documents.contains_key("874"));
    assert_eq!(again.data().uploads().len(), 1);
}

/// The generated career records (PMK, leave, transfer, old SKP) are served to someone of a small agency, and
/// each maps to our model.
#[tokio::test]
async fn generated_career_records_are_served_and_map() {
    use mysapk_model::siasn::import::{cltn, masa_kerja, pindah_instansi, skp_lama};
    use mysapk_model::siasn::read::{RwCltn, RwMasakerja, RwPindahinstansi, RwSkp};
    let sim = Simulator::start(SimConfig::default().with_people(INSTANSI, 12, 42)).await.unwrap();
    let session = Session::login(&sim).await;
    let mut served = std::collections::BTreeMap::<&str, usize>::new();
    for nip in sim.data().nips_of(INSTANSI) {
        for resource in ["rw-masakerja", "rw-cltn", "rw-pindahinstansi", "rw-skp"] {
            let (status, body) = read(&session, resource, &nip).await;
            if status == StatusCode::NOT_FOUND {
                continue;
            }
            let list = body["data"].clone();
            let mapped: Vec<_> = match resource {
                "rw-masakerja" => {
                    serde_json::from_value::<Vec<RwMasakerja>>(list).unwrap().iter().map(masa_kerja).collect()
                }
                "rw-cltn" => serde_json::from_value::<Vec<RwCltn>>(list).unwrap().iter().map(cltn).collect(),
                "rw-pindahinstansi" => {
                    serde_json::from_value::<Vec<RwPindahinstansi>>(list).unwrap().iter().map(pindah_instansi).collect()
                }
                _ => serde_json::from_value::<Vec<RwSkp>>(list).unwrap().iter().map(skp_lama).collect(),
            };
            assert!(mapped.iter().all(|m| m.as_ref().is_ok_and(|m| is_riwayat_id(&m.siasn_id))), "{mapped:?}");
            *served.entry(resource).or_default() += mapped.len();
        }
    }
    assert_eq!(served.len(), 4, "every career resource served to someone: {served:?}");
}
