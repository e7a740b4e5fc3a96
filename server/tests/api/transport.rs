//! Transport security: HTTPS served by the server itself (with HSTS), and the security headers of every answer.

use mysapk_server::tls::{TlsFiles, HSTS};
use reqwest::header::{
    HeaderMap, CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use reqwest::StatusCode;

use crate::support::{self, Ctx, BUDI};

crate::backend_tests!(https_with_hsts_and_no_plain_http, security_headers_on_every_answer);

/// A self-signed certificate for `localhost` written as PEM files into `dir`; its certificate PEM.
fn certificate(dir: &std::path::Path) -> (TlsFiles, String) {
    let generated =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).expect("certificate");
    let files = TlsFiles { cert: dir.join("cert.pem"), key: dir.join("key.pem") };
    std::fs::write(&files.cert, generated.cert.pem()).expect("write cert");
    std::fs::write(&files.key, generated.key_pair.serialize_pem()).expect("write key");
    (files, generated.cert.pem())
}

fn header<'a>(headers: &'a HeaderMap, name: &reqwest::header::HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn https_with_hsts_and_no_plain_http(ctx: Ctx) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (files, cert_pem) = certificate(dir.path());
    let server = support::start(&ctx.db_url, |c| c.tls = Some(files)).await;
    let addr = server.addr();
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert_pem.as_bytes()).expect("pem"))
        .tls_built_in_root_certs(false)
        .resolve("localhost", addr)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client");
    let https = Ctx { base: format!("https://localhost:{}", addr.port()), http: trusting.clone(), ..ctx.clone() };

    // A login and a personal-data route over HTTPS, both with HSTS.
    let login = https.login(BUDI).await;
    let resp =
        https.http.get(https.url("/api/v1/standing")).bearer_auth(&login.access_token).send().await.expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(resp.headers(), &STRICT_TRANSPORT_SECURITY), Some(HSTS));
    assert_eq!(HSTS, "max-age=31536000");
    // Errors too.
    let resp = https.http.get(https.url("/api/v1/standing")).send().await.expect("get");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(header(resp.headers(), &STRICT_TRANSPORT_SECURITY), Some(HSTS));
    let resp = https.http.get(https.url("/healthz")).send().await.expect("health");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(resp.headers(), &STRICT_TRANSPORT_SECURITY), Some(HSTS));

    // Plain HTTP to the TLS port gets no answer at all.
    let plain = ctx.http.get(format!("http://{addr}/healthz")).send().await;
    assert!(plain.is_err(), "plain HTTP answered: {:?}", plain.map(|r| r.status()));
    // A client that does not trust the certificate refuses the server.
    let untrusting = reqwest::Client::builder().resolve("localhost", addr).build().expect("client");
    assert!(untrusting.get(https.url("/healthz")).send().await.is_err());
    // The plain-HTTP server on the same database says nothing about HSTS (it would be ignored, and wrong).
    let resp = ctx.http.get(ctx.url("/healthz")).send().await.expect("health");
    assert_eq!(header(resp.headers(), &STRICT_TRANSPORT_SECURITY), None);
    server.shutdown().await;

    // Only one of the two files, or an unreadable one: the server does not start, and says which.
    let db = ctx.db_url.clone();
    let missing = TlsFiles { cert: dir.path().join("nope.pem"), key: dir.path().join("key.pem") };
    let mut config = mysapk_server::Config::for_database(&db);
    config.tls = Some(missing);
    let e = mysapk_server::start(config).await.err().expect("refused");
    assert!(e.to_string().contains("nope.pem"), "{e}");
    assert!(TlsFiles::from_pair(Some(dir.path().join("cert.pem")), None).is_err());
    std::fs::write(dir.path().join("garbage.pem"), "not a key").expect("write");
    let mut config = mysapk_server::Config::for_database(&db);
    config.tls = Some(TlsFiles { cert: dir.path().join("cert.pem"), key: dir.path().join("garbage.pem") });
    let e = mysapk_server::start(config).await.err().expect("refused");
    assert!(e.to_string().contains("garbage.pem"), "{e}");
}

fn assert_secure(headers: &HeaderMap, what: &str) {
    assert_eq!(header(headers, &X_CONTENT_TYPE_OPTIONS), Some("nosniff"), "{what}");
    assert_eq!(header(headers, &REFERRER_POLICY), Some("no-referrer"), "{what}");
    assert_eq!(header(headers, &X_FRAME_OPTIONS), Some("DENY"), "{what}");
    let csp = header(headers, &CONTENT_SECURITY_POLICY).unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), "{what}: {csp}");
}

async fn security_headers_on_every_answer(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let get = |path: &str, auth: bool| {
        let req = ctx.http.get(ctx.url(path));
        if auth {
            req.bearer_auth(&token)
        } else {
            req
        }
    };
    // Personal data: the feed, the standing, the SIASN facade.
    for path in ["/api/v1/sync?cursor=", "/api/v1/standing", &format!("/apisiasn/1.0/pns/data-utama/{BUDI}")] {
        let resp = get(path, true).send().await.expect("get");
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert_secure(resp.headers(), path);
        assert_eq!(header(resp.headers(), &CACHE_CONTROL), Some("no-store"), "{path}");
    }
    // An error, a 404, a wrong method, a bad body: the same headers.
    let resp = get("/api/v1/standing", false).send().await.expect("get");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_secure(resp.headers(), "401");
    assert_eq!(header(resp.headers(), &CACHE_CONTROL), Some("no-store"));
    let resp = get("/api/v1/no-such-route", true).send().await.expect("get");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_secure(resp.headers(), "404");
    assert_eq!(header(resp.headers(), &CACHE_CONTROL), Some("no-store"));
    let resp = ctx.http.delete(ctx.url("/api/v1/standing")).send().await.expect("delete");
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_secure(resp.headers(), "405");
    let resp = ctx.http.post(ctx.url("/api/v1/auth/login")).body("{").send().await.expect("post");
    assert!(resp.status().is_client_error());
    assert_secure(resp.headers(), "bad body");
    assert_eq!(header(resp.headers(), &CACHE_CONTROL), Some("no-store"));
    // The login answer holds tokens: never cached.
    let resp = ctx
        .http
        .post(ctx.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"nip": BUDI, "password": "demo1234"}))
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(resp.headers(), &CACHE_CONTROL), Some("no-store"));
    let resp = get("/healthz", false).send().await.expect("health");
    assert_secure(resp.headers(), "healthz");
}
