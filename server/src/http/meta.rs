//! Meta routes: liveness (`/healthz`), readiness (`/readyz`), the OpenAPI document, the answer for an unknown
//! route; and the router of the metrics listener (`GET /metrics`, never merged into the public router).

use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use mysapk_model::Code;

use super::{openapi, AppState};
use crate::error::ServerError;
use crate::metrics;

/// How long each readiness check may take before it counts as failed.
pub const READY_CHECK_TIMEOUT: Duration = Duration::from_secs(2);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// Liveness: the process answers (nothing else is checked; see `/readyz`).
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Readiness: `ready`, or `not_ready` with the checks that failed.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: &'static str,
    /// The failed checks: `database` (no answer to `SELECT 1` in time), `migrations` (the applied migrations are
    /// not this binary's), `shutting_down` (the server is stopping).
    pub failed: Vec<&'static str>,
}

/// Readiness: 200 when the database answers, its migrations are this binary's and the server is not stopping;
/// 503 otherwise, naming the failed checks. A load balancer sends requests only to a ready node.
#[utoipa::path(get, path = "/readyz",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn ready(State(state): State<AppState>) -> Response {
    let mut failed = Vec::new();
    if *state.closing.borrow() {
        failed.push("shutting_down");
    } else {
        match tokio::time::timeout(READY_CHECK_TIMEOUT, crate::db::ping(&state.pool)).await {
            Ok(Ok(())) => {
                match tokio::time::timeout(READY_CHECK_TIMEOUT, crate::db::migrations_current(&state.pool)).await {
                    Ok(Ok(true)) => {}
                    Ok(Ok(false)) => failed.push("migrations"),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "readiness: reading the applied migrations failed");
                        failed.push("database");
                    }
                    Err(_) => failed.push("database"),
                }
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "readiness: the database does not answer");
                failed.push("database");
            }
            Err(_) => {
                tracing::warn!("readiness: the database did not answer in time");
                failed.push("database");
            }
        }
    }
    let status = if failed.is_empty() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = Readiness { status: if failed.is_empty() { "ready" } else { "not_ready" }, failed };
    (status, Json(body)).into_response()
}

pub async fn not_found() -> ServerError {
    ServerError::api(Code::RouteNotFound)
}

/// The router of the metrics listener: `GET /metrics` only.
pub fn metrics_router(state: AppState) -> Router {
    Router::new().route("/metrics", get(scrape)).with_state(state)
}

/// The Prometheus text format of this server's figures; the pool and stream gauges are read now.
async fn scrape(State(state): State<AppState>) -> Response {
    let pool = &state.pool;
    let text = state.metrics.render(|| {
        let size = pool.size();
        let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX).min(size);
        ::metrics::gauge!(metrics::DB_POOL, "state" => "in_use").set(f64::from(size - idle));
        ::metrics::gauge!(metrics::DB_POOL, "state" => "idle").set(f64::from(idle));
        ::metrics::gauge!(metrics::EVENT_STREAMS).set(state.user_streams.total() as f64);
    });
    match text {
        Some(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
