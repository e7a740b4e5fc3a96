//! Metrics in the Prometheus text format, served on their own listener (`MYSAPK_METRICS_ADDR`, off by default;
//! never on the public address, see `http::meta::metrics_router`).
//!
//! Each server has its own recorder ([`Metrics`]), not a process-wide one: tests start several servers in one
//! process and each reads its own figures. The `metrics` macros (`counter!`, `histogram!`, …) reach a server's
//! recorder while a future runs under [`Metrics::instrument`] (every request does, see `http::logging::observe`,
//! and the service schedule) or a closure under [`Metrics::record`]; elsewhere they do nothing. A server without a
//! metrics address has no recorder at all: the macros cost nothing and nothing accumulates.
//!
//! The names (documented in `server/README.md`, "Observability"):
//!
//! | name | type | labels |
//! | --- | --- | --- |
//! | [`HTTP_REQUESTS`] | counter | `route` (the matched route template, never the raw path), `method`, `status` |
//! | [`HTTP_DURATION`] | histogram | `route`, `method` |
//! | [`PULLS`] | counter | |
//! | [`PUSHES`] | counter | |
//! | [`MUTATIONS`] | counter | `outcome`: `applied`, `already_processed`, `rejected` |
//! | [`LOAD_SHED`] | counter | `reason`: `write_gate` (a push found no turn), `pool` (no database connection in time), `database` (the database failing over) |
//! | [`LOGINS`] | counter | `outcome`: `success`, `failed`, `throttled`, `refused` |
//! | [`EVENT_STREAMS`] | gauge | |
//! | [`DB_POOL`] | gauge | `state`: `in_use`, `idle` |
//! | [`SERVICE_RUNS`] | counter | `outcome`: `ok`, `failed` |
//! | [`SERVICE_EVENTS`] | counter | |

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusRecorder};

/// Requests answered, by route, method and status.
pub const HTTP_REQUESTS: &str = "mysapk_http_requests_total";
/// Time from a request's arrival to its answer's head, by route and method.
pub const HTTP_DURATION: &str = "mysapk_http_request_duration_seconds";
/// Pulls answered 200.
pub const PULLS: &str = "mysapk_sync_pulls_total";
/// Pushes answered 200.
pub const PUSHES: &str = "mysapk_sync_pushes_total";
/// Mutations processed by pushes, by outcome.
pub const MUTATIONS: &str = "mysapk_sync_mutations_total";
/// Requests answered 503 `server.busy` (load shed), by reason.
pub const LOAD_SHED: &str = "mysapk_load_shed_total";
/// Login attempts, by outcome.
pub const LOGINS: &str = "mysapk_logins_total";
/// Event streams open now.
pub const EVENT_STREAMS: &str = "mysapk_event_streams_open";
/// The database pool's connections, by state (sampled at each scrape).
pub const DB_POOL: &str = "mysapk_db_pool_connections";
/// Scheduled service-event evaluations, by outcome.
pub const SERVICE_RUNS: &str = "mysapk_service_evaluations_total";
/// Service-event notifications created by the scheduled evaluations.
pub const SERVICE_EVENTS: &str = "mysapk_service_events_created_total";

/// Bucket bounds of the latency histograms, in seconds: a pull from the cache (~1 ms) to the 30 s request limit.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// How often the recorder's histograms are folded in when nobody scrapes (they are at every scrape too).
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// One server's metrics: a recorder when the metrics listener is on, nothing otherwise.
#[derive(Clone, Default)]
pub struct Metrics {
    recorder: Option<Arc<PrometheusRecorder>>,
}

impl Metrics {
    /// No recorder: every metric is dropped.
    pub fn disabled() -> Self {
        Self { recorder: None }
    }

