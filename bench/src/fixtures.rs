//! Servers for the benchmarks: the real server (in-process, on SQLite or a fresh PostgreSQL database), bulk
//! seeding of history records through the server's own storage functions, and a stub sync server that serves
//! pre-built pull pages.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use indicatif::ProgressBar;
use mysapk_model::auth::{LoginRequest, TokenResponse, UserInfo};
use mysapk_model::history::{HistoryData, HistoryRecord};
use mysapk_model::sync::{Change, PullResponse};
use mysapk_model::usulan::Role;
use mysapk_server::{Config, RunningServer};
use sqlx::Connection;

pub const PASSWORD: &str = "demo1234";
/// Demo users from the server's seed (all can log in; the first two are plain ASN).
pub const DEMO_USERS: [&str; 6] = [
    "199001012015031001",
    "199205152019032003",
    "198503102010011002",
    "197808172005011001",
    "198011202006041001",
    "199112312020122001",
];
/// The pull page size of the core (`PULL_LIMIT`) and the server's default.
pub const PAGE: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Key a bare rusqlite connection as the core keys its account database: SQLCipher with a raw random 256-bit key
/// (hex), so no key derivation runs at open. Call before anything else on the connection.
pub fn key_like_the_core(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let key = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    conn.pragma_update(None, "key", format!("x'{key}'"))
}

pub fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/domain/reference")
}

pub fn pg_base_url() -> String {
    std::env::var("MYSAPK_BENCH_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A seeded server running in this process (release code when the bench is built with `--release`).
pub struct ServerEnv {
    pub database_url: String,
    pub server: Option<RunningServer>,
    pg_database: Option<String>,
}

impl ServerEnv {
    pub async fn start(backend: Backend, dir: &Path) -> anyhow::Result<ServerEnv> {
        ServerEnv::start_with(backend, dir, |_| {}).await
    }

    /// [`ServerEnv::start`] with `edit` applied to the server's configuration before it starts (HTTPS, limits).
    pub async fn start_with(backend: Backend, dir: &Path, edit: impl FnOnce(&mut Config)) -> anyhow::Result<ServerEnv> {
        let (database_url, pg_database) = create_database(backend, dir).await?;
        mysapk_seed::seed_demo(&database_url, &reference_dir()).await.context("seed the demo data")?;
        ServerEnv::serve(database_url, pg_database, edit).await
    }

    /// A server on a fresh database holding `asn` generated ASN (`seed --asn`) instead of the demo data.
    pub async fn start_generated(
        backend: Backend,
        dir: &Path,
        asn: usize,
        instansi: usize,
        bar: ProgressBar,
    ) -> anyhow::Result<(ServerEnv, mysapk_seed::GenerateReport)> {
        let (database_url, pg_database) = create_database(backend, dir).await?;
        let opts = mysapk_seed::GenerateOptions::new(asn, instansi);
        let report = mysapk_seed::generate(&database_url, &reference_dir(), &opts, bar).await.context("seed --asn")?;
        Ok((ServerEnv::serve(database_url, pg_database, |_| {}).await?, report))
    }

    async fn serve(
        database_url: String,
        pg_database: Option<String>,
        edit: impl FnOnce(&mut Config),
    ) -> anyhow::Result<ServerEnv> {
        let mut config = Config::for_database(database_url.clone());
        config.reference_dir = reference_dir();
        config.mfa_required = mysapk_server::config::MfaPolicy::None;
        edit(&mut config);
        let server = mysapk_server::start(config).await.context("start the server")?;
        Ok(ServerEnv { database_url, server: Some(server), pg_database })
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.as_ref().map_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)), RunningServer::addr)
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr())
    }

    pub async fn finish(mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
        if let Some(name) = self.pg_database.take() {
            if let Ok(mut conn) = sqlx::PgConnection::connect(&pg_base_url()).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
                let _ = conn.close().await;
            }
        }
    }
}

/// A fresh database for one bench server: a file in `dir`, or a new PostgreSQL database (dropped by
/// [`ServerEnv::finish`]).
async fn create_database(backend: Backend, dir: &Path) -> anyhow::Result<(String, Option<String>)> {
    Ok(match backend {
        Backend::Sqlite => (format!("sqlite://{}", dir.join("server.sqlite").display()), None),
        Backend::Postgres => {
            let name = format!("mysapk_bench_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&pg_base_url())
                .await
                .with_context(|| format!("PostgreSQL at {}", pg_base_url()))?;
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await?;
            conn.close().await?;
            let mut url = reqwest::Url::parse(&pg_base_url())?;
            url.set_path(&name);
            (url.to_string(), Some(name))
        }
    })
}

/// A golongan record; `i` varies the grade and dates.
pub fn history_record(i: usize) -> HistoryRecord {
    const GRADES: [&str; 8] = ["21", "22", "23", "24", "31", "32", "33", "34"];
    let base = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN);
    let tmt = base + chrono::Duration::days((i % 12_000) as i64);
    HistoryRecord {
        id: uuid::Uuid::new_v4().to_string(),
        data: HistoryData::Golongan(mysapk_model::history::Golongan {
            golongan_id: GRADES[i % GRADES.len()].to_owned(),
            tmt_golongan: tmt,
            sk_nomor: format!("KP-{i:06}/BKN/{}", 1990 + i % 30),
            sk_tanggal: tmt,
            jenis_kp_id: None,
            mk_tahun: None,
            mk_bulan: None,
        }),
        last_usulan_id: None,
        siasn_id: None,
    }
}

