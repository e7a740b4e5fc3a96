//! The app under WebDriver: start it through tauri-driver, log in and out, open a review, save screenshots.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::json;

use crate::harness::{free_port, target_dir, Proc, LONG};
use crate::webdriver::WebDriver;
use crate::PASSWORD;

/// Start tauri-driver (which passes its environment to the app) and open a WebDriver session of the app.
pub(crate) async fn launch_app(app_bin: &Path, base: &str, data_dir: &Path) -> (Proc, WebDriver) {
    launch_app_with(app_bin, base, data_dir, &[]).await
}

/// [`launch_app`] with more environment for tauri-driver, WebKitWebDriver and the app (e.g. libfaketime).
pub(crate) async fn launch_app_with(
    app_bin: &Path,
    base: &str,
    data_dir: &Path,
    env: &[(&str, &str)],
) -> (Proc, WebDriver) {
    launch_app_args(app_bin, base, data_dir, env, &[]).await
}

/// [`launch_app_with`] and command-line arguments for the app (e.g. a deep link).
pub(crate) async fn launch_app_args(
    app_bin: &Path,
    base: &str,
    data_dir: &Path,
    env: &[(&str, &str)],
    args: &[&str],
) -> (Proc, WebDriver) {
    let wd_port = free_port();
    let native_port = free_port();
    // The app keeps its tokens in the kernel keyring of its session; a machine without a login session (CI, a
    // container) has no session keyring the app may write to, so the driver and the app get a fresh one.
    let driver_args = ["tauri-driver", "--port", &wd_port.to_string(), "--native-port", &native_port.to_string()];
    let mut driver = if Command::new("keyctl").arg("--version").output().is_ok_and(|o| o.status.success()) {
        let mut c = Command::new("keyctl");
        c.args(["session", "-"]).args(driver_args);
        c
    } else {
        let mut c = Command::new(driver_args[0]);
        c.args(&driver_args[1..]);
        c
    };
    let driver = driver
        .env("MYSAPK_SERVER_URL", base)
        .env("MYSAPK_DATA_DIR", data_dir)
        .env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()))
        .envs(env.iter().copied())
        .spawn()
        .expect("tauri-driver on the PATH (cargo install tauri-driver --locked)");
    let driver = Proc(driver);
    let wd = WebDriver::start_with_args(&format!("http://127.0.0.1:{wd_port}"), &app_bin.to_string_lossy(), args).await;
    (driver, wd)
}

pub(crate) async fn save_screenshot(wd: &WebDriver, name: &str) {
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let png = wd.screenshot().await;
    assert!(png.starts_with(b"\x89PNG"), "screenshot {name} is not a PNG");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    println!("screenshot {name}.png");
}

/// Log in through the login screen and wait for the beranda.
pub(crate) async fn app_login(wd: &WebDriver, nip: &str) {
    let field = wd.wait_for("#login-nip", LONG).await;
    wd.clear(&field).await;
    wd.type_text(&field, nip).await;
    let pw = wd.wait_for("#login-password", LONG).await;
    wd.type_text(&pw, PASSWORD).await;
    wd.click(&wd.wait_for("#login-submit", LONG).await).await;
    wd.wait_for("[data-testid=screen-beranda]", LONG).await;
}

pub(crate) async fn app_logout(wd: &WebDriver) {
    wd.click(&wd.wait_for("#logout", LONG).await).await;
    // With something still unsent the app asks first (it stays on the device for the next login): yes.
    wd.wait_until(
        "the login form (after confirming the logout when the app asks)",
        "const yes = document.querySelector('#logout-confirm'); if (yes) yes.click(); \
         return !!document.querySelector('#login-nip');",
        json!([]),
        LONG,
    )
    .await;
}

/// Open the queue and the review screen of `usulan_id`.
pub(crate) async fn open_review(wd: &WebDriver, usulan_id: &str) {
    wd.click(&wd.wait_for("[data-testid=open-queue]", LONG).await).await;
    let row = wd.wait_for(&format!("[data-testid='review-row-{usulan_id}']"), Duration::from_secs(180)).await;
    wd.click(&row).await;
    wd.wait_for(&format!("[data-testid=review-screen][data-usulan='{usulan_id}']"), LONG).await;
}
