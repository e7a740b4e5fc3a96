//! Uploads: stored bytes, the answer a save then references, attachment to a riwayat, download.

use mysapk_model::siasn::write::{DokumenPath, SaveAnswer, UploadAnswer, WriteEndpoint};
use mysapk_siasn_sim::SimConfig;
use reqwest::StatusCode;
use serde_json::json;

use super::*;

#[tokio::test]
async fn upload_then_save_referencing_it() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;
    let response = session.upload("/upload-dok", &[("id_ref_dokumen", "872")], Some(("SK Jabatan.pdf", PDF))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: UploadAnswer = response.json().await.unwrap();
    assert!(answer.success);
    let dok = answer.data.expect("data");
    assert_eq!(dok.dok_id, "872");
    assert_eq!(dok.dok_nama, "Dok SK Jabatan");
    assert_eq!(dok.slug, "872");
    assert_eq!(dok.object, dok.dok_uri);
    assert!(dok.dok_uri.starts_with("peremajaan/usulan/"), "{}", dok.dok_uri);
    assert!(dok.dok_uri.ends_with("_sk-jabatan.pdf"), "{}", dok.dok_uri);

    let stored = sim.data().upload(&dok.dok_uri).expect("stored");
    assert_eq!(stored.bytes, PDF);
    assert_eq!(stored.file_name, "SK Jabatan.pdf");

    let downloaded = session.get(&format!("/download-dok?filePath={}", dok.dok_uri)).await;
    assert_eq!(downloaded.status(), StatusCode::OK);
    assert_eq!(downloaded.bytes().await.unwrap().as_ref(), PDF);

    let mut jabatan = super::writes::body(WriteEndpoint::Jabatan);
    jabatan["path"] = json!([dok]);
    let saved: SaveAnswer = session.post_json("/jabatan/save", &jabatan).await.json().await.unwrap();
    let riwayat = sim.data().riwayat(saved.id(WriteEndpoint::Jabatan).unwrap()).unwrap();
    assert_eq!(riwayat.documents.get("872"), Some(&dok));
}

#[tokio::test]
async fn upload_dok_rw_attaches_to_the_riwayat() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;
    let saved: SaveAnswer =
        session.post_json("/diklat/save", &super::writes::body(WriteEndpoint::Diklat)).await.json().await.unwrap();
    let id = saved.id(WriteEndpoint::Diklat).unwrap().to_owned();

    let response = session
        .upload("/upload-dok-rw", &[("id_riwayat", &id), ("id_ref_dokumen", "874")], Some(("sertifikat.pdf", PDF)))
        .await;
    let answer: UploadAnswer = response.json().await.unwrap();
    assert!(answer.success);
    let dok: DokumenPath = answer.data.unwrap();
    assert_eq!(dok.dok_nama, "Dok Sertifikat Diklat");
    assert_eq!(sim.data().riwayat(&id).unwrap().documents.get("874"), Some(&dok));
    assert_eq!(sim.data().upload(&dok.dok_uri).unwrap().id_riwayat.as_deref(), Some(id.as_str()));

    let answer: UploadAnswer = session
        .upload("/upload-dok-rw", &[("id_riwayat", "ffff"), ("id_ref_dokumen", "874")], Some(("x.pdf", PDF)))
        .await
        .json()
        .await
        .unwrap();
    assert!(!answer.success);
    assert_eq!(sim.data().uploads().len(), 1);
}

#[tokio::test]
async fn an_upload_without_its_fields_is_a_bad_request() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;
    let (status, _) = json(session.upload("/upload-dok", &[("id_ref_dokumen", "872")], None).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = json(session.upload("/upload-dok", &[], Some(("a.pdf", PDF))).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) =
        json(session.upload("/upload-dok-rw", &[("id_ref_dokumen", "874")], Some(("a.pdf", PDF))).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(sim.data().uploads().is_empty());
}
