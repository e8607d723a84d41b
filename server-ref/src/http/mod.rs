//! The HTTP edge: accepting connections within their caps and timeouts, one spelling per path,
//! and per-request body and time limits.

pub mod canonical;
pub mod connections;
pub mod deadlines;
