//! Sessions from the device's side: logging out ends the server session; a session ended elsewhere (another
//! device's "log out", a revoked token family) is "log in again" here, and the outbox waits for that login.

use mysapk_model::auth::SessionInfo;
use mysapk_model::usulan::UsulanState;
use mysapk_model::view::SyncPhase;

use crate::support::{Backend, Bench, Raw, ASN, PASSWORD};
use crate::{add_golongan, d, golongan_docs, state_of};

/// The sessions of the account `raw` is logged in as, seen with its token.
async fn sessions_seen_by(base: &str, raw: &Raw) -> Vec<SessionInfo> {
    let res = reqwest::Client::new()
        .get(format!("{base}/api/v1/auth/sessions"))
        .bearer_auth(&raw.token)
        .send()
        .await
        .expect("sessions request");
    assert!(res.status().is_success(), "{}", res.status());
    res.json().await.expect("sessions")
}

/// The status of `GET /api/v1/sync` with `raw`'s token: whether its session still lives.
async fn sync_status(base: &str, raw: &Raw) -> u16 {
    let res = reqwest::Client::new()
        .get(format!("{base}/api/v1/sync"))
        .bearer_auth(&raw.token)
        .send()
        .await
        .expect("sync request");
    res.status().as_u16()
}

pub(crate) async fn logout_on_the_device_ends_its_server_session(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let base = bench.url();
    let laptop = bench.core("laptop");
    laptop.login(ASN, PASSWORD).await.expect("login");
    let browser = Raw::login(&base, ASN).await;
    let seen = laptop.sessions().await.expect("my devices");
    assert_eq!(seen.len(), 2);
    assert_eq!(seen.iter().filter(|s| s.current).count(), 1, "{seen:?}");
    let this = seen.iter().find(|s| s.current).expect("this device");
    let name = this.device_name.as_deref().expect("the core names its session");
    assert!(name.ends_with(&format!("({})", std::env::consts::OS)), "{name}");

    laptop.logout().await.expect("logout");
    assert!(laptop.session().is_none());
    let left = sessions_seen_by(&base, &browser).await;
    assert_eq!(left.len(), 1, "the laptop's session ended on the server: {left:?}");
    assert!(left[0].current);

    // Offline, logging out still forgets the tokens here; the server session then ends by its lifetimes.
    laptop.login(ASN, PASSWORD).await.expect("login again");
    bench.stop().await;
    laptop.logout().await.expect("an offline logout succeeds");
    assert!(laptop.session().is_none());
    bench.start().await;
    assert_eq!(sessions_seen_by(&base, &browser).await.len(), 2);

    // "Log out on the other device", from the device.
    laptop.login(ASN, PASSWORD).await.expect("login");
    let browser_id = sessions_seen_by(&base, &browser).await.into_iter().find(|s| s.current).expect("current").id;
    assert_eq!(sync_status(&base, &browser).await, 200);
    laptop.end_session(&browser_id).await.expect("end the browser's session");
    assert_eq!(sync_status(&base, &browser).await, 401);
    let err = laptop.end_session(&browser_id).await.expect_err("already ended");
    assert_eq!(err.code(), "session.not_found");
    assert!(laptop.sessions().await.expect("my devices").iter().all(|s| s.id != browser_id));
    bench.finish().await;
}

pub(crate) async fn ended_session_needs_login_and_keeps_the_outbox(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let base = bench.url();
    let phone = bench.core("phone");
    phone.login(ASN, PASSWORD).await.expect("login");

    // The phone's token family is revoked on the server (here: ended from another device).
    let browser = Raw::login(&base, ASN).await;
    let phone_id = sessions_seen_by(&base, &browser).await.into_iter().find(|s| !s.current).expect("the phone's").id;
    let res = reqwest::Client::new()
        .delete(format!("{base}/api/v1/auth/sessions/{phone_id}"))
        .bearer_auth(&browser.token)
        .send()
        .await
        .expect("delete request");
    assert_eq!(res.status().as_u16(), 204);

    let u = phone.propose(add_golongan("34", d(2025, 4, 1)), golongan_docs(&phone)).expect("propose");
    let err = phone.sync_now().await.expect_err("the session was ended");
    // The revoked access token makes the core try its refresh token once, which the ended session refuses too.
    assert_eq!(err.code(), "auth.invalid_refresh");
    assert_eq!(phone.status().phase, SyncPhase::NeedsLogin);
    assert_eq!(phone.status().pending, 1, "the outbox is kept");
    assert!(phone.session().is_none(), "the dead tokens are forgotten");
    assert_eq!(state_of(&phone, &u.id), UsulanState::Queued);

    phone.login(ASN, PASSWORD).await.expect("log in again");
    assert_eq!(phone.status().pending, 0, "the first sync after login pushed the outbox");
    assert_eq!(state_of(&phone, &u.id), UsulanState::Submitted);
    bench.finish().await;
}

/// A copy of the device's refresh token (read from its keystore entry, as malware would) is used first, and its
/// successor too: when the device then refreshes with the same token, the server sees a token reused after its
/// successor and ends the whole token family. The device is told to log in again and keeps its outbox; the copy's new tokens die too,
/// and the user's audit trail names the reuse.
pub(crate) async fn a_copied_refresh_token_ends_the_whole_session(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start_with(|c| c.access_ttl = std::time::Duration::from_secs(1)).await;
    let base = bench.url();
    let phone = bench.core("phone");
    phone.login(ASN, PASSWORD).await.expect("login");

    let entry = keyring_core::Entry::new("mysapk", ASN).expect("keystore entry");
    let stored: serde_json::Value = serde_json::from_str(&entry.get_password().expect("tokens")).expect("json");
    let copied = stored["refresh"].as_str().expect("a refresh token").to_owned();
    let http = reqwest::Client::new();
    let refresh = |token: String| {
        let http = http.clone();
        let url = format!("{base}/api/v1/auth/refresh");
        async move { http.post(url).json(&serde_json::json!({ "refresh_token": token })).send().await.expect("refresh") }
    };
    // The copy is used, and so is its successor: past the grace a lost refresh answer gets, on the server.
    let mut token = copied;
    for _ in 0..2 {
        let res = refresh(token).await;
        assert_eq!(res.status().as_u16(), 200, "the copy works while the device has not refreshed");
        let pair: serde_json::Value = res.json().await.expect("tokens");
        token = pair["refresh_token"].as_str().expect("a refresh token").to_owned();
    }

    // The device's access token expires; its refresh reuses the copied token, whose successor was used.
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let u = phone.propose(add_golongan("34", d(2025, 4, 1)), golongan_docs(&phone)).expect("propose");
    let err = phone.sync_now().await.expect_err("the family is revoked");
    assert_eq!(err.code(), "auth.invalid_refresh", "{err:?}");
    assert!(err.needs_login());
    assert_eq!(phone.status().phase, SyncPhase::NeedsLogin);
    assert_eq!(phone.status().pending, 1, "the outbox is kept");
    assert!(phone.session().is_none(), "the dead tokens are forgotten");

    assert_eq!(refresh(token).await.status().as_u16(), 401, "the copy's tokens ended with the family");

    phone.login(ASN, PASSWORD).await.expect("log in again");
    assert_eq!(state_of(&phone, &u.id), UsulanState::Submitted, "the outbox went out after the login");
    let trail = phone.audit_me().await.expect("my audit trail");
    assert!(trail.iter().any(|e| e.action == "session.reuse_detected"), "{trail:?}");
    bench.finish().await;
}
