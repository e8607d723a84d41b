//! Liveness and readiness, answered apart: `/livez` says the process serves (restart it when
//! not); `/readyz` says it should get traffic (its database answers and it is not shutting
//! down). Redis is not asked: without it rate limits fall back to each server's own, and one
//! Redis outage must not take every server out of rotation at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::AppState;

/// How long a readiness check waits for a dependency.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether the server takes traffic.
#[derive(Debug, Default)]
pub struct Readiness {
    draining: AtomicBool,
}

impl Readiness {
    /// From now on `/readyz` answers 503, so load balancers stop sending traffic.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::Release);
    }

    /// Whether shutdown has begun.
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }
}

/// `/livez` and `/readyz`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/livez", get(live))
        .route("/readyz", get(ready))
}

async fn live() -> impl IntoResponse {
    Json(json!({ "status": "live" }))
}

async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let unready = |reason: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unready", "reason": reason })),
        )
    };
    if state.readiness.is_draining() {
        return unready("shutting down");
    }
    let database = crate::db::query("SELECT 1").execute(&state.db.pool);
    if !matches!(
        tokio::time::timeout(CHECK_TIMEOUT, database).await,
        Ok(Ok(_))
    ) {
        return unready("the database does not answer");
    }
    (StatusCode::OK, Json(json!({ "status": "ready" })))
}
