//! The bridge to SIASN, the national system of record: its settings ([`SiasnConfig`], from `MYSAPK_SIASN_*`),
//! the HTTP client ([`client`]: tokens, rate limit, retries, envelopes) and the import of official records
//! ([`import`]).
//!
//! Layers: `siasn` sits above `db` (it writes through it) and below nothing but the crate root and the CLI.

pub mod client;
pub mod forward;
pub mod import;
pub mod resolve;

use std::fmt;
use std::time::Duration;

pub use client::{SiasnClient, SiasnError};

/// SIASN's rate limit as integrators meet it: about one call every 0.8 s (issue 18; the simulator's figure).
pub const DEFAULT_MIN_INTERVAL: Duration = Duration::from_millis(800);

/// The APIM token path on the gateway's origin (WSO2: black-coffee04/ws-siasn-php
/// `src/Services/AuthenticationService.php`, rumahASN `utils/siasn-fetcher.js`).
pub const APIM_TOKEN_PATH: &str = "/oauth2/token";

/// A secret setting: its text is never printed, by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    /// The text, only to send it where it belongs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How the client gets SIASN's SSO token (sent as `Auth: bearer <token>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SsoAuth {
    /// The password grant on SIASN's Keycloak realm (kanekescom/laravel-siasn-api `src/Credentials/Sso.php`:
    /// form `grant_type=password, client_id, username, password` to the realm's token URL).
    Password { url: String, client_id: String, username: String, password: Secret },
    /// A token obtained elsewhere (`MYSAPK_SIASN_SSO_TOKEN`): used until it expires, never renewed.
    Provided(Secret),
}

/// The SIASN settings, read once from `MYSAPK_SIASN_*` ([`SiasnConfig::from_env`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiasnConfig {
    /// The API base, e.g. `https://apimws.bkn.go.id:8243/apisiasn/1.0` (`MYSAPK_SIASN_BASE_URL`); resource paths
    /// such as `/pns/data-utama/{nip}` are appended to it.
    pub base_url: String,
    /// The APIM (WSO2) token URL: `MYSAPK_SIASN_APIM_TOKEN_URL`, else the base URL's origin + [`APIM_TOKEN_PATH`].
    pub apim_token_url: String,
    /// The APIM consumer key (`MYSAPK_SIASN_APIM_KEY`).
    pub apim_key: String,
    /// The APIM consumer secret (`MYSAPK_SIASN_APIM_SECRET`).
    pub apim_secret: Secret,
    pub sso: SsoAuth,
    /// Least time between two calls of this server (`MYSAPK_SIASN_MIN_INTERVAL_MS`, default 800).
    pub min_interval: Duration,
    /// Re-import every known ASN this often while `serve` runs (`MYSAPK_SIASN_REIMPORT_HOURS`; unset or 0: never).
    pub reimport_every: Option<Duration>,
}

