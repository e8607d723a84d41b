//! Rate limits per client and store (seed 004): the public store API, the admin API and
//! sign-in each have a per-minute quota, answered beyond it with 429 `RATE_LIMITED` and
//! `Retry-After`.
//!
//! The client is the TCP peer's IP address, or, when the peer is one of the configured trusted
//! proxies, the nearest address in `X-Forwarded-For` that is not a trusted proxy. Forwarded
//! headers from anyone else are ignored: a client cannot choose its own rate-limit key.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use colmena_sdk::contract::ErrorCode;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::http::canonical::store_segment;
use crate::http::ApiError;

/// Requests per minute and client for each kind of route; 0 turns a limit off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Public store API, per client and store (seed 004: 100).
    pub public_per_minute: u32,
    /// Admin API, per client and store (seed 004: 1000).
    pub admin_per_minute: u32,
    /// Sign-in and refresh, per client.
    pub login_per_minute: u32,
    /// File uploads, per client and store (seed 004: 10).
    pub uploads_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            public_per_minute: 100,
            admin_per_minute: 1000,
            login_per_minute: 10,
            uploads_per_minute: 10,
            trusted_proxies: Vec::new(),
        }
    }
}

type Limiter = DefaultKeyedRateLimiter<String>;

/// One kind of route's quota: its name (in shared keys), its size, and this server's own
/// limiter.
#[derive(Debug)]
struct Limit {
    name: &'static str,
    per_minute: NonZeroU32,
    local: Limiter,
}

impl Limit {
    fn new(name: &'static str, per_minute: u32) -> Option<Arc<Self>> {
        NonZeroU32::new(per_minute).map(|per_minute| {
            Arc::new(Self {
                name,
                per_minute,
                local: RateLimiter::keyed(Quota::per_minute(per_minute)),
            })
        })
    }

    fn retain_recent(&self) {
        self.local.retain_recent();
    }
}

/// The server's limiters.
#[derive(Debug, Clone)]
pub struct RateLimits {
    public: Option<Arc<Limit>>,
    admin: Option<Arc<Limit>>,
    login: Option<Arc<Limit>>,
    uploads: Option<Arc<Limit>>,
    trusted_proxies: Arc<[IpAddr]>,
    shared: Option<crate::cluster::Redis>,
}

impl RateLimits {
    /// Limiters for `config`, shared through `redis` when given, with a background task that
    /// forgets idle clients every minute.
    pub fn start(config: RateLimitConfig, redis: Option<crate::cluster::Redis>) -> Self {
        let limits = Self {
            public: Limit::new("public", config.public_per_minute),
            admin: Limit::new("admin", config.admin_per_minute),
            login: Limit::new("login", config.login_per_minute),
            uploads: Limit::new("uploads", config.uploads_per_minute),
            trusted_proxies: config.trusted_proxies.into(),
            shared: redis,
        };
        let sweeper = limits.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                for limiter in [
                    &sweeper.public,
                    &sweeper.admin,
                    &sweeper.login,
                    &sweeper.uploads,
                ]
                .into_iter()
                .flatten()
                {
                    limiter.retain_recent();
                }
            }
        });
        limits
    }

    /// The client a request comes from: the peer, or what a trusted proxy says it forwards.
    fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        // The last hops were added by our own proxies; the first untrusted one is the client.
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        forwarded
            .into_iter()
            .rev()
            .find(|hop| !self.trusted_proxies.contains(hop))
            .unwrap_or(peer)
    }

    /// The limit and the key a request counts against, if any.
    fn classify(&self, method: &Method, path: &str, ip: IpAddr) -> Option<(&Arc<Limit>, String)> {
        if path.starts_with("/api/v1/auth/") {
            return self.login.as_ref().map(|l| (l, ip.to_string()));
        }
        // The platform operator's calls count against the admin quota, per address.
        if path.starts_with("/api/v1/platform/") {
            return self.admin.as_ref().map(|l| (l, format!("{ip} platform")));
        }
        let store = store_segment(path)?;
        let limiter = if !path.starts_with("/api/v1/admin/") {
            &self.public
        } else if crate::http::deadlines::is_upload(method, path) {
            &self.uploads
        } else {
            &self.admin
        };
        limiter.as_ref().map(|l| (l, format!("{ip} {store}")))
    }

    /// Takes one request from `key`'s quota: `None` within it, or the time to wait.
    async fn take(&self, limit: &Limit, key: &str) -> Option<Duration> {
        if let Some(shared) = &self.shared {
            let shared_key = format!("{}:{key}", limit.name);
            if let Ok(wait) = shared.take(&shared_key, limit.per_minute).await {
                return wait;
            }
        }
        limit
            .local
            .check_key(&key.to_owned())
            .err()
            .map(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// Middleware: refuses a request over its quota with 429 and the seconds to wait.
pub async fn enforce(
    State(limits): State<RateLimits>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let ip = limits.client_ip(client.ip(), request.headers());
    if let Some((limit, key)) = limits.classify(request.method(), request.uri().path(), ip) {
        if let Some(wait) = limits.take(limit, &key).await {
            // Round up: retrying after the floor would still be too early.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return ApiError::new(ErrorCode::RateLimited, "too many requests; retry later")
                .with_retry_after(seconds.max(1))
                .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(trusted: &[&str]) -> RateLimits {
        RateLimits {
            public: None,
            admin: None,
            login: None,
            uploads: None,
            trusted_proxies: trusted.iter().map(|ip| ip.parse().unwrap()).collect(),
            shared: None,
        }
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7, 10.0.0.2".parse().unwrap(),
        );
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        // Not trusted: the peer is the client, whatever the header says.
        assert_eq!(limits(&[]).client_ip(peer, &headers), peer);
        // Trusted: the nearest hop that is not one of ours.
        let ours = limits(&["10.0.0.1", "10.0.0.2"]);
        assert_eq!(
            ours.client_ip(peer, &headers),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(ours.client_ip(peer, &HeaderMap::new()), peer);
    }
}
