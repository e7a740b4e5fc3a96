//! What a simulator is started with: the credentials it accepts, token lifetimes, the rate limit, its people.

use std::path::PathBuf;
use std::time::Duration;

/// One integrator's APIM application (WSO2 consumer key and secret). The rate limit counts per key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApimClient {
    pub key: String,
    pub secret: String,
}

/// One SSO account (the agency operator's NIP and password on the SIASN Keycloak realm).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoUser {
    pub username: String,
    pub password: String,
}

/// The people generated at start: `count` ASN of agency `instansi_id`, the same for the same `seed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generate {
    pub instansi_id: String,
    pub count: usize,
    pub seed: u64,
}

/// How a simulator behaves. `Default` is a test setup: fixed test credentials, no rate limit, the real
/// token lifetimes, nobody in it.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub apim_clients: Vec<ApimClient>,
    /// The SSO client id (`client_id` of the password grant).
    pub sso_client_id: String,
    pub sso_users: Vec<SsoUser>,
    /// APIM token lifetime: 3600 s in SIASN (kanekescom/laravel-siasn-api `config/siasn-api.php`
    /// `token_age.apim` 3600 − 60).
    pub apim_token_lifetime: Duration,
    /// SSO token lifetime: 43200 s in SIASN (same file, `token_age.sso` 43200 − 60).
    pub sso_token_lifetime: Duration,
    /// Least time between two accepted API calls of one integrator; `Duration::ZERO` turns the limit off.
    pub min_interval: Duration,
    pub generate: Option<Generate>,
    /// A JSON snapshot of the data (people, records, uploads): read at start when it exists (then nobody is
    /// generated), written by [`crate::RunningSimulator::save_data`].
    pub data_file: Option<PathBuf>,
}

impl SimConfig {
    pub const TEST_APIM_KEY: &'static str = "sim-consumer-key";
    pub const TEST_APIM_SECRET: &'static str = "sim-consumer-secret";
    pub const TEST_SSO_CLIENT_ID: &'static str = "sim-client";
    pub const TEST_SSO_USERNAME: &'static str = "199001012015031001";
    pub const TEST_SSO_PASSWORD: &'static str = "sim-password";
    /// SIASN's rate limit as integrators meet it: about one request every 0.8 s.
    pub const SIASN_MIN_INTERVAL: Duration = Duration::from_millis(800);

    /// `count` generated ASN of agency `instansi_id`.
    pub fn with_people(mut self, instansi_id: &str, count: usize, seed: u64) -> Self {
        self.generate = Some(Generate { instansi_id: instansi_id.to_owned(), count, seed });
        self
    }

    pub fn with_min_interval(mut self, interval: Duration) -> Self {
        self.min_interval = interval;
        self
    }

    pub fn with_token_lifetimes(mut self, apim: Duration, sso: Duration) -> Self {
        self.apim_token_lifetime = apim;
        self.sso_token_lifetime = sso;
        self
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            apim_clients: vec![ApimClient {
                key: Self::TEST_APIM_KEY.to_owned(),
                secret: Self::TEST_APIM_SECRET.to_owned(),
            }],
            sso_client_id: Self::TEST_SSO_CLIENT_ID.to_owned(),
            sso_users: vec![SsoUser {
                username: Self::TEST_SSO_USERNAME.to_owned(),
                password: Self::TEST_SSO_PASSWORD.to_owned(),
            }],
            apim_token_lifetime: Duration::from_secs(3600),
            sso_token_lifetime: Duration::from_secs(43200),
            min_interval: Duration::ZERO,
            generate: None,
            data_file: None,
        }
    }
}
