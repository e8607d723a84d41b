//! Rate limits per client and store (seed 004): the public store API, the admin API and
//! sign-in each have a per-minute quota, answered beyond it with 429 `RATE_LIMITED` and
//! `Retry-After`.
//!
//! The client is the TCP peer's IP address. Behind a reverse proxy every client shares the
//! proxy's address; forwarded-for headers are not trusted until the server has a setting for
//! trusted proxies.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use colmena_sdk::contract::ErrorCode;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::api::ApiError;
use crate::cors::store_slug;

/// Requests per minute and client for each kind of route; 0 turns a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Public store API, per client and store (seed 004: 100).
    pub public_per_minute: u32,
    /// Admin API, per client and store (seed 004: 1000).
    pub admin_per_minute: u32,
    /// Sign-in and refresh, per client.
    pub login_per_minute: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            public_per_minute: 100,
            admin_per_minute: 1000,
            login_per_minute: 10,
        }
    }
}

type Limiter = DefaultKeyedRateLimiter<String>;

/// The server's limiters.
#[derive(Debug, Clone)]
pub struct RateLimits {
    public: Option<Arc<Limiter>>,
    admin: Option<Arc<Limiter>>,
    login: Option<Arc<Limiter>>,
}

fn limiter(per_minute: u32) -> Option<Arc<Limiter>> {
    NonZeroU32::new(per_minute).map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n))))
}

impl RateLimits {
    /// Limiters for `config`, with a background task that forgets idle clients every minute.
    pub fn start(config: RateLimitConfig) -> Self {
        let limits = Self {
            public: limiter(config.public_per_minute),
            admin: limiter(config.admin_per_minute),
            login: limiter(config.login_per_minute),
        };
        let sweeper = limits.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                for limiter in [&sweeper.public, &sweeper.admin, &sweeper.login]
                    .into_iter()
                    .flatten()
                {
                    limiter.retain_recent();
                }
            }
        });
        limits
    }

    /// The limiter and the key a request counts against, if any.
    fn classify(&self, path: &str, client: SocketAddr) -> Option<(&Arc<Limiter>, String)> {
        let ip = client.ip();
        if path.starts_with("/api/v1/auth/") {
            return self.login.as_ref().map(|l| (l, ip.to_string()));
        }
        if let Some(rest) = path.strip_prefix("/api/v1/admin/stores/") {
            let store = rest.split('/').next().unwrap_or_default();
            return self.admin.as_ref().map(|l| (l, format!("{ip} {store}")));
        }
        let store = store_slug(path)?;
        self.public.as_ref().map(|l| (l, format!("{ip} {store}")))
    }
}

/// Middleware: refuses a request over its quota with 429 and the seconds to wait.
pub async fn enforce(
    State(limits): State<RateLimits>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    if let Some((limiter, key)) = limits.classify(request.uri().path(), client) {
        if let Err(not_until) = limiter.check_key(&key) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            // Round up: retrying after the floor would still be too early.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return ApiError::new(ErrorCode::RateLimited, "too many requests; retry later")
                .with_retry_after(seconds.max(1))
                .into_response();
        }
    }
    next.run(request).await
}
