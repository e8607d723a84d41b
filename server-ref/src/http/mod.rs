//! The HTTP edge, every layer a request passes before a handler: accepting connections within
//! their caps and timeouts, one spelling per path, per-store CORS, rate limits, body and time
//! limits, and idempotency keys.

pub mod canonical;
pub mod connections;
pub mod cors;
pub mod deadlines;
pub mod idempotency;
pub mod limits;
