//! No secret in the logs: a whole flow against a server whose tracing output (every target, TRACE level) is
//! captured, then every line is searched for the secrets the flow handled — passwords, access and refresh
//! tokens, a reset code, the TOTP secret and recovery codes, a card token.
//!
//! Its own test binary: the subscriber is global to the process, and TRACE everywhere would slow the API suite.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mysapk_model::auth::{MfaConfirmed, MfaEnrollment, TokenResponse};
use mysapk_model::card::{CardCheck, CardToken};
use mysapk_model::record::OwnerFields;
use mysapk_model::sync::{Mutation, MutationOp, PushResponse};
use mysapk_model::usulan::UsulanAction;
use reqwest::StatusCode;
use serde_json::{json, Value};

const BUDI: &str = "199001012015031001";
const SITI: &str = "199205152019032003";
const ADMIN_A: &str = "198011202006041001";
const DEMO_PASSWORD: &str = "demo1234";
const NEW_PASSWORD: &str = "Kopi-Tubruk-Senja-42";

/// The captured log output.
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

struct Api {
    base: String,
    http: reqwest::Client,
}

impl Api {
    async fn call(&self, method: reqwest::Method, path: &str, token: Option<&str>, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        assert!(status == StatusCode::OK || status == StatusCode::NO_CONTENT, "{path}: {status} {text}");
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("JSON")
        }
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, token, Some(body)).await
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Value {
        self.call(reqwest::Method::GET, path, token, None).await
    }

    async fn login(&self, body: Value) -> TokenResponse {
        serde_json::from_value(self.post("/api/v1/auth/login", None, body).await).expect("tokens")
    }
}

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).expect("after 1970")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_is_ever_logged() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let tmp = tempfile::tempdir().expect("tempdir");
    let db_url = format!("sqlite://{}", tmp.path().join("logs.sqlite").display());
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/domain/reference");
    mysapk_seed::seed_demo(&db_url, &reference).await.expect("seed");
    let mut config = mysapk_server::Config::for_database(&db_url);
    config.reference_dir = reference;
    config.document_dir = tmp.path().join("documents");
    config.mfa_required = mysapk_server::config::MfaPolicy::None;
    let server = mysapk_server::start(config).await.expect("server starts");
    let api = Api {
        base: format!("http://{}", server.addr()),
        http: reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client"),
    };
    let mut secrets: Vec<String> = vec![DEMO_PASSWORD.into(), NEW_PASSWORD.into()];

    // Login and refresh.
    let budi = api.login(json!({"nip": BUDI, "password": DEMO_PASSWORD})).await;
    let refreshed: TokenResponse = serde_json::from_value(
        api.post("/api/v1/auth/refresh", None, json!({"refresh_token": budi.refresh_token})).await,
    )
    .expect("refreshed");
    secrets.extend([budi.access_token, budi.refresh_token, refreshed.access_token.clone()]);
    secrets.push(refreshed.refresh_token.clone());
    let access = refreshed.access_token;

    // A push: an owner field applied at once, and the pull that follows.
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
    let pushed: PushResponse = serde_json::from_value(
        api.post("/api/v1/sync/push", Some(&access), json!({"device_id": "log-test", "mutations": [mutation]})).await,
    )
    .expect("push response");
    assert_eq!(pushed.results.len(), 1);
    api.get("/api/v1/sync?cursor=", Some(&access)).await;

    // A card token, checked as a verifier would (the token is in the path).
    let card: CardToken =
        serde_json::from_value(api.post("/api/v1/card", Some(&access), json!({})).await).expect("card");
    let check: CardCheck =
        serde_json::from_value(api.get(&format!("/api/v1/verify/{}", card.token), None).await).expect("check");
    assert!(check.valid);
    secrets.push(card.token.clone());
    // Each part of it alone is as telling (the signature is what a forger lacks).
    secrets.extend(card.token.split('.').filter(|p| p.len() >= 16).map(str::to_owned));

    // A reset code issued by the admin and used by the ASN.
    let admin = api.login(json!({"nip": ADMIN_A, "password": DEMO_PASSWORD})).await;
    secrets.extend([admin.access_token.clone(), admin.refresh_token.clone()]);
    let code =
        api.post(&format!("/api/v1/admin/accounts/{SITI}/reset-code"), Some(&admin.access_token), json!({})).await;
    let code = code["code"].as_str().expect("code").to_owned();
    secrets.push(code.clone());
    api.post("/api/v1/auth/reset", None, json!({"nip": SITI, "code": code, "new_password": NEW_PASSWORD})).await;

    // A second factor: enrolment, confirmation, logins with a code and with a recovery code.
    let siti = api.login(json!({"nip": SITI, "password": NEW_PASSWORD})).await;
    secrets.extend([siti.access_token.clone(), siti.refresh_token.clone()]);
    let enrolment: MfaEnrollment =
        serde_json::from_value(api.post("/api/v1/auth/mfa/enroll", Some(&siti.access_token), json!({})).await)
            .expect("enrolment");
    secrets.extend([enrolment.secret.clone(), enrolment.otpauth_uri.clone()]);
    let otp = totp_rs::TOTP::from_url(&enrolment.otpauth_uri).expect("otpauth");
    let confirmed: MfaConfirmed = serde_json::from_value(
        api.post("/api/v1/auth/mfa/confirm", Some(&siti.access_token), json!({"code": otp.generate(now())})).await,
    )
    .expect("recovery codes");
    secrets.extend(confirmed.recovery_codes.iter().cloned());
    let with_code = api.login(json!({"nip": SITI, "password": NEW_PASSWORD, "totp": otp.generate(now() + 30)})).await;
    let with_recovery =
        api.login(json!({"nip": SITI, "password": NEW_PASSWORD, "recovery_code": confirmed.recovery_codes[0]})).await;
    for t in [&with_code, &with_recovery] {
        secrets.extend([t.access_token.clone(), t.refresh_token.clone()]);
    }

    // Logout.
    api.post("/api/v1/auth/logout", Some(&access), json!({"refresh_token": refreshed.refresh_token})).await;
    server.shutdown().await;

    let bytes = capture.0.lock().map(|b| b.clone()).unwrap_or_default();
    let log = String::from_utf8_lossy(&bytes);
    assert!(log.lines().any(|l| l.contains("TRACE")), "TRACE lines are captured");
    assert!(log.contains("/api/v1/auth/reset"), "requests are logged");
    let mut leaks = Vec::new();
    for line in log.lines() {
        for secret in &secrets {
            if line.contains(secret.as_str()) {
                leaks.push(format!("{secret:.12}… in: {line:.300}"));
            }
        }
    }
    assert!(leaks.is_empty(), "secrets in the log:\n{}", leaks.join("\n"));
}
