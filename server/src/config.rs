//! Server configuration.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// Default location of the SIASN reference tables, relative to the current directory (the repo root).
pub const DEFAULT_REFERENCE_DIR: &str = "../shared/domain/reference";
/// Default directory of uploaded documents.
pub const DEFAULT_DOCUMENT_DIR: &str = "data/documents";
/// Default SQLite database.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/mysapk.sqlite";

/// Default lifetime of an ASN card token (one day).
pub const DEFAULT_CARD_TTL: Duration = Duration::from_secs(86_400);
/// Default absolute session lifetime (30 days).
pub const DEFAULT_SESSION_MAX: Duration = Duration::from_secs(30 * 86_400);
/// Default idle session lifetime (7 days).
pub const DEFAULT_SESSION_IDLE: Duration = Duration::from_secs(7 * 86_400);
/// Default poll interval of an event stream.
pub const DEFAULT_EVENTS_POLL: Duration = Duration::from_millis(2_000);

/// Everything [`crate::start`] needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://<path>` or `postgres://…`.
    pub database_url: String,
    /// Address to bind; port 0 picks a free port.
    pub addr: SocketAddr,
    /// Directory of the SIASN reference JSON tables (used by seeding).
    pub reference_dir: PathBuf,
    /// Lifetime of access tokens.
    pub access_ttl: Duration,
    /// Lifetime of refresh tokens.
    pub refresh_ttl: Duration,
    /// How long a just-rotated refresh token may be used again. A device whose refresh answer was lost in
    /// transit still holds the old token; without this window it would be logged out for nothing.
    pub refresh_reuse_grace: Duration,
    /// Absolute session lifetime (`MYSAPK_SESSION_MAX_DAYS`, default 30): no refresh extends a session past its
    /// login plus this.
    pub session_max: Duration,
    /// A session not refreshed for this long ends (`MYSAPK_SESSION_IDLE_DAYS`, default 7).
    pub session_idle: Duration,
    /// Directory of the document blob store ([`crate::documents::DirBlobStore`]).
    pub document_dir: PathBuf,
    /// Largest accepted document, in bytes.
    pub max_document_bytes: u64,
    /// Evaluate the derived service events of every ASN this often ([`crate::services::spawn_schedule`]);
    /// `None`: not on a schedule (the default here; `serve` sets `MYSAPK_SERVICE_INTERVAL_SECS`, default 3600).
    pub service_interval: Option<Duration>,
    /// The ASN card's Ed25519 private key, PKCS#8 PEM (`MYSAPK_CARD_KEY_FILE`), the same file on every node;
    /// `None`: a key generated into the database, rotated by `mysapk-server card-key rotate` (see [`crate::card`]).
    pub card_key_file: Option<PathBuf>,
    /// How long a card token is valid.
    pub card_ttl: Duration,
    /// How often an event stream re-reads its user's newest change-log version (see [`crate::events`]).
    pub events_poll: Duration,
    /// Failed logins and reset codes tolerated before a block (see [`crate::auth::throttle`]).
    pub throttle: ThrottleLimits,
    /// Peers whose `X-Forwarded-For` names the client (`MYSAPK_TRUSTED_PROXIES`); from anyone else the header is
    /// ignored and the socket's peer is the client.
    pub trusted_proxies: Vec<IpNet>,
    /// Argon2 hashes of logins and resets at once (default: one per core; see [`crate::auth::password`]).
    pub argon2_permits: usize,
    /// Time limits of connections and requests, and open event streams per user (see [`HttpLimits`]).
    pub http: HttpLimits,
    /// Serve HTTPS with this certificate and key (`MYSAPK_TLS_CERT`, `MYSAPK_TLS_KEY`); `None`: plain HTTP
    /// (loopback, the embedded demo, or behind a proxy that terminates TLS).
    pub tls: Option<crate::tls::TlsFiles>,
    /// Who must have a second factor (`MYSAPK_MFA_REQUIRED`, default [`MfaPolicy::Privileged`]).
    pub mfa_required: MfaPolicy,
    /// Serve `GET /metrics` (Prometheus text format) on this address (`MYSAPK_METRICS_ADDR`); `None`: no metrics
    /// are kept (the default). Never the public address (see [`crate::metrics`]).
    pub metrics_addr: Option<SocketAddr>,
    /// At a stop, how long in-flight requests may take to finish before the server exits anyway
    /// (`MYSAPK_SHUTDOWN_TIMEOUT_SECS`, default [`DEFAULT_SHUTDOWN_TIMEOUT`]).
    pub shutdown_timeout: Duration,
    /// The phone apps the card's verify link opens (`/.well-known/assetlinks.json`,
    /// `/.well-known/apple-app-site-association`); none by default.
    pub app_links: AppLinks,
    /// At a stop, how long the server keeps accepting while `/readyz` already answers 503, so a load balancer
    /// takes the node out before connections are refused (`MYSAPK_SHUTDOWN_DRAIN_SECS`, default 0: refuse at once).
    pub shutdown_drain: Duration,
}

