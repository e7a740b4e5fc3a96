//! Every write endpoint: stored, answered with `mapData`, edited by id, refused when SIASN would.

use mysapk_model::siasn::write::{SaveAnswer, WriteBody, WriteEndpoint};
use mysapk_siasn_sim::{SaveOutcome, SimConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;

/// A valid body of each endpoint for the test person.
pub fn body(endpoint: WriteEndpoint) -> Value {
    match endpoint {
        WriteEndpoint::Jabatan => json!({
            "eselonId": "", "instansiId": INSTANSI, "jabatanFungsionalId": "8ae483a57429a8f901744d445d8f2dcc",
            "jabatanFungsionalUmumId": "", "jenisJabatan": "2", "nomorSk": "800/12/2024", "path": [],
            "pnsId": PNS_ID, "satuanKerjaId": INSTANSI, "tanggalSk": "02-01-2024", "tmtJabatan": "01-02-2024",
            "tmtPelantikan": "05-02-2024", "unorId": "8ae483a6a3c4f3d2014a6b2c7d3e0011"
        }),
        WriteEndpoint::Skp22 => json!({
            "hasilKinerjaNilai": 2, "kuadranKinerjaNilai": 3, "path": [], "penilaiGolongan": "34",
            "penilaiJabatan": "Kepala Bagian", "penilaiNama": "Agus Wijaya", "penilaiNipNrp": "197501012000031001",
            "penilaiUnorNama": "Bagian Umum", "perilakuKerjaNilai": 2, "pnsDinilaiOrang": PNS_ID,
            "statusPenilai": "ASN", "tahun": 2023
        }),
        WriteEndpoint::Diklat => json!({
            "bobot": 0, "institusiPenyelenggara": "LAN", "jenisKompetensi": "", "jumlahJam": 120,
            "latihanStrukturalId": "3", "nomor": "DIK/2023/1", "path": [], "pnsOrangId": PNS_ID, "tahun": 2023,
            "tanggal": "01-03-2023", "tanggalSelesai": "30-03-2023"
        }),
        WriteEndpoint::Kursus => json!({
            "instansiId": INSTANSI, "institusiPenyelenggara": "BPSDM", "jenisDiklatId": "2", "jenisKursus": "",
            "jenisKursusSertipikat": "T", "jumlahJam": 32, "lokasiId": "", "namaKursus": "Pelatihan Arsip",
            "nomorSertipikat": "SERT-1", "path": [], "pnsOrangId": PNS_ID, "tahunKursus": 2022,
            "tanggalKursus": "10-05-2022", "tanggalSelesaiKursus": "14-05-2022"
        }),
        WriteEndpoint::Penghargaan => json!({
            "hargaId": "201", "path": [], "pnsOrangId": PNS_ID, "skDate": "17-08-2020", "skNomor": "KEP/1/2020",
            "tahun": 2020
        }),
        WriteEndpoint::AngkaKredit => json!({
            "bulanMulaiPenailan": "1", "bulanSelesaiPenailan": "12", "isAngkaKreditPertama": "0",
            "isIntegrasi": "0", "isKonversi": "1", "kreditBaruTotal": "37.5", "kreditPenunjangBaru": "0",
            "kreditUtamaBaru": "37.5", "nomorSk": "PAK/2023/9", "path": [], "pnsId": PNS_ID,
            "rwJabatanId": "", "tahunMulaiPenailan": "2023", "tahunSelesaiPenailan": "2023", "tanggalSk": "15-01-2024"
        }),
        WriteEndpoint::DataUtama => {
            json!({"pns_orang_id": PNS_ID, "email": "budi@example.go.id", "nomor_hp": "081234567890"})
        }
        WriteEndpoint::Pasangan => json!({
            "pnsOrangId": PNS_ID, "jenisIdentitas": "1", "nomorIdentitas": "3273015001880002", "pasanganKe": "1",
            "nama": "Siti Rahayu", "tglLahir": "10-01-1988", "agamaId": "1", "statusHidup": "1",
            "statusPernikahan": "2", "noAktaMenikah": "AN/12/2012", "tglAktaMenikah": "12-12-2012",
            "tglMeninggal": "", "noAktaMeninggal": "", "alamat": "", "email": "", "noHp": "",
            "statusPekerjaanPasangan": "Non PNS"
        }),
        WriteEndpoint::Anak => json!({
            "pnsOrangId": PNS_ID, "pasanganId": "8ae483c5aa0011220133445566778899", "nama": "Rizky Saputra",
            "jenisKelamin": "M", "jenisAnakId": "1", "isPns": "0", "agamaId": "1", "tglLahir": "03-04-2014",
            "statusHidup": "1", "tglMeninggal": "", "aktaMeninggal": "", "nomorHp": "", "nomorTelpon": "",
            "jenisIdDokumenId": "", "nomorIdDocument": "", "aktaKelahiran": "AL/1/2014", "jenisKawinId": "",
            "email": "", "alamat": ""
        }),
    }
}

async fn save(session: &Session, endpoint: WriteEndpoint, body: &Value) -> SaveAnswer {
    let response = session.post_json(endpoint.path(), body).await;
    assert_eq!(response.status(), StatusCode::OK, "{}", endpoint.path());
    response.json().await.expect("save answer")
}

#[tokio::test]
async fn every_endpoint_stores_and_answers_its_id() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;
    for endpoint in WriteEndpoint::ALL {
        let sent = body(endpoint);
        let answer = save(&session, endpoint, &sent).await;
        assert!(answer.success, "{endpoint:?}: {}", answer.message);
        let saved = sim.data().saves_to(endpoint);
        assert_eq!(saved.len(), 1, "{endpoint:?}");
        assert_eq!(saved[0].body, WriteBody::from_json(endpoint, sent.to_string().as_bytes()).unwrap());
        match endpoint.map_data_key() {
            Some(key) => {
                let id = answer.id(endpoint).unwrap_or_else(|| panic!("{endpoint:?}: mapData.{key}"));
                assert_eq!(id.len(), 32);
                assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
                let stored = sim.data().riwayat(id).expect("stored riwayat");
                assert_eq!(stored.pns_id, PNS_ID);
                assert_eq!(stored.body, saved[0].body);
            }
            None => assert!(answer.map_data.is_none(), "{endpoint:?}: no id in the sources"),
        }
    }
    let person = sim.data().person_by_nip(NIP).unwrap();
    assert_eq!(person.data_utama_updates.get("email").map(String::as_str), Some("budi@example.go.id"));
    assert_eq!(person.data_utama_updates.get("nomor_hp").map(String::as_str), Some("081234567890"));
    assert_eq!(sim.data().riwayat_of(PNS_ID).len(), 8, "six riwayat and two family members");
    assert_eq!(sim.data().request_count("/apisiasn/1.0/jabatan/save"), 1);
}

