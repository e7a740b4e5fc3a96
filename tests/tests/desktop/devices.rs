//! "Perangkat saya" in the desktop app: this device listed as the current one, named by the core, and "keluar
//! dari semua perangkat lain" ending the sessions of two other logins made over HTTP.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::{api_login, app_login, binary, launch_app, save_screenshot, start_server, Demo, ASN, LONG, SERIAL};

/// The HTTP status of a pull with `token`: whether its session still lives.
async fn pull_status(http: &reqwest::Client, base: &str, token: &str) -> u16 {
    http.get(format!("{base}/api/v1/sync")).bearer_auth(token).send().await.expect("pull").status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_my_devices_lists_this_one_and_ends_the_others() {
    let _serial = SERIAL.lock().await;
    let app_bin = binary("mysapk-app");
    let Demo { tmp: _tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let _server = start_server(&http, &db, &addr).await;
    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;
    app_login(&wd, ASN).await;

    // Two more logins of the same account elsewhere.
    let others = [api_login(&http, &base, ASN).await, api_login(&http, &base, ASN).await];
    for token in &others {
        assert_eq!(pull_status(&http, &base, token).await, 200);
    }

    wd.click(&wd.wait_for("#nav-devices", LONG).await).await;
    wd.wait_until(
        "three sessions listed",
        "return document.querySelectorAll('[data-testid=devices-list] li').length === 3",
        json!([]),
        LONG,
    )
    .await;
    let current = wd
        .execute(
            "return [...document.querySelectorAll('[data-testid=devices-list] li[data-current=true]')] \
             .map(li => li.innerText)",
            json!([]),
        )
        .await;
    let current = current.as_array().expect("a list");
    assert_eq!(current.len(), 1, "exactly one current device: {current:?}");
    let text = current[0].as_str().unwrap_or_default();
    assert!(text.contains("Perangkat ini"), "{text}");
    assert!(text.contains(&format!("({})", std::env::consts::OS)), "the core named this device: {text}");
    save_screenshot(&wd, "d01-my-devices").await;

    wd.click(&wd.wait_for("[data-testid=devices-end-others]", LONG).await).await;
    wd.wait_for("[data-testid=devices-ended]", LONG).await;
    wd.wait_for("[data-testid=devices-only-this]", LONG).await;
    let left = wd.execute("return document.querySelectorAll('[data-testid=devices-list] li').length", json!([])).await;
    assert_eq!(left, json!(1));
    save_screenshot(&wd, "d02-others-ended").await;

    // The other logins' tokens stop working (each server caches a token check for up to 2 s).
    for token in &others {
        let deadline = Instant::now() + Duration::from_secs(10);
        while pull_status(&http, &base, token).await != 401 {
            assert!(Instant::now() < deadline, "an ended session still pulls");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
    // This device goes on.
    wd.click(&wd.wait_for("#sync-now", LONG).await).await;
    wd.wait_for("#sync-bar[data-phase=idle]", LONG).await;
    wd.quit().await;
}