/// Default bound of a graceful stop.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(20);

/// Whose accounts must have a second factor (TOTP) before they may do anything but enrol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MfaPolicy {
    /// Nobody must (anyone may still turn it on): the demo.
    None,
    /// Verifiers, approvers and admins: whoever decides about other people's records.
    #[default]
    Privileged,
    /// Every account.
    All,
}

impl MfaPolicy {
    /// Whether an account holding `roles` must have a second factor.
    pub fn requires(self, roles: &[mysapk_model::usulan::Role]) -> bool {
        use mysapk_model::usulan::Role;
        match self {
            Self::None => false,
            Self::All => true,
            Self::Privileged => roles.iter().any(|r| matches!(r, Role::Verifikator | Role::Approver | Role::Admin)),
        }
    }
}

/// `MYSAPK_MFA_REQUIRED` is not `none`, `privileged` or `all`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}: expected none, privileged or all")]
pub struct MfaPolicyError(String);

impl std::str::FromStr for MfaPolicy {
    type Err = MfaPolicyError;

    fn from_str(s: &str) -> Result<Self, MfaPolicyError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Self::None),
            "privileged" => Ok(Self::Privileged),
            "all" => Ok(Self::All),
            _ => Err(MfaPolicyError(s.to_owned())),
        }
    }
}

/// Limits of the login and reset-code throttle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleLimits {
    /// Failures of one NIP or one address within [`Self::window`] that start a block.
    pub max_failures: u32,
    /// How far back failures count.
    pub window: Duration,
    /// The first block; each further one (a failure soon after a block) doubles it.
    pub first_block: Duration,
    /// The longest block.
    pub max_block: Duration,
}

impl Default for ThrottleLimits {
    /// 10 failures in 15 minutes; blocks of 1, 2, 4, 8, then 15 minutes.
    fn default() -> Self {
        Self {
            max_failures: 10,
            window: Duration::from_secs(15 * 60),
            first_block: Duration::from_secs(60),
            max_block: Duration::from_secs(15 * 60),
        }
    }
}

/// An IP network (`10.0.0.0/8`, `::1/128`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Whether `ip` lies in this network (an IPv4-mapped IPv6 address counts as its IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4-mapped IPv6 address as IPv4; anything else as it is.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Why an entry of `MYSAPK_TRUSTED_PROXIES` is not an IP address or network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IpNetError {
    #[error("{0}: not an IP address")]
    Address(String),
    #[error("{0}: the prefix must be 0 to 32 (IPv4) or 0 to 128 (IPv6)")]
    Prefix(String),
}

impl std::str::FromStr for IpNet {
    type Err = IpNetError;

    fn from_str(s: &str) -> Result<Self, IpNetError> {
        let s = s.trim();
        let (addr, prefix) = s.split_once('/').map_or((s, None), |(a, p)| (a, Some(p)));
        let addr = canonical(addr.parse::<IpAddr>().map_err(|_| IpNetError::Address(s.to_owned()))?);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| IpNetError::Prefix(s.to_owned()))?,
        };
        Ok(Self { addr, prefix })
    }
}

/// Parse a comma-separated list of IPs and CIDRs (`MYSAPK_TRUSTED_PROXIES`); empty entries are skipped.
pub fn parse_ip_nets(list: &str) -> Result<Vec<IpNet>, IpNetError> {
    list.split(',').filter(|s| !s.trim().is_empty()).map(str::parse).collect()
}

