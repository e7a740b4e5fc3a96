//! The rate limit per integrator.

use std::time::Duration;

use mysapk_siasn_sim::{ApimClient, SimConfig};
use reqwest::StatusCode;

use super::*;

#[tokio::test]
async fn one_call_per_interval_per_integrator() {
    let mut config = SimConfig::default().with_min_interval(SimConfig::SIASN_MIN_INTERVAL);
    config.apim_clients.push(ApimClient { key: "other".into(), secret: "other-secret".into() });
    let sim = start(config).await;
    let session = Session::login(&sim).await;
    let path = "/download-dok?filePath=x";

    assert_eq!(session.get(path).await.status(), StatusCode::NOT_FOUND);
    let (status, body) = json(session.get(path).await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "900800");
    assert_eq!(body["message"], "Message throttled out");
    assert!(body["nextAccessTime"].as_str().is_some_and(|t| t.ends_with("UTC")));

    // Another integrator has its own allowance.
    let (_, other) = json(apim_token(&sim, "other", "other-secret").await).await;
    let other = Session { apim: other["access_token"].as_str().unwrap().to_owned(), ..Session::login(&sim).await };
    assert_eq!(other.get(path).await.status(), StatusCode::NOT_FOUND);

    // A refused call does not restart the interval.
    tokio::time::sleep(SimConfig::SIASN_MIN_INTERVAL + Duration::from_millis(50)).await;
    assert_eq!(session.get(path).await.status(), StatusCode::NOT_FOUND);

    let route = "/apisiasn/1.0/download-dok";
    let statuses: Vec<u16> = sim.data().requests().iter().filter(|r| r.route == route).map(|r| r.status).collect();
    assert_eq!(statuses, vec![404, 429, 404, 404]);
}
