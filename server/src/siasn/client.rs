//! The SIASN HTTP client: both tokens, the shared rate limit, retries, SIASN's envelopes as typed errors.
//!
//! What SIASN wants, and where each fact comes from:
//! - **APIM token** (WSO2 API Manager, OAuth2 client credentials): `POST <apim token url>` with HTTP Basic
//!   `consumer key : secret` and `grant_type=client_credentials`, answered `{access_token, expires_in, …}`
//!   (black-coffee04/ws-siasn-php `src/Services/AuthenticationService.php`; kanekescom/laravel-siasn-api
//!   `src/Credentials/Apim.php`). Sent as `Authorization: Bearer <token>` (kanekescom `src/Siasn.php`
//!   `withToken`).
//! - **SSO token** (SIASN's Keycloak realm, password grant): form `grant_type=password, client_id, username,
//!   password` (kanekescom `src/Credentials/Sso.php`), or a token provided by the operator. Sent as
//!   `Auth: bearer <token>` (kanekescom `src/Siasn.php` sends `Auth: {token_type} {access_token}`; ws-siasn-php
//!   `DokumenService::getRequestHeaders`; rumahASN `middleware/siasn.middleware.js`).
//! - Tokens are renewed before they expire (kanekescom keeps them `expires_in − 60` s, `config/siasn-api.php`
//!   `token_age`) and once more when a call is answered 401 (a token revoked early): the gateway's
//!   `900901 Invalid Credentials` or the back end's `invalid or expired jwt` (rumahASN
//!   `middleware/siasn.middleware.js` treats both as token faults).
//! - **Not found**: HTTP 404 `{"code": 0, "data": "Data tidak ditemukan"}` (ws-siasn-php
//!   `src/Resources/HttpClient.php::isNotFoundDataException`); success `{"code": 1, "data": …}`.
//! - **Rate limit**: about one call every 0.8 s per integrator (issue 18); WSO2 throttles with 429
//!   `900800 Message throttled out` and a `nextAccessTime` (WSO2's throttling answer). One limiter per client,
//!   shared by every clone, spaces the calls; a 429, 502, 503, 504 or a network failure is retried with an
//!   exponential backoff.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use mysapk_model::siasn::NOT_FOUND_TEXT;
use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::Mutex;

use super::{Secret, SiasnConfig, SsoAuth};

/// Why a SIASN call gave no usable answer. [`SiasnError::code`] is stable (logs, the import's report).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiasnError {
    /// `{"code": 0, "data": "Data tidak ditemukan"}`.
    #[error("not found in SIASN")]
    NotFound,
    /// SIASN answered the request itself with a refusal (a 4xx, or `code: 0` with a message).
    #[error("SIASN refused the request (HTTP {status}): {message}")]
    Refused { status: u16, message: String },
    /// Still throttled (429) after every retry.
    #[error("SIASN's rate limit: still throttled after {attempts} attempts")]
    Throttled { attempts: u32 },
    /// The gateway or the back end is down (502, 503, 504), or the network failed, after every retry.
    #[error("SIASN is unavailable after {attempts} attempts: {message}")]
    Unavailable { attempts: u32, message: String },
    /// The APIM consumer key and secret were refused.
    #[error("SIASN refused the APIM credentials (MYSAPK_SIASN_APIM_KEY / _SECRET): {0}")]
    ApimCredentials(String),
    /// The SSO username and password (or client id) were refused.
    #[error("SIASN's SSO refused the credentials (MYSAPK_SIASN_SSO_*): {0}")]
    SsoCredentials(String),
    /// The provided SSO token (`MYSAPK_SIASN_SSO_TOKEN`) expired or was refused; it cannot be renewed here.
    #[error("the provided SSO token (MYSAPK_SIASN_SSO_TOKEN) has expired or was refused: provide a new one")]
    SsoTokenExpired,
    /// Still 401 with freshly issued tokens.
    #[error("SIASN refused freshly issued tokens (HTTP 401): {0}")]
    Unauthorized(String),
    /// A 2xx answer that is not the JSON expected.
    #[error("SIASN's answer to {path} is not what was expected: {detail}")]
    BadAnswer { path: String, detail: String },
    /// The HTTP client could not be built.
    #[error("the SIASN HTTP client could not be built: {0}")]
    Client(String),
}