/// Add `n` history records of `nip` on the server, with their change-log entries, through the server's own
/// storage functions (transactions of 2,000).
pub async fn seed_history(database_url: &str, nip: &str, n: usize, bar: &ProgressBar) -> anyhow::Result<()> {
    use mysapk_server::db;
    let pool = db::connect(database_url).await?;
    let mut i = 0;
    while i < n {
        let end = (i + 2_000).min(n);
        let mut tx = db::begin_write(&pool, &db::NoHook).await?;
        for k in i..end {
            let record = history_record(k);
            db::records::put_history(&mut tx, nip, &record).await?;
            db::log_change(&mut tx, Some(nip), db::ENTITY_HISTORY, &record.id).await?;
        }
        tx.commit().await?;
        bar.inc((end - i) as u64);
        i = end;
    }
    pool.close().await;
    Ok(())
}

/// `POST /api/v1/auth/login` of `nip` with the demo password.
pub async fn login(http: &reqwest::Client, base: &str, nip: &str) -> anyhow::Result<TokenResponse> {
    Ok(http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&LoginRequest::new(nip, PASSWORD))
        .send()
        .await?
        .error_for_status()
        .with_context(|| format!("login of {nip}"))?
        .json()
        .await?)
}

/// A session of `nip` that has pulled everything there is: its access token and its cursor, so that its next
/// pull is a no-change sync.
pub async fn caught_up_session(http: &reqwest::Client, base: &str, nip: &str) -> anyhow::Result<(String, String)> {
    let tokens = login(http, base, nip).await?;
    let mut cursor = String::new();
    loop {
        let page: PullResponse = http
            .get(format!("{base}/api/v1/sync"))
            .query(&[("cursor", cursor.as_str()), ("limit", "2000")])
            .bearer_auth(&tokens.access_token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        cursor = page.cursor;
        if !page.has_more {
            return Ok((tokens.access_token, cursor));
        }
    }
}

/// Count the proposals of `nip` on the server: (rows, distinct ids).
pub async fn server_usulan_ids(database_url: &str, nip: &str) -> anyhow::Result<Vec<String>> {
    let pool = mysapk_server::db::connect(database_url).await?;
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM usulan WHERE nip = $1").bind(nip).fetch_all(&pool).await?;
    pool.close().await;
    Ok(ids)
}

/// A stub of the sync API: logs anyone in as `user` and, once armed, serves pre-serialized pages of
/// `PAGE` changes (the cursor is the offset). Unarmed, a pull returns nothing.
pub struct Stub {
    pub addr: SocketAddr,
    state: Arc<StubState>,
    task: tokio::task::JoinHandle<()>,
}

struct StubState {
    user: UserInfo,
    pages: Vec<Vec<u8>>,
    armed: AtomicBool,
}

impl Stub {
    pub async fn start(nip: &str, changes: Vec<Change>) -> anyhow::Result<Stub> {
        let total = changes.len();
        let mut pages = Vec::new();
        let mut rest = changes;
        let mut offset = 0;
        while !rest.is_empty() {
            let tail = rest.split_off(rest.len().min(PAGE));
            offset += rest.len();
            let page = PullResponse { cursor: offset.to_string(), has_more: offset < total, changes: rest, card: None };
            pages.push(serde_json::to_vec(&page)?);
            rest = tail;
        }
        let state = Arc::new(StubState {
            user: UserInfo {
                nip: nip.to_owned(),
                nama: "Bench".into(),
                instansi_id: "bench".into(),
                roles: vec![Role::Asn],
            },
            pages,
            armed: AtomicBool::new(false),
        });
        let app = Router::new()
            .route("/api/v1/auth/login", post(stub_login))
            .route("/api/v1/sync", get(stub_pull))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Stub { addr, state, task })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn arm(&self, on: bool) {
        self.state.armed.store(on, Ordering::SeqCst);
    }

    /// The serialized pages (for measuring JSON decoding alone).
    pub fn pages(&self) -> &[Vec<u8>] {
        &self.state.pages
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn stub_login(State(s): State<Arc<StubState>>) -> Json<TokenResponse> {
    Json(TokenResponse {
        access_token: "stub-access".into(),
        refresh_token: "stub-refresh".into(),
        expires_in: 3600,
        token_type: "Bearer".into(),
        user: s.user.clone(),
        mfa_enrollment_required: false,
    })
}

async fn stub_pull(State(s): State<Arc<StubState>>, Query(q): Query<HashMap<String, String>>) -> impl IntoResponse {
    let empty = || {
        serde_json::to_vec(&PullResponse { cursor: "0".into(), has_more: false, changes: vec![], card: None })
            .unwrap_or_default()
    };
    let body = if s.armed.load(Ordering::SeqCst) {
        let offset: usize = q.get("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
        s.pages.get(offset / PAGE).cloned().unwrap_or_else(empty)
    } else {
        empty()
    };
    ([(header::CONTENT_TYPE, "application/json")], body)
}
