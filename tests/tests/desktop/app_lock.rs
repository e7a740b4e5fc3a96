//! The app lock in the desktop app: a PIN set after the login; a restart of the app (same data directory, same
//! keyring) opens on the lock screen, which shows nothing personal; the right PIN opens the beranda. Then a proposal
//! is queued with the server stopped, and five wrong PINs end the session (login screen, the tokens gone from the
//! keyring); the next login with the password sends the queued proposal, which the server then holds.
//!
//! Siti (`SITI`) is this test's own account: the session ends here, and the keyring is shared with other tests.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::webdriver::WebDriver;
use crate::{
    api_login, app_login, binary, free_port, save_screenshot, start_server, test_pdf, Demo, Proc, LONG, SERIAL,
};

const SITI: &str = "199205152019032003";
const SITI_NAME: &str = "Siti Rahmawati";
const PIN: &str = "246813";
const WRONG: &str = "135790";

/// A session keyring both launches of the app join by name, so a restart finds the tokens and the PIN entry of
/// the first (each plain launch gets a fresh keyring). A holder process keeps it alive; the user may join it.
struct SharedKeyring {
    name: String,
    _holder: Proc,
}

fn shared_keyring() -> Option<SharedKeyring> {
    if !Command::new("keyctl").arg("--version").output().is_ok_and(|o| o.status.success()) {
        return None;
    }
    let name = format!("mysapk-app-lock-{}", std::process::id());
    // The tokens of an earlier, interrupted run of this test (the persistent keyring outlives sessions) go first.
    let script = format!(
        "keyctl setperm @s 0x3f3f0000 >/dev/null; keyctl get_persistent @s >/dev/null 2>&1; \
         keyctl purge -s user 'keyring:{SITI}@mysapk' >/dev/null 2>&1; exec sleep 3600"
    );
    let child = Command::new("keyctl")
        .args(["session", &name, "sh", "-c", &script])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    std::thread::sleep(Duration::from_millis(500));
    Some(SharedKeyring { name, _holder: Proc(child) })
}

/// Whether the keyring holds `description` (a `user` key), seen from inside the shared session.
fn keyring_has(keyring: &SharedKeyring, description: &str) -> bool {
    Command::new("keyctl")
        .args(["session", &keyring.name, "keyctl", "search", "@s", "user", description])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// tauri-driver and the app in the shared keyring (see [`crate::launch_app`] for the rest).
async fn launch(app_bin: &Path, base: &str, data_dir: &Path, keyring: Option<&SharedKeyring>) -> (Proc, WebDriver) {
    let wd_port = free_port();
    let native_port = free_port();
    let driver_args = ["tauri-driver", "--port", &wd_port.to_string(), "--native-port", &native_port.to_string()];
    let mut driver = match keyring {
        Some(k) => {
            let mut c = Command::new("keyctl");
            c.args(["session", &k.name]).args(driver_args);
            c
        }
        None => {
            let mut c = Command::new(driver_args[0]);
            c.args(&driver_args[1..]);
            c
        }
    };
    let driver = driver
        .env("MYSAPK_SERVER_URL", base)
        .env("MYSAPK_DATA_DIR", data_dir)
        .env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()))
        .stdout(Stdio::null())
        .spawn()
        .expect("tauri-driver on the PATH (cargo install tauri-driver --locked)");
    let driver = Proc(driver);
    let wd = WebDriver::start(&format!("http://127.0.0.1:{wd_port}"), &app_bin.to_string_lossy()).await;
    (driver, wd)
}

/// The keyring description of the PIN entry of Siti's database in `data_dir` (named like its key).
fn pin_entry(data_dir: &Path) -> String {
    format!("keyring:{}@mysapk.pin", mysapk_core::secrets::db_key_name(&data_dir.join(format!("{SITI}.sqlite"))))
}

async fn enter_pin(wd: &WebDriver, pin: &str) {
    let field = wd.wait_for("#lock-pin", LONG).await;
    wd.type_text(&field, pin).await;
    wd.click(&wd.wait_for("#lock-submit", LONG).await).await;
}

