//! The read-only SIASN-shaped facade: envelope, field mapping, access by NIP and agency, empty categories.

use mysapk_model::history::{HistoryData, HistoryRecord};
use mysapk_model::sync::Change;
use reqwest::StatusCode;
use serde_json::Value;

use crate::backend_tests;
use crate::fixtures::histories;
use crate::support::{Ctx, ADMIN_A, BUDI, DEWI_B, SITI, VERIFIKATOR_A};

backend_tests!(own_record_matches_sync, other_agency_is_not_found, empty_categories_and_routes);

fn siasn(d: chrono::NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

async fn ok_data(ctx: &Ctx, path: &str, token: &str) -> Value {
    let (status, body) = ctx.get(path, Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    assert_eq!(body["code"], 1, "{path}: {body}");
    body["data"].clone()
}

async fn own_record_matches_sync(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let (_, changes) = ctx.pull_all(&token, "").await;
    let profile = changes
        .iter()
        .find_map(|c| match c {
            Change::Profile { profile } => Some(profile.clone()),
            _ => None,
        })
        .expect("profile");
    let records = histories(&changes);

    let du = ok_data(&ctx, &format!("/apisiasn/1.0/pns/data-utama/{BUDI}"), &token).await;
    assert_eq!(du["nipBaru"], BUDI);
    assert_eq!(du["nama"], profile.nama.as_str());
    assert_eq!(du["gelarBelakang"].as_str(), profile.gelar_belakang.as_deref());
    assert_eq!(du["tglLahir"], siasn(profile.tanggal_lahir));
    assert_eq!(du["tglLahir"], "01-01-1990");
    assert_eq!(du["jenisKelamin"], profile.jenis_kelamin.as_str());
    assert_eq!(du["golRuangAkhirId"].as_str(), profile.golongan_id.as_deref());
    assert_eq!(du["jabatanNama"].as_str(), profile.jabatan_nama.as_deref());
    assert_eq!(du["unorNama"], profile.unor_nama.as_str());
    assert_eq!(du["instansiIndukId"], profile.instansi_id.as_str());
    // tmtGolAkhir: the TMT of the current golongan in the record.
    let tmt = records
        .iter()
        .filter_map(|r| match &r.data {
            HistoryData::Golongan(mysapk_model::history::Golongan { golongan_id, tmt_golongan, .. })
                if Some(golongan_id) == profile.golongan_id.as_ref() =>
            {
                Some(*tmt_golongan)
            }
            _ => None,
        })
        .max()
        .expect("current golongan record");
    assert_eq!(du["tmtGolAkhir"], siasn(tmt));

    let rw = ok_data(&ctx, &format!("/apisiasn/1.0/pns/rw-jabatan/{BUDI}"), &token).await;
    let rw = rw.as_array().expect("list");
    let jabatan: Vec<&HistoryRecord> = records
        .iter()
        .filter(|r| matches!(r.data, HistoryData::Jabatan(mysapk_model::history::Jabatan { .. })))
        .collect();
    assert_eq!(rw.len(), jabatan.len());
    assert!(!rw.is_empty());
    for r in jabatan {
        let item = rw.iter().find(|i| i["id"] == r.id.as_str()).unwrap_or_else(|| panic!("{} in {rw:?}", r.id));
        let HistoryData::Jabatan(mysapk_model::history::Jabatan {
            jenis_jabatan_id,
            jabatan_nama,
            unor_nama,
            tmt_jabatan,
            sk_nomor,
            sk_tanggal,
            ..
        }) = &r.data
        else {
            unreachable!()
        };
        assert_eq!(item["nipBaru"], BUDI);
        assert_eq!(item["jenisJabatan"], jenis_jabatan_id.as_str());
        assert_eq!(item["jabatanNama"], jabatan_nama.as_str());
        assert_eq!(item["unorNama"], unor_nama.as_str());
        assert_eq!(item["tmtJabatan"], siasn(*tmt_jabatan));
        assert_eq!(item["nomorSk"], sk_nomor.as_str());
        assert_eq!(item["tanggalSk"], siasn(*sk_tanggal));
    }
    // Golongan and pendidikan lists hold the same records as the sync feed.
    for (path, count) in [
        (
            "rw-golongan",
            records
                .iter()
                .filter(|r| matches!(r.data, HistoryData::Golongan(mysapk_model::history::Golongan { .. })))
                .count(),
        ),
        (
            "rw-pendidikan",
            records
                .iter()
                .filter(|r| matches!(r.data, HistoryData::Pendidikan(mysapk_model::history::Pendidikan { .. })))
                .count(),
        ),
    ] {
        let list = ok_data(&ctx, &format!("/apisiasn/1.0/pns/{path}/{BUDI}"), &token).await;
        assert_eq!(list.as_array().map(Vec::len), Some(count), "{path}: {list}");
    }
    // A reviewer of the same agency reads the same record.
    let verifikator = ctx.token(VERIFIKATOR_A).await;
    let same = ok_data(&ctx, &format!("/apisiasn/1.0/pns/data-utama/{BUDI}"), &verifikator).await;
    assert_eq!(same, du);
}

async fn other_agency_is_not_found(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let admin = ctx.token(ADMIN_A).await;
    let not_found = |status: StatusCode, body: &Value| {
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], 0, "{body}");
    };
    // Another agency: 404 for the ASN and for the admin of agency A.
    for token in [&budi, &admin] {
        for resource in ["data-utama", "rw-jabatan", "rw-diklat"] {
            let (status, body) = ctx.get(&format!("/apisiasn/1.0/pns/{resource}/{DEWI_B}"), Some(token)).await;
            not_found(status, &body);
        }
    }
    // A plain ASN cannot read a colleague of the same agency; the admin can.
    let (status, body) = ctx.get(&format!("/apisiasn/1.0/pns/data-utama/{SITI}"), Some(&budi)).await;
    not_found(status, &body);
    let siti = ok_data(&ctx, &format!("/apisiasn/1.0/pns/data-utama/{SITI}"), &admin).await;
    assert_eq!(siti["nipBaru"], SITI);
    // Unknown NIP or resource: 404; no token: 401.
    let (status, body) = ctx.get("/apisiasn/1.0/pns/data-utama/199001012015031999", Some(&admin)).await;
    not_found(status, &body);
    let (status, body) = ctx.get(&format!("/apisiasn/1.0/pns/rw-nothing/{BUDI}"), Some(&budi)).await;
    not_found(status, &body);
    let (status, _) = ctx.get(&format!("/apisiasn/1.0/pns/data-utama/{BUDI}"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Dewi reads her own record.
    let dewi = ctx.token(DEWI_B).await;
    let own = ok_data(&ctx, &format!("/apisiasn/1.0/pns/data-utama/{DEWI_B}"), &dewi).await;
    assert_eq!(own["nipBaru"], DEWI_B);
}

async fn empty_categories_and_routes(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    for resource in ["rw-dp3", "rw-pwk"] {
        let data = ok_data(&ctx, &format!("/apisiasn/1.0/pns/{resource}/{BUDI}"), &token).await;
        assert_eq!(data, Value::Array(Vec::new()), "{resource}");
    }
    // The other categories we hold list the same records as the sync feed, fields in camelCase.
    let (_, changes) = ctx.pull_all(&token, "").await;
    let records = histories(&changes);
    for (resource, kind) in [
        ("rw-diklat", mysapk_model::history::HistoryKind::Diklat),
        ("data-anak", mysapk_model::history::HistoryKind::Anak),
        ("rw-skp22", mysapk_model::history::HistoryKind::Skp),
    ] {
        let data = ok_data(&ctx, &format!("/apisiasn/1.0/pns/{resource}/{BUDI}"), &token).await;
        let list = data.as_array().expect("list");
        assert_eq!(list.len(), records.iter().filter(|r| r.data.kind() == kind).count(), "{resource}");
        assert!(list.iter().all(|i| i["nipBaru"] == BUDI && i.get("kind").is_none()), "{resource}: {data}");
    }
    // Every listed route answers for the caller's own NIP.
    let (status, body) = ctx.get("/apisiasn/1.0/routes", None).await;
    assert_eq!(status, StatusCode::OK);
    let routes = body["data"].as_array().expect("routes").clone();
    assert!(routes.len() >= 25, "{}", routes.len());
    let mut held = 0;
    for r in &routes {
        let path = r["path"].as_str().expect("path").replace("{nip}", BUDI);
        let data = ok_data(&ctx, &path, &token).await;
        if r["held"] == true {
            held += 1;
            assert!(!data.is_null(), "{path}: {data}");
        } else {
            assert!(data.is_null() || data == Value::Array(Vec::new()), "{path}: {data}");
        }
    }
    // data utama, golongan, jabatan, pendidikan and the 13 generic categories.
    assert_eq!(held, 18);
}
