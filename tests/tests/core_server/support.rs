//! The test bench: a seeded server on SQLite or a fresh PostgreSQL database, raw HTTP clients for the
//! reviewers, and a core pointed at the server.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mysapk_core::{Core, CoreConfig};
use mysapk_model::auth::{LoginRequest, TokenResponse};
use mysapk_model::review::{DecisionRequest, ReviewQueue};
use mysapk_model::sync::{Change, PullResponse, PushRequest, PushResponse};
use mysapk_model::usulan::{Decision, Usulan};
use mysapk_server::{Config, RunningServer};
use sqlx::Connection;

pub const ASN: &str = "199001012015031001";
pub const VERIFIKATOR: &str = "198503102010011002";
pub const APPROVER: &str = "197808172005011001";
pub const PASSWORD: &str = "demo1234";

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One test's world. Tests run one at a time: the mock keystore is shared by the process.
pub struct Bench {
    pub dir: tempfile::TempDir,
    pub database_url: String,
    pub addr: SocketAddr,
    pub server: Option<RunningServer>,
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/domain/reference")
}

impl Bench {
    /// A seeded database and a free port; the server is not started yet.
    pub async fn new(backend: Backend) -> Bench {
        let serial = SERIAL.lock().await;
        mysapk_core::secrets::use_mock_store_for_tests();
        let dir = tempfile::tempdir().expect("tempdir");
        let database_url = match backend {
            Backend::Sqlite => format!("sqlite://{}", dir.path().join("server.sqlite").display()),
            Backend::Postgres => fresh_pg_database().await,
        };
        mysapk_seed::seed_demo(&database_url, &reference_dir()).await.expect("seed the demo data");
        let addr = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            l.local_addr().expect("addr")
        };
        Bench { dir, database_url, addr, server: None, _serial: serial }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn start(&mut self) {
        self.start_with(|_| {}).await;
    }

    /// Start with a changed configuration (e.g. short token lifetimes).
    pub async fn start_with(&mut self, edit: impl FnOnce(&mut Config)) {
        assert!(self.server.is_none(), "server already running");
        let mut config = Config::for_database(self.database_url.clone());
        config.addr = self.addr;
        config.reference_dir = reference_dir();
        config.mfa_required = mysapk_server::config::MfaPolicy::None;
        // Documents go to the test's temporary directory, not the source tree.
        config.document_dir = self.dir.path().join("documents");
        edit(&mut config);
        self.server = Some(mysapk_server::start(config).await.expect("start server"));
    }

    pub async fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
    }

    /// A core (a device) with its own data directory under the bench.
    pub fn core(&self, device: &str) -> Arc<Core> {
        Core::open(CoreConfig::new(self.device_dir(device), self.url())).expect("open core")
    }

    pub fn device_dir(&self, device: &str) -> PathBuf {
        self.dir.path().join(device)
    }

    pub async fn finish(mut self) {
        self.stop().await;
    }
}

async fn fresh_pg_database() -> String {
    let base = std::env::var("MYSAPK_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let name = format!("mysapk_e2e_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at MYSAPK_TEST_PG_URL is required for these tests: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
    conn.close().await.expect("close");
    let mut url = reqwest::Url::parse(&base).expect("MYSAPK_TEST_PG_URL is a URL");
    url.set_path(&name);
    url.to_string()
}

/// A raw HTTP client of the server, as a reviewer's browser or a second program would be.
pub struct Raw {
    http: reqwest::Client,
    base: String,
    pub token: String,
}

impl Raw {
    pub async fn login(base: &str, nip: &str) -> Raw {
        let http = reqwest::Client::new();
        let res = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&LoginRequest::new(nip, PASSWORD))
            .send()
            .await
            .expect("login request");
        assert!(res.status().is_success(), "login of {nip}: {}", res.status());
        let tokens: TokenResponse = res.json().await.expect("token response");
        Raw { http, base: base.to_owned(), token: tokens.access_token }
    }

    pub async fn queue(&self) -> ReviewQueue {
        let res = self
            .http
            .get(format!("{}/api/v1/review/queue", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("queue request");
        assert!(res.status().is_success(), "queue: {}", res.status());
        res.json().await.expect("queue body")
    }

    pub async fn decide(&self, usulan_id: &str, decision: Decision) -> Usulan {
        let res = self
            .http
            .post(format!("{}/api/v1/review/{usulan_id}/decision", self.base))
            .bearer_auth(&self.token)
            .json(&DecisionRequest { decision, reason: None, expected_state: None })
            .send()
            .await
            .expect("decision request");
        assert!(res.status().is_success(), "decision {decision:?} on {usulan_id}: {}", res.status());
        res.json().await.expect("decision body")
    }

    /// Upload a document in one chunk (as the core does before pushing the proposals that need it).
    pub async fn upload(&self, content: &[u8]) {
        use sha2::Digest;
        let sha256 = hex::encode(sha2::Sha256::digest(content));
        let res = self
            .http
            .patch(format!("{}/api/v1/documents/{sha256}", self.base))
            .bearer_auth(&self.token)
            .header("Upload-Offset", "0")
            .header("Upload-Length", content.len().to_string())
            .body(content.to_vec())
            .send()
            .await
            .expect("upload request");
        assert!(res.status().is_success(), "upload: {}", res.status());
    }

    pub async fn push(&self, request: &PushRequest) -> PushResponse {
        let res = self
            .http
            .post(format!("{}/api/v1/sync/push", self.base))
            .bearer_auth(&self.token)
            .json(request)
            .send()
            .await
            .expect("push request");
        assert!(res.status().is_success(), "push: {}", res.status());
        res.json().await.expect("push body")
    }

    /// Every change of this user from the start.
    pub async fn pull_all(&self) -> Vec<Change> {
        let mut cursor: Option<String> = None;
        let mut out = Vec::new();
        loop {
            let mut req = self.http.get(format!("{}/api/v1/sync", self.base)).bearer_auth(&self.token);
            if let Some(c) = &cursor {
                req = req.query(&[("cursor", c)]);
            }
            let res = req.send().await.expect("pull request");
            assert!(res.status().is_success(), "pull: {}", res.status());
            let page: PullResponse = res.json().await.expect("pull body");
            out.extend(page.changes);
            if !page.has_more {
                return out;
            }
            cursor = Some(page.cursor);
        }
    }

    /// The user's proposals on the server, from a full pull.
    pub async fn usulan(&self) -> Vec<Usulan> {
        self.pull_all()
            .await
            .into_iter()
            .filter_map(|c| match c {
                Change::Usulan { usulan } => Some(usulan),
                _ => None,
            })
            .collect()
    }
}
