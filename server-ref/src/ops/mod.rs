//! Running the server in production: metrics, logs and traces, liveness and readiness.

pub mod health;
pub mod metrics;
pub mod telemetry;
