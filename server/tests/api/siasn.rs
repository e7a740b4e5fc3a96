//! The read-only SIASN facade: SIASN's documented field names on every resource, dd-mm-yyyy dates, SIASN ids,
//! the envelopes (found, not found), the photo, and access by NIP and agency.

use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::record::Profile;
use mysapk_model::siasn::read::{ANAK_FIELDS, DATA_PERNIKAHAN_FIELDS, ORANG_FIELDS};
use mysapk_model::siasn::to_siasn::coverage;
use mysapk_model::siasn::{
    is_pns_id, is_riwayat_id, parse_siasn_date, siasn_date, Shape, EMPTY_DATE, NOT_FOUND_TEXT, RESOURCES,
};
use mysapk_model::sync::Change;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::backend_tests;
use crate::fixtures::histories;
use crate::support::{Ctx, ADMIN_A, APPROVER_A, BUDI, DEWI_B, SITI, VERIFIKATOR_A};

backend_tests!(
    every_resource_has_the_documented_shape,
    own_record_matches_sync,
    access_and_not_found,
    photo_and_routes
);

async fn ok_data(ctx: &Ctx, path: &str, token: &str) -> Value {
    let (status, body) = ctx.get(path, Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    assert_eq!(body["code"], 1, "{path}: {body}");
    assert_eq!(body.as_object().map(|o| o.len()), Some(2), "{path}: only code and data: {body}");
    body["data"].clone()
}

fn assert_not_found(status: StatusCode, body: &Value, what: &str) {
    assert_eq!(status, StatusCode::NOT_FOUND, "{what}: {body}");
    assert_eq!(*body, json!({"code": 0, "data": NOT_FOUND_TEXT}), "{what}");
}

async fn profile_and_records(ctx: &Ctx, token: &str) -> (Profile, Vec<HistoryRecord>) {
    let (_, changes) = ctx.pull_all(token, "").await;
    let profile = changes
        .iter()
        .find_map(|c| match c {
            Change::Profile { profile } => Some(profile.clone()),
            _ => None,
        })
        .expect("profile");
    (profile, histories(&changes))
}

fn sorted_keys(v: &Value, what: &str) -> Vec<String> {
    let mut keys: Vec<String> =
        v.as_object().unwrap_or_else(|| panic!("{what}: not an object: {v}")).keys().cloned().collect();
    keys.sort_unstable();
    keys
}

fn sorted(fields: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
    out.sort_unstable();
    out
}

/// Every field named like a date (`tgl…`, `tmt…`, `tanggal…`, `…Tanggal`, `tggl…`) is `dd-mm-yyyy`, `""`,
/// `"01-01-0001"` or `null`, in `v` and its nested objects.
fn assert_dates(v: &Value, what: &str) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| assert_dates(i, what)),
        Value::Object(map) => {
            for (k, value) in map {
                let datey =
                    ["tgl", "tmt", "tanggal", "tggl"].iter().any(|p| k.starts_with(p)) || k.ends_with("Tanggal");
                match value {
                    Value::String(s) if datey && !k.ends_with("Id") => assert!(
                        s.is_empty() || s == EMPTY_DATE || parse_siasn_date(s).is_some_and(|d| siasn_date(d) == *s),
                        "{what}.{k} = {s:?}"
                    ),
                    Value::Object(_) | Value::Array(_) => assert_dates(value, &format!("{what}.{k}")),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

async fn every_resource_has_the_documented_shape(ctx: Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let dewi = ctx.token(DEWI_B).await;
    // The demo's people together hold every category: each resource is read for the first who has it.
    let people = [
        (BUDI, &admin),
        (SITI, &admin),
        (VERIFIKATOR_A, &admin),
        (APPROVER_A, &admin),
        (ADMIN_A, &admin),
        (DEWI_B, &dewi),
    ];
    let mut report = Vec::new();
    for r in RESOURCES.iter().filter(|r| r.shape != Shape::Image) {
        let mut found = None;
        for (nip, token) in people {
            let path = format!("/apisiasn/1.0/pns/{}/{nip}", r.name);
            let (status, body) = ctx.get(&path, Some(token)).await;
            if status == StatusCode::NOT_FOUND {
                assert_not_found(status, &body, &path);
            } else {
                found = Some((path, status, body));
                break;
            }
        }
        let Some((path, status, body)) = found else {
            assert!(!mysapk_server::http::siasn::held(r.name), "{} is held but no demo person has it", r.name);
            report.push(format!("{}: not held", r.name));
            continue;
        };
        assert_eq!((status, &body["code"]), (StatusCode::OK, &json!(1)), "{path}: {body}");
        let data = &body["data"];
        let one = match r.shape {
            Shape::List => {
                let list = data.as_array().unwrap_or_else(|| panic!("{path}: a list: {data}"));
                assert!(!list.is_empty(), "{path}: an empty list is not found");
                for item in list {
                    assert_eq!(sorted_keys(item, r.name), sorted(r.fields), "{}", r.name);
                }
                list[0].clone()
            }
            _ => data.clone(),
        };
        if r.name == "nilaiipasn" {
            // The five documented fields, beside this server's own.
            let keys = sorted_keys(&one, r.name);
            assert!(r.fields.iter().all(|f| keys.iter().any(|k| k == f)), "{keys:?}");
        } else {
            assert_eq!(sorted_keys(&one, r.name), sorted(r.fields), "{}", r.name);
        }
        assert_dates(data, r.name);
        // Counted over the documented fields only (nilaiipasn also has this server's own).
        let documented: Value = match data {
            Value::Object(o) => Value::Object(
                o.iter().filter(|(k, _)| r.fields.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect(),
            ),
            other => other.clone(),
        };
        let (held, all) = coverage(&documented);
        report.push(format!("{}: {held}/{all}", r.name));
    }
    // The family's nested shapes, for everyone who has them.
    for (nip, token) in people {
        let pasangan = ok_data(&ctx, &format!("/apisiasn/1.0/pns/data-pasangan/{nip}"), token).await;
        for p in pasangan["listPasangan"].as_array().expect("listPasangan") {
            assert_eq!(sorted_keys(&p["orang"], "orang"), sorted(ORANG_FIELDS));
            assert_eq!(sorted_keys(&p["dataPernikahan"], "dataPernikahan"), sorted(DATA_PERNIKAHAN_FIELDS));
            assert_eq!(p["orang"]["id"], p["dataPernikahan"]["orangId"]);
        }
        let ortu = ok_data(&ctx, &format!("/apisiasn/1.0/pns/data-ortu/{nip}"), token).await;
        for parent in ["ayah", "ibu"] {
            if !ortu[parent].is_null() {
                assert_eq!(sorted_keys(&ortu[parent], parent), sorted(ORANG_FIELDS));
            }
        }
        let (status, anak) = ctx.get(&format!("/apisiasn/1.0/pns/data-anak/{nip}"), Some(token)).await;
        if status == StatusCode::OK {
            for a in anak["data"]["listAnak"].as_array().expect("listAnak") {
                assert_eq!(sorted_keys(a, "anak"), sorted(ANAK_FIELDS));
                assert!(["1", "2", "3"].contains(&a["jenisAnak"].as_str().unwrap_or_default()), "{a}");
            }
        }
    }
    // Shown with `--nocapture`: the figures of server/README.md.
    println!("SIASN facade coverage (fields holding a value / documented fields):\n{}", report.join("\n"));
}

async fn own_record_matches_sync(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let (profile, records) = profile_and_records(&ctx, &token).await;
    let pns_id = profile.siasn_pns_id.clone().expect("the demo's people have SIASN ids");
    assert!(is_pns_id(&pns_id), "{pns_id}");

    let du = ok_data(&ctx, &format!("/apisiasn/1.0/pns/data-utama/{BUDI}"), &token).await;
    assert_eq!(du["id"], pns_id.as_str());
    assert_eq!(du["nipBaru"], BUDI);
    assert_eq!(du["nama"], profile.nama.as_str());
    assert_eq!(du["tglLahir"], siasn_date(profile.tanggal_lahir));
    assert_eq!(du["tglLahir"], "01-01-1990");
    assert_eq!(du["jenisKelamin"], profile.jenis_kelamin.as_str());
    assert_eq!(du["golRuangAkhirId"].as_str(), profile.golongan_id.as_deref());
    // Rank and golongan apart, as SIASN has them ("III/b", "Penata Muda Tingkat I").
    let gol = du["golRuangAkhir"].as_str().expect("golRuangAkhir");
    let pangkat = du["pangkatAkhir"].as_str().expect("pangkatAkhir");
    assert!(gol.contains('/') && !gol.contains('(') && !pangkat.is_empty(), "{gol} / {pangkat}");
    assert_eq!(du["jabatanNama"].as_str(), profile.jabatan_nama.as_deref());
    assert_eq!(du["unorNama"], profile.unor_nama.as_str());
    assert_eq!(du["unorId"].as_str(), profile.unor_id.as_deref());
    assert_eq!(du["instansiIndukId"], profile.instansi_id.as_str());
    let cpns = records
        .iter()
        .find_map(|r| match &r.data {
            HistoryData::CpnsPns(c) => Some(c.clone()),
            _ => None,
        })
        .expect("cpns record");
    assert_eq!(du["tmtCpns"], siasn_date(cpns.tmt_cpns));
    let tmt = records
        .iter()
        .filter_map(|r| match &r.data {
            HistoryData::Golongan(g) if Some(&g.golongan_id) == profile.golongan_id.as_ref() => Some(g.tmt_golongan),
            _ => None,
        })
        .max()
        .expect("current golongan record");
    assert_eq!(du["tmtGolAkhir"], siasn_date(tmt));

    // rw-jabatan: each record by its SIASN id, with SIASN's names for our fields.
    let rw = ok_data(&ctx, &format!("/apisiasn/1.0/pns/rw-jabatan/{BUDI}"), &token).await;
    let rw = rw.as_array().expect("list");
    let jabatan: Vec<&HistoryRecord> = records.iter().filter(|r| r.data.kind() == HistoryKind::Jabatan).collect();
    assert_eq!(rw.len(), jabatan.len());
    for r in jabatan {
        let siasn_id = r.siasn_id.as_deref().expect("a seeded record has its SIASN id");
        assert!(is_riwayat_id(siasn_id), "{siasn_id}");
        let item = rw.iter().find(|i| i["id"] == siasn_id).unwrap_or_else(|| panic!("{siasn_id} in {rw:?}"));
        let HistoryData::Jabatan(j) = &r.data else { unreachable!() };
        assert_eq!(item["idPns"], pns_id.as_str());
        assert_eq!(item["jenisJabatan"], j.jenis_jabatan_id.as_str());
        assert_eq!(item["namaJabatan"], j.jabatan_nama.as_str());
        assert_eq!(item["unorNama"], j.unor_nama.as_str());
        assert_eq!(item["unorId"].as_str(), j.unor_id.as_deref());
        assert_eq!(item["tmtJabatan"], siasn_date(j.tmt_jabatan));
        assert_eq!(item["nomorSk"], j.sk_nomor.as_str());
        assert_eq!(item["tanggalSk"], siasn_date(j.sk_tanggal));
        let own_name = match j.jenis_jabatan_id.as_str() {
            "2" => "jabatanFungsionalNama",
            "4" => "jabatanFungsionalUmumNama",
            _ => "namaJabatan",
        };
        assert_eq!(item[own_name], j.jabatan_nama.as_str());
    }
    // The other lists hold the same records as the sync feed, oldest first.
    for (resource, kind) in [
        ("rw-golongan", HistoryKind::Golongan),
        ("rw-pendidikan", HistoryKind::Pendidikan),
        ("rw-diklat", HistoryKind::Diklat),
        ("rw-skp22", HistoryKind::Skp),
    ] {
        let want = records.iter().filter(|r| r.data.kind() == kind).count();
        let (status, body) = ctx.get(&format!("/apisiasn/1.0/pns/{resource}/{BUDI}"), Some(&token)).await;
        if want == 0 {
            assert_not_found(status, &body, resource);
        } else {
            assert_eq!(body["data"].as_array().map(Vec::len), Some(want), "{resource}: {body}");
        }
    }
    // A reviewer of the same agency reads the same record.
    let verifikator = ctx.token(VERIFIKATOR_A).await;
    let same = ok_data(&ctx, &format!("/apisiasn/1.0/pns/data-utama/{BUDI}"), &verifikator).await;
    assert_eq!(same, du);
}

async fn access_and_not_found(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let admin = ctx.token(ADMIN_A).await;
    // Another agency: not found for the ASN and for the admin of agency A.
    for token in [&budi, &admin] {
        for resource in ["data-utama", "rw-jabatan", "data-pasangan", "nilaiipasn"] {
            let (status, body) = ctx.get(&format!("/apisiasn/1.0/pns/{resource}/{DEWI_B}"), Some(token)).await;
            assert_not_found(status, &body, resource);
        }
    }
    // A plain ASN cannot read a colleague of the same agency; the admin can.
    let (status, body) = ctx.get(&format!("/apisiasn/1.0/pns/data-utama/{SITI}"), Some(&budi)).await;
    assert_not_found(status, &body, "colleague");
    let siti = ok_data(&ctx, &format!("/apisiasn/1.0/pns/data-utama/{SITI}"), &admin).await;
    assert_eq!(siti["nipBaru"], SITI);
    // Unknown NIP or resource, and what the record does not hold: not found; no token: 401.
    let (status, body) = ctx.get("/apisiasn/1.0/pns/data-utama/199001012015031999", Some(&admin)).await;
    assert_not_found(status, &body, "unknown NIP");
    for resource in ["rw-nothing", "rw-dp3", "rw-pwk", "rw-tubel"] {
        let (status, body) = ctx.get(&format!("/apisiasn/1.0/pns/{resource}/{BUDI}"), Some(&budi)).await;
        assert_not_found(status, &body, resource);
    }
    let (status, _) = ctx.get(&format!("/apisiasn/1.0/pns/data-utama/{BUDI}"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Dewi reads her own record.
    let dewi = ctx.token(DEWI_B).await;
    let own = ok_data(&ctx, &format!("/apisiasn/1.0/pns/data-utama/{DEWI_B}"), &dewi).await;
    assert_eq!(own["nipBaru"], DEWI_B);
}

/// The photo's status, content type, `Content-Length` headers (joined) and body.
async fn photo(ctx: &Ctx, key: &str, token: &str) -> (StatusCode, Option<String>, Option<String>, Vec<u8>) {
    let resp = ctx
        .http
        .get(ctx.url(&format!("/apisiasn/1.0/pns/photo/{key}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    let status = resp.status();
    let content_type =
        resp.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let lengths: Vec<&str> =
        resp.headers().get_all(reqwest::header::CONTENT_LENGTH).iter().filter_map(|v| v.to_str().ok()).collect();
    let content_length = (!lengths.is_empty()).then(|| lengths.join(","));
    (status, content_type, content_length, resp.bytes().await.expect("body").to_vec())
}

async fn photo_and_routes(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let admin = ctx.token(ADMIN_A).await;
    let (profile, _) = profile_and_records(&ctx, &budi).await;
    let pns_id = profile.siasn_pns_id.expect("SIASN id");
    // By the PNS id, as SIASN: the server holds no photo, so SIASN's answer for none, an empty 200, not JSON.
    for token in [&budi, &admin] {
        let (status, content_type, content_length, body) = photo(&ctx, &pns_id, token).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.is_empty(), "{} bytes", body.len());
        assert_eq!(content_length.as_deref(), Some("0"), "one Content-Length: 0");
        assert!(!content_type.as_deref().is_some_and(|c| c.contains("json")), "{content_type:?}");
    }
    // By the NIP of a person SIASN knows, another agency's PNS id, or as a colleague: not found.
    let dewi = ctx.token(DEWI_B).await;
    let dewi_id = profile_and_records(&ctx, &dewi).await.0.siasn_pns_id.expect("SIASN id");
    for (key, token) in [(BUDI, &budi), (dewi_id.as_str(), &admin), (dewi_id.as_str(), &budi)] {
        let (status, content_type, _, body) = photo(&ctx, key, token).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{key}");
        assert!(content_type.is_some_and(|c| c.contains("json")));
        let body: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body, json!({"code": 0, "data": NOT_FOUND_TEXT}));
    }
    let siti = ctx.token(SITI).await;
    let (status, _, _, _) = photo(&ctx, &pns_id, &siti).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Every listed route answers for Budi: found when held and Budi has such a record, else not found.
    let (_, records) = profile_and_records(&ctx, &budi).await;
    let has = |kind: HistoryKind| records.iter().any(|r| r.data.kind() == kind);
    let (status, body) = ctx.get("/apisiasn/1.0/routes", None).await;
    assert_eq!(status, StatusCode::OK);
    let routes = body["data"].as_array().expect("routes").clone();
    assert_eq!(routes.len(), RESOURCES.len());
    let mut held = 0;
    for r in &routes {
        let path = r["path"].as_str().expect("path").replace("{nipBaru}", BUDI).replace("{idPns}", &pns_id);
        let (status, body) = ctx.get(&path, Some(&budi)).await;
        let resource = r["resource"].as_str().expect("resource");
        let answers = match resource {
            "data-utama" | "data-pasangan" | "data-ortu" | "nilaiipasn" => true,
            "data-anak" => has(HistoryKind::Anak),
            "photo" => continue,
            _ => rw_kind(resource).is_some_and(has),
        };
        if r["held"] == true {
            held += 1;
        }
        if answers {
            assert_eq!((status, r["held"].clone()), (StatusCode::OK, json!(true)), "{path}: {body}");
        } else {
            assert_not_found(status, &body, &path);
        }
    }
    assert_eq!(held, 18, "data-utama, the three family resources, 13 rw-* and nilaiipasn");
}

/// The category an `rw-*` resource lists.
fn rw_kind(resource: &str) -> Option<HistoryKind> {
    Some(match resource {
        "rw-golongan" => HistoryKind::Golongan,
        "rw-jabatan" => HistoryKind::Jabatan,
        "rw-pendidikan" => HistoryKind::Pendidikan,
        "rw-angkakredit" => HistoryKind::AngkaKredit,
        "rw-diklat" => HistoryKind::Diklat,
        "rw-kursus" => HistoryKind::Kursus,
        "rw-hukdis" => HistoryKind::HukumanDisiplin,
        "rw-penghargaan" => HistoryKind::Penghargaan,
        "rw-pindahinstansi" => HistoryKind::PindahInstansi,
        "rw-masakerja" => HistoryKind::Pmk,
        "rw-skp" => HistoryKind::SkpLama,
        "rw-skp22" => HistoryKind::Skp,
        "rw-cltn" => HistoryKind::Cltn,
        _ => return None,
    })
}