impl SiasnError {
    /// A stable code for logs and reports.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "siasn.not_found",
            Self::Refused { .. } => "siasn.refused",
            Self::Throttled { .. } => "siasn.throttled",
            Self::Unavailable { .. } => "siasn.unavailable",
            Self::ApimCredentials(_) => "siasn.apim_credentials",
            Self::SsoCredentials(_) => "siasn.sso_credentials",
            Self::SsoTokenExpired => "siasn.sso_token_expired",
            Self::Unauthorized(_) => "siasn.unauthorized",
            Self::BadAnswer { .. } => "siasn.bad_answer",
            Self::Client(_) => "siasn.client",
        }
    }

    /// Whether the same call may succeed later without anyone changing a setting: SIASN down, throttled, or a
    /// token refused (a token may be revoked and reissued). A refusal or a not-found stays what it is.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Throttled { .. } | Self::Unavailable { .. } | Self::Unauthorized(_))
    }
}

/// How hard a call tries: attempts for 429/502/503/504 and network failures, the backoff between them, the
/// per-request timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts of one call (1: no retry).
    pub attempts: u32,
    /// The wait after the first failure; doubled after each next one, up to `max_backoff`.
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// One request's time limit (a timeout counts as a network failure).
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 5,
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            timeout: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    fn backoff(&self, failures: u32) -> Duration {
        let factor = 2u32.saturating_pow(failures.saturating_sub(1));
        self.base_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// A file sent by [`SiasnClient::upload`].
#[derive(Debug, Clone)]
pub struct UploadPart {
    /// The multipart field (`file` for `/upload-dok`).
    pub field: String,
    pub file_name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// A held token and when it should be renewed.
#[derive(Debug)]
struct Held {
    token: Secret,
    renew_at: Option<Instant>,
}

impl Held {
    fn fresh(&self) -> bool {
        self.renew_at.is_none_or(|at| Instant::now() < at)
    }
}

#[derive(Debug, Default)]
struct Tokens {
    apim: Option<Held>,
    sso: Option<Held>,
}

struct Inner {
    http: reqwest::Client,
    config: SiasnConfig,
    limiter: Option<DefaultDirectRateLimiter>,
    tokens: Mutex<Tokens>,
    retry: RetryPolicy,
}

/// The client; clones share the tokens and the rate limit.
#[derive(Clone)]
pub struct SiasnClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SiasnClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiasnClient").field("base_url", &self.inner.config.base_url).finish_non_exhaustive()
    }
}

/// An OAuth2 token answer (the fields SIASN's clients read).
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// How one attempt ended.
enum Attempt {
    Done(Value),
    /// `reached`: the request may have reached SIASN's back end (a 5xx, a timeout), so a write is not repeated.
    Retry {
        wait: Option<Duration>,
        throttled: bool,
        reached: bool,
        message: String,
    },
    TokenRefused(String),
    Failed(SiasnError),
}

impl SiasnClient {
    /// A client with the default [`RetryPolicy`].
    pub fn new(config: SiasnConfig) -> Result<Self, SiasnError> {
        Self::with_retry(config, RetryPolicy::default())
    }

    pub fn with_retry(config: SiasnConfig, retry: RetryPolicy) -> Result<Self, SiasnError> {
        let http = reqwest::Client::builder()
            .timeout(retry.timeout)
            .connect_timeout(retry.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| SiasnError::Client(e.to_string()))?;
        // A margin of 1/16 (50 ms at 800): two calls spaced exactly at SIASN's interval here may arrive closer
        // there (network jitter) and the second be throttled; measured against the simulator's 800 ms limit.
        let period = config.min_interval + config.min_interval / 16;
        let limiter = Quota::with_period(period).map(|q| RateLimiter::direct(q.allow_burst(nonzero_one())));
        let inner = Inner { http, config, limiter, tokens: Mutex::new(Tokens::default()), retry };
        Ok(Self { inner: Arc::new(inner) })
    }

    pub fn config(&self) -> &SiasnConfig {
        &self.inner.config
    }

    /// `GET path` (relative to the base URL): the answer's JSON as SIASN sent it.
    pub async fn get(&self, path: &str) -> Result<Value, SiasnError> {
        let url = self.url(path);
        self.call(path, true, |http| http.get(&url)).await
    }

    /// `GET path`, unwrapped from SIASN's `{code: 1, data}` envelope into `T`.
    pub async fn get_data<T: DeserializeOwned>(&self, path: &str) -> Result<T, SiasnError> {
        let answer = self.get(path).await?;
        let data = envelope_data(answer)?;
        serde_json::from_value(data).map_err(|e| SiasnError::BadAnswer { path: path.to_owned(), detail: e.to_string() })
    }

