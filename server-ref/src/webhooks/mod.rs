//! Outbound webhooks for partners: per-store endpoints with their own secret and event filter,
//! an outbox written in the same transaction as the change that caused each event, and a
//! background worker that delivers with retries and exponential backoff, keeping a log of every
//! attempt.
//!
//! Delivery is at least once: an event whose answer was lost (or whose server stopped between
//! sending and recording) is sent again, with the same event id, for the receiver to ignore.
//! Bodies are signed as `colmena_sdk::webhook` describes; endpoint secrets are derived from the
//! server secret (`CapabilityKeys::webhook_secret`) and never stored.

mod delivery;
mod outbox;

pub use delivery::{deliver_due, spawn_delivery_worker};
pub use outbox::emit;

use std::time::Duration;

/// How deliveries are made.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Accept `http://` endpoint URLs (development and tests); production wants `https://`.
    pub allow_http: bool,
    /// Accept endpoints on loopback and private networks (development and tests): without it
    /// only public internet addresses are called (see [`crate::egress`]).
    pub allow_private: bool,
    /// Wait before the second attempt; doubles with each further attempt (at most an hour).
    pub retry_base: Duration,
    /// Attempts before a delivery is marked failed.
    pub max_attempts: u32,
    /// How often the worker looks for due deliveries.
    pub poll_interval: Duration,
    /// Timeout of one attempt.
    pub timeout: Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            allow_http: false,
            allow_private: false,
            retry_base: Duration::from_secs(30),
            max_attempts: 8,
            poll_interval: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
        }
    }
}

/// The request header carrying the signature.
pub const SIGNATURE_HEADER: &str = colmena_sdk::webhook::SIGNATURE_HEADER;
/// How long a rotated-out secret keeps signing.
pub(crate) const ROTATION_OVERLAP: time::Duration = time::Duration::hours(24);
pub(crate) const MAX_URL_LENGTH: usize = 2048;
