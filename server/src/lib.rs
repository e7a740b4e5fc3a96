//! mysapk reference server: auth, sync pull/push, the proposal workflow and the review API, on SQLite or
//! PostgreSQL through one storage implementation (sqlx `Any`).
//!
//! Layers in one direction (checked by `tests/layers.rs`): [`http`] → the services → [`db`]. Only `http` chooses
//! an HTTP status; `db` writes SQL and tells its caller's [`db::AfterCommit`] hook what a commit changed. The
//! demo and generated seed data live in the `mysapk-seed` crate, the `mysapk-server` command in
//! `mysapk-server-cli` (`server/cli/`).
//!
//! | module | concern |
//! | --- | --- |
//! | [`admin`] | agency administration: accounts, import, roles, locks, reset codes, announcements, audit reads |
//! | [`config`] | [`Config`] |
//! | [`error`] | [`ServerError`]: a registered [`mysapk_model::Code`] (or a violation), its JSON [`mysapk_model::ApiError`] |
//! | [`admission`] | admission control under overload: a few pushes at once, a time budget per push |
//! | [`db`] | pool, the migration runner, SQL per table, the change log, the audit log; write transactions that tell an [`db::AfterCommit`] hook what they changed |
//! | [`auth`] | argon2id passwords, opaque tokens stored as SHA-256 hashes, refresh rotation, the access-token cache |
//! | [`backup`] | `backup` / `restore` of a SQLite node: an online `VACUUM INTO` copy, its documents, a manifest |
//! | [`live`] | one server's state after its commits: the event-stream hub, the versions it logged, the token generation |
//! | [`http`] | one router per resource with its handlers, extractors, the error answer (status from the code's kind), OpenAPI, the read-only SIASN-shaped facade (`http::siasn`) |
//! | [`sync`] | pull: the change feed and its quiet-feed cache |
//! | [`push`] | the device's mutations: one dispatcher, one module per kind (propose, confirm, withdraw, mark read, decide) |
//! | [`documents`] | resumable document upload, content checks, the blob store, authorised reads |
//! | [`reference`](mod@reference) | loading the SIASN reference tables as catalogs, `import-reference` |
//! | [`review`] | the reviewer's work queue: pull feed entries and the HTTP queue |
//! | [`workflow`] | reviewer decisions and applying approved changes |
//! | [`card`] | the ASN card token (Ed25519-signed JWS, expiring), its keys and rotation, its public check |
//! | [`events`] | the server-sent event stream that nudges a device to pull |
//! | [`assessments`] | competency and potential assessments recorded by the admin, synced to the ASN |
//! | [`standing`] | the standing (IP ASN, SKP, 9-box) computed from the official record |
//! | [`services`] | derived personnel-service events (KP, KGB, BUP, SKP, documents) as notifications, once each |
//! | [`tls`] | HTTPS served by the server itself: the rustls acceptor from the PEM files |
//! | [`metrics`](mod@metrics) | one server's Prometheus recorder, the metric names, served on `MYSAPK_METRICS_ADDR` |

pub mod admin;
pub mod admission;
pub mod assessments;
pub mod auth;
pub mod backup;
pub mod card;
pub mod config;
pub mod db;
pub mod documents;
pub mod error;
pub mod events;
pub mod http;
pub mod live;
pub mod metrics;
pub mod push;
pub mod reference;
pub mod review;
pub mod services;
pub mod siasn;
pub mod standing;
pub mod sync;
pub mod tls;
pub mod workflow;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::Config;
pub use error::ServerError;

/// A server serving in a background task.
pub struct RunningServer {
    addr: SocketAddr,
    metrics_addr: Option<SocketAddr>,
    live: Arc<live::Live>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl RunningServer {
    /// The bound address (the real port when the config asked for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bound address of the metrics listener, when `Config::metrics_addr` asked for one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_addr
    }

    /// The server's live state: the hook for writes made beside the server in the same process (tests), so its
    /// caches and event streams learn of them as of its own.
    pub fn live(&self) -> Arc<live::Live> {
        Arc::clone(&self.live)
    }

    /// Stop accepting, finish in-flight requests, close the pool.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "server task failed");
        }
    }

    /// Wait until the server stops (used by the binary together with a signal).
    pub async fn wait(self) {
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "server task failed");
        }
    }
}

/// Connect to the database, run migrations, bind and serve in a tokio task.
pub async fn start(config: Config) -> Result<RunningServer, ServerError> {
    start_forwarding(config, None).await
}

