//! `mysapk-server`: serve, seed demo data, or run migrations.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use mysapk_model::document::DEFAULT_MAX_DOCUMENT_BYTES;
use mysapk_server::config::{DEFAULT_DATABASE_URL, DEFAULT_DOCUMENT_DIR, DEFAULT_REFERENCE_DIR};
use mysapk_server::db::NoHook;
use mysapk_server::error::CardKeyError;
use mysapk_server::{Config, ServerError};

use admin::AdminCmd;
use progress::progress_bar;
use siasn::SiasnCmd;

mod admin;
mod progress;
mod siasn;

#[derive(Parser)]
#[command(name = "mysapk-server", version, about = "The mysapk reference server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Common {
    /// `sqlite://<path>` or `postgres://…`
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
    /// Directory of the SIASN reference JSON tables.
    #[arg(long, env = "MYSAPK_REFERENCE_DIR", default_value = DEFAULT_REFERENCE_DIR, global = true)]
    reference_dir: PathBuf,
}

/// The ASN card and the event stream (`serve`).
#[derive(Args)]
struct LiveArgs {
    /// The card's Ed25519 private key (PKCS#8 PEM, e.g. `openssl genpkey -algorithm ed25519`), the same file on
    /// every node; unset: a key generated into the database (the embedded single-node default), rotated with
    /// `card-key rotate`.
    #[arg(long, env = "MYSAPK_CARD_KEY_FILE")]
    card_key_file: Option<PathBuf>,
    /// Card token lifetime in seconds.
    #[arg(long, env = "MYSAPK_CARD_TTL_SECS", default_value_t = 86_400)]
    card_ttl_secs: u64,
    /// How often an event stream re-reads its user's feed version, in milliseconds.
    #[arg(long, env = "MYSAPK_EVENTS_POLL_MS", default_value_t = 2_000)]
    events_poll_ms: u64,
    /// Seconds a client has to send a request's head (request line and headers) before its connection is closed.
    #[arg(long, env = "MYSAPK_HEADER_READ_TIMEOUT_SECS", default_value_t = 10)]
    header_read_timeout_secs: u64,
    /// Seconds a request may run before it is answered 503 `request.timeout` (the event stream, document uploads
    /// and account imports are exempt).
    #[arg(long, env = "MYSAPK_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    request_timeout_secs: u64,
    /// Event streams one user may hold open on this server (429 `events.too_many_for_user` beyond).
    #[arg(long, env = "MYSAPK_EVENT_STREAMS_PER_USER", default_value_t = 5)]
    event_streams_per_user: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client for the login throttle: comma-separated IPs
    /// and CIDRs (`10.0.0.0/8,::1`); unset: the header is ignored and the socket's peer is the client.
    #[arg(long, env = "MYSAPK_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: String,
    /// Who must enrol a second factor (TOTP) before doing anything else: `none`, `privileged` (verifiers,
    /// approvers and admins) or `all`.
    #[arg(long, env = "MYSAPK_MFA_REQUIRED", default_value = "privileged")]
    mfa_required: mysapk_server::config::MfaPolicy,
    /// Serve `GET /metrics` (Prometheus text format) on this address, e.g. `127.0.0.1:9090`; never the public
    /// address. Unset: no metrics.
    #[arg(long, env = "MYSAPK_METRICS_ADDR")]
    metrics_addr: Option<SocketAddr>,
    /// At SIGTERM or Ctrl-C, seconds in-flight requests may take to finish before the server exits anyway.
    #[arg(long, env = "MYSAPK_SHUTDOWN_TIMEOUT_SECS", default_value_t = 20)]
    shutdown_timeout_secs: u64,
    /// At SIGTERM or Ctrl-C, seconds the server keeps serving while `/readyz` answers 503 (so a load balancer
    /// takes it out) before it refuses connections; 0: refuse at once.
    #[arg(long, env = "MYSAPK_SHUTDOWN_DRAIN_SECS", default_value_t = 0)]
    shutdown_drain_secs: u64,
    /// SHA-256 fingerprints of the Android app's signing certificates (comma-separated `AB:CD:…`): served in
    /// `/.well-known/assetlinks.json` so the card's verify link opens the app. Unset: 404.
    #[arg(long, env = "MYSAPK_ANDROID_CERT_SHA256", default_value = "")]
    android_cert_sha256: String,
    /// The Android app's package name in `assetlinks.json`.
    #[arg(long, env = "MYSAPK_ANDROID_PACKAGE", default_value = mysapk_server::config::DEFAULT_ANDROID_PACKAGE)]
    android_package: String,
    /// The iOS app ids (`<team id>.<bundle id>`, comma-separated) in `/.well-known/apple-app-site-association`.
    /// Unset: 404.
    #[arg(long, env = "MYSAPK_IOS_APP_ID", default_value = "")]
    ios_app_id: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve {
        #[arg(long, env = "MYSAPK_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Serve HTTPS with this certificate chain (PEM, leaf first); needs --tls-key. Unset: plain HTTP, for
        /// loopback, the embedded demo, or behind a reverse proxy that terminates TLS.
        #[arg(long, env = "MYSAPK_TLS_CERT")]
        tls_cert: Option<PathBuf>,
        /// The private key of --tls-cert (PEM).
        #[arg(long, env = "MYSAPK_TLS_KEY")]
        tls_key: Option<PathBuf>,
        /// Access-token lifetime in seconds.
        #[arg(long, env = "MYSAPK_ACCESS_TTL_SECS")]
        access_ttl_secs: Option<u64>,
        /// Absolute session lifetime in days: a login must be repeated after this, however often it refreshed.
        #[arg(long, env = "MYSAPK_SESSION_MAX_DAYS", default_value_t = 30)]
        session_max_days: u64,
        /// Days a session may go unused (no token refresh) before it ends.
        #[arg(long, env = "MYSAPK_SESSION_IDLE_DAYS", default_value_t = 7)]
        session_idle_days: u64,
        /// Directory of uploaded documents (the blob store).
        #[arg(long, env = "MYSAPK_DOCUMENT_DIR", default_value = DEFAULT_DOCUMENT_DIR)]
        document_dir: PathBuf,
        /// Largest accepted document, in bytes.
        #[arg(long, env = "MYSAPK_MAX_DOCUMENT_BYTES", default_value_t = DEFAULT_MAX_DOCUMENT_BYTES)]
        max_document_bytes: u64,
        /// Seconds between two evaluations of every ASN's derived service events (the first runs shortly
        /// after start); 0: never.
        #[arg(long, env = "MYSAPK_SERVICE_INTERVAL_SECS", default_value_t = 3600)]
        service_interval_secs: u64,
        #[command(flatten)]
        live: LiveArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Seed data.
    /// Seed data: the demo accounts (`--demo`), or `--asn N` generated ASN with full records.
    Seed {
        /// The demo agencies, accounts and records (idempotent).
        #[arg(long, required_unless_present = "asn", conflicts_with = "asn")]
        demo: bool,
        /// Generate this many ASN, each with an account (password `demo1234`) and a record in every category.
        /// Refused on a database that already holds generated ASN.
        #[arg(long)]
        asn: Option<usize>,
        /// Spread the generated ASN over the first this many agencies of instansi.json.
        #[arg(long, default_value_t = 10)]
        instansi: usize,
        /// Random seed of the generated data: the same seed gives the same NIPs and records.
        #[arg(long, default_value_t = mysapk_seed::DEFAULT_SEED)]
        seed: u64,
        /// Generated ASN written per transaction.
        #[arg(long, default_value_t = 2_000)]
        batch: usize,
        #[command(flatten)]
        common: Common,
    },
    /// Import every catalog from the SIASN reference tables in DIR (default: --reference-dir); only changed
    /// catalogs are written and synced. `import-catalogs` is an alias.
    #[command(alias = "import-catalogs")]
    ImportReference {
        /// Directory of `*.json` / `*.json.gz` reference tables.
        dir: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Evaluate every ASN's derived service events (KP, KGB, BUP, SKP, documents) once and create the
    /// notifications not created before.
    EvaluateServices {
        /// The evaluation date, YYYY-MM-DD (default: today in WIB).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
        #[command(flatten)]
        common: Common,
    },
    /// The ASN card's signing keys.
    CardKey {
        #[command(subcommand)]
        cmd: CardKeyCmd,
        #[command(flatten)]
        common: Common,
    },
    /// Run the database migrations.
    Migrate {
        #[command(flatten)]
        common: Common,
    },
    /// Back up a SQLite server (online: it may keep serving) into a new or empty directory: a consistent copy of
    /// the database, the documents it references, a manifest. PostgreSQL: see docs/DEPLOY.md (pg_dump).
    Backup {
        /// The backup directory (absent or empty).
        #[arg(long)]
        to: PathBuf,
        /// Directory of uploaded documents (the blob store).
        #[arg(long, env = "MYSAPK_DOCUMENT_DIR", default_value = DEFAULT_DOCUMENT_DIR)]
        document_dir: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Restore a backup made by `backup` into an empty database and document directory, then migrate it.
    Restore {
        /// The backup directory.
        #[arg(long)]
        from: PathBuf,
        /// Directory of uploaded documents (the blob store).
        #[arg(long, env = "MYSAPK_DOCUMENT_DIR", default_value = DEFAULT_DOCUMENT_DIR)]
        document_dir: PathBuf,
        /// Replace a database that holds data and add to a document directory that holds documents (stop the
        /// server first).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        common: Common,
    },
    /// SIASN, the national system of record (settings: MYSAPK_SIASN_*, see docs/DEPLOY.md "SIASN").
    Siasn {
        #[command(subcommand)]
        cmd: SiasnCmd,
        #[command(flatten)]
        common: Common,
    },
    /// Agency administration on the database directly, audited with the given admin as actor.
    Admin {
        /// NIP of the acting admin (must hold the admin role; acts on their own agency only).
        #[arg(long = "as")]
        actor: String,
        #[command(subcommand)]
        cmd: AdminCmd,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Subcommand)]
enum CardKeyCmd {
    /// Add a new current key (generated into the database). Tokens signed by the old keys keep verifying until
    /// they expire; then the old keys leave the key set.
    Rotate {
        /// Card token lifetime in seconds (as `serve` has it): how long a retired key must keep verifying.
        #[arg(long, env = "MYSAPK_CARD_TTL_SECS", default_value_t = 86_400)]
        card_ttl_secs: u64,
        /// Set when the key comes from a file: then rotating means a new file, and this command refuses.
        #[arg(long, env = "MYSAPK_CARD_KEY_FILE")]
        card_key_file: Option<PathBuf>,
    },
}

async fn evaluate_services(database_url: &str, today: Option<chrono::NaiveDate>) -> Result<(), ServerError> {
    let pool = mysapk_server::db::connect(database_url).await?;
    let today = today.unwrap_or_else(mysapk_server::services::today);
    let (bar, progress) =
        progress_bar("{elapsed_precise} [{bar:40}] {human_pos}/{human_len} ASN, {per_sec}, ETA {eta}");
    bar.enable_steady_tick(Duration::from_millis(500));
    let result = mysapk_server::services::evaluate_all(&pool, &NoHook, today, &progress).await;
    bar.finish_and_clear();
    pool.close().await;
    let r = result?;
    let secs = r.elapsed.as_secs_f64();
    println!(
        "evaluated {} ASN on {today} in {secs:.1} s ({:.0} ASN/s): {} event(s) due, {} notification(s) created",
        r.asn,
        r.asn as f64 / secs.max(0.001),
        r.events,
        r.created
    );
    Ok(())
}

/// Logs on stderr: text, or one JSON object per line with `MYSAPK_LOG_FORMAT=json` (the fields of the enclosing
/// spans, e.g. a request's `request_id`, in `spans`); `RUST_LOG` filters (default `info,sqlx=warn`).
fn init_logging() -> Result<(), ServerError> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let format = std::env::var("MYSAPK_LOG_FORMAT").unwrap_or_default();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format.trim().to_ascii_lowercase().as_str() {
        "" | "text" => builder.init(),
        "json" => builder.json().with_current_span(true).with_span_list(true).init(),
        other => return Err(ServerError::Config(format!("MYSAPK_LOG_FORMAT={other}: expected text or json"))),
    }
    Ok(())
}

fn main() -> ExitCode {
    if let Err(e) = init_logging() {
        eprintln!("{e}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "failed");
            ExitCode::FAILURE
        }
    }
}

/// The HMAC secret of the old card tokens is not read any more: setting it is a mistake worth stopping for.
fn refuse_card_secret() -> Result<(), ServerError> {
    match std::env::var_os("MYSAPK_CARD_SECRET") {
        Some(v) if !v.is_empty() => Err(CardKeyError::SecretRefused.into()),
        _ => Ok(()),
    }
}

async fn run(command: Command) -> Result<(), ServerError> {
    match command {
        Command::Serve {
            addr,
            tls_cert,
            tls_key,
            access_ttl_secs,
            session_max_days,
            session_idle_days,
            document_dir,
            max_document_bytes,
            service_interval_secs,
            live,
            common,
        } => {
            refuse_card_secret()?;
            let mut config = Config::for_database(common.database_url);
            config.addr = addr;
            config.tls = mysapk_server::tls::TlsFiles::from_pair(tls_cert, tls_key)?;
            config.session_max = Duration::from_secs(session_max_days.max(1) * 86_400);
            config.session_idle = Duration::from_secs(session_idle_days.max(1) * 86_400);
            config.document_dir = document_dir;
            config.max_document_bytes = max_document_bytes;
            config.service_interval = Some(Duration::from_secs(service_interval_secs)).filter(|d| !d.is_zero());
            config.reference_dir = common.reference_dir;
            config.card_key_file = live.card_key_file.filter(|f| !f.as_os_str().is_empty());
            config.card_ttl = Duration::from_secs(live.card_ttl_secs.max(1));
            config.events_poll = Duration::from_millis(live.events_poll_ms.max(100));
            config.http.header_read_timeout = Duration::from_secs(live.header_read_timeout_secs.max(1));
            config.http.request_timeout = Duration::from_secs(live.request_timeout_secs.max(1));
            config.http.event_streams_per_user = live.event_streams_per_user.max(1);
            config.trusted_proxies = mysapk_server::config::parse_ip_nets(&live.trusted_proxies)
                .map_err(|e| ServerError::Config(format!("MYSAPK_TRUSTED_PROXIES: {e}")))?;
            config.mfa_required = live.mfa_required;
            config.metrics_addr = live.metrics_addr;
            config.shutdown_timeout = Duration::from_secs(live.shutdown_timeout_secs);
            config.shutdown_drain = Duration::from_secs(live.shutdown_drain_secs);
            config.app_links = mysapk_server::config::AppLinks::from_lists(
                &live.android_package,
                &live.android_cert_sha256,
                &live.ios_app_id,
            );
            if let Some(secs) = access_ttl_secs {
                config.access_ttl = Duration::from_secs(secs);
            }
            let https = config.tls.is_some();
            let siasn =
                mysapk_server::siasn::SiasnConfig::from_env().map_err(|e| ServerError::Config(e.to_string()))?;
            let database_url = config.database_url.clone();
            // MYSAPK_SIASN_*: approvals are forwarded to SIASN by this server's worker, stopped with it.
            let forwarding = mysapk_server::siasn::SiasnConfig::from_env()
                .map_err(|e| ServerError::Config(e.to_string()))?
                .map(mysapk_server::siasn::forward::Forwarding::new);
            let server = mysapk_server::start_forwarding(config, forwarding).await?;
            // MYSAPK_SIASN_REIMPORT_HOURS: the scheduled re-import, on its own pool, telling this server's caches.
            let reimport = match siasn.and_then(|c| c.reimport_every.map(|every| (c, every))) {
                Some((c, every)) => {
                    let client =
                        mysapk_server::siasn::SiasnClient::new(c).map_err(|e| ServerError::Config(e.to_string()))?;
                    let pool = mysapk_server::db::connect(&database_url).await?;
                    let hook: std::sync::Arc<dyn mysapk_server::db::AfterCommit> = server.live();
                    tracing::info!(every_hours = every.as_secs() / 3600, "SIASN re-import scheduled");
                    Some(mysapk_server::siasn::import::spawn_reimport(pool, hook, client, every))
                }
                None => None,
            };
            let scheme = if https { "https" } else { "http" };
            println!("mysapk-server listening on {scheme}://{}", server.addr());
            if let Some(a) = server.metrics_addr() {
                println!("mysapk-server metrics on http://{a}/metrics");
            }
            shutdown_signal().await?;
            tracing::info!("shutting down");
            if let Some(task) = reimport {
                task.abort();
            }
            server.shutdown().await;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Seed { demo: _, asn: Some(asn), instansi, seed, batch, common } => {
            let bar = ProgressBar::new(asn as u64);
            if let Ok(style) = ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {human_pos}/{human_len} ASN, {per_sec}, ETA {eta}",
            ) {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(500));
            let opts = mysapk_seed::GenerateOptions { asn, instansi, seed, batch };
            let r = mysapk_seed::generate(&common.database_url, &common.reference_dir, &opts, bar).await?;
            mysapk_server::reference::import_reference(&common.database_url, &common.reference_dir).await?;
            let secs = r.elapsed.as_secs_f64();
            println!(
                "generated {} ASN with {} history records in {} agencies in {secs:.1} s ({:.0} ASN/s); \
                 password {}; for example NIP {}",
                r.asn,
                r.histories,
                r.instansi,
                r.asn as f64 / secs.max(0.001),
                mysapk_seed::DEMO_PASSWORD,
                r.sample_nips.first().map_or("-", String::as_str),
            );
            Ok(())
        }
        Command::Seed { common, .. } => {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            let report = mysapk_seed::seed_demo_with_progress(&common.database_url, &common.reference_dir, bar).await?;
            if report.created {
                // The seed writes the small position table; the pelaksana one comes with a full reference import.
                mysapk_server::reference::import_reference(&common.database_url, &common.reference_dir).await?;
                println!(
                    "seeded {} accounts, {} history records, {} catalogs (password: {})",
                    report.accounts,
                    report.histories,
                    report.catalogs,
                    mysapk_seed::DEMO_PASSWORD
                );
            } else {
                println!("demo data already present: nothing to do");
            }
            Ok(())
        }
        Command::ImportReference { dir, common } => {
            let dir = dir.unwrap_or(common.reference_dir);
            let changed = mysapk_server::reference::import_reference(&common.database_url, &dir).await?;
            println!("{changed} catalog(s) changed");
            Ok(())
        }
        Command::EvaluateServices { today, common } => evaluate_services(&common.database_url, today).await,
        Command::Admin { actor, cmd, common } => admin::run(&common.database_url, &actor, cmd).await,
        Command::Siasn { cmd: SiasnCmd::Import { nips, instansi, nip_file }, common } => {
            siasn::import(&common.database_url, nips, instansi, nip_file).await
        }
        Command::CardKey { cmd: CardKeyCmd::Rotate { card_ttl_secs, card_key_file }, common } => {
            if card_key_file.is_some_and(|f| !f.as_os_str().is_empty()) {
                return Err(CardKeyError::RotateWithFile.into());
            }
            let pool = mysapk_server::db::connect(&common.database_url).await?;
            let rotated = mysapk_server::card::rotate(&pool, Duration::from_secs(card_ttl_secs.max(1))).await;
            pool.close().await;
            println!("new current card key: {}", rotated?);
            Ok(())
        }
        Command::Backup { to, document_dir, common } => {
            let m = mysapk_server::backup::backup(&common.database_url, &document_dir, &to).await?;
            println!(
                "backup in {}: schema {}, {} accounts, {} proposals, {} documents, taken {}",
                to.display(),
                m.schema_version,
                m.counts.accounts,
                m.counts.usulan,
                m.counts.documents,
                m.created_at
            );
            Ok(())
        }
        Command::Restore { from, document_dir, force, common } => {
            let m = mysapk_server::backup::restore(&from, &common.database_url, &document_dir, force).await?;
            println!(
                "restored the backup of {} (schema {}): {} accounts, {} proposals, {} documents",
                m.created_at, m.schema_version, m.counts.accounts, m.counts.usulan, m.counts.documents
            );
            Ok(())
        }
        Command::Migrate { common } => {
            let pool = mysapk_server::db::connect(&common.database_url).await?;
            pool.close().await;
            println!("migrations applied");
            Ok(())
        }
    }
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() -> Result<(), ServerError> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r?,
            _ = term.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await?;
        Ok(())
    }
}
