//! WebDriver test of the real desktop app against the real server, under Xvfb.
//!
//! Needs `target/debug/mysapk-app` and `target/debug/mysapk-server` (`cargo build -p mysapk-server-cli -p mysapk-app`
//! after `npm run build` in `ui/`), `tauri-driver` on the PATH and WebKitWebDriver. Run:
//! `xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- cargo test -p mysapk-e2e --features desktop --test desktop -- --nocapture`
//!
//! Flow: log in → beranda shows the record → the server stops → propose a jabatan change (queued) → the server
//! starts again → the sync loop submits it → a verifier and an approver accept it over the HTTP API → the app
//! shows the new jabatan and the notification. Screenshots go to `target/screenshots/`. Also: the other screens'
//! flows (`categories`, `standing`, `devices`, `mfa` — the last runs the app under libfaketime once —,
//! `server_choice`, and `siasn`: a refusal by the SIASN simulator retried from the admin screen).

mod app_lock;
mod card_check;
mod categories;
mod devices;
mod mfa;
mod mobile;
mod screens;
mod server_choice;
mod siasn;
mod standing;
mod webdriver;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use webdriver::WebDriver;

const ASN: &str = "199001012015031001";
const VERIFIER: &str = "198503102010011002";
const APPROVER: &str = "197808172005011001";
const PASSWORD: &str = "demo1234";
const NEW_JABATAN: &str = "Pranata Komputer Ahli Muda";
/// An account the admin test creates without a password, activated in the app with a one-time code.
const NEW_NIP: &str = "199503152020121001";
const NEW_PASSWORD: &str = "rahasia-baru";

/// A child process killed when dropped.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

fn binary(name: &str) -> PathBuf {
    let p = target_dir().join("debug").join(name);
    assert!(p.exists(), "{} is missing: run `cargo build -p mysapk-server-cli -p mysapk-app` first", p.display());
    p.canonicalize().expect("absolute path")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

fn server_cmd(db: &Path, addr: &str) -> Command {
    let mut c = Command::new(binary("mysapk-server"));
    c.env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("MYSAPK_ADDR", addr)
        .env("MYSAPK_MFA_REQUIRED", "none")
        .current_dir(root());
    c
}

/// One test's world: a temporary directory, the demo data seeded into a SQLite file in it, a free address for the
/// server (started with [`start_server`]), the app's data directory and an HTTP client.
struct Demo {
    tmp: tempfile::TempDir,
    db: PathBuf,
    addr: String,
    base: String,
    http: reqwest::Client,
    data_dir: PathBuf,
}

impl Demo {
    fn seeded() -> Demo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = tmp.path().join("s.sqlite");
        let data_dir = tmp.path().join("app");
        let addr = format!("127.0.0.1:{}", free_port());
        let base = format!("http://{addr}");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("http client");
        let seeded = server_cmd(&db, &addr).args(["seed", "--demo"]).status().expect("seed");
        assert!(seeded.success(), "seed --demo failed");
        Demo { tmp, db, addr, base, http, data_dir }
    }
}

