//! APIM and SSO tokens: issued, refused, expired.

use std::time::Duration;

use base64::Engine;
use mysapk_siasn_sim::SimConfig;
use reqwest::StatusCode;
use serde_json::Value;

use super::*;

#[tokio::test]
async fn apim_token_for_the_client_credentials_as_form_or_json() {
    let sim = start(SimConfig::default()).await;
    let (status, body) = json(apim_token(&sim, SimConfig::TEST_APIM_KEY, SimConfig::TEST_APIM_SECRET).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["access_token"].as_str().is_some_and(|t| !t.is_empty()));

    // kanekescom/laravel-siasn-api posts the grant as JSON.
    let response = http()
        .post(sim.apim_token_url())
        .basic_auth(SimConfig::TEST_APIM_KEY, Some(SimConfig::TEST_APIM_SECRET))
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn wrong_credentials_are_refused_with_oauth_errors() {
    let sim = start(SimConfig::default()).await;
    let (status, body) = json(apim_token(&sim, SimConfig::TEST_APIM_KEY, "wrong").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");

    let (status, body) =
        json(sso_token(&sim, SimConfig::TEST_SSO_CLIENT_ID, SimConfig::TEST_SSO_USERNAME, "wrong").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "Invalid user credentials");

    let (status, body) =
        json(sso_token(&sim, "other-client", SimConfig::TEST_SSO_USERNAME, SimConfig::TEST_SSO_PASSWORD).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn sso_token_is_a_jwt_with_its_expiry() {
    let sim = start(SimConfig::default()).await;
    let (status, body) = json(
        sso_token(&sim, SimConfig::TEST_SSO_CLIENT_ID, SimConfig::TEST_SSO_USERNAME, SimConfig::TEST_SSO_PASSWORD)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["expires_in"], 43200);
    let token = body["access_token"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).expect("base64url claims"),
    )
    .unwrap();
    let exp = claims["exp"].as_i64().unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!((exp - now - 43200).abs() <= 5, "exp {exp} now {now}");
    assert_eq!(claims["preferred_username"], SimConfig::TEST_SSO_USERNAME);
}

#[tokio::test]
async fn api_calls_need_both_tokens() {
    let sim = start(SimConfig::default()).await;
    let session = Session::login(&sim).await;
    let path = format!("{}/download-dok?filePath=none.pdf", sim.base_url());

    let (status, body) = json(http().get(&path).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "900902");
    assert_eq!(body["message"], "Missing Credentials");

    let (status, body) = json(http().get(&path).bearer_auth("not-a-token").send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "900901");
    assert_eq!(body["message"], "Invalid Credentials");

    let (status, body) = json(http().get(&path).bearer_auth(&session.apim).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["message"], "missing or malformed jwt");

    let (status, body) =
        json(http().get(&path).bearer_auth(&session.apim).header("Auth", "bearer x.y.z").send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["message"], "invalid or expired jwt");

    // Both: the call reaches the back end, which answers SIASN's "not found".
    let (status, body) = json(session.get("/download-dok?filePath=none.pdf").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, serde_json::json!({"code": 0, "data": "Data tidak ditemukan"}));
}

#[tokio::test]
async fn expired_tokens_are_refused_until_renewed() {
    let config = SimConfig::default().with_token_lifetimes(Duration::from_millis(300), Duration::from_secs(60));
    let sim = start(config).await;
    let session = Session::login(&sim).await;
    assert_eq!(session.get("/download-dok?filePath=x").await.status(), StatusCode::NOT_FOUND);

    tokio::time::sleep(Duration::from_millis(400)).await;
    let (status, body) = json(session.get("/download-dok?filePath=x").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["message"], "Invalid Credentials");

    let renewed = Session::login(&sim).await;
    assert_eq!(renewed.get("/download-dok?filePath=x").await.status(), StatusCode::NOT_FOUND);

    // The switch: every token issued so far expires at once, the SSO token included.
    sim.data().expire_tokens();
    let (status, _) = json(renewed.get("/download-dok?filePath=x").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, apim) = json(apim_token(&sim, SimConfig::TEST_APIM_KEY, SimConfig::TEST_APIM_SECRET).await).await;
    let only_apim = Session { apim: apim["access_token"].as_str().unwrap().to_owned(), ..renewed };
    let (status, body) = json(only_apim.get("/download-dok?filePath=x").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["message"], "invalid or expired jwt");
}
