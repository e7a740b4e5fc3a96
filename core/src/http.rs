//! The HTTP client of the sync protocol (see ARCHITECTURE.md): rustls, gzip, timeouts, and failure classes.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::Utc;
use mysapk_model::admin::PasswordReset;
use mysapk_model::auth::{
    LoginRequest, LogoutRequest, MfaConfirm, MfaConfirmed, RefreshRequest, SessionName, TokenResponse,
};
use mysapk_model::document::UploadStatus;
use mysapk_model::sync::{PullResponse, PushRequest, PushResponse};
use mysapk_model::ApiError;
use mysapk_model::Code;
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::CoreError;
use crate::mfa::{self, SecondFactor};
use crate::transport;

/// Changes asked for per pull page.
pub(crate) const PULL_LIMIT: u32 = 500;
/// Changes asked for per page during a first sync (no cursor yet): the server's maximum, so a large record
/// arrives in a quarter of the requests and transactions.
pub(crate) const FIRST_SYNC_PULL_LIMIT: u32 = 2_000;

/// How long a logout waits for the server before the device forgets its tokens anyway.
const LOGOUT_TIMEOUT: Duration = Duration::from_secs(5);

tokio::task_local! {
    /// The id of the sync in progress (see `Core::sync_account`): sent as `X-Request-Id` with each of its pulls and
    /// pushes, so the server's log lines of one sync can be found together (the server keeps it as
    /// `client_request_id` beside its own request id, which it echoes).
    pub(crate) static SYNC_ID: String;
}

/// `request` with the sync's id, when it is part of a sync.
fn with_sync_id(request: RequestBuilder) -> RequestBuilder {
    match SYNC_ID.try_with(Clone::clone) {
        Ok(id) => request.header("x-request-id", id),
        Err(_) => request,
    }
}

#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    /// For the long-lived event stream: no overall timeout (idle time is watched by the reader), no gzip.
    stream_client: reqwest::Client,
    /// Shared by every clone: the user may choose another server while logged out (see `Core::set_server_url`).
    base: Arc<RwLock<String>>,
}

impl Http {
    /// A client of `server_url` (checked by [`transport::check_server_url`]; `None`: no server yet, every request
    /// fails with [`CoreError::NoServer`]) trusting the platform's roots and `extra_roots`.
    pub(crate) fn new(server_url: Option<&str>, extra_roots: &[reqwest::Certificate]) -> Result<Self, CoreError> {
        let base = server_url.map(transport::check_server_url).transpose()?.unwrap_or_default();
        let builder = |roots: &[reqwest::Certificate]| {
            roots.iter().fold(
                reqwest::Client::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .redirect(transport::redirect_policy())
                    .user_agent(concat!("mysapk-core/", env!("CARGO_PKG_VERSION"))),
                |b, root| b.add_root_certificate(root.clone()),
            )
        };
        let client = builder(extra_roots)
            .timeout(Duration::from_secs(30))
            .gzip(true)
            .build()
            .map_err(|e| CoreError::BadResponse(format!("http client: {e}")))?;
        let stream_client =
            builder(extra_roots).build().map_err(|e| CoreError::BadResponse(format!("http client: {e}")))?;
        Ok(Self { client, stream_client, base: Arc::new(RwLock::new(base)) })
    }

    /// The server's base URL, without a trailing `/`; empty when there is none yet.
    pub(crate) fn base(&self) -> String {
        self.base.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Talk to another server from now on (checked by [`transport::check_server_url`]).
    pub(crate) fn set_base(&self, server_url: Option<&str>) -> Result<(), CoreError> {
        let base = server_url.map(transport::check_server_url).transpose()?.unwrap_or_default();
        *self.base.write().unwrap_or_else(|p| p.into_inner()) = base;
        Ok(())
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.read().unwrap_or_else(|p| p.into_inner()), path)
    }

