//! WebDriver test of the real desktop app against the real server, under Xvfb.
//!
//! Needs `target/debug/mysapk-app` and `target/debug/mysapk-server` (`cargo build -p mysapk-server-cli -p mysapk-app`
//! after `npm run build` in `ui/`), `tauri-driver` on the PATH and WebKitWebDriver. Run:
//! `xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- cargo test -p mysapk-e2e --features desktop --test desktop -- --nocapture`
//!
//! `pdm`: log in → beranda shows the record → the server stops → propose a jabatan change (queued) → the server
//! starts again → the sync loop submits it → a verifier and an approver accept it over the HTTP API → the app
//! shows the new jabatan and the notification. Screenshots go to `target/screenshots/`. Also: the other screens'
//! flows (`categories`, `standing`, `devices`, `mfa` — the last runs the app under libfaketime once —,
//! `server_choice`, and `siasn`: a refusal by the SIASN simulator retried from the admin screen). The harness:
//! `harness` (processes, the demo server, one app at a time), `app` (the app under WebDriver), `api` (the HTTP API as
//! another device or a reviewer), `webdriver` (the W3C client).

mod admin;
mod api;
mod app;
mod app_lock;
mod card_check;
mod categories;
mod devices;
mod harness;
mod mfa;
mod mobile;
mod pdm;
mod screens;
mod server_choice;
mod siasn;
mod standing;
mod webdriver;

use api::*;
use app::*;
use harness::*;

const ASN: &str = "199001012015031001";
const VERIFIER: &str = "198503102010011002";
const APPROVER: &str = "197808172005011001";
const PASSWORD: &str = "demo1234";
const NEW_JABATAN: &str = "Pranata Komputer Ahli Muda";
/// An account the admin test creates without a password, activated in the app with a one-time code.
const NEW_NIP: &str = "199503152020121001";
const NEW_PASSWORD: &str = "rahasia-baru";
