//! The world of one fault test: a seeded server database (SQLite, or a fresh PostgreSQL database), the server
//! in this process or in a child process that can be killed, devices, and the invariant checks.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mysapk_core::{Core, CoreConfig};
use mysapk_model::usulan::UsulanState;
use mysapk_server::{Config, RunningServer};
use sqlx::Connection;

pub const ASN: &str = "199001012015031001";
pub const PASSWORD: &str = "demo1234";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// `MYSAPK_CHAOS_LONG=1` selects the long sizes.
pub fn long() -> bool {
    std::env::var("MYSAPK_CHAOS_LONG").is_ok_and(|v| v == "1")
}

/// `short` normally, `long` with `MYSAPK_CHAOS_LONG=1`.
pub fn size(short: usize, long_size: usize) -> usize {
    if long() {
        long_size
    } else {
        short
    }
}

/// A small seeded generator (the seed is printed so a failure can be replayed with `MYSAPK_CHAOS_SEED`).
pub struct Rng(u64);

impl Rng {
    pub fn new(test: &str) -> Rng {
        let seed = std::env::var("MYSAPK_CHAOS_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| uuid::Uuid::new_v4().as_u128() as u64);
        eprintln!("{test}: MYSAPK_CHAOS_SEED={seed}");
        Rng(seed | 1)
    }

    /// A generator from a seed drawn from another (replayed with the parent's seed; not printed).
    pub fn derived(parent: &mut Rng) -> Rng {
        Rng(parent.next() | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo).max(1)
    }
}

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/domain/reference")
}

pub struct World {
    pub dir: tempfile::TempDir,
    pub database_url: String,
    pub addr: SocketAddr,
    /// Whether `finish` drops the database (a fresh one on `MYSAPK_TEST_PG_URL`).
    owns_database: bool,
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

impl World {
    /// A seeded database and a free port. Tests run one at a time: the mock keystore is shared by the process.
    pub async fn new(backend: Backend) -> World {
        let serial = SERIAL.lock().await;
        mysapk_core::secrets::use_mock_store_for_tests();
        let dir = tempfile::tempdir().expect("tempdir");
        let database_url = match backend {
            Backend::Sqlite => format!("sqlite://{}", dir.path().join("server.sqlite").display()),
            Backend::Postgres => fresh_pg_database().await,
        };
        mysapk_seed::seed_demo(&database_url, &reference_dir()).await.expect("seed the demo data");
        let addr = free_port();
        World { dir, database_url, addr, owns_database: backend == Backend::Postgres, _serial: serial }
    }

    /// A world on an existing, empty PostgreSQL database (R8's, through HAProxy), seeded with the demo data;
    /// `finish` leaves the database alone.
    pub async fn on_database(database_url: String) -> World {
        let serial = SERIAL.lock().await;
        mysapk_core::secrets::use_mock_store_for_tests();
        let dir = tempfile::tempdir().expect("tempdir");
        mysapk_seed::seed_demo(&database_url, &reference_dir()).await.expect("seed the demo data");
        let addr = free_port();
        World { dir, database_url, addr, owns_database: false, _serial: serial }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server in this process.
    pub async fn start(&self, access_ttl: Option<Duration>) -> RunningServer {
        let mut config = Config::for_database(self.database_url.clone());
        config.addr = self.addr;
        config.reference_dir = reference_dir();
        config.mfa_required = mysapk_server::config::MfaPolicy::None;
        if let Some(ttl) = access_ttl {
            config.access_ttl = ttl;
        }
        mysapk_server::start(config).await.expect("start server")
    }

    /// The server in a child process (`chaos-server`), ready when this returns.
    pub fn spawn_server(&self) -> ServerProcess {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mut child = Command::new(env!("CARGO_BIN_EXE_chaos-server"))
                .arg(&self.database_url)
                .arg(self.addr.to_string())
                .stdout(Stdio::piped())
                .stderr(server_log(self.dir.path()))
                .spawn()
                .expect("spawn chaos-server");
            let stdout = child.stdout.take().expect("stdout");
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            if line.starts_with("listening") {
                return ServerProcess(child);
            }
            // The port may still be held by the killed process for a moment.
            let _ = child.kill();
            let _ = child.wait();
            assert!(Instant::now() < deadline, "chaos-server did not start: {line:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn device_dir(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn core(&self, name: &str, url: &str) -> Arc<Core> {
        Core::open(CoreConfig::new(self.device_dir(name), url.to_owned())).expect("open core")
    }

    /// The marker of every proposal of `nip` on the server, with its usulan id.
    pub async fn server_proposals(&self, nip: &str) -> Vec<(String, String)> {
        let pool = mysapk_server::db::connect(&self.database_url).await.expect("server database");
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, data FROM usulan WHERE nip = $1")
            .bind(nip)
            .fetch_all(&pool)
            .await
            .expect("usulan rows");
        pool.close().await;
        rows.into_iter()
            .map(|(id, data)| {
                let v: serde_json::Value = serde_json::from_str(&data).expect("usulan json");
                (id, find_string(&v, MARKER_KEY).unwrap_or_default())
            })
            .collect()
    }

    pub async fn finish(self) {
        if self.owns_database {
            let name = self.database_url.rsplit('/').next().unwrap_or_default().to_owned();
            if let Ok(mut conn) = sqlx::PgConnection::connect(&pg_base()).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
                let _ = conn.close().await;
            }
        }
    }
}

/// A `chaos-server` child. Killed (SIGKILL) and reaped when dropped, so a failing test leaves no server behind.
pub struct ServerProcess(Child);

impl ServerProcess {
    pub fn id(&self) -> u32 {
        self.0.id()
    }