/// Whether the server holds the proposal `usulan_id` of Siti (her pull lists it).
async fn server_has_usulan(http: &reqwest::Client, base: &str, usulan_id: &str) -> bool {
    let token = api_login(http, base, SITI).await;
    let mut cursor: Option<String> = None;
    loop {
        let mut req = http.get(format!("{base}/api/v1/sync")).bearer_auth(&token);
        if let Some(c) = &cursor {
            req = req.query(&[("cursor", c)]);
        }
        let page: Value = req.send().await.expect("pull").json().await.expect("pull json");
        let found = page["changes"]
            .as_array()
            .is_some_and(|cs| cs.iter().any(|c| c["type"] == "usulan" && c["usulan"]["id"] == usulan_id));
        if found {
            return true;
        }
        if page["has_more"] != json!(true) {
            return false;
        }
        cursor = page["cursor"].as_str().map(str::to_owned);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_app_lock_at_launch_and_five_wrong_pins_keep_the_outbox() {
    let _serial = SERIAL.lock().await;
    let app_bin = binary("mysapk-app");
    let Demo { tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let mut server = Some(start_server(&http, &db, &addr).await);
    let keyring = shared_keyring();

    // Log in; the app asks for a PIN (above every screen until one is set).
    let (driver, wd) = launch(&app_bin, &base, &data_dir, keyring.as_ref()).await;
    app_login(&wd, SITI).await;
    wd.type_text(&wd.wait_for("#pin-setup-pin", LONG).await, PIN).await;
    wd.type_text(&wd.wait_for("#pin-setup-pin2", LONG).await, PIN).await;
    save_screenshot(&wd, "l01-pin-setup").await;
    wd.click(&wd.wait_for("#pin-setup-submit", LONG).await).await;
    wd.wait_until("the PIN is set", "return !document.querySelector('[data-testid=pin-setup]');", json!([]), LONG)
        .await;
    if let Some(k) = &keyring {
        assert!(keyring_has(k, &pin_entry(&data_dir)), "the PIN entry is in the keyring");
    }
    wd.quit().await;
    drop(driver);

    // A restart: the lock screen, and nothing personal on it.
    let (driver, wd) = launch(&app_bin, &base, &data_dir, keyring.as_ref()).await;
    wd.wait_for("[data-testid=screen-lock]", LONG).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let text = wd.page_text().await;
    assert!(!text.contains(SITI) && !text.contains("Siti"), "personal data on the lock screen: {text}");
    let html = wd.execute("return document.documentElement.outerHTML;", json!([])).await;
    let html = html.as_str().unwrap_or_default();
    assert!(!html.contains(SITI) && !html.contains(SITI_NAME), "personal data in the page while locked");
    save_screenshot(&wd, "l02-locked-at-launch").await;

    // A wrong PIN counts; the right one opens the beranda.
    enter_pin(&wd, WRONG).await;
    wd.wait_for("[data-testid=lock-error][data-code='app.pin_wrong']", LONG).await;
    let left = wd.text(&wd.wait_for("[data-testid=lock-attempts]", LONG).await).await;
    assert!(left.contains('4'), "four attempts left: {left}");
    enter_pin(&wd, PIN).await;
    let nip = wd.wait_for("[data-testid=asn-nip]", LONG).await;
    assert_eq!(wd.text(&nip).await, SITI);

    // Offline: a proposal waits in the outbox.
    drop(server.take());
    tokio::time::sleep(Duration::from_secs(1)).await;
    wd.click(&wd.wait_for("[data-testid=category-jabatan]", LONG).await).await;
    wd.wait_for("#history-jabatan [data-record-id]", LONG).await;
    let record_id = wd
        .execute(
            "const li = document.querySelector('#history-jabatan [data-record-id]'); return li && li.dataset.recordId;",
            json!([]),
        )
        .await;
    let record_id = record_id.as_str().expect("a jabatan record").to_owned();
    wd.click(&wd.wait_for(&format!("[data-testid='change-{record_id}']"), LONG).await).await;
    let field = wd.wait_for("#f-jabatan_nama", LONG).await;
    wd.clear(&field).await;
    wd.type_text(&field, "Analis Keuangan Ahli Muda").await;
    let sk = tmp.path().join("sk-jabatan-siti.pdf");
    std::fs::write(&sk, test_pdf("SK Jabatan Siti")).expect("write the PDF");
    wd.type_text(&wd.wait_for("[data-testid=doc-872]", LONG).await, &sk.to_string_lossy()).await;
    wd.wait_for("[data-testid=doc-slot-872][data-attached=true]", LONG).await;
    wd.click(&wd.wait_for("#propose-submit", LONG).await).await;
    let usulan_id = wd
        .wait_until(
            "a queued proposal beside the record",
            "const b = document.querySelector(`[data-record-id='${arguments[0]}'] [data-state=queued]`);
             return !document.querySelector('#history-form') && b && b.dataset.testid.replace('usulan-state-', '');",
            json!([record_id]),
            LONG,
        )
        .await;
    let usulan_id = usulan_id.as_str().expect("usulan id").to_owned();

    // Lock now (Perangkat saya), then five wrong PINs end the session.
    wd.click(&wd.wait_for("#nav-devices", LONG).await).await;
    wd.click(&wd.wait_for("[data-testid=pin-lock-now]", LONG).await).await;
    wd.wait_for("[data-testid=screen-lock]", LONG).await;
    for left in (1..5).rev() {
        enter_pin(&wd, WRONG).await;
        wd.wait_until(
            "the attempts left go down",
            "const a = document.querySelector('[data-testid=lock-attempts]'); \
             return !!a && a.textContent.includes(String(arguments[0]));",
            json!([left]),
            LONG,
        )
        .await;
    }
    enter_pin(&wd, WRONG).await;
    wd.wait_for("#login-nip", LONG).await;
    wd.wait_for("[data-testid=lock-ended]", LONG).await;
    save_screenshot(&wd, "l03-session-ended").await;
    if let Some(k) = &keyring {
        assert!(!keyring_has(k, &format!("keyring:{SITI}@mysapk")), "the tokens are removed");
        assert!(!keyring_has(k, &pin_entry(&data_dir)), "the PIN entry is removed");
    }

    // Online, the login with the password opens the same database: the queued proposal goes out.
    server = Some(start_server(&http, &db, &addr).await);
    app_login(&wd, SITI).await;
    wd.wait_for("[data-testid=pin-setup]", LONG).await;
    let deadline = Instant::now() + Duration::from_secs(180);
    while !server_has_usulan(&http, &base, &usulan_id).await {
        assert!(Instant::now() < deadline, "the queued proposal {usulan_id} never reached the server");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    save_screenshot(&wd, "l04-sent-after-login").await;
    wd.quit().await;
    drop(driver);
    drop(server);
}