    /// `POST /api/v1/auth/login`, with the second factor when given. A refused authenticator code is reported as
    /// [`CoreError::ClockSkew`] when the device clock is far off the server's `Date`.
    pub(crate) async fn login(
        &self,
        nip: &str,
        password: &str,
        second: Option<&SecondFactor>,
    ) -> Result<TokenResponse, CoreError> {
        let mut body = LoginRequest::new(nip, password);
        match second {
            Some(SecondFactor::Totp(code)) => body.totp = Some(code.clone()),
            Some(SecondFactor::RecoveryCode(code)) => body.recovery_code = Some(code.clone()),
            None => {}
        }
        let response =
            self.client.post(self.url("/api/v1/auth/login")).json(&body).send().await.map_err(classify_transport)?;
        if response.status().is_success() {
            return decode(response).await;
        }
        let skew = server_clock_skew(&response);
        Err(match classify_status(response).await {
            // A recovery code does not follow the clock.
            e @ CoreError::MfaInvalid if matches!(second, Some(SecondFactor::Totp(_))) => mfa::or_clock_skew(e, skew),
            e => e,
        })
    }

    /// `POST /api/v1/auth/mfa/confirm`: a refused code is reported as [`CoreError::ClockSkew`] when the device
    /// clock is far off the server's, as at login.
    pub(crate) async fn mfa_confirm(&self, access: &str, body: &MfaConfirm) -> Result<MfaConfirmed, CoreError> {
        let request = self.client.post(self.url("/api/v1/auth/mfa/confirm")).json(body).bearer_auth(access);
        let response = request.send().await.map_err(classify_transport)?;
        if response.status().is_success() {
            return decode(response).await;
        }
        let skew = server_clock_skew(&response);
        Err(match classify_status(response).await {
            e @ CoreError::Server { .. } if e.code() == Code::MfaCodeInvalid => mfa::or_clock_skew(e, skew),
            e => e,
        })
    }

    /// `POST /api/v1/auth/reset` (public): set a new password with a one-time code; the answer has no body.
    pub(crate) async fn reset_password(&self, body: &PasswordReset) -> Result<(), CoreError> {
        let response =
            self.client.post(self.url("/api/v1/auth/reset")).json(body).send().await.map_err(classify_transport)?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(classify_status(response).await)
    }

    pub(crate) async fn refresh(&self, refresh_token: &str) -> Result<TokenResponse, CoreError> {
        let body = RefreshRequest { refresh_token: refresh_token.to_owned() };
        send(self.client.post(self.url("/api/v1/auth/refresh")).json(&body)).await
    }

    /// `POST /api/v1/auth/logout`: end this session on the server (a short timeout: logging out offline must not
    /// wait long for it).
    pub(crate) async fn logout(&self, access: &str, refresh_token: &str) -> Result<(), CoreError> {
        let body = LogoutRequest { refresh_token: refresh_token.to_owned() };
        let request =
            self.client.post(self.url("/api/v1/auth/logout")).json(&body).bearer_auth(access).timeout(LOGOUT_TIMEOUT);
        let response = request.send().await.map_err(classify_transport)?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(classify_status(response).await)
    }

    /// `PATCH /api/v1/auth/sessions/current`: how this device shows in "my devices".
    pub(crate) async fn name_session(&self, access: &str, device_name: &str) -> Result<(), CoreError> {
        let body = SessionName { device_name: device_name.to_owned() };
        let request = self.client.patch(self.url("/api/v1/auth/sessions/current")).json(&body).bearer_auth(access);
        let response = request.send().await.map_err(classify_transport)?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(classify_status(response).await)
    }

    /// `DELETE path` with the access token; the answer carries nothing.
    pub(crate) async fn delete_ok(&self, access: &str, path: &str) -> Result<(), CoreError> {
        let response =
            self.client.delete(self.url(path)).bearer_auth(access).send().await.map_err(classify_transport)?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(classify_status(response).await)
    }

    /// One page of the change feed; with `card`, the last page also carries a fresh card token.
    pub(crate) async fn pull(
        &self,
        access: &str,
        cursor: Option<&str>,
        limit: u32,
        card: bool,
    ) -> Result<PullResponse, CoreError> {
        let mut query: Vec<(&str, String)> = vec![("limit", limit.to_string())];
        if let Some(c) = cursor {
            query.push(("cursor", c.to_owned()));
        }
        if card {
            query.push(("card", "true".to_owned()));
        }
        send(with_sync_id(self.client.get(self.url("/api/v1/sync")).query(&query).bearer_auth(access))).await
    }

    /// `GET path` with the access token, for the online-only calls (admin, audit).
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        access: &str,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, CoreError> {
        send(self.client.get(self.url(path)).query(query).bearer_auth(access)).await
    }