    /// `POST path` with a JSON body: the answer's JSON (the `…/save` answers are `{success, message, mapData}`).
    /// A write is repeated only when it surely did not reach SIASN (throttled at the gateway, no connection, a
    /// token refused); after a 5xx or a timeout it fails [`SiasnError::Unavailable`] at once: the caller decides.
    pub async fn post_json(&self, path: &str, body: &Value) -> Result<Value, SiasnError> {
        let url = self.url(path);
        self.call(path, false, |http| http.post(&url).json(body)).await
    }

    /// `POST path` multipart: the text `fields` and the file (`/upload-dok`, `/upload-dok-rw`); repeated as
    /// [`Self::post_json`] is.
    pub async fn upload(&self, path: &str, fields: &[(&str, String)], file: &UploadPart) -> Result<Value, SiasnError> {
        let url = self.url(path);
        self.call(path, false, |http| {
            let mut form = reqwest::multipart::Form::new();
            for (name, value) in fields {
                form = form.text((*name).to_owned(), value.clone());
            }
            let part = reqwest::multipart::Part::bytes(file.bytes.clone()).file_name(file.file_name.clone());
            // An unparsable MIME type is sent without one rather than not at all.
            let part = match part.mime_str(&file.mime) {
                Ok(p) => p,
                Err(_) => reqwest::multipart::Part::bytes(file.bytes.clone()).file_name(file.file_name.clone()),
            };
            http.post(&url).multipart(form.part(file.field.clone(), part))
        })
        .await
    }

    /// Forget both tokens: the next call asks for new ones.
    pub async fn forget_tokens(&self) {
        *self.inner.tokens.lock().await = Tokens::default();
    }

    fn url(&self, path: &str) -> String {
        let base = &self.inner.config.base_url;
        if path.starts_with('/') {
            format!("{base}{path}")
        } else {
            format!("{base}/{path}")
        }
    }

