//! Test harness: a fresh database per test (SQLite temp file or a new PostgreSQL database), seeded with the
//! demo data, and a real server bound on loopback.

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mysapk_model::auth::TokenResponse;
use mysapk_model::sync::{Change, Mutation, MutationOp, PullResponse, PushResponse};
use mysapk_server::{Config, RunningServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Connection;

pub const BUDI: &str = "199001012015031001";
pub const SITI: &str = "199205152019032003";
pub const VERIFIKATOR_A: &str = "198503102010011002";
pub const APPROVER_A: &str = "197808172005011001";
pub const ADMIN_A: &str = "198011202006041001";
pub const DEWI_B: &str = "199112312020122001";
pub const INSTANSI_B: &str = "A5EB03E23B74F6A0E040640A040252AD";

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What a test gets: the server's base URL, an HTTP client and the database URL.
#[derive(Clone)]
pub struct Ctx {
    pub base: String,
    pub http: reqwest::Client,
    pub db_url: String,
    /// The server's document blob directory.
    pub doc_dir: std::path::PathBuf,
    /// Access tokens whose user already uploaded [`standard_pdf`] (see [`Ctx::push`]).
    pub uploaded: Arc<Mutex<HashSet<String>>>,
    /// The server's live state: the hook of writes a test makes on the database directly.
    pub live: Arc<mysapk_server::live::Live>,
}

pub fn reference_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/domain/reference")
}

fn pg_admin_url() -> String {
    std::env::var("MYSAPK_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn with_database(admin: &str, db: &str) -> String {
    let (head, query) = match admin.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (admin, None),
    };
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let base = match head[scheme_end..].rfind('/') {
        Some(i) => &head[..scheme_end + i],
        None => head,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

async fn admin_exec(sql: &str) {
    sqlx::any::install_default_drivers();
    let url = pg_admin_url();
    let mut conn = sqlx::AnyConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL unreachable at {url} (set MYSAPK_TEST_PG_URL): {e}"));
    sqlx::query(sql).execute(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

/// Run `test` against a fresh, seeded database on `backend`, then clean up (also when the test panics).
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let tmp = tempfile::tempdir().expect("tempdir");
    let (db_url, pg_name) = match backend {
        Backend::Sqlite => (format!("sqlite://{}", tmp.path().join("test.sqlite").display()), None),
        Backend::Postgres => {
            let name = format!("mysapk_t_{}", uuid::Uuid::new_v4().simple());
            admin_exec(&format!("CREATE DATABASE {name}")).await;
            (with_database(&pg_admin_url(), &name), Some(name))
        }
    };
    let outcome = async {
        let report = mysapk_seed::seed_demo(&db_url, &reference_dir()).await.expect("seed");
        assert!(report.created);
        let doc_dir = tmp.path().join("documents");
        let dir = doc_dir.clone();
        let server = start(&db_url, move |c| c.document_dir = dir).await;
        let ctx = Ctx {
            base: format!("http://{}", server.addr()),
            http: client(),
            db_url: db_url.clone(),
            doc_dir,
            uploaded: Arc::default(),
            live: server.live(),
        };
        let result = tokio::spawn(test(ctx)).await;
        server.shutdown().await;
        result
    }
    .await;
    if let Some(name) = pg_name {
        admin_exec(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
    }
    drop(tmp);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client")
}

/// Start a server on `db_url` with a tweaked config.
pub async fn start(db_url: &str, tweak: impl FnOnce(&mut Config)) -> RunningServer {
    let mut config = Config::for_database(db_url);
    config.reference_dir = reference_dir();
    // The demo's reviewers and admins have no second factor; the MFA tests turn the policy on.
    config.mfa_required = mysapk_server::config::MfaPolicy::None;
    tweak(&mut config);
    mysapk_server::start(config).await.expect("server starts")
}

/// Generates `<name>::sqlite` and `<name>::postgres` tests from `async fn <name>(ctx: Ctx)`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $crate::support::run($crate::support::Backend::Sqlite, super::$name).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $crate::support::run($crate::support::Backend::Postgres, super::$name).await;
                }
            }
        )*
    };
}