    /// `GET path` of a public resource (no token: the card check anyone may make).
    pub(crate) async fn get_public_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, CoreError> {
        send(self.client.get(self.url(path))).await
    }

    /// `POST path` with a JSON body and the access token, decoding the answer.
    pub(crate) async fn post_json<B: serde::Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        access: &str,
        path: &str,
        body: &B,
    ) -> Result<T, CoreError> {
        send(self.client.post(self.url(path)).json(body).bearer_auth(access)).await
    }

    /// `POST path` whose successful answer carries nothing the core needs.
    pub(crate) async fn post_ok<B: serde::Serialize + ?Sized>(
        &self,
        access: &str,
        path: &str,
        body: &B,
    ) -> Result<(), CoreError> {
        let response =
            self.client.post(self.url(path)).json(body).bearer_auth(access).send().await.map_err(classify_transport)?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(classify_status(response).await)
    }

    /// `GET /api/v1/events`: the server-sent event stream of this user's change feed. Returns the open response
    /// once the server answered with success; the body is read by `live`.
    pub(crate) async fn events(&self, access: &str) -> Result<Response, CoreError> {
        let response = self
            .stream_client
            .get(self.url("/api/v1/events"))
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .header(reqwest::header::CACHE_CONTROL, "no-cache")
            .bearer_auth(access)
            .send()
            .await
            .map_err(classify_transport)?;
        if response.status().is_success() {
            return Ok(response);
        }
        Err(classify_status(response).await)
    }

    pub(crate) async fn push(&self, access: &str, request: &PushRequest) -> Result<PushResponse, CoreError> {
        send(with_sync_id(self.client.post(self.url("/api/v1/sync/push")).json(request).bearer_auth(access))).await
    }

    /// `GET /api/v1/documents/{sha256}/status`: how much of a document the server holds for this user.
    pub(crate) async fn document_status(&self, access: &str, sha256: &str) -> Result<UploadStatus, CoreError> {
        send(self.client.get(self.url(&format!("/api/v1/documents/{sha256}/status"))).bearer_auth(access)).await
    }

    /// `PATCH /api/v1/documents/{sha256}`: the next chunk, starting at `offset` of `total` bytes.
    pub(crate) async fn document_chunk(
        &self,
        access: &str,
        sha256: &str,
        offset: u64,
        total: u64,
        chunk: Vec<u8>,
    ) -> Result<UploadStatus, CoreError> {
        send(
            self.client
                .patch(self.url(&format!("/api/v1/documents/{sha256}")))
                .bearer_auth(access)
                .header("Upload-Offset", offset.to_string())
                .header("Upload-Length", total.to_string())
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .body(chunk),
        )
        .await
    }

    /// `GET /api/v1/documents/{sha256}`: the bytes of a document (the owner's, or one a reviewer may see).
    pub(crate) async fn document_bytes(&self, access: &str, sha256: &str) -> Result<Vec<u8>, CoreError> {
        let response = self
            .client
            .get(self.url(&format!("/api/v1/documents/{sha256}")))
            .bearer_auth(access)
            .timeout(Duration::from_secs(120))
            .send()
            .await
            .map_err(classify_transport)?;
        if !response.status().is_success() {
            return Err(classify_status(response).await);
        }
        let bytes =
            response.bytes().await.map_err(
                |e| {
                    if e.is_timeout() {
                        CoreError::Timeout
                    } else {
                        CoreError::Unreachable
                    }
                },
            )?;
        Ok(bytes.to_vec())
    }
}

async fn send<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, CoreError> {
    let response = request.send().await.map_err(classify_transport)?;
    if response.status().is_success() {
        return decode(response).await;
    }
    Err(classify_status(response).await)
}

/// The JSON body of a successful answer.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, CoreError> {
    let status = response.status();
    response.json::<T>().await.map_err(|e| {
        if e.is_timeout() {
            CoreError::Timeout
        } else {
            CoreError::BadResponse(format!("body of HTTP {status}: {e}"))
        }
    })
}

/// Device clock minus the answer's `Date`, in seconds.
fn server_clock_skew(response: &Response) -> Option<i64> {
    let date = response.headers().get(reqwest::header::DATE).and_then(|v| v.to_str().ok());
    mfa::clock_skew_secs(date, Utc::now())
}