    /// One call with the rate limit, the tokens, a renewal on 401 and the retries (of a write only when it
    /// surely did not reach SIASN).
    async fn call(
        &self,
        path: &str,
        idempotent: bool,
        build: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<Value, SiasnError> {
        let retry = self.inner.retry;
        let mut failures = 0u32;
        let mut renewed = false;
        loop {
            if let Some(limiter) = &self.inner.limiter {
                limiter.until_ready().await;
            }
            let (apim, sso) = self.tokens().await?;
            let request =
                build(&self.inner.http).bearer_auth(apim.expose()).header("Auth", format!("bearer {}", sso.expose()));
            match attempt(path, request).await {
                Attempt::Done(v) => return Ok(v),
                Attempt::Failed(e) => return Err(e),
                Attempt::TokenRefused(message) => {
                    if renewed {
                        return Err(match self.inner.config.sso {
                            SsoAuth::Provided(_) if message.contains("jwt") => SiasnError::SsoTokenExpired,
                            _ => SiasnError::Unauthorized(message),
                        });
                    }
                    renewed = true;
                    self.forget_tokens().await;
                }
                Attempt::Retry { wait, throttled, reached, message } => {
                    failures += 1;
                    if failures >= retry.attempts || (reached && !idempotent) {
                        return Err(if throttled {
                            SiasnError::Throttled { attempts: failures }
                        } else {
                            SiasnError::Unavailable { attempts: failures, message }
                        });
                    }
                    let backoff = retry.backoff(failures);
                    let wait = wait.map_or(backoff, |w| w.max(backoff).min(retry.max_backoff));
                    tracing::warn!(path, failures, wait_ms = wait.as_millis() as u64, %message, "SIASN call retried");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// The APIM and SSO tokens, renewed when due.
    async fn tokens(&self) -> Result<(Secret, Secret), SiasnError> {
        let mut held = self.inner.tokens.lock().await;
        let apim = match held.apim.as_ref().filter(|h| h.fresh()) {
            Some(h) => h.token.clone(),
            None => {
                let h = self.apim_token().await?;
                let t = h.token.clone();
                held.apim = Some(h);
                t
            }
        };
        let sso = match held.sso.as_ref().filter(|h| h.fresh()) {
            Some(h) => h.token.clone(),
            None => {
                let h = self.sso_token().await?;
                let t = h.token.clone();
                held.sso = Some(h);
                t
            }
        };
        Ok((apim, sso))
    }

    async fn apim_token(&self) -> Result<Held, SiasnError> {
        let c = &self.inner.config;
        let request = self
            .inner
            .http
            .post(&c.apim_token_url)
            .basic_auth(&c.apim_key, Some(c.apim_secret.expose()))
            .form(&[("grant_type", "client_credentials")]);
        token_request(request, SiasnError::ApimCredentials).await
    }

    async fn sso_token(&self) -> Result<Held, SiasnError> {
        match &self.inner.config.sso {
            SsoAuth::Provided(token) => {
                let renew_at = jwt_expiry(token.expose());
                if renew_at.is_some_and(|at| Instant::now() >= at) {
                    return Err(SiasnError::SsoTokenExpired);
                }
                Ok(Held { token: token.clone(), renew_at })
            }
            SsoAuth::Password { url, client_id, username, password } => {
                let request = self.inner.http.post(url).form(&[
                    ("grant_type", "password"),
                    ("client_id", client_id),
                    ("username", username),
                    ("password", password.expose()),
                ]);
                token_request(request, SiasnError::SsoCredentials).await
            }
        }
    }
}

fn nonzero_one() -> std::num::NonZeroU32 {
    std::num::NonZeroU32::MIN
}

/// A token request: a 400/401 is a refusal of the credentials; anything else that fails is SIASN unavailable.
async fn token_request(request: RequestBuilder, refused: fn(String) -> SiasnError) -> Result<Held, SiasnError> {
    let unavailable = |message: String| SiasnError::Unavailable { attempts: 1, message };
    let response = request.send().await.map_err(|e| unavailable(format!("token request: {e}")))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| unavailable(format!("token answer: {e}")))?;
    if status == StatusCode::BAD_REQUEST || status == StatusCode::UNAUTHORIZED {
        return Err(refused(oauth_message(&body)));
    }
    if !status.is_success() {
        return Err(unavailable(format!("token endpoint answered HTTP {}", status.as_u16())));
    }
    let answer: TokenAnswer =
        serde_json::from_slice(&body).map_err(|e| unavailable(format!("token answer is not a token: {e}")))?;
    let renew_at = answer.expires_in.map(|secs| {
        let lifetime = Duration::from_secs(secs);
        // Kanekescom renews 60 s early; short lifetimes (tests) halfway.
        Instant::now() + lifetime - Duration::from_secs(60).min(lifetime / 2)
    });
    Ok(Held { token: Secret::new(answer.access_token), renew_at })
}

/// RFC 6749 §5.2 `error` and `error_description`, without echoing anything else of the body.
fn oauth_message(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct OauthError {
        #[serde(default)]
        error: String,
        #[serde(default)]
        error_description: String,
    }
    match serde_json::from_slice::<OauthError>(body) {
        Ok(e) if !e.error.is_empty() => format!("{}: {}", e.error, e.error_description),
        _ => "refused".to_owned(),
    }
}

/// When a JWT's `exp` claim says it should no longer be used (60 s early); `None` when it has none readable.
fn jwt_expiry(token: &str) -> Option<Instant> {
    let claims = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims.trim_end_matches('=')).ok()?).ok()?;
    let exp = claims.get("exp")?.as_i64()?;
    let left = exp - 60 - chrono::Utc::now().timestamp();
    Some(if left <= 0 { Instant::now() } else { Instant::now() + Duration::from_secs(left as u64) })
}

/// Send one request and classify its answer.
async fn attempt(path: &str, request: RequestBuilder) -> Attempt {
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => {
            // Without a connection nothing was sent; anything else may have been.
            let reached = !e.is_connect();
            return Attempt::Retry { wait: None, throttled: false, reached, message: network_message(e) };
        }
    };
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = match response.bytes().await {
        Ok(b) => b,
        Err(e) => return Attempt::Retry { wait: None, throttled: false, reached: true, message: network_message(e) },
    };
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    if json.as_ref().is_some_and(is_not_found) {
        return Attempt::Failed(SiasnError::NotFound);
    }
    let message = json.as_ref().map_or_else(|| format!("HTTP {}", status.as_u16()), |v| fault_message(status, v));
    match status {
        s if s.is_success() => match json {
            Some(v) => Attempt::Done(v),
            None => Attempt::Failed(SiasnError::BadAnswer { path: path.to_owned(), detail: "not JSON".to_owned() }),
        },
        StatusCode::UNAUTHORIZED => Attempt::TokenRefused(message),
        StatusCode::TOO_MANY_REQUESTS => Attempt::Retry {
            wait: retry_after.or_else(|| json.as_ref().and_then(next_access_wait)),
            throttled: true,
            reached: false,
            message,
        },
        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => {
            Attempt::Retry { wait: retry_after, throttled: false, reached: true, message }
        }
        s => Attempt::Failed(SiasnError::Refused { status: s.as_u16(), message }),
    }
}

/// A network failure, without the URL (it may carry a NIP).
fn network_message(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "network failure"
    };
    format!("{kind}: {}", e.without_url())
}