impl Config {
    /// A configuration for `database_url` on `127.0.0.1:0` with default lifetimes (15 minutes / 30 days; cards one
    /// day), a generated card key, and privileged accounts required to have a second factor.
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            reference_dir: PathBuf::from(DEFAULT_REFERENCE_DIR),
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(30 * 24 * 3600),
            refresh_reuse_grace: Duration::from_secs(60),
            session_max: DEFAULT_SESSION_MAX,
            session_idle: DEFAULT_SESSION_IDLE,
            document_dir: PathBuf::from(DEFAULT_DOCUMENT_DIR),
            max_document_bytes: mysapk_model::document::DEFAULT_MAX_DOCUMENT_BYTES,
            service_interval: None,
            card_key_file: None,
            card_ttl: DEFAULT_CARD_TTL,
            events_poll: DEFAULT_EVENTS_POLL,
            throttle: ThrottleLimits::default(),
            trusted_proxies: Vec::new(),
            argon2_permits: std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            http: HttpLimits::default(),
            tls: None,
            mfa_required: MfaPolicy::default(),
            metrics_addr: None,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            app_links: AppLinks::default(),
            shutdown_drain: Duration::ZERO,
        }
    }
}

/// The app's Android package name unless configured (`tauri.conf.json` `identifier`).
pub const DEFAULT_ANDROID_PACKAGE: &str = "id.mysapk.app";

/// The phone apps allowed to open the card's verify link (served under `/.well-known/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppLinks {
    /// The Android package (`MYSAPK_ANDROID_PACKAGE`, default [`DEFAULT_ANDROID_PACKAGE`]).
    pub android_package: String,
    /// SHA-256 fingerprints of the Android signing certificates (`MYSAPK_ANDROID_CERT_SHA256`, comma-separated,
    /// `AB:CD:…`); empty: no `assetlinks.json`.
    pub android_cert_sha256: Vec<String>,
    /// iOS app ids, `<team id>.<bundle id>` (`MYSAPK_IOS_APP_ID`, comma-separated); empty: no
    /// `apple-app-site-association`.
    pub ios_app_ids: Vec<String>,
}

impl Default for AppLinks {
    fn default() -> Self {
        Self {
            android_package: DEFAULT_ANDROID_PACKAGE.to_owned(),
            android_cert_sha256: Vec::new(),
            ios_app_ids: Vec::new(),
        }
    }
}

impl AppLinks {
    /// From the comma-separated lists of the environment; empty entries are skipped, fingerprints upper-cased.
    pub fn from_lists(android_package: &str, android_cert_sha256: &str, ios_app_ids: &str) -> Self {
        let list =
            |s: &str| s.split(',').map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned).collect::<Vec<_>>();
        let package = android_package.trim();
        Self {
            android_package: if package.is_empty() { DEFAULT_ANDROID_PACKAGE.to_owned() } else { package.to_owned() },
            android_cert_sha256: list(android_cert_sha256).into_iter().map(|f| f.to_ascii_uppercase()).collect(),
            ios_app_ids: list(ios_app_ids),
        }
    }
}

/// What one client may hold of the server: a connection that sends its request headers too slowly is closed
/// (slowloris), a request runs at most so long, and one user keeps at most so many event streams open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpLimits {
    /// The whole request head must arrive within this time (`MYSAPK_HEADER_READ_TIMEOUT_SECS`, default 10 s).
    pub header_read_timeout: Duration,
    /// A request is answered 503 `request.timeout` after this time (`MYSAPK_REQUEST_TIMEOUT_SECS`, default
    /// 30 s); the event stream and document uploads are exempt (they are long by nature and have their own
    /// limits).
    pub request_timeout: Duration,
    /// Open event streams per user across their devices (`MYSAPK_EVENT_STREAMS_PER_USER`, default 5).
    pub event_streams_per_user: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            event_streams_per_user: 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_contain_their_addresses() {
        let nets = parse_ip_nets("10.0.0.0/8, 192.168.1.7,::1, 2001:db8::/32").expect("parses");
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        assert!(nets[0].contains(ip("10.200.3.4")));
        assert!(!nets[0].contains(ip("11.0.0.1")));
        assert!(nets[1].contains(ip("192.168.1.7")) && !nets[1].contains(ip("192.168.1.8")));
        assert!(nets[1].contains(ip("::ffff:192.168.1.7")), "IPv4-mapped");
        assert!(nets[2].contains(ip("::1")));
        assert!(nets[3].contains(ip("2001:db8:1::5")) && !nets[3].contains(ip("2001:db9::1")));
        assert!(parse_ip_nets("10.0.0.0/33").is_err());
        assert!(parse_ip_nets("nonsense").is_err());
        assert_eq!(parse_ip_nets("").expect("empty"), vec![]);
        let all: IpNet = "0.0.0.0/0".parse().expect("all");
        assert!(all.contains(ip("8.8.8.8")));
    }
}
