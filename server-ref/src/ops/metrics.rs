//! Prometheus metrics. They are served at `/metrics` on a listener of their own
//! (`--metrics-addr`), so the public port never shows them.
//!
//! - Requests: counted by method, route template and status, with a latency histogram.
//! - Database pool: in use and idle.
//! - Outbox depth per outbox.
//! - Checkouts by outcome, and deliveries by channel and outcome.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

const REQUESTS: &str = "colmena_http_requests_total";
const REQUEST_SECONDS: &str = "colmena_http_request_duration_seconds";
const CHECKOUTS: &str = "colmena_checkouts_total";
const DELIVERIES: &str = "colmena_deliveries_total";

/// Latency buckets in seconds: fine below 50 ms, where the API's answers are.
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's recorder, installed once (tests may start several servers in one process).
fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        // Only an empty bucket list is refused; the constant above is not empty.
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.into()), &LATENCY_BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics shows only gauges");
        }
        describe();
        handle
    })
}

fn describe() {
    metrics::describe_counter!(
        REQUESTS,
        "HTTP requests answered, by route template and status"
    );
    metrics::describe_histogram!(
        REQUEST_SECONDS,
        metrics::Unit::Seconds,
        "Time to answer an HTTP request, by route template"
    );
    metrics::describe_counter!(CHECKOUTS, "Checkouts, by outcome");
    metrics::describe_counter!(
        DELIVERIES,
        "Delivery attempts of webhooks, mail and chat replies, by outcome"
    );
    metrics::describe_gauge!(
        "colmena_db_pool_connections",
        "Database connections, by state"
    );
    metrics::describe_gauge!(
        "colmena_outbox_pending",
        "Rows waiting in an outbox (webhooks, mail, chat)"
    );
    metrics::describe_gauge!(
        "colmena_ready",
        "1 while the server takes traffic, 0 while it drains"
    );
}

/// Starts recording (idempotent); call before serving.
pub fn install() {
    recorder();
}

/// Middleware: counts and times every request by its route template (`/api/v1/stores/{store}/…`,
/// never the raw path, so that the series stay few).
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(REQUEST_SECONDS, "method" => method.clone(), "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(REQUESTS, "method" => method, "route" => route, "status" => status)
        .increment(1);
    response
}

/// What a checkout came to.
#[derive(Debug, Clone, Copy)]
pub enum CheckoutOutcome {
    /// An order was placed.
    Placed,
    /// It was refused (stock, validation, payment provider).
    Refused,
}

/// Counts a checkout.
pub fn checkout(outcome: CheckoutOutcome) {
    let outcome = match outcome {
        CheckoutOutcome::Placed => "placed",
        CheckoutOutcome::Refused => "refused",
    };
    metrics::counter!(CHECKOUTS, "outcome" => outcome).increment(1);
}

/// What one delivery attempt came to.
#[derive(Debug, Clone, Copy)]
pub enum DeliveryOutcome {
    /// Delivered.
    Sent,
    /// Failed; another attempt is scheduled.
    Retrying,
    /// Failed for good.
    Failed,
}

/// Counts a delivery attempt on `channel` (`webhook`, `mail`, `chat`).
pub fn delivery(channel: &'static str, outcome: DeliveryOutcome) {
    let outcome = match outcome {
        DeliveryOutcome::Sent => "sent",
        DeliveryOutcome::Retrying => "retrying",
        DeliveryOutcome::Failed => "failed",
    };
    metrics::counter!(DELIVERIES, "channel" => channel, "outcome" => outcome).increment(1);
}

/// The metrics listener's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(render))
        .with_state(state)
}

/// Samples the gauges, then renders everything in Prometheus's text format.
async fn render(State(state): State<AppState>) -> Response {
    let pool = &state.db.pool;
    let idle = pool.num_idle();
    let open = usize::try_from(pool.size()).unwrap_or(usize::MAX);
    metrics::gauge!("colmena_db_pool_connections", "state" => "idle").set(idle as f64);
    metrics::gauge!("colmena_db_pool_connections", "state" => "in_use")
        .set(open.saturating_sub(idle) as f64);
    for (outbox, table) in [
        ("webhooks", "webhook_deliveries"),
        ("mail", "mail_outbox"),
        ("chat", "chat_outbox"),
    ] {
        let query = format!("SELECT COUNT(*) FROM {table} WHERE status = 'pending'");
        match crate::db::query_scalar::<i64>(&query).fetch_one(pool).await {
            Ok(pending) => {
                metrics::gauge!("colmena_outbox_pending", "outbox" => outbox).set(pending as f64);
            }
            Err(error) => tracing::warn!(%error, outbox, "cannot count an outbox"),
        }
    }
    let ready = if state.readiness.is_draining() {
        0.0
    } else {
        1.0
    };
    metrics::gauge!("colmena_ready").set(ready);
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        recorder().render(),
    )
        .into_response()
}
