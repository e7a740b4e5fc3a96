//! The accept loop: `axum::serve` with a header-read timeout. axum's own loop builds hyper's connection builder
//! without a timer, so a client that sends its request head one byte a minute holds a connection (and its task)
//! for ever; here hyper closes a connection whose head is not complete within [`HttpLimits::header_read_timeout`].
//! Each request carries the peer's `ConnectInfo<SocketAddr>`, as `into_make_service_with_connect_info` gives it.
//!
//! With a TLS acceptor (`MYSAPK_TLS_CERT`/`MYSAPK_TLS_KEY`) every connection is HTTPS: the handshake must also
//! finish within the header-read timeout, a client speaking plain HTTP to the port gets no answer but a closed
//! connection, and every answer carries `Strict-Transport-Security`.

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
    shutdown: impl Future<Output = ()>,
) {
    // Dropped at shutdown: every connection task sees it and shuts its connection down gracefully.
    let (stop_tx, stop_rx) = watch::channel(());
    // Each connection task holds a clone; `closed()` resolves when the last one ends.
    let (done_tx, done_rx) = watch::channel(());
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
        tokio::spawn(async move {
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
    drop(stop_tx);
    drop(done_rx);
    done_tx.closed().await;
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
