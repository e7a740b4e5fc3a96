//! Seeing the server: the metrics listener (and its absence from the public address), request ids, JSON log
//! lines that carry them, and readiness (also while the server stops) — each on SQLite and PostgreSQL.
//!
//! Its own test binary: the JSON log capture installs a process-wide subscriber.
//! PostgreSQL: `MYSAPK_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`), a fresh database per
//! test; the tests fail, not skip, when PostgreSQL is unreachable.

use std::future::Future;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use mysapk_model::auth::TokenResponse;
use mysapk_model::record::OwnerFields;
use mysapk_model::sync::{Mutation, MutationOp, PushResponse};
use mysapk_model::usulan::UsulanAction;
use mysapk_server::{Config, RunningServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Connection;

const BUDI: &str = "199001012015031001";
const DEMO_PASSWORD: &str = "demo1234";

/// The captured log output of the whole test binary (JSON lines).
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut out) = self.0.lock() {
            out.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// JSON logs at INFO (the server's default filter), as `MYSAPK_LOG_FORMAT=json` sets them up.
fn logs() -> &'static Capture {
    static LOGS: OnceLock<Capture> = OnceLock::new();
    LOGS.get_or_init(|| {
        let capture = Capture::default();
        let writer = capture.clone();
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .with_env_filter(tracing_subscriber::EnvFilter::new("info,sqlx=warn"))
            .with_writer(move || writer.clone())
            .init();
        capture
    })
}

#[derive(Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