/// Why the `MYSAPK_SIASN_*` settings cannot be used. The message names the setting, never a secret's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiasnConfigError {
    #[error("MYSAPK_SIASN_BASE_URL is set but {0} is not: set it too, or unset MYSAPK_SIASN_BASE_URL")]
    Missing(&'static str),
    #[error(
        "MYSAPK_SIASN_BASE_URL is set but the SSO token has no source: set MYSAPK_SIASN_SSO_TOKEN, or \
         MYSAPK_SIASN_SSO_URL, MYSAPK_SIASN_SSO_CLIENT_ID, MYSAPK_SIASN_SSO_USERNAME and MYSAPK_SIASN_SSO_PASSWORD"
    )]
    NoSso,
    #[error("{0} is set without MYSAPK_SIASN_BASE_URL: set the base URL too, or unset the SIASN settings")]
    WithoutBase(&'static str),
    #[error("{name}: {value}: expected an http:// or https:// URL")]
    Url { name: &'static str, value: String },
    #[error("{name}: {value}: expected a whole number")]
    Number { name: &'static str, value: String },
}

const SETTINGS: [&str; 10] = [
    "MYSAPK_SIASN_APIM_KEY",
    "MYSAPK_SIASN_APIM_SECRET",
    "MYSAPK_SIASN_APIM_TOKEN_URL",
    "MYSAPK_SIASN_SSO_URL",
    "MYSAPK_SIASN_SSO_CLIENT_ID",
    "MYSAPK_SIASN_SSO_USERNAME",
    "MYSAPK_SIASN_SSO_PASSWORD",
    "MYSAPK_SIASN_SSO_TOKEN",
    "MYSAPK_SIASN_MIN_INTERVAL_MS",
    "MYSAPK_SIASN_REIMPORT_HOURS",
];

impl SiasnConfig {
    /// The settings of this process's environment; `Ok(None)` when `MYSAPK_SIASN_BASE_URL` is unset (no SIASN).
    pub fn from_env() -> Result<Option<Self>, SiasnConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The settings as `get` gives them (empty values count as unset).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, SiasnConfigError> {
        let get = |name: &str| get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let Some(base) = get("MYSAPK_SIASN_BASE_URL") else {
            return match SETTINGS.iter().find(|s| get(s).is_some()) {
                Some(s) => Err(SiasnConfigError::WithoutBase(s)),
                None => Ok(None),
            };
        };
        let base_url = url("MYSAPK_SIASN_BASE_URL", &base)?.trim_end_matches('/').to_owned();
        let need = |name: &'static str| get(name).ok_or(SiasnConfigError::Missing(name));
        let apim_key = need("MYSAPK_SIASN_APIM_KEY")?;
        let apim_secret = Secret::new(need("MYSAPK_SIASN_APIM_SECRET")?);
        let apim_token_url = match get("MYSAPK_SIASN_APIM_TOKEN_URL") {
            Some(u) => url("MYSAPK_SIASN_APIM_TOKEN_URL", &u)?.to_owned(),
            None => format!("{}{APIM_TOKEN_PATH}", origin(&base_url)),
        };
        let password_grant = ["MYSAPK_SIASN_SSO_URL", "MYSAPK_SIASN_SSO_CLIENT_ID", "MYSAPK_SIASN_SSO_USERNAME"]
            .iter()
            .chain(["MYSAPK_SIASN_SSO_PASSWORD"].iter())
            .any(|s| get(s).is_some());
        let sso = match get("MYSAPK_SIASN_SSO_TOKEN") {
            Some(token) if !password_grant => SsoAuth::Provided(Secret::new(token)),
            _ if password_grant => SsoAuth::Password {
                url: url("MYSAPK_SIASN_SSO_URL", &need("MYSAPK_SIASN_SSO_URL")?)?.to_owned(),
                client_id: need("MYSAPK_SIASN_SSO_CLIENT_ID")?,
                username: need("MYSAPK_SIASN_SSO_USERNAME")?,
                password: Secret::new(need("MYSAPK_SIASN_SSO_PASSWORD")?),
            },
            _ => return Err(SiasnConfigError::NoSso),
        };
        let number = |name: &'static str| -> Result<Option<u64>, SiasnConfigError> {
            get(name)
                .map(|v| v.parse::<u64>().map_err(|_| SiasnConfigError::Number { name, value: v.clone() }))
                .transpose()
        };
        let min_interval = number("MYSAPK_SIASN_MIN_INTERVAL_MS")?.map_or(DEFAULT_MIN_INTERVAL, Duration::from_millis);
        let reimport_every = number("MYSAPK_SIASN_REIMPORT_HOURS")?
            .filter(|h| *h > 0)
            .map(|h| Duration::from_secs(h.saturating_mul(3600)));
        Ok(Some(Self { base_url, apim_token_url, apim_key, apim_secret, sso, min_interval, reimport_every }))
    }
}

fn url<'a>(name: &'static str, value: &'a str) -> Result<&'a str, SiasnConfigError> {
    let ok = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://")).is_some_and(|r| !r.is_empty());
    if ok {
        Ok(value)
    } else {
        Err(SiasnConfigError::Url { name, value: value.to_owned() })
    }
}

/// `scheme://host[:port]` of a URL already checked by [`url`].
fn origin(base: &str) -> &str {
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Option<SiasnConfig>, SiasnConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        SiasnConfig::from_lookup(|k| map.get(k).cloned())
    }

    const FULL: [(&str, &str); 7] = [
        ("MYSAPK_SIASN_BASE_URL", "https://apimws.example.go.id:8243/apisiasn/1.0/"),
        ("MYSAPK_SIASN_APIM_KEY", "key"),
        ("MYSAPK_SIASN_APIM_SECRET", "apim-secret-value"),
        ("MYSAPK_SIASN_SSO_URL", "https://sso.example.go.id/auth/realms/public-siasn/protocol/openid-connect/token"),
        ("MYSAPK_SIASN_SSO_CLIENT_ID", "client"),
        ("MYSAPK_SIASN_SSO_USERNAME", "199001012015031001"),
        ("MYSAPK_SIASN_SSO_PASSWORD", "sso-password-value"),
    ];

    #[test]
    fn unset_base_is_no_siasn() {
        assert_eq!(config(&[]), Ok(None));
        assert_eq!(config(&[("MYSAPK_SIASN_BASE_URL", "  ")]), Ok(None));
    }

    #[test]
    fn full_password_configuration() {
        let c = config(&FULL).unwrap().unwrap();
        assert_eq!(c.base_url, "https://apimws.example.go.id:8243/apisiasn/1.0");
        assert_eq!(c.apim_token_url, "https://apimws.example.go.id:8243/oauth2/token");
        assert_eq!(c.min_interval, DEFAULT_MIN_INTERVAL);
        assert_eq!(c.reimport_every, None);
        assert!(matches!(c.sso, SsoAuth::Password { ref client_id, .. } if client_id == "client"));
    }

    #[test]
    fn provided_token_and_numbers() {
        let c = config(&[
            ("MYSAPK_SIASN_BASE_URL", "http://127.0.0.1:9000/apisiasn/1.0"),
            ("MYSAPK_SIASN_APIM_KEY", "key"),
            ("MYSAPK_SIASN_APIM_SECRET", "s"),
            ("MYSAPK_SIASN_SSO_TOKEN", "eyJ.token"),
            ("MYSAPK_SIASN_MIN_INTERVAL_MS", "250"),
            ("MYSAPK_SIASN_REIMPORT_HOURS", "24"),
            ("MYSAPK_SIASN_APIM_TOKEN_URL", "http://127.0.0.1:9001/oauth2/token"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(c.sso, SsoAuth::Provided(Secret::new("eyJ.token")));
        assert_eq!(c.min_interval, Duration::from_millis(250));
        assert_eq!(c.reimport_every, Some(Duration::from_secs(24 * 3600)));
        assert_eq!(c.apim_token_url, "http://127.0.0.1:9001/oauth2/token");
    }

    #[test]
    fn half_configurations_are_refused_by_name() {
        let without = |name: &str| FULL.iter().copied().filter(|(k, _)| *k != name).collect::<Vec<_>>();
        assert_eq!(
            config(&without("MYSAPK_SIASN_APIM_SECRET")),
            Err(SiasnConfigError::Missing("MYSAPK_SIASN_APIM_SECRET"))
        );
        assert_eq!(
            config(&without("MYSAPK_SIASN_SSO_PASSWORD")),
            Err(SiasnConfigError::Missing("MYSAPK_SIASN_SSO_PASSWORD"))
        );
        assert_eq!(config(&FULL[..3]), Err(SiasnConfigError::NoSso));
        assert_eq!(
            config(&[("MYSAPK_SIASN_APIM_KEY", "k")]),
            Err(SiasnConfigError::WithoutBase("MYSAPK_SIASN_APIM_KEY"))
        );
        let mut bad = FULL.to_vec();
        bad[0] = ("MYSAPK_SIASN_BASE_URL", "apimws.example.go.id");
        assert!(matches!(config(&bad), Err(SiasnConfigError::Url { name: "MYSAPK_SIASN_BASE_URL", .. })));
        let mut bad = FULL.to_vec();
        bad.push(("MYSAPK_SIASN_MIN_INTERVAL_MS", "fast"));
        assert!(matches!(config(&bad), Err(SiasnConfigError::Number { .. })));
    }

    #[test]
    fn secrets_are_not_printed() {
        let c = config(&FULL).unwrap().unwrap();
        let printed = format!("{c:?}");
        assert!(!printed.contains("apim-secret-value"), "{printed}");
        assert!(!printed.contains("sso-password-value"), "{printed}");
        assert!(printed.contains("Secret(***)"));
        let err = config(&FULL[..3]).unwrap_err().to_string();
        assert!(!err.contains("apim-secret-value"));
    }
}