async fn start_server(http: &reqwest::Client, db: &Path, addr: &str) -> Proc {
    let child = server_cmd(db, addr).arg("serve").stdout(Stdio::null()).spawn().expect("spawn server");
    let proc = Proc(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !http.get(format!("http://{addr}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
        assert!(Instant::now() < deadline, "the server did not start on {addr}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    proc
}

async fn save_screenshot(wd: &WebDriver, name: &str) {
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let png = wd.screenshot().await;
    assert!(png.starts_with(b"\x89PNG"), "screenshot {name} is not a PNG");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    println!("screenshot {name}.png");
}

async fn api_login(http: &reqwest::Client, base: &str, nip: &str) -> String {
    let v: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"nip": nip, "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login json");
    v["access_token"].as_str().unwrap_or_else(|| panic!("no token for {nip}: {v}")).to_owned()
}

async fn decide(http: &reqwest::Client, base: &str, nip: &str, usulan_id: &str, decision: &str) {
    let token = api_login(http, base, nip).await;
    let queue: Value = http
        .get(format!("{base}/api/v1/review/queue"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("queue")
        .json()
        .await
        .expect("queue json");
    let listed = queue["items"].as_array().is_some_and(|items| items.iter().any(|i| i["usulan"]["id"] == usulan_id));
    assert!(listed, "{usulan_id} is not in the queue of {nip}: {queue}");
    let resp = http
        .post(format!("{base}/api/v1/review/{usulan_id}/decision"))
        .bearer_auth(&token)
        .json(&json!({"decision": decision}))
        .send()
        .await
        .expect("decision");
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{decision} by {nip}: {status} {body}");
}

/// Watches the session bus for `Notify` calls (system notifications), when a session bus is there.
fn watch_notifications(log: &Path) -> Option<Proc> {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS")?;
    let out = std::fs::File::create(log).ok()?;
    let child = Command::new("dbus-monitor")
        .args(["--session", "interface='org.freedesktop.Notifications',member='Notify'"])
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    Some(Proc(child))
}

/// A notification daemon, so `Notify` calls are answered.
fn notification_daemon() -> Option<Proc> {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS")?;
    let child = Command::new("dunst").stdout(Stdio::null()).stderr(Stdio::null()).spawn().ok()?;
    Some(Proc(child))
}

/// The app sessions run one at a time (one display, two cores).
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Start tauri-driver (which passes its environment to the app) and open a WebDriver session of the app.
async fn launch_app(app_bin: &Path, base: &str, data_dir: &Path) -> (Proc, WebDriver) {
    launch_app_with(app_bin, base, data_dir, &[]).await
}

/// [`launch_app`] with more environment for tauri-driver, WebKitWebDriver and the app (e.g. libfaketime).
async fn launch_app_with(app_bin: &Path, base: &str, data_dir: &Path, env: &[(&str, &str)]) -> (Proc, WebDriver) {
    launch_app_args(app_bin, base, data_dir, env, &[]).await
}

/// [`launch_app_with`] and command-line arguments for the app (e.g. a deep link).
async fn launch_app_args(
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

const LONG: Duration = Duration::from_secs(120);

/// A small, whole PDF (the app and the server check the content, not the name).
fn test_pdf(title: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {title}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_app_offline_usulan_is_approved() {
    let _serial = SERIAL.lock().await;
    let app_bin = binary("mysapk-app");
    let Demo { tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let mut server = Some(start_server(&http, &db, &addr).await);

    let notify_log = tmp.path().join("notify.log");
    let _daemon = notification_daemon();
    let _monitor = watch_notifications(&notify_log);

    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;

    // Login.
    let nip = wd.wait_for("#login-nip", LONG).await;
    wd.type_text(&nip, ASN).await;
    let pw = wd.wait_for("#login-password", LONG).await;
    wd.type_text(&pw, PASSWORD).await;
    save_screenshot(&wd, "01-login").await;
    let submit = wd.wait_for("#login-submit", LONG).await;
    wd.click(&submit).await;

    // Beranda shows the record after the first sync.
    let name = wd.wait_for("[data-testid=asn-nip]", LONG).await;
    assert_eq!(wd.text(&name).await, ASN);
    let name = wd.wait_for("[data-testid=asn-name]", LONG).await;
    assert!(wd.text(&name).await.contains("Budi Santoso"));
    let current = wd.text(&wd.wait_for("[data-testid=asn-jabatan]", LONG).await).await;
    assert_ne!(current, NEW_JABATAN);
    wd.wait_for("[data-testid=category-jabatan]", LONG).await;
    save_screenshot(&wd, "02-beranda").await;
    wd.click(&wd.wait_for("[data-testid=category-jabatan]", LONG).await).await;
    wd.wait_for("#history-jabatan [data-record-id]", LONG).await;

    // Offline: the server stops.
    drop(server.take());
    tokio::time::sleep(Duration::from_secs(1)).await;

    // Propose a change of the newest jabatan record.
    let record_id = wd
        .execute(
            "const li = document.querySelector('#history-jabatan [data-record-id]'); return li && li.dataset.recordId;",
            json!([]),
        )
        .await;
    let record_id = record_id.as_str().expect("a jabatan record").to_owned();
    let change = wd.wait_for(&format!("[data-testid='change-{record_id}']"), LONG).await;
    wd.click(&change).await;
    let field = wd.wait_for("#f-jabatan_nama", LONG).await;
    wd.clear(&field).await;
    wd.type_text(&field, NEW_JABATAN).await;
    // The SK Jabatan (mandatory for this category) as a PDF file.
    let sk = tmp.path().join("sk-jabatan.pdf");
    std::fs::write(&sk, test_pdf("SK Jabatan")).expect("write the PDF");
    wd.type_text(&wd.wait_for("[data-testid=doc-872]", LONG).await, &sk.to_string_lossy()).await;
    wd.wait_for("[data-testid=doc-slot-872][data-attached=true]", LONG).await;
    save_screenshot(&wd, "03-propose-form").await;
    wd.click(&wd.wait_for("#propose-submit", LONG).await).await;

    // It waits in the outbox.
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
    wd.wait_until(
        "the sync bar shows offline with one pending",
        "const s = document.querySelector('#sync-bar'); return s && s.dataset.pending !== '0';",
        json!([]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "04-queued-offline").await;

    // Online again: the sync loop submits it on its own.
    server = Some(start_server(&http, &db, &addr).await);
    let state_of = "const b = document.querySelector(`[data-testid='usulan-state-${arguments[0]}']`);
                    return b && b.dataset.state === arguments[1];";
    wd.wait_until("the proposal is submitted", state_of, json!([usulan_id, "submitted"]), Duration::from_secs(180))
        .await;
    save_screenshot(&wd, "05-submitted").await;

    // The verifier and the approver accept it.
    decide(&http, &base, VERIFIER, &usulan_id, "verify").await;
    decide(&http, &base, APPROVER, &usulan_id, "approve").await;

    // The app pulls the applied change and the notification.
    wd.click(&wd.wait_for("[data-testid=category-back]", LONG).await).await;
    wd.wait_until(
        "the beranda shows the new jabatan",
        "const j = document.querySelector('[data-testid=asn-jabatan]'); return j && j.textContent.trim() === arguments[0];",
        json!([NEW_JABATAN]),
        Duration::from_secs(180),
    )
    .await;
    save_screenshot(&wd, "06-approved-beranda").await;

    wd.click(&wd.wait_for("#nav-inbox", LONG).await).await;
    let note = wd
        .wait_until(
            "an unread approval notification",
            "const n = document.querySelector(`[data-usulan='${arguments[0]}'][data-state=approved][data-read=false]`);
             return n && n.dataset.testid;",
            json!([usulan_id]),
            LONG,
        )
        .await;
    save_screenshot(&wd, "07-inbox").await;
    let note = wd.wait_for(&format!("[data-testid='{}']", note.as_str().unwrap_or_default()), LONG).await;
    wd.click(&note).await;
    wd.wait_until("the proposal opens approved", state_of, json!([usulan_id, "approved"]), LONG).await;
    save_screenshot(&wd, "08-usulan").await;

    wd.quit().await;
    drop(server);

    if notify_log.exists() && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let log = std::fs::read_to_string(&notify_log).unwrap_or_default();
        println!("Notify calls seen on the session bus: {}", log.matches("member=Notify").count());
        assert!(log.contains("member=Notify"), "no system notification was raised on D-Bus");
    }
}

/// Log in through the login screen and wait for the beranda.
async fn app_login(wd: &WebDriver, nip: &str) {
    let field = wd.wait_for("#login-nip", LONG).await;
    wd.clear(&field).await;
    wd.type_text(&field, nip).await;
    let pw = wd.wait_for("#login-password", LONG).await;
    wd.type_text(&pw, PASSWORD).await;
    wd.click(&wd.wait_for("#login-submit", LONG).await).await;
    wd.wait_for("[data-testid=screen-beranda]", LONG).await;
}

async fn app_logout(wd: &WebDriver) {
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

/// The ASN proposes a new name for their newest jabatan record over HTTP (as another device of theirs would).
async fn propose_over_http(http: &reqwest::Client, base: &str, new_name: &str) -> String {
    let token = api_login(http, base, ASN).await;
    let mut cursor: Option<String> = None;
    let mut newest: Option<Value> = None;
    loop {
        let mut req = http.get(format!("{base}/api/v1/sync")).bearer_auth(&token);
        if let Some(c) = &cursor {
            req = req.query(&[("cursor", c)]);
        }
        let page: Value = req.send().await.expect("pull").json().await.expect("pull json");
        for c in page["changes"].as_array().cloned().unwrap_or_default() {
            let r = &c["record"];
            if c["type"] == "history" && r["data"]["kind"] == "jabatan" {
                let newer = newest.as_ref().is_none_or(|n| {
                    r["data"]["tmt_jabatan"].as_str().unwrap_or("") > n["data"]["tmt_jabatan"].as_str().unwrap_or("")
                });
                if newer {
                    newest = Some(r.clone());
                }
            }
        }
        if page["has_more"] != json!(true) {
            break;
        }
        cursor = page["cursor"].as_str().map(str::to_owned);
    }
    let record = newest.expect("the ASN has a jabatan record");
    let mut data = record["data"].clone();
    data["jabatan_nama"] = json!(new_name);
    let document = upload_pdf(http, base, &token, "872", &test_pdf(new_name)).await;
    let usulan_id = uuid::Uuid::new_v4().to_string();
    let push = json!({
        "device_id": uuid::Uuid::new_v4().to_string(),
        "mutations": [{
            "id": uuid::Uuid::new_v4().to_string(),
            "seq": 1,
            "op": "propose",
            "usulan_id": usulan_id,
            "action": {"type": "change_history", "record_id": record["id"], "data": data},
            "documents": [document],
        }],
    });
    let resp: Value = http
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(&token)
        .json(&push)
        .send()
        .await
        .expect("push")
        .json()
        .await
        .expect("push json");
    assert_eq!(resp["results"][0]["status"], "applied", "propose: {resp}");
    usulan_id
}

/// Upload `pdf` in one chunk (it is small) and return its document reference for a proposal.
async fn upload_pdf(http: &reqwest::Client, base: &str, token: &str, dokumen_id: &str, pdf: &[u8]) -> Value {
    use sha2::Digest;
    let sha256 = hex::encode(sha2::Sha256::digest(pdf));
    let resp = http
        .patch(format!("{base}/api/v1/documents/{sha256}"))
        .bearer_auth(token)
        .header("Upload-Offset", "0")
        .header("Upload-Length", pdf.len().to_string())
        .header("Content-Type", "application/pdf")
        .body(pdf.to_vec())
        .send()
        .await
        .expect("upload");
    let status: Value = resp.json().await.expect("upload status json");
    assert_eq!(status["complete"], json!(true), "upload: {status}");
    json!({"sha256": sha256, "dokumen_id": dokumen_id, "mime": "application/pdf", "size": pdf.len(), "file_name": "sk.pdf"})
}

/// Open the queue and the review screen of `usulan_id`.
async fn open_review(wd: &WebDriver, usulan_id: &str) {
    wd.click(&wd.wait_for("[data-testid=open-queue]", LONG).await).await;
    let row = wd.wait_for(&format!("[data-testid='review-row-{usulan_id}']"), Duration::from_secs(180)).await;
    wd.click(&row).await;
    wd.wait_for(&format!("[data-testid=review-screen][data-usulan='{usulan_id}']"), LONG).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_reviewers_decide_offline_and_the_asn_sees_the_change() {
    let _serial = SERIAL.lock().await;
    const REVIEWED_JABATAN: &str = "Analis Kepegawaian Ahli Madya";
    let app_bin = binary("mysapk-app");
    let Demo { tmp: _tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let mut server = Some(start_server(&http, &db, &addr).await);
    let usulan_id = propose_over_http(&http, &base, REVIEWED_JABATAN).await;

    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;

    // The verifier sees the proposal in the work queue.
    app_login(&wd, VERIFIER).await;
    wd.wait_until(
        "the beranda counts the waiting proposal",
        "const c = document.querySelector('[data-testid=review-waiting]'); return c && Number(c.dataset.count) > 0;",
        json!([]),
        Duration::from_secs(180),
    )
    .await;
    save_screenshot(&wd, "r01-verifier-beranda").await;
    open_review(&wd, &usulan_id).await;
    wd.wait_for("[data-testid=compare-jabatan_nama][data-changed=true]", LONG).await;
    // The attached SK Jabatan opens in the app (fetched from the server, kept for offline use).
    wd.click(&wd.wait_for("[data-testid=review-documents] [data-testid=open-doc-872]", LONG).await).await;
    wd.wait_for("[data-testid=doc-viewer][data-mime='application/pdf']", LONG).await;
    save_screenshot(&wd, "r01b-review-document").await;
    wd.click(&wd.wait_for("[data-testid=doc-close]", LONG).await).await;

    // Offline: the verifier verifies; the decision waits in the outbox.
    drop(server.take());
    tokio::time::sleep(Duration::from_secs(1)).await;
    save_screenshot(&wd, "r02-review-screen").await;
    wd.click(&wd.wait_for("#decide-verify", LONG).await).await;
    wd.wait_for("[data-testid=decision-status][data-status=queued]", LONG).await;
    wd.wait_until(
        "the sync bar shows a pending mutation",
        "const s = document.querySelector('#sync-bar'); return s && s.dataset.pending !== '0';",
        json!([]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "r03-decision-queued-offline").await;
    wd.click(&wd.wait_for("[data-testid=review-back]", LONG).await).await;
    wd.wait_for(&format!("[data-testid='review-decision-{usulan_id}'][data-status=queued]"), LONG).await;
    save_screenshot(&wd, "r04-queue-offline").await;

    // Online again: the sync loop sends the decision and the pull takes the item out of the queue.
    server = Some(start_server(&http, &db, &addr).await);
    wd.wait_until(
        "the verified proposal leaves the verifier's queue",
        "return !!document.querySelector('[data-testid=queue-list]') &&
                !document.querySelector(`[data-testid='review-row-${arguments[0]}']`) &&
                document.querySelector('#sync-bar').dataset.pending === '0';",
        json!([usulan_id]),
        Duration::from_secs(180),
    )
    .await;
    save_screenshot(&wd, "r05-queue-after-sync").await;

    // The approver approves it in the app.
    app_logout(&wd).await;
    app_login(&wd, APPROVER).await;
    open_review(&wd, &usulan_id).await;
    save_screenshot(&wd, "r06-approver-review").await;
    wd.click(&wd.wait_for("#decide-approve", LONG).await).await;
    wd.click(&wd.wait_for("[data-testid=review-back]", LONG).await).await;
    wd.wait_until(
        "the approved proposal leaves the approver's queue",
        "return !!document.querySelector('[data-testid=queue-list]') &&
                !document.querySelector(`[data-testid='review-row-${arguments[0]}']`);",
        json!([usulan_id]),
        Duration::from_secs(180),
    )
    .await;

    // The ASN sees the applied record.
    app_logout(&wd).await;
    app_login(&wd, ASN).await;
    wd.wait_until(
        "the ASN's beranda shows the approved jabatan",
        "const j = document.querySelector('[data-testid=asn-jabatan]'); return j && j.textContent.trim() === arguments[0];",
        json!([REVIEWED_JABATAN]),
        Duration::from_secs(180),
    )
    .await;
    save_screenshot(&wd, "r07-asn-applied").await;

    wd.quit().await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_admin_locks_an_account_and_the_login_says_why() {
    let _serial = SERIAL.lock().await;
    const ADMIN: &str = "198011202006041001";
    const REASON: &str = "Data sedang diaudit";
    let app_bin = binary("mysapk-app");
    let Demo { tmp: _tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let server = start_server(&http, &db, &addr).await;
    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;

    app_login(&wd, ADMIN).await;
    wd.click(&wd.wait_for("[data-testid=open-admin]", LONG).await).await;
    let q = wd.wait_for("#admin-q", LONG).await;
    wd.type_text(&q, "Budi").await;
    wd.click(&wd.wait_for("[data-testid=admin-search]", LONG).await).await;
    wd.click(&wd.wait_for(&format!("[data-testid='lock-{ASN}']"), LONG).await).await;
    let reason = wd.wait_for("[data-testid=lock-reason]", LONG).await;
    wd.type_text(&reason, REASON).await;
    wd.click(&wd.wait_for("[data-testid=lock-confirm]", LONG).await).await;
    wd.wait_for(&format!("[data-testid='account-{ASN}'][data-locked=true]"), LONG).await;
    wd.click(&wd.wait_for(&format!("[data-testid='reset-{ASN}']"), LONG).await).await;
    wd.wait_for(&format!("[data-testid='reset-code-{ASN}']"), LONG).await;
    save_screenshot(&wd, "a01-admin-locked").await;

    let title = wd.wait_for("#announce-title", LONG).await;
    wd.type_text(&title, "Libur nasional").await;
    let body = wd.wait_for("#announce-body", LONG).await;
    wd.type_text(&body, "Kantor tutup tanggal 17.").await;
    wd.click(&wd.wait_for("[data-testid=announce-send]", LONG).await).await;
    wd.wait_for("[data-testid=admin-notice]", LONG).await;
    save_screenshot(&wd, "a02-admin-announced").await;

    // The agency's audit log shows the lock, newest first, with its reason, actor and device.
    wd.click(&wd.wait_for("[data-testid=open-agency-audit]", LONG).await).await;
    wd.wait_for("[data-testid=agency-audit-list]", LONG).await;
    let row = wd.wait_for("[data-testid=agency-audit-row][data-action='account.lock']", LONG).await;
    let text = wd.text(&row).await;
    assert!(text.contains("Akun dikunci") && text.contains(REASON) && text.contains(ADMIN), "{text}");
    let first =
        wd.execute("return document.querySelector('[data-testid=agency-audit-row]').dataset.action", json!([])).await;
    assert_eq!(first, json!("announcement.send"), "newest first");
    let filter = wd.wait_for("[data-testid=agency-audit-filter]", LONG).await;
    wd.type_text(&filter, "dikunci").await;
    wd.wait_until(
        "the filter keeps only the lock",
        "const r = [...document.querySelectorAll('[data-testid=agency-audit-row]')]; \
         return r.length > 0 && r.every(e => e.dataset.action === 'account.lock')",
        json!([]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "a02b-agency-audit").await;

    // The locked ASN's login says why.
    app_logout(&wd).await;
    let field = wd.wait_for("#login-nip", LONG).await;
    wd.type_text(&field, ASN).await;
    wd.type_text(&wd.wait_for("#login-password", LONG).await, PASSWORD).await;
    wd.click(&wd.wait_for("#login-submit", LONG).await).await;
    let error = wd.wait_for("[data-testid=login-error][data-code='auth.locked']", LONG).await;
    let text = wd.text(&error).await;
    assert!(text.contains("Akun dikunci") && text.contains(REASON), "{text}");
    save_screenshot(&wd, "a03-login-locked").await;

    // A new account (created over HTTP, no password yet) is activated in the app with a one-time code.
    let admin_token = api_login(&http, &base, ADMIN).await;
    let created = http
        .post(format!("{base}/api/v1/admin/accounts"))
        .bearer_auth(&admin_token)
        .json(&json!({"nip": NEW_NIP, "nama": "Rina Aktivasi", "tanggal_lahir": "1995-03-15",
            "tempat_lahir": "Bandung", "email": null, "unor_nama": "Biro Umum", "roles": []}))
        .send()
        .await
        .expect("create account");
    assert!(created.status().is_success(), "create account: {}", created.status());
    let field = wd.wait_for("#login-nip", LONG).await;
    wd.clear(&field).await;
    wd.type_text(&field, NEW_NIP).await;
    let pw = wd.wait_for("#login-password", LONG).await;
    wd.clear(&pw).await;
    wd.type_text(&pw, "belum-ada-123").await;
    wd.click(&wd.wait_for("#login-submit", LONG).await).await;
    // Not activated answers as any wrong password does; the hint offers the activation form.
    wd.wait_for("[data-testid=login-error][data-code='auth.invalid_credentials']", LONG).await;
    let hint = wd.text(&wd.wait_for("[data-testid=login-not-activated]", LONG).await).await;
    assert!(hint.contains("kode aktivasi"), "{hint}");
    save_screenshot(&wd, "a04-login-not-activated").await;
    wd.click(&wd.wait_for("[data-testid=login-open-activate]", LONG).await).await;
    wd.wait_for("[data-testid=activate-form]", LONG).await;

    // The admin issues the code (over HTTP here); a wrong code first, then the right one.
    let code: Value = http
        .post(format!("{base}/api/v1/admin/accounts/{NEW_NIP}/reset-code"))
        .bearer_auth(&admin_token)
        .json(&json!({}))
        .send()
        .await
        .expect("reset code")
        .json()
        .await
        .expect("reset code json");
    let code = code["code"].as_str().unwrap_or_else(|| panic!("no code: {code}")).to_owned();
    let nip_value = wd.execute("return document.querySelector('[data-testid=activate-nip]').value", json!([])).await;
    assert_eq!(nip_value, json!(NEW_NIP), "the NIP carries over from the login form");
    let code_field = wd.wait_for("[data-testid=activate-code]", LONG).await;
    wd.type_text(&code_field, "SALAH123").await;
    wd.type_text(&wd.wait_for("[data-testid=activate-password]", LONG).await, NEW_PASSWORD).await;
    wd.type_text(&wd.wait_for("[data-testid=activate-password2]", LONG).await, NEW_PASSWORD).await;
    wd.click(&wd.wait_for("[data-testid=activate-submit]", LONG).await).await;
    let wrong = wd.wait_for("[data-testid=activate-error][data-code='auth.reset_invalid']", LONG).await;
    assert!(wd.text(&wrong).await.contains("Kode salah"), "a clear message for a wrong code");
    let code_field = wd.wait_for("[data-testid=activate-code]", LONG).await;
    wd.clear(&code_field).await;
    wd.type_text(&code_field, &code).await;
    save_screenshot(&wd, "a05-activate-form").await;
    wd.click(&wd.wait_for("[data-testid=activate-submit]", LONG).await).await;
    wd.wait_for("[data-testid=screen-beranda]", LONG).await;
    wd.wait_until(
        "the new account's record on the beranda",
        "return document.body.innerText.includes(arguments[0])",
        json!(["Rina Aktivasi"]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "a06-activated-beranda").await;

    // The audit trail names the actions in words.
    wd.click(&wd.wait_for("[data-testid=open-audit]", LONG).await).await;
    wd.wait_until(
        "translated audit actions",
        "return document.body.innerText.includes(arguments[0])",
        json!(["Kata sandi ditetapkan dengan kode"]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "a07-audit-translated").await;

    wd.quit().await;
    drop(server);
}