fn classify_transport(e: reqwest::Error) -> CoreError {
    if e.is_timeout() {
        CoreError::Timeout
    } else if e.is_builder() {
        // Every server URL passed the rule, so a URL the client cannot build on is the empty one: no server yet.
        CoreError::NoServer
    } else if transport::is_certificate_error(&e) {
        tracing::warn!(error = %e.without_url(), "the server's certificate is not trusted");
        CoreError::UntrustedCertificate
    } else {
        // Connection refused, DNS, TLS, reset: the device is offline or the server is down. The URL may
        // appear in the log, never a body or a header.
        tracing::debug!(error = %e.without_url(), "request failed");
        CoreError::Unreachable
    }
}

async fn classify_status(response: Response) -> CoreError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    if status.is_server_error() {
        return CoreError::ServerBusy { status: status.as_u16(), retry_after };
    }
    let error = response.json::<ApiError>().await.ok();
    if status == StatusCode::TOO_MANY_REQUESTS {
        // Guessing a password or code too often is the user's to wait out, not a load to retry through.
        return match error.filter(|e| Code::parse(&e.code) == Some(Code::AuthThrottled)) {
            Some(mut e) => {
                e.retry_after_secs = e.retry_after_secs.or(retry_after.and_then(|d| u32::try_from(d.as_secs()).ok()));
                CoreError::Throttled(e)
            }
            None => CoreError::ServerBusy { status: status.as_u16(), retry_after },
        };
    }
    let error = error.unwrap_or_else(|| ApiError::new(Code::ServerError.as_str(), format!("HTTP {}", status.as_u16())));
    match (status, Code::parse(&error.code)) {
        // A login's second factor, not a session's token: never a refresh trigger or a lost session.
        (StatusCode::UNAUTHORIZED, Some(Code::AuthMfaRequired)) => CoreError::MfaRequired,
        (StatusCode::UNAUTHORIZED, Some(Code::AuthMfaInvalid)) => CoreError::MfaInvalid,
        (StatusCode::UNAUTHORIZED, _) => CoreError::Auth(error),
        (StatusCode::FORBIDDEN, Some(Code::AuthMfaEnrollmentRequired)) => CoreError::MfaEnrollmentRequired,
        _ => CoreError::Server { status: status.as_u16(), error },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A one-shot server answering every connection with `response`.
    async fn canned(response: &'static str) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let _ = sock.write_all(response.as_bytes()).await;
                let _ = sock.shutdown().await;
            }
        });
        format!("http://{addr}")
    }

    #[tokio::test]
    async fn overload_is_transient_and_carries_retry_after() {
        let url = canned("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n").await;
        let err =
            Http::new(Some(&url), &[]).expect("client").pull("t", None, PULL_LIMIT, false).await.expect_err("503");
        assert!(err.is_transient());
        assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(err.code(), "server.unavailable");
    }

    #[tokio::test]
    async fn unauthorized_passes_the_server_code_through() {
        let body = r#"{"code":"auth.expired_token","message":"The access token has expired."}"#;
        let response: &'static str = Box::leak(
            format!(
                "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_boxed_str(),
        );
        let url = canned(response).await;
        let err =
            Http::new(Some(&url), &[]).expect("client").pull("t", Some("5"), PULL_LIMIT, false).await.expect_err("401");
        assert!(matches!(&err, CoreError::Auth(e) if e.code == "auth.expired_token"));
        assert!(err.needs_login());
    }

    #[tokio::test]
    async fn a_throttled_login_is_not_transient_and_carries_its_wait() {
        let url = canned(
            "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 240\r\nContent-Type: application/json\r\nContent-Length: 47\r\n\r\n{\"code\":\"auth.throttled\",\"message\":\"Too many.\"}",
        )
        .await;
        let err =
            Http::new(Some(&url), &[]).expect("client").login("199001012015031001", "x", None).await.expect_err("429");
        assert!(matches!(&err, CoreError::Throttled(_)), "{err:?}");
        assert!(!err.is_transient());
        assert!(!err.needs_login());
        assert_eq!(err.code(), "auth.throttled");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(240)));
        assert_eq!(err.to_api_error().retry_after_secs, Some(240), "the UI shows the wait");
        // Any other 429 is load, retried later.
        let url = canned("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Length: 0\r\n\r\n").await;
        let err =
            Http::new(Some(&url), &[]).expect("client").pull("t", None, PULL_LIMIT, false).await.expect_err("429");
        assert!(err.is_transient());
    }

    /// A one-shot JSON error answer with extra header lines (each ending in `\r\n`).
    async fn canned_error(status: &str, headers: &str, body: &str) -> String {
        let response = format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        canned(Box::leak(response.into_boxed_str())).await
    }

    fn http_date(at: chrono::DateTime<Utc>) -> String {
        at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
    }

    #[tokio::test]
    async fn a_missing_or_refused_second_factor_is_typed_and_keeps_no_session_logic() {
        let body = r#"{"code":"auth.mfa_required","message":"Enter the code."}"#;
        let url = canned_error("401 Unauthorized", "", body).await;
        let err =
            Http::new(Some(&url), &[]).expect("client").login("199001012015031001", "pw", None).await.expect_err("401");
        assert!(matches!(err, CoreError::MfaRequired), "{err:?}");
        assert!(!err.needs_login());

        // A wrong code from a device whose clock agrees with the server's stays a wrong code.
        let date = format!("Date: {}\r\n", http_date(Utc::now()));
        let body = r#"{"code":"auth.mfa_invalid","message":"Wrong code."}"#;
        let url = canned_error("401 Unauthorized", &date, body).await;
        let totp = SecondFactor::Totp("123456".into());
        let err = Http::new(Some(&url), &[])
            .expect("client")
            .login("199001012015031001", "pw", Some(&totp))
            .await
            .expect_err("401");
        assert!(matches!(err, CoreError::MfaInvalid), "{err:?}");
    }

    #[tokio::test]
    async fn a_refused_code_from_a_clock_5_minutes_ahead_is_a_clock_skew() {
        let date = format!("Date: {}\r\n", http_date(Utc::now() - chrono::Duration::minutes(5)));
        let body = r#"{"code":"auth.mfa_invalid","message":"Wrong code."}"#;
        let url = canned_error("401 Unauthorized", &date, body).await;
        let http = Http::new(Some(&url), &[]).expect("client");
        let totp = SecondFactor::Totp("123456".into());
        let err = http.login("199001012015031001", "pw", Some(&totp)).await.expect_err("401");
        let CoreError::ClockSkew { secs } = err else { panic!("{err:?}") };
        assert!((299..=302).contains(&secs), "{secs}");
        assert_eq!(err.to_api_error().clock_skew_secs, Some(secs));
        // A recovery code does not depend on the clock.
        let recovery = SecondFactor::RecoveryCode("ABCD-EFGH".into());
        let err = http.login("199001012015031001", "pw", Some(&recovery)).await.expect_err("401");
        assert!(matches!(err, CoreError::MfaInvalid), "{err:?}");

        // Confirming an enrolment reads the clock the same way.
        let body = r#"{"code":"mfa.code_invalid","message":"Wrong code.","field":"code"}"#;
        let url = canned_error("400 Bad Request", &date, body).await;
        let confirm = MfaConfirm { code: "123456".into() };
        let err = Http::new(Some(&url), &[]).expect("client").mfa_confirm("t", &confirm).await.expect_err("400");
        assert!(matches!(err, CoreError::ClockSkew { .. }), "{err:?}");
    }

    #[tokio::test]
    async fn a_session_that_must_enrol_first_is_told_so() {
        let body = r#"{"code":"auth.mfa_enrollment_required","message":"Enrol first."}"#;
        let url = canned_error("403 Forbidden", "", body).await;
        let err =
            Http::new(Some(&url), &[]).expect("client").pull("t", None, PULL_LIMIT, false).await.expect_err("403");
        assert!(matches!(err, CoreError::MfaEnrollmentRequired), "{err:?}");
        assert!(!err.needs_login() && !err.is_transient());
    }

    #[tokio::test]
    async fn refused_connection_is_unreachable() {
        let err = Http::new(Some("http://127.0.0.1:9"), &[])
            .expect("client")
            .login("1", "x", None)
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "network.unreachable");
        assert!(err.is_transient());
    }
}
