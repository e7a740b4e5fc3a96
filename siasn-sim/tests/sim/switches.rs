//! The switches tests flip: SIASN down, saves refused.

use mysapk_model::siasn::write::{SaveAnswer, WriteEndpoint};
use mysapk_siasn_sim::{Outage, SimConfig};
use reqwest::StatusCode;

use super::*;

#[tokio::test]
async fn down_answers_the_gateway_faults_until_up_again() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;
    let body = super::writes::body(WriteEndpoint::Penghargaan);

    sim.data().set_outage(Some(Outage::Unavailable));
    let (status, answer) = json(session.post_json("/penghargaan/save", &body).await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer["message"], "Runtime Error");
    assert_eq!(answer["code"], "101503");

    sim.data().set_outage(Some(Outage::Suspended));
    let (status, answer) = json(session.post_json("/penghargaan/save", &body).await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(answer["description"].as_str().unwrap().contains("SUSPENDED"));

    sim.data().set_outage(Some(Outage::BadGateway));
    let response = session.post_json("/penghargaan/save", &body).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(response.text().await.unwrap().contains("502 Bad Gateway"));
    assert!(sim.data().saves().is_empty(), "nothing reached the back end");

    sim.data().set_outage(None);
    let answer: SaveAnswer = session.post_json("/penghargaan/save", &body).await.json().await.unwrap();
    assert!(answer.success);
    // Tokens are still issued while the back end is down: the token endpoints are the gateway's.
    sim.data().set_outage(Some(Outage::Unavailable));
    assert_eq!(apim_token(&sim, SimConfig::TEST_APIM_KEY, SimConfig::TEST_APIM_SECRET).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn refused_saves_carry_siasn_message_and_store_nothing() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;
    let message = "Nomor SK sudah digunakan";
    sim.data().refuse_saves(Some(message));
    for endpoint in WriteEndpoint::ALL {
        let answer: SaveAnswer =
            session.post_json(endpoint.path(), &super::writes::body(endpoint)).await.json().await.unwrap();
        assert!(!answer.success, "{endpoint:?}");
        assert_eq!(answer.message, message);
        assert_eq!(answer.map_data, None);
    }
    assert!(sim.data().riwayat_of(PNS_ID).is_empty());
    assert!(sim.data().person_by_nip(NIP).unwrap().data_utama_updates.is_empty());
    assert!(sim.data().saves().iter().all(|s| !s.accepted()));

    sim.data().refuse_saves(None);
    let answer: SaveAnswer =
        session.post_json("/kursus/save", &super::writes::body(WriteEndpoint::Kursus)).await.json().await.unwrap();
    assert!(answer.success);
}

#[tokio::test]
async fn an_unknown_api_path_is_wso2s_no_matching_resource() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;
    let (status, body) = json(session.get("/no/such/resource").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "900906");
}

#[tokio::test]
async fn a_lost_answer_still_stores_the_save() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;
    sim.data().lose_answers(1);
    let (status, body) =
        json(session.post_json("/diklat/save", &super::writes::body(WriteEndpoint::Diklat)).await).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(body["code"], "101504");
    let stored = sim.data().riwayat_of(PNS_ID);
    assert_eq!(stored.len(), 1, "SIASN did the work");

    // Only that one: the next save is answered.
    let answer: SaveAnswer =
        session.post_json("/diklat/save", &super::writes::body(WriteEndpoint::Diklat)).await.json().await.unwrap();
    assert!(answer.success);
    assert_eq!(sim.data().riwayat_of(PNS_ID).len(), 2);
}
