//! Two-step verification in the desktop app: enrolling from "Perangkat saya" (the test is the authenticator app:
//! it reads the secret shown on screen and computes the codes), a login that asks for the code, and a device
//! whose clock is 5 minutes off hearing so.
//!
//! The clock: the real case is a phone whose clock is off, so its authenticator app computes the codes of the
//! wrong 30-second steps and the server refuses them. Here the second launch of the app runs under libfaketime
//! (`LD_PRELOAD` of `libfaketime.so.1`, `FAKETIME=+5m`), set on tauri-driver and so inherited by WebKitWebDriver
//! and the app: the app's whole process believes it is 5 minutes later, nothing in the product knows of the
//! test. The test then types the code of now + 5 minutes, as that device's authenticator would; the server
//! refuses it, and the core, comparing its own clock with the answer's `Date`, reports `auth.clock_skew`.

use std::path::Path;
use std::time::Duration;

use serde_json::json;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::{
    app_login, app_logout, binary, launch_app, launch_app_with, save_screenshot, start_server, Demo, ASN, LONG,
    PASSWORD, SERIAL,
};

const FAKETIME_LIB: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).expect("after 1970")
}

/// The authenticator app, set up by typing the secret shown on screen (grouped in fours) by hand.
fn authenticator(shown: &str) -> TOTP {
    let secret: String = shown.split_whitespace().collect();
    let bytes = Secret::Encoded(secret.clone()).to_bytes().unwrap_or_else(|e| panic!("base32 secret {secret}: {e:?}"));
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, Some("MySAPK".into()), ASN.into())
}

/// NIP and password on the login screen, then the second step's code.
async fn login_with_code(wd: &crate::webdriver::WebDriver, code: &str) {
    let field = wd.wait_for("#login-nip", LONG).await;
    wd.clear(&field).await;
    wd.type_text(&field, ASN).await;
    wd.type_text(&wd.wait_for("#login-password", LONG).await, PASSWORD).await;
    wd.click(&wd.wait_for("#login-submit", LONG).await).await;
    // Asked for only now that the server answered `auth.mfa_required`.
    let input = wd.wait_for("#login-totp", LONG).await;
    let attrs = wd
        .execute(
            "const i = document.querySelector('#login-totp'); \
             return [i.getAttribute('autocomplete'), i.getAttribute('inputmode'), i.labels.length];",
            json!([]),
        )
        .await;
    assert_eq!(attrs, json!(["one-time-code", "numeric", 1]), "a labelled one-time-code field");
    wd.type_text(&input, code).await;
    wd.click(&wd.wait_for("#login-verify", LONG).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_mfa_is_enrolled_used_and_a_clock_5_minutes_off_is_named() {
    let _serial = SERIAL.lock().await;
    assert!(Path::new(FAKETIME_LIB).exists(), "libfaketime is missing: apt-get install faketime (scripts/setup.sh)");
    let app_bin = binary("mysapk-app");
    let Demo { tmp: _tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let _server = start_server(&http, &db, &addr).await;
    let (driver, wd) = launch_app(&app_bin, &base, &data_dir).await;

    // Turned on voluntarily from "Perangkat saya".
    app_login(&wd, ASN).await;
    wd.click(&wd.wait_for("#nav-devices", LONG).await).await;
    wd.click(&wd.wait_for("[data-testid=open-mfa]", LONG).await).await;
    wd.wait_for("[data-testid=mfa-status][data-enabled=false]", LONG).await;
    wd.click(&wd.wait_for("[data-testid=mfa-start]", LONG).await).await;
    wd.wait_for("[data-testid=mfa-qr] path", LONG).await;
    let shown = wd.text(&wd.wait_for("[data-testid=mfa-secret]", LONG).await).await;
    assert!(shown.split(' ').all(|g| (1..=4).contains(&g.len())), "grouped in fours: {shown}");
    let app = authenticator(&shown);
    save_screenshot(&wd, "m01-mfa-enrol").await;
    wd.type_text(&wd.wait_for("#mfa-code", LONG).await, &app.generate(now())).await;
    wd.click(&wd.wait_for("[data-testid=mfa-confirm]", LONG).await).await;

    // The recovery codes, once; continuing waits for the checkbox.
    wd.wait_for("[data-testid=mfa-codes]", LONG).await;
    let codes =
        wd.execute("return document.querySelectorAll('[data-testid=mfa-code-list] li').length", json!([])).await;
    assert_eq!(codes, json!(10));
    let href =
        wd.execute("return document.querySelector('[data-testid=mfa-save]').getAttribute('href')", json!([])).await;
    assert!(href.as_str().is_some_and(|h| h.starts_with("data:text/plain")), "a text file to save: {href}");
    let disabled = wd.execute("return document.querySelector('[data-testid=mfa-continue]').disabled", json!([])).await;
    assert_eq!(disabled, json!(true), "not before the codes are saved");
    save_screenshot(&wd, "m02-mfa-recovery-codes").await;
    wd.click(&wd.wait_for("[data-testid=mfa-saved]", LONG).await).await;
    wd.click(&wd.wait_for("[data-testid=mfa-continue]", LONG).await).await;
    wd.wait_for("[data-testid=mfa-status][data-enabled=true]", LONG).await;

    // The next login asks for the code; the next step's one (the confirm spent this step's) lets the user in.
    app_logout(&wd).await;
    login_with_code(&wd, &app.generate(now() + 30)).await;
    wd.wait_for("[data-testid=screen-beranda]", LONG).await;
    save_screenshot(&wd, "m03-mfa-logged-in").await;
    app_logout(&wd).await;
    wd.quit().await;
    drop(driver);

    // The same device with its clock 5 minutes ahead: its authenticator's code is refused, and the app says why.
    let fake = [("LD_PRELOAD", FAKETIME_LIB), ("FAKETIME", "+5m"), ("FAKETIME_DONT_FAKE_MONOTONIC", "1")];
    let (_driver, wd) = launch_app_with(&app_bin, &base, &data_dir, &fake).await;
    login_with_code(&wd, &app.generate(now() + 300)).await;
    let error = wd.wait_for("[data-testid=login-error][data-code='auth.clock_skew']", LONG).await;
    let text = wd.text(&error).await;
    assert_eq!(text, "Jam perangkat Anda selisih 5 menit dari server; aktifkan waktu otomatis.");
    save_screenshot(&wd, "m04-mfa-clock-skew").await;
    // The code field stays for another try (after fixing the clock).
    wd.wait_for("#login-totp", Duration::from_secs(5)).await;
    wd.quit().await;
}
