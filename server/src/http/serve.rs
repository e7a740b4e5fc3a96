//! The accept loop: `axum::serve` with a header-read timeout. axum's own loop builds hyper's connection builder
//! without a timer, so a client that sends its request head one byte a minute holds a connection (and its task)
//! for ever; here hyper closes a connection whose head is not complete within [`HttpLimits::header_read_timeout`].
//! Each request carries the peer's `ConnectInfo<SocketAddr>`, as `into_make_service_with_connect_info` gives it.
//!
//! With a TLS acceptor (`MYSAPK_TLS_CERT`/`MYSAPK_TLS_KEY`) every connection is HTTPS: the handshake must also
//! finish within the header-read timeout, a client speaking plain HTTP to the port gets no answer but a closed
//! connection, and every answer carries `Strict-Transport-Security`.
//!
//! The stop: when `shutdown` resolves the listener is closed at once (new connections are refused), every open
//! connection finishes the request it is serving and closes (keep-alive connections take no new request), and
//! the loop returns when the last connection ended or after the shutdown timeout (`MYSAPK_SHUTDOWN_TIMEOUT_SECS`),
//! whichever comes first; connections still open then are cut. The event streams end by themselves (they watch
//! the server's `closing` flag, set by the caller together with `shutdown`).
//!
//! The metrics listener ([`serve_metrics`]) is a plain `axum::serve` of `GET /metrics` on its own address.

use std::future::Future;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::config::HttpLimits;

/// Serve `app` on `listener` until `shutdown` resolves, then let open connections finish (graceful). With `tls`,
/// only HTTPS.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: HttpLimits,
    tls: Option<TlsAcceptor>,
    shutdown_timeout: std::time::Duration,
    shutdown: impl Future<Output = ()>,
) {
    // Dropped at shutdown: every connection task sees it and shuts its connection down gracefully.
    let (stop_tx, stop_rx) = watch::channel(());
    // Each connection task holds a clone; `closed()` resolves when the last one ends.
    let (done_tx, done_rx) = watch::channel(());
    // The connection tasks, aborted if they outlive the shutdown timeout.
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
            // Reap finished connection tasks so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let https = tls.is_some();
        let service = app
            .clone()
            .map_request(move |req: hyper::Request<Incoming>| {
                let mut req = req.map(Body::new);
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            })
            .map_response(move |mut res: axum::response::Response| {
                if https {
                    res.headers_mut()
                        .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(crate::tls::HSTS));
                }
                res
            });
        let stop = stop_rx.clone();
        let done = done_rx.clone();
        let tls = tls.clone();
        connections.spawn(async move {
            match tls {
                None => serve_connection(stream, peer, service, limits, stop).await,
                Some(acceptor) => {
                    // A handshake that does not finish in time holds the connection like a slow request head.
                    match tokio::time::timeout(limits.header_read_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => serve_connection(stream, peer, service, limits, stop).await,
                        Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                }
            }
            drop(done);
        });
    }
    drop(listener);
    let open = connections.len();
    tracing::info!(connections = open, "stopped accepting; finishing in-flight requests");
    drop(stop_tx);
    drop(done_rx);
    if tokio::time::timeout(shutdown_timeout, done_tx.closed()).await.is_err() {
        tracing::warn!(
            connections = connections.len(),
            timeout_secs = shutdown_timeout.as_secs(),
            "connections still open after the shutdown timeout: cut"
        );
        connections.abort_all();
    }
}

/// Serve `GET /metrics` of `state`'s server on `listener` until `closing` turns true; folds the histograms in
/// every [`crate::metrics::UPKEEP_EVERY`] meanwhile.
pub fn serve_metrics(
    listener: TcpListener,
    state: super::AppState,
    mut closing: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let metrics = state.metrics.clone();
    let app = super::meta::metrics_router(state);
    tokio::spawn(async move {
        let upkeep = async {
            loop {
                tokio::time::sleep(crate::metrics::UPKEEP_EVERY).await;
                metrics.upkeep();
            }
        };
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = closing.wait_for(|c| *c).await;
        });
        tokio::select! {
            r = server => {
                if let Err(e) = r {
                    tracing::warn!(error = %e, "metrics listener failed");
                }
            }
            () = upkeep => {}
        }
    })
}

/// Serve one connection (plain or TLS) until it ends, or shut it down gracefully once `stop` changes.
async fn serve_connection<S, T>(
    stream: S,
    peer: std::net::SocketAddr,
    service: T,
    limits: HttpLimits,
    mut stop: watch::Receiver<()>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: tower::Service<hyper::Request<Incoming>, Response = axum::response::Response, Error = std::convert::Infallible>
        + Clone
        + Send
        + 'static,
    T::Future: Send + 'static,
{
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service));
    tokio::pin!(conn);
    let mut stopping = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                }
                break;
            }
            _ = stop.changed(), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}