#[tokio::test]
async fn a_save_with_an_id_edits_that_riwayat() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;
    let first = save(&session, WriteEndpoint::Jabatan, &body(WriteEndpoint::Jabatan)).await;
    let id = first.id(WriteEndpoint::Jabatan).unwrap().to_owned();

    let mut edit = body(WriteEndpoint::Jabatan);
    edit["id"] = json!(id);
    edit["nomorSk"] = json!("800/13/2024");
    let second = save(&session, WriteEndpoint::Jabatan, &edit).await;
    assert_eq!(second.id(WriteEndpoint::Jabatan), Some(id.as_str()));
    let WriteBody::Jabatan(stored) = sim.data().riwayat(&id).unwrap().body else { panic!("a jabatan") };
    assert_eq!(stored.nomor_sk, "800/13/2024");
    assert_eq!(sim.data().riwayat_of(PNS_ID).len(), 1);
    let events = sim.data().saves_to(WriteEndpoint::Jabatan);
    assert_eq!(events[1].outcome, SaveOutcome::Accepted { riwayat_id: Some(id), edit: true });

    edit["id"] = json!("00000000000000000000000000000000");
    let unknown = save(&session, WriteEndpoint::Jabatan, &edit).await;
    assert!(!unknown.success);
    assert_eq!(unknown.message, "Data riwayat tidak ditemukan");
}

#[tokio::test]
async fn saves_siasn_would_refuse_are_refused() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;

    let mut stranger = body(WriteEndpoint::Diklat);
    stranger["pnsOrangId"] = json!("ffffffffffffffffffffffffffffffff");
    let answer = save(&session, WriteEndpoint::Diklat, &stranger).await;
    assert!(!answer.success);
    assert_eq!(answer.message, "Data PNS tidak ditemukan");

    let mut iso = body(WriteEndpoint::Diklat);
    iso["tanggal"] = json!("2023-03-01");
    let answer = save(&session, WriteEndpoint::Diklat, &iso).await;
    assert!(!answer.success);
    assert!(answer.message.contains("tanggal"), "{}", answer.message);
    assert!(sim.data().riwayat_of(PNS_ID).is_empty());
    assert_eq!(sim.data().saves_to(WriteEndpoint::Diklat).len(), 2);

    // A body SIASN cannot read at all: the back end's 400 `{message}`.
    let mut typed = body(WriteEndpoint::Diklat);
    typed["tahun"] = json!("2023");
    let (status, body) = json(session.post_json("/diklat/save", &typed).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}
