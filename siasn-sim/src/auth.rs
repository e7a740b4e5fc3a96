//! The two tokens every SIASN call carries, and the endpoints that issue them.
//!
//! - APIM (WSO2 API Manager): `POST /oauth2/token`, HTTP Basic `consumer key : secret`, `grant_type=client_credentials`
//!   (form: black-coffee04/ws-siasn-php `src/Services/AuthenticationService.php`, rumahASN `utils/siasn-fetcher.js`;
//!   JSON: kanekescom/laravel-siasn-api `src/Credentials/Apim.php` posts without `asForm`, so both are read).
//!   Answer `{access_token, scope, token_type, expires_in}` (the clients read `access_token`, `expires_in`).
//!   Sent as `Authorization: Bearer <token>`.
//! - SSO (Keycloak realm `public-siasn`): `POST /auth/realms/public-siasn/protocol/openid-connect/token`, form
//!   `grant_type=password, client_id, username, password` (kanekescom `src/Credentials/Sso.php`,
//!   `config/siasn-api.php`; rumahASN `utils/siasn-fetcher.js`). The token is a JWT whose `exp` clients read
//!   (rumahASN decodes it). Sent as `Auth: bearer <token>` (ws-siasn-php `DokumenService::getRequestHeaders`,
//!   rumahASN `middleware/siasn.middleware.js`).
//!
//! Wrong credentials answer RFC 6749 §5.2 errors: `invalid_client` (401) for the APIM client (the wording is
//! WSO2's "Client Authentication failed."), `invalid_grant` "Invalid user credentials" (401) and `invalid_client`
//! for SSO (Keycloak's wording).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;

use crate::server::{lock, Shared};

pub const APIM_TOKEN_PATH: &str = "/oauth2/token";
pub const SSO_TOKEN_PATH: &str = "/auth/realms/public-siasn/protocol/openid-connect/token";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Apim,
    Sso,
}

#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub kind: TokenKind,
    /// The consumer key (APIM) or the username (SSO).
    pub subject: String,
    pub expires_at: Instant,
}

/// Every token issued, by its text.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    issued: HashMap<String, Issued>,
    /// Signs the SSO JWTs (HS256); clients only decode them.
    secret: [u8; 32],
}

/// Why a presented token is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenFault {
    Missing,
    Invalid,
}

impl Tokens {
    pub fn new() -> Self {
        Self { issued: HashMap::new(), secret: rand::random() }
    }

    fn issue(&mut self, kind: TokenKind, subject: &str, token: String, lifetime: Duration) {
        let expires_at = Instant::now() + lifetime;
        self.issued.insert(token, Issued { kind, subject: subject.to_owned(), expires_at });
    }

    /// The subject of a valid, unexpired token of `kind`.
    pub fn check(&self, kind: TokenKind, token: Option<&str>) -> Result<String, TokenFault> {
        let token = token.filter(|t| !t.is_empty()).ok_or(TokenFault::Missing)?;
        match self.issued.get(token) {
            Some(i) if i.kind == kind && Instant::now() < i.expires_at => Ok(i.subject.clone()),
            _ => Err(TokenFault::Invalid),
        }
    }

    /// Every token issued so far expires now.
    pub fn expire_all(&mut self) {
        let now = Instant::now();
        for i in self.issued.values_mut() {
            i.expires_at = now;
        }
    }

    fn sso_jwt(&self, issuer: &str, client_id: &str, username: &str, lifetime: Duration) -> String {
        let now = chrono::Utc::now().timestamp();
        let claims = json!({
            "exp": now + lifetime.as_secs() as i64,
            "iat": now,
            "jti": uuid::Uuid::new_v4().to_string(),
            "iss": issuer,
            "aud": "account",
            "sub": uuid::Uuid::new_v4().to_string(),
            "typ": "Bearer",
            "azp": client_id,
            "preferred_username": username,
        });
        let head = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signing_input = format!("{head}.{body}");
        let signature = match Hmac::<Sha256>::new_from_slice(&self.secret) {
            Ok(mut mac) => {
                mac.update(signing_input.as_bytes());
                URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
            }
            // HMAC takes keys of any length: not reached.
            Err(_) => String::new(),
        };
        format!("{signing_input}.{signature}")
    }
}

/// The bearer token of a header value `Bearer <token>` (any case of the scheme: SIASN's clients send `bearer`).
pub(crate) fn bearer(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

#[derive(Debug, Default, Deserialize)]
struct TokenForm {
    #[serde(default)]
    grant_type: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// A token request's fields, from a form or a JSON body.
fn read_form(headers: &HeaderMap, body: &[u8]) -> TokenForm {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let parsed = if json { serde_json::from_slice(body).ok() } else { serde_urlencoded::from_bytes(body).ok() };
    parsed.unwrap_or_default()
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({ "error": error, "error_description": description }))).into_response()
}

/// `POST /oauth2/token`.
pub(crate) async fn apim_token(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let form = read_form(&headers, &body);
    if form.grant_type != "client_credentials" {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "Unsupported grant_type value");
    }
    let (key, secret) = basic_auth(&headers).unwrap_or((form.client_id, form.client_secret));
    let known = shared.config.apim_clients.iter().any(|c| c.key == key && c.secret == secret);
    if !known {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Client Authentication failed.");
    }
    let lifetime = shared.config.apim_token_lifetime;
    let token = uuid::Uuid::new_v4().to_string();
    lock(&shared.tokens).issue(TokenKind::Apim, &key, token.clone(), lifetime);
    Json(json!({
        "access_token": token,
        "scope": "default",
        "token_type": "Bearer",
        "expires_in": lifetime.as_secs(),
    }))
    .into_response()
}

/// `POST /auth/realms/public-siasn/protocol/openid-connect/token`.
pub(crate) async fn sso_token(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let form = read_form(&headers, &body);
    if form.grant_type != "password" {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "Unsupported grant_type");
    }
    if form.client_id != shared.config.sso_client_id {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Invalid client credentials");
    }
    let known = shared.config.sso_users.iter().any(|u| u.username == form.username && u.password == form.password);
    if !known {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_grant", "Invalid user credentials");
    }
    let lifetime = shared.config.sso_token_lifetime;
    let issuer = format!("{}/auth/realms/public-siasn", shared.origin);
    let mut tokens = lock(&shared.tokens);
    let access = tokens.sso_jwt(&issuer, &form.client_id, &form.username, lifetime);
    let refresh = tokens.sso_jwt(&issuer, &form.client_id, &form.username, lifetime);
    tokens.issue(TokenKind::Sso, &form.username, access.clone(), lifetime);
    drop(tokens);
    Json(json!({
        "access_token": access,
        "expires_in": lifetime.as_secs(),
        "refresh_expires_in": lifetime.as_secs(),
        "refresh_token": refresh,
        "token_type": "Bearer",
        "not-before-policy": 0,
        "session_state": uuid::Uuid::new_v4().to_string(),
        "scope": "profile email",
    }))
    .into_response()
}

/// `Authorization: Basic base64(key:secret)`.
fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (key, secret) = decoded.split_once(':')?;
    Some((key.to_owned(), secret.to_owned()))
}