/// `{"code": 0, "data": "Data tidak ditemukan"}`.
fn is_not_found(v: &Value) -> bool {
    v.get("code").and_then(Value::as_i64) == Some(0) && v.get("data").and_then(Value::as_str) == Some(NOT_FOUND_TEXT)
}

/// The words of a failed answer: WSO2's `message`/`description`, the back end's `message`, or a refusal's `data`.
fn fault_message(status: StatusCode, v: &Value) -> String {
    let text = |k: &str| v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let words = match (text("message"), text("description")) {
        (Some(m), Some(d)) => format!("{m}: {d}"),
        (Some(m), None) => m.to_owned(),
        (None, Some(d)) => d.to_owned(),
        (None, None) => text("data").map_or_else(|| format!("HTTP {}", status.as_u16()), str::to_owned),
    };
    words.chars().take(300).collect()
}

/// WSO2's `nextAccessTime` (`2026-Dec-04 13:59:01+0000 UTC`) as a wait from now.
fn next_access_wait(v: &Value) -> Option<Duration> {
    let text = v.get("nextAccessTime")?.as_str()?;
    let at = chrono::DateTime::parse_from_str(text.trim().trim_end_matches(" UTC"), "%Y-%b-%d %H:%M:%S%z").ok()?;
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).to_std().ok()
}

/// The `data` of `{code: 1, data}`; `code: 0` is a refusal with `data` as its message.
fn envelope_data(answer: Value) -> Result<Value, SiasnError> {
    if is_not_found(&answer) {
        return Err(SiasnError::NotFound);
    }
    let code = answer.get("code").and_then(|c| c.as_i64().or_else(|| c.as_str().and_then(|s| s.parse().ok())));
    match (code, answer) {
        (Some(1), Value::Object(mut map)) => Ok(map.remove("data").unwrap_or(Value::Null)),
        (_, other) => Err(SiasnError::Refused { status: 200, message: fault_message(StatusCode::OK, &other) }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn envelopes() {
        assert_eq!(envelope_data(json!({"code": 1, "data": {"nipBaru": "1"}})), Ok(json!({"nipBaru": "1"})));
        assert_eq!(envelope_data(json!({"code": 0, "data": "Data tidak ditemukan"})), Err(SiasnError::NotFound));
        assert_eq!(
            envelope_data(json!({"code": 0, "data": "NIP tidak valid"})),
            Err(SiasnError::Refused { status: 200, message: "NIP tidak valid".to_owned() })
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            attempts: 9,
            base_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(1),
        };
        let waits: Vec<u128> = (1..=5).map(|n| p.backoff(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 500, 500]);
    }

    #[test]
    fn wso2_next_access_time() {
        let at = (chrono::Utc::now() + chrono::Duration::seconds(5)).format("%Y-%b-%d %H:%M:%S%z UTC").to_string();
        let wait = next_access_wait(&json!({"nextAccessTime": at})).unwrap();
        assert!(wait <= Duration::from_secs(5) && wait >= Duration::from_secs(3), "{wait:?}");
    }

    #[test]
    fn jwt_expiry_is_read_from_the_claims() {
        let claims = URL_SAFE_NO_PAD.encode(json!({"exp": chrono::Utc::now().timestamp() + 3600}).to_string());
        let at = jwt_expiry(&format!("e30.{claims}.sig")).unwrap();
        assert!(at > Instant::now() + Duration::from_secs(3000));
        let past = URL_SAFE_NO_PAD.encode(json!({"exp": 1}).to_string());
        assert!(jwt_expiry(&format!("e30.{past}.sig")).unwrap() <= Instant::now());
        assert_eq!(jwt_expiry("not-a-jwt"), None);
    }
}