    /// A recorder of its own, with true Prometheus histograms for the latencies.
    pub fn enabled() -> Self {
        let builder = PrometheusBuilder::new();
        // Only fails for an empty bucket list.
        let builder = match builder.set_buckets(LATENCY_BUCKETS) {
            Ok(b) => b,
            Err(_) => PrometheusBuilder::new(),
        };
        let recorder = builder.build_recorder();
        let metrics = Self { recorder: Some(Arc::new(recorder)) };
        metrics.record(describe);
        metrics
    }

    /// Whether figures are kept.
    pub fn is_enabled(&self) -> bool {
        self.recorder.is_some()
    }

    /// Run `f` with this server's recorder as the target of the `metrics` macros.
    pub fn record<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.recorder {
            Some(r) => metrics::with_local_recorder(r.as_ref(), f),
            None => f(),
        }
    }

    /// `future`, each of its polls with this server's recorder as the target of the `metrics` macros.
    pub fn instrument<F: Future>(&self, future: F) -> Instrumented<F> {
        Instrumented { inner: Box::pin(future), recorder: self.recorder.clone() }
    }

    /// The text format of every figure, after `sample` set the gauges read at scrape time; `None` when disabled.
    pub fn render(&self, sample: impl FnOnce()) -> Option<String> {
        let recorder = self.recorder.as_ref()?;
        self.record(sample);
        Some(recorder.handle().render())
    }

    /// Fold the histograms in (see [`UPKEEP_EVERY`]).
    pub fn upkeep(&self) {
        if let Some(r) = &self.recorder {
            r.handle().run_upkeep();
        }
    }
}

/// A future polled under a server's recorder (see [`Metrics::instrument`]).
pub struct Instrumented<F> {
    inner: Pin<Box<F>>,
    recorder: Option<Arc<PrometheusRecorder>>,
}

impl<F: Future> Future for Instrumented<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let Self { inner, recorder } = &mut *self;
        match recorder {
            Some(r) => metrics::with_local_recorder(r.as_ref(), || inner.as_mut().poll(cx)),
            None => inner.as_mut().poll(cx),
        }
    }
}

/// The help texts and units.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(HTTP_REQUESTS, "Requests answered, by route template, method and status.");
    describe_histogram!(HTTP_DURATION, Unit::Seconds, "Time to the answer's head, by route template and method.");
    describe_counter!(PULLS, "Pulls answered.");
    describe_counter!(PUSHES, "Pushes answered.");
    describe_counter!(MUTATIONS, "Mutations processed by pushes, by outcome.");
    describe_counter!(LOAD_SHED, "Requests answered 503 server.busy, by reason.");
    describe_counter!(LOGINS, "Login attempts, by outcome.");
    describe_gauge!(EVENT_STREAMS, "Event streams open.");
    describe_gauge!(DB_POOL, "Database pool connections, by state.");
    describe_counter!(SERVICE_RUNS, "Scheduled service-event evaluations, by outcome.");
    describe_counter!(SERVICE_EVENTS, "Service-event notifications created by scheduled evaluations.");
}

/// The `method` label: the standard methods by name, anything else `other` (no unbounded label values).
pub fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_server_reads_its_own_figures() {
        let a = Metrics::enabled();
        let b = Metrics::enabled();
        a.instrument(async {
            tokio::task::yield_now().await;
            metrics::counter!(PULLS).increment(3);
        })
        .await;
        b.record(|| metrics::counter!(PULLS).increment(1));
        Metrics::disabled().record(|| metrics::counter!(PULLS).increment(100));
        let text_a = a.render(|| metrics::gauge!(EVENT_STREAMS).set(2.0)).expect("enabled");
        let text_b = b.render(|| {}).expect("enabled");
        assert!(text_a.contains("mysapk_sync_pulls_total 3"), "{text_a}");
        assert!(text_a.contains("mysapk_event_streams_open 2"), "{text_a}");
        assert!(text_b.contains("mysapk_sync_pulls_total 1"), "{text_b}");
        assert!(Metrics::disabled().render(|| {}).is_none());
    }
}