    /// SIGKILL the server and reap it (again is harmless).
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The servers' log lines (stderr), appended to `server.log` in the world's directory.
fn server_log(dir: &Path) -> Stdio {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .map_or_else(|_| Stdio::null(), Stdio::from)
}

pub fn free_port() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    l.local_addr().expect("addr")
}

fn pg_base() -> String {
    std::env::var("MYSAPK_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

async fn fresh_pg_database() -> String {
    let name = format!("mysapk_chaos_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&pg_base())
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at MYSAPK_TEST_PG_URL is required for these tests: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
    conn.close().await.expect("close");
    let mut url = reqwest::Url::parse(&pg_base()).expect("MYSAPK_TEST_PG_URL is a URL");
    url.set_path(&name);
    url.to_string()
}

use mysapk_chaos::proposals::{find_string, MARKER_KEY};
pub use mysapk_chaos::proposals::{marker_of, proposal};

/// Sync until the outbox is empty (at most `tries` attempts, pausing between failures as long as a busy server
/// asks, else 200 ms).
pub async fn drain(core: &Core, tries: usize) {
    let mut last = None;
    for _ in 0..tries {
        let mut pause = Duration::from_millis(200);
        match core.sync_now().await {
            Ok(s) if s.pending == 0 => return,
            Ok(s) => last = Some(format!("pending {}", s.pending)),
            Err(e) => {
                pause = pause.max(e.retry_after().unwrap_or_default());
                last = Some(format!("{}: {e}", e.code()));
            }
        }
        tokio::time::sleep(pause).await;
    }
    panic!("the outbox did not drain: {last:?}, status {:?}", core.status());
}

/// The invariants after a drain: every `expected` marker is on the server exactly once, no proposal is there
/// twice, the device's proposals and the server's are the same set, none is still queued on the device, and
/// every pending overlay belongs to a known proposal (no orphan overlay).
pub async fn check_invariants(world: &World, core: &Core, expected: &BTreeSet<String>) -> usize {
    check_invariants_of(world, core, ASN, expected).await
}

/// [`check_invariants`] for the device of `nip`.
pub async fn check_invariants_of(world: &World, core: &Core, nip: &str, expected: &BTreeSet<String>) -> usize {
    let status = core.status();
    assert_eq!(status.pending, 0, "outbox empty: {status:?}");
    let server = world.server_proposals(nip).await;
    let mut by_marker: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, m) in &server {
        *by_marker.entry(m.as_str()).or_insert(0) += 1;
    }
    let twice: Vec<_> = by_marker.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "proposals applied twice on the server: {twice:?}");
    let lost: Vec<_> = expected.iter().filter(|m| !by_marker.contains_key(m.as_str())).collect();
    assert!(lost.is_empty(), "{} saved proposals never reached the server: {:?}", lost.len(), lost);
    let beranda = core.beranda().expect("beranda");
    let local: BTreeMap<String, UsulanState> = beranda.usulan.iter().map(|u| (u.id.clone(), u.state)).collect();
    let server_ids: BTreeSet<&str> = server.iter().map(|(id, _)| id.as_str()).collect();
    let queued: Vec<_> = local.iter().filter(|(_, s)| **s == UsulanState::Queued).collect();
    assert!(queued.is_empty(), "proposals still queued on the device after the drain: {}", queued.len());
    let only_local: Vec<_> = local.keys().filter(|id| !server_ids.contains(id.as_str())).collect();
    assert!(only_local.is_empty(), "device proposals the server never got (orphans): {only_local:?}");
    let only_server: Vec<_> = server_ids.iter().filter(|id| !local.contains_key(**id)).collect();
    assert!(only_server.is_empty(), "server proposals the device does not show: {only_server:?}");
    let mut overlays = Vec::new();
    overlays.extend(beranda.pending_owner.iter().map(|u| u.id.clone()));
    for h in &beranda.histories {
        overlays.extend(h.pending_additions.iter().map(|u| u.id.clone()));
        for item in &h.items {
            overlays.extend(item.pending.iter().map(|u| u.id.clone()));
        }
    }
    let orphans: Vec<_> = overlays.iter().filter(|id| !local.contains_key(*id)).collect();
    assert!(orphans.is_empty(), "overlays without a proposal: {orphans:?}");
    server.len()
}