fn pg_admin_url() -> String {
    std::env::var("MYSAPK_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn with_database(admin: &str, db: &str) -> String {
    let (head, query) = admin.split_once('?').map_or((admin, None), |(h, q)| (h, Some(q)));
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let base = head[scheme_end..].rfind('/').map_or(head, |i| &head[..scheme_end + i]);
    query.map_or_else(|| format!("{base}/{db}"), |q| format!("{base}/{db}?{q}"))
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

/// A seeded database on `backend`, its URL, its PostgreSQL name; `test` runs with it; cleanup after (also after
/// a panic).
async fn with_db<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(String, std::path::PathBuf, Option<String>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    logs();
    let tmp = tempfile::tempdir().expect("tempdir");
    let (db_url, pg_name) = match backend {
        Backend::Sqlite => (format!("sqlite://{}", tmp.path().join("obs.sqlite").display()), None),
        Backend::Postgres => {
            let name = format!("mysapk_t_{}", uuid::Uuid::new_v4().simple());
            admin_exec(&format!("CREATE DATABASE {name}")).await;
            (with_database(&pg_admin_url(), &name), Some(name))
        }
    };
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/domain/reference");
    mysapk_seed::seed_demo(&db_url, &reference).await.expect("seed");
    let outcome = tokio::spawn(test(db_url, tmp.path().join("documents"), pg_name.clone())).await;
    if let Some(name) = pg_name {
        admin_exec(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
    }
    drop(tmp);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn start(db_url: &str, docs: &std::path::Path, tweak: impl FnOnce(&mut Config)) -> RunningServer {
    let mut config = Config::for_database(db_url);
    config.document_dir = docs.to_path_buf();
    config.mfa_required = mysapk_server::config::MfaPolicy::None;
    tweak(&mut config);
    mysapk_server::start(config).await.expect("server starts")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client")
}

fn with_metrics(c: &mut Config) {
    c.metrics_addr = Some(([127, 0, 0, 1], 0).into());
}

/// The value of the sample `name{labels}` (labels exactly as rendered), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
}

async fn scrape(server: &RunningServer) -> String {
    let addr = server.metrics_addr().expect("metrics listener");
    let resp = client().get(format!("http://{addr}/metrics")).send().await.expect("scrape");
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.expect("text")
}

async fn login(http: &reqwest::Client, base: &str, password: &str) -> (StatusCode, Value) {
    let resp = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"nip": BUDI, "password": password}))
        .send()
        .await
        .expect("login");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn metrics_count_a_login_a_pull_and_a_push(backend: Backend) {
    with_db(backend, |db_url, docs, _| async move {
        let server = start(&db_url, &docs, with_metrics).await;
        let base = format!("http://{}", server.addr());
        let http = client();
        // Never on the public address.
        let public = http.get(format!("{base}/metrics")).send().await.expect("public /metrics");
        assert_eq!(public.status(), StatusCode::NOT_FOUND);

        let (status, _) = login(&http, &base, "not-the-password-1").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, body) = login(&http, &base, DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let tokens: TokenResponse = serde_json::from_value(body).expect("tokens");
        let pull =
            http.get(format!("{base}/api/v1/sync")).bearer_auth(&tokens.access_token).send().await.expect("pull");
        assert_eq!(pull.status(), StatusCode::OK);
        let mutation = Mutation {
            id: uuid::Uuid::new_v4().to_string(),
            seq: 1,
            op: MutationOp::Propose {
                usulan_id: uuid::Uuid::new_v4().to_string(),
                action: UsulanAction::ChangeOwnerFields {
                    fields: OwnerFields { no_hp: Some("081234567890".into()), ..Default::default() },
                },
                documents: Vec::new(),
            },
        };
        let push = http
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(&tokens.access_token)
            .json(&json!({"device_id": "obs-test", "mutations": [mutation]}))
            .send()
            .await
            .expect("push");
        assert_eq!(push.status(), StatusCode::OK);
        let pushed: PushResponse = push.json().await.expect("push answer");
        assert_eq!(pushed.results.len(), 1);
        // A card check: its path is a token, its label the route template.
        let verify = http.get(format!("{base}/api/v1/verify/NotARealCardTokenXYZ")).send().await.expect("verify");
        let verify_status = verify.status().as_u16().to_string();

        // An open event stream is counted while it is open.
        let stream =
            http.get(format!("{base}/api/v1/events")).bearer_auth(&tokens.access_token).send().await.expect("events");
        assert_eq!(stream.status(), StatusCode::OK);

        let text = scrape(&server).await;
        drop(stream);
        let get = |series: &str| sample(&text, series).unwrap_or_else(|| panic!("{series} missing:\n{text}"));
        assert_eq!(get(r#"mysapk_http_requests_total{route="/api/v1/auth/login",method="POST",status="401"}"#), 1.0);
        assert_eq!(get(r#"mysapk_http_requests_total{route="/api/v1/auth/login",method="POST",status="200"}"#), 1.0);
        assert_eq!(get(r#"mysapk_http_requests_total{route="/api/v1/sync",method="GET",status="200"}"#), 1.0);
        assert_eq!(get(r#"mysapk_http_requests_total{route="/api/v1/sync/push",method="POST",status="200"}"#), 1.0);
        assert_eq!(get(r#"mysapk_http_requests_total{route="unmatched",method="GET",status="404"}"#), 1.0);
        assert_eq!(get(r#"mysapk_http_request_duration_seconds_count{route="/api/v1/sync/push",method="POST"}"#), 1.0);
        assert!(get(r#"mysapk_http_request_duration_seconds_sum{route="/api/v1/sync/push",method="POST"}"#) > 0.0);
        assert_eq!(get(r#"mysapk_logins_total{outcome="failed"}"#), 1.0);
        assert_eq!(get(r#"mysapk_logins_total{outcome="success"}"#), 1.0);
        assert_eq!(get("mysapk_sync_pulls_total"), 1.0);
        assert_eq!(get("mysapk_sync_pushes_total"), 1.0);
        assert_eq!(get(r#"mysapk_sync_mutations_total{outcome="applied"}"#), 1.0);
        assert_eq!(get("mysapk_event_streams_open"), 1.0);
        let in_use = get(r#"mysapk_db_pool_connections{state="in_use"}"#);
        let idle = get(r#"mysapk_db_pool_connections{state="idle"}"#);
        assert!(in_use + idle >= 1.0, "the pool has connections: {in_use} + {idle}");
        let verify_series = format!(
            r#"mysapk_http_requests_total{{route="/api/v1/verify/{{token}}",method="GET",status="{verify_status}"}}"#
        );
        assert_eq!(get(&verify_series), 1.0);
        assert!(!text.contains("NotARealCardTokenXYZ"), "a raw path in the metrics:\n{text}");
        server.shutdown().await;

        // Without a metrics address: no listener, and still no /metrics on the public address.
        let plain = start(&db_url, &docs, |_| {}).await;
        assert!(plain.metrics_addr().is_none());
        let resp = http.get(format!("http://{}/metrics", plain.addr())).send().await.expect("public /metrics");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        plain.shutdown().await;
    })
    .await;
}

async fn request_ids_are_echoed_generated_and_only_trusted_from_a_proxy(backend: Backend) {
    with_db(backend, |db_url, docs, _| async move {
        let http = client();
        let ask = |base: String, id: Option<&'static str>| {
            let http = http.clone();
            async move {
                let mut req = http.get(format!("{base}/healthz"));
                if let Some(id) = id {
                    req = req.header("x-request-id", id);
                }
                let resp = req.send().await.expect("healthz");
                assert_eq!(resp.status(), StatusCode::OK);
                resp.headers().get("x-request-id").expect("echoed").to_str().expect("ascii").to_owned()
            }
        };
        let is_v7 = |id: &str| uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 7);

        // Nobody trusted: a forged id is ignored, a new UUID v7 answered; each request its own.
        let server = start(&db_url, &docs, |_| {}).await;
        let base = format!("http://{}", server.addr());
        let a = ask(base.clone(), None).await;
        let b = ask(base.clone(), None).await;
        assert!(is_v7(&a) && is_v7(&b) && a != b, "{a} {b}");
        let forged = ask(base.clone(), Some("forged-by-a-client")).await;
        assert!(is_v7(&forged), "{forged}");
        server.shutdown().await;

        // Loopback trusted as a proxy: its id is taken, unless it is not a plain short id.
        let server = start(&db_url, &docs, |c| {
            c.trusted_proxies = mysapk_server::config::parse_ip_nets("127.0.0.1").expect("net");
        })
        .await;
        let base = format!("http://{}", server.addr());
        assert_eq!(ask(base.clone(), Some("lb-7f3a:0001")).await, "lb-7f3a:0001");
        let injected = ask(base.clone(), Some("x\" level=ERROR msg=forged")).await;
        assert!(is_v7(&injected), "{injected}");
        let long: &'static str = Box::leak("a".repeat(129).into_boxed_str());
        assert!(is_v7(&ask(base.clone(), Some(long)).await));
        server.shutdown().await;
    })
    .await;
}

async fn json_log_lines_carry_the_request_id(backend: Backend) {
    with_db(backend, |db_url, docs, _| async move {
        let server = start(&db_url, &docs, |_| {}).await;
        let base = format!("http://{}", server.addr());
        // A refused login writes an INFO line inside the request.
        let resp = client()
            .post(format!("{base}/api/v1/auth/login"))
            .header("x-request-id", "device-sync-42")
            .json(&json!({"nip": BUDI, "password": "not-the-password-2"}))
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        let id = resp.headers().get("x-request-id").expect("echoed").to_str().expect("ascii").to_owned();
        server.shutdown().await;

        let captured = String::from_utf8(logs().0.lock().expect("log lock").clone()).expect("UTF-8 logs");
        let mut lines = 0;
        for line in captured.lines() {
            // Every line is one JSON object.
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            if v["span"]["request_id"] == id.as_str() {
                lines += 1;
                assert_eq!(v["spans"][0]["request_id"], id.as_str(), "{line}");
                // The device's own id: a label beside the server's, never the request id.
                assert_eq!(v["span"]["client_request_id"], "device-sync-42", "{line}");
                assert!(!line.contains("not-the-password-2"), "a password logged: {line}");
            }
        }
        assert!(lines >= 1, "no log line of request {id}:\n{captured}");
    })
    .await;
}

async fn readiness_follows_the_database_and_its_migrations(backend: Backend) {
    with_db(backend, |db_url, docs, pg_name| async move {
        let server = start(&db_url, &docs, |_| {}).await;
        let http = client();
        let ready = |base: String| {
            let http = http.clone();
            async move {
                let resp = http.get(format!("{base}/readyz")).send().await.expect("readyz");
                let status = resp.status();
                (status, resp.json::<Value>().await.expect("JSON"))
            }
        };
        let base = format!("http://{}", server.addr());
        let (status, body) = ready(base.clone()).await;
        assert_eq!((status, &body), (StatusCode::OK, &json!({"status": "ready", "failed": []})));

        // The newest migration not applied (a database behind this binary): not ready.
        sqlx::any::install_default_drivers();
        let mut db = sqlx::AnyConnection::connect(&db_url).await.expect("db");
        let newest: i64 =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&mut db).await.expect("max");
        let (checksum, description): (Vec<u8>, String) =
            sqlx::query_as("SELECT checksum, description FROM _sqlx_migrations WHERE version = $1")
                .bind(newest)
                .fetch_one(&mut db)
                .await
                .expect("row");
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
            .bind(newest)
            .execute(&mut db)
            .await
            .expect("delete");
        let (status, body) = ready(base.clone()).await;
        assert_eq!(
            (status, &body),
            (StatusCode::SERVICE_UNAVAILABLE, &json!({"status": "not_ready", "failed": ["migrations"]}))
        );
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES ($1, $2, TRUE, $3, 0)",
        )
        .bind(newest)
        .bind(description)
        .bind(checksum)
        .execute(&mut db)
        .await
        .expect("restore the row");
        let _ = db.close().await;
        assert_eq!(ready(base.clone()).await.0, StatusCode::OK);
        // Liveness says nothing about the database.
        assert_eq!(http.get(format!("{base}/healthz")).send().await.expect("healthz").status(), StatusCode::OK);

        // PostgreSQL: the database gone (dropped, its connections ended) — not ready, still alive.
        if let Some(name) = pg_name {
            admin_exec(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
            let (status, body) = ready(base.clone()).await;
            assert_eq!(
                (status, &body),
                (StatusCode::SERVICE_UNAVAILABLE, &json!({"status": "not_ready", "failed": ["database"]}))
            );
            assert_eq!(http.get(format!("{base}/healthz")).send().await.expect("healthz").status(), StatusCode::OK);
        }
        server.shutdown().await;
    })
    .await;
}

async fn readiness_turns_503_as_soon_as_the_server_stops(backend: Backend) {
    with_db(backend, |db_url, docs, _| async move {
        let drain = Duration::from_millis(1500);
        let server = start(&db_url, &docs, |c| c.shutdown_drain = drain).await;
        let base = format!("http://{}", server.addr());
        let http = client();
        let get = |path: &'static str| {
            let http = http.clone();
            let url = format!("{base}{path}");
            async move { http.get(url).send().await }
        };
        assert_eq!(get("/readyz").await.expect("readyz").status(), StatusCode::OK);
        let stopping = tokio::spawn(server.shutdown());
        // During the drain: not ready (so a load balancer takes the node out), yet still serving.
        let started = std::time::Instant::now();
        let resp = loop {
            let resp = get("/readyz").await.expect("readyz during the drain");
            if resp.status() != StatusCode::OK || started.elapsed() > drain {
                break resp;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            resp.json::<Value>().await.expect("JSON"),
            json!({"status": "not_ready", "failed": ["shutting_down"]})
        );
        assert_eq!(get("/healthz").await.expect("healthz during the drain").status(), StatusCode::OK);
        stopping.await.expect("stopped");
        // Then connections are refused.
        // (A new client: a pooled keep-alive connection would fail otherwise, closed by the stop.)
        let refused = client().get(format!("{base}/healthz")).send().await.expect_err("the server is gone");
        assert!(refused.is_connect(), "{refused}");
    })
    .await;
}

async fn scheduled_service_evaluations_are_counted(backend: Backend) {
    with_db(backend, |db_url, docs, _| async move {
        sqlx::any::install_default_drivers();
        let notifications = || {
            let db_url = db_url.clone();
            async move {
                let mut db = sqlx::AnyConnection::connect(&db_url).await.expect("db");
                let n: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM notification").fetch_one(&mut db).await.expect("count");
                let _ = db.close().await;
                n
            }
        };
        let before = notifications().await;
        let server = start(&db_url, &docs, |c| {
            with_metrics(c);
            c.service_interval = Some(Duration::from_millis(200));
        })
        .await;
        let started = std::time::Instant::now();
        let text = loop {
            let text = scrape(&server).await;
            if sample(&text, r#"mysapk_service_evaluations_total{outcome="ok"}"#).is_some() {
                break text;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "no evaluation counted:\n{text}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        server.shutdown().await;
        assert_eq!(sample(&text, r#"mysapk_service_evaluations_total{outcome="ok"}"#), Some(1.0), "{text}");
        assert_eq!(sample(&text, r#"mysapk_service_evaluations_total{outcome="failed"}"#), None, "{text}");
        let created = notifications().await - before;
        assert_eq!(sample(&text, "mysapk_service_events_created_total"), Some(created as f64), "{text}");
    })
    .await;
}

macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(super::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(super::Backend::Postgres).await;
                }
            }
        )*
    };
}

backend_tests!(
    metrics_count_a_login_a_pull_and_a_push,
    request_ids_are_echoed_generated_and_only_trusted_from_a_proxy,
    json_log_lines_carry_the_request_id,
    readiness_follows_the_database_and_its_migrations,
    readiness_turns_503_as_soon_as_the_server_stops,
    scheduled_service_evaluations_are_counted,
);