impl Ctx {
    /// A second server on the test's database with a tweaked config, and a context that talks to it.
    pub async fn second_server(&self, tweak: impl FnOnce(&mut Config)) -> (RunningServer, Ctx) {
        let doc_dir = self.doc_dir.clone();
        let server = start(&self.db_url, move |c| {
            c.document_dir = doc_dir;
            tweak(c);
        })
        .await;
        let other = Ctx { base: format!("http://{}", server.addr()), ..self.clone() };
        (server, other)
    }

    /// Audit rows of `action` about `entity_id`.
    pub async fn audit_count(&self, action: &str, entity_id: &str) -> i64 {
        let mut db = self.db().await;
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity_id = $2")
            .bind(action)
            .bind(entity_id)
            .fetch_one(&mut db)
            .await
            .expect("audit count")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(&self, req: reqwest::RequestBuilder, token: Option<&str>) -> (StatusCode, Value) {
        let req = match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        };
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        let body =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        (status, body)
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (StatusCode, Value) {
        self.send(self.http.post(self.url(path)).json(body), token).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.send(self.http.get(self.url(path)), token).await
    }

    pub async fn login(&self, nip: &str) -> TokenResponse {
        let (status, body) = self.post("/api/v1/auth/login", None, &json!({"nip": nip, "password": "demo1234"})).await;
        assert_eq!(status, StatusCode::OK, "login {nip}: {body}");
        serde_json::from_value(body).expect("token response")
    }

    pub async fn token(&self, nip: &str) -> String {
        self.login(nip).await.access_token
    }

    pub async fn pull(&self, token: &str, cursor: &str, limit: Option<i64>) -> PullResponse {
        let mut path = format!("/api/v1/sync?cursor={cursor}");
        if let Some(l) = limit {
            path.push_str(&format!("&limit={l}"));
        }
        let (status, body) = self.get(&path, Some(token)).await;
        assert_eq!(status, StatusCode::OK, "pull: {body}");
        serde_json::from_value(body).expect("pull response")
    }

    /// Pull every page; returns the final cursor and all changes.
    pub async fn pull_all(&self, token: &str, cursor: &str) -> (String, Vec<Change>) {
        let mut cursor = cursor.to_owned();
        let mut all = Vec::new();
        loop {
            let page = self.pull(token, &cursor, None).await;
            cursor = page.cursor;
            all.extend(page.changes);
            if !page.has_more {
                return (cursor, all);
            }
        }
    }

    /// Push `mutations`; when one proposes with [`standard_pdf`] attached, its user uploads it first (once).
    pub async fn push(&self, token: &str, device: &str, mutations: &[Mutation]) -> PushResponse {
        let standard = crate::documents::sha256_hex(&crate::documents::standard_pdf());
        let needs = mutations.iter().any(|m| {
            matches!(&m.op, MutationOp::Propose { documents, .. } if documents.iter().any(|d| d.sha256 == standard))
        });
        let known = self.uploaded.lock().map(|u| u.contains(token)).unwrap_or(false);
        if needs && !known {
            self.upload(token, &crate::documents::standard_pdf()).await;
            if let Ok(mut u) = self.uploaded.lock() {
                u.insert(token.to_owned());
            }
        }
        let (status, body) =
            self.post("/api/v1/sync/push", Some(token), &json!({"device_id": device, "mutations": mutations})).await;
        assert_eq!(status, StatusCode::OK, "push: {body}");
        serde_json::from_value(body).expect("push response")
    }

    pub async fn decide(
        &self,
        token: &str,
        usulan_id: &str,
        decision: &str,
        reason: Option<&str>,
    ) -> (StatusCode, Value) {
        self.post(
            &format!("/api/v1/review/{usulan_id}/decision"),
            Some(token),
            &json!({"decision": decision, "reason": reason}),
        )
        .await
    }

    pub async fn db(&self) -> sqlx::AnyConnection {
        sqlx::any::install_default_drivers();
        let url =
            if self.db_url.starts_with("sqlite:") { format!("{}?mode=rw", self.db_url) } else { self.db_url.clone() };
        sqlx::AnyConnection::connect(&url).await.expect("db connection")
    }
}