/// [`start`], and with `siasn` forward approved changes to SIASN: approvals queue them, a worker sends them
/// until the graceful stop (see [`siasn::forward`]).
pub async fn start_forwarding(
    config: Config,
    siasn: Option<siasn::forward::Forwarding>,
) -> Result<RunningServer, ServerError> {
    // Bad TLS files stop the start before anything else: never a silent fall back to plain HTTP.
    let tls = config.tls.as_ref().map(tls::TlsFiles::acceptor).transpose()?;
    let pool = db::connect(&config.database_url).await?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let card_keys = card::CardKeys::load(&pool, config.card_key_file.as_deref(), config.card_ttl).await?;
    // Long-lived responses (event streams) end when the server stops, so the graceful shutdown does not wait on them.
    let (closing_tx, closing) = tokio::sync::watch::channel(false);
    let live = Arc::new(live::Live::default());
    // Bound before serving: a metrics address that cannot be bound stops the start.
    let metrics_listener = match config.metrics_addr {
        Some(a) => Some(tokio::net::TcpListener::bind(a).await?),
        None => None,
    };
    let metrics_addr = metrics_listener.as_ref().map(tokio::net::TcpListener::local_addr).transpose()?;
    let metrics = if metrics_listener.is_some() { metrics::Metrics::enabled() } else { metrics::Metrics::disabled() };
    let state = http::AppState(Arc::new(http::Inner {
        pool: pool.clone(),
        ttls: auth::Ttls {
            access: config.access_ttl,
            refresh: config.refresh_ttl,
            refresh_reuse_grace: config.refresh_reuse_grace,
            session_max: config.session_max,
            session_idle: config.session_idle,
        },
        throttle: auth::Throttle {
            limits: config.throttle,
            trusted_proxies: config.trusted_proxies.clone(),
            argon2: auth::password::Argon2Gate::new(config.argon2_permits),
        },
        mfa_policy: config.mfa_required,
        tokens: Arc::new(auth::TokenCache::new(live.clone())),
        feed: sync::FeedCache::new(live.clone()),
        live: live.clone(),
        documents: documents::Documents::in_dir(&config.document_dir, config.max_document_bytes),
        card_keys,
        events_poll: config.events_poll,
        writes: admission::WriteGate::default(),
        closing,
        limits: config.http,
        user_streams: Arc::default(),
        metrics: metrics.clone(),
        app_links: config.app_links.clone(),
    }));
    match state.documents.sweep_stale(&pool, documents::STALE_UPLOAD_AFTER).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(uploads = n, "removed abandoned document uploads"),
        Err(e) => tracing::warn!(error = %e, "could not sweep abandoned document uploads"),
    }
    let forwarder = match siasn {
        Some(f) => {
            live.forward_to_siasn();
            let after: Arc<dyn db::AfterCommit> = live.clone();
            let task = siasn::forward::spawn(pool.clone(), f, state.documents.store.clone(), after)
                .map_err(|e| ServerError::Config(e.to_string()))?;
            Some(task)
        }
        None => None,
    };
    let metrics_task = metrics_listener.map(|l| http::serve::serve_metrics(l, state.clone(), state.closing.clone()));
    let app = http::router(state);
    let schedule = config
        .service_interval
        .map(|every| services::spawn_schedule(pool.clone(), live.clone(), every, metrics.clone()));
    let shutdown_timeout = config.shutdown_timeout;
    let drain = config.shutdown_drain;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        // Each request carries the peer's `ConnectInfo<SocketAddr>`: the throttle's client address (see
        // `http::auth::ClientIp`); a slow request head is cut off (see `http::serve`).
        http::serve::serve(listener, app, config.http, tls, shutdown_timeout, async move {
            let _ = stopped.await;
            // `/readyz` answers 503 from now on, event streams end; new requests are still served during the
            // drain, then the listener closes.
            let _ = closing_tx.send(true);
            if !drain.is_zero() {
                tracing::info!(drain_secs = drain.as_secs_f64(), "not ready; draining before refusing connections");
                tokio::time::sleep(drain).await;
            }
        })
        .await;
        if let Some(schedule) = schedule {
            schedule.abort();
        }
        if let Some(forwarder) = forwarder {
            forwarder.stop(shutdown_timeout).await;
        }
        if let Some(metrics_task) = metrics_task {
            metrics_task.abort();
        }
        pool.close().await;
    });
    tracing::info!(%addr, "listening");
    if let Some(a) = metrics_addr {
        tracing::info!(addr = %a, "metrics listening");
    }
    Ok(RunningServer { addr, metrics_addr, live, stop, task })
}
