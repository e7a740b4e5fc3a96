//! The test's world outside the app: child processes, the demo server, the session bus, one app at a time.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when dropped.
pub(crate) struct Proc(pub(crate) Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

pub(crate) fn binary(name: &str) -> PathBuf {
    let p = target_dir().join("debug").join(name);
    assert!(p.exists(), "{} is missing: run `cargo build -p mysapk-server-cli -p mysapk-app` first", p.display());
    p.canonicalize().expect("absolute path")
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

pub(crate) fn server_cmd(db: &Path, addr: &str) -> Command {
    let mut c = Command::new(binary("mysapk-server"));
    c.env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("MYSAPK_ADDR", addr)
        .env("MYSAPK_MFA_REQUIRED", "none")
        .current_dir(root());
    c
}

/// One test's world: a temporary directory, the demo data seeded into a SQLite file in it, a free address for the
/// server (started with [`start_server`]), the app's data directory and an HTTP client.
pub(crate) struct Demo {
    pub(crate) tmp: tempfile::TempDir,
    pub(crate) db: PathBuf,
    pub(crate) addr: String,
    pub(crate) base: String,
    pub(crate) http: reqwest::Client,
    pub(crate) data_dir: PathBuf,
}

impl Demo {
    pub(crate) fn seeded() -> Demo {
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

pub(crate) async fn start_server(http: &reqwest::Client, db: &Path, addr: &str) -> Proc {
    let child = server_cmd(db, addr).arg("serve").stdout(Stdio::null()).spawn().expect("spawn server");
    let proc = Proc(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !http.get(format!("http://{addr}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
        assert!(Instant::now() < deadline, "the server did not start on {addr}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    proc
}

/// Watches the session bus for `Notify` calls (system notifications), when a session bus is there.
pub(crate) fn watch_notifications(log: &Path) -> Option<Proc> {
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
pub(crate) fn notification_daemon() -> Option<Proc> {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS")?;
    let child = Command::new("dunst").stdout(Stdio::null()).stderr(Stdio::null()).spawn().ok()?;
    Some(Proc(child))
}

/// The app sessions run one at a time (one display, two cores).
pub(crate) static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub(crate) const LONG: Duration = Duration::from_secs(120);

/// A small, whole PDF (the app and the server check the content, not the name).
pub(crate) fn test_pdf(title: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {title}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").into_bytes()
}
