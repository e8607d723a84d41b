//! The HTTP transport under [`Client`](crate::Client), and the retry policy around it.
//!
//! A [`Transport`] sends one request and sleeps; everything else (URLs, retries, backoff,
//! decoding) is the client's. Native builds get [`ReqwestTransport`] (feature `reqwest`); the
//! WebAssembly facade plugs in a transport on the browser's `fetch`, which is far smaller than
//! reqwest's wasm backend. Users can plug in their own with
//! [`Client::with_transport`](crate::Client::with_transport).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

/// One HTTP request, as the client hands it to a [`Transport`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL, already encoded.
    pub url: String,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// Body, if any (its `content-type` is among the headers).
    pub body: Option<Vec<u8>>,
    /// Give up on this attempt after this long.
    pub timeout: Duration,
}

impl HttpRequest {
    /// The value of header `name` (lower case), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// One HTTP response, as a [`Transport`] returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The value of header `name` (lower case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Why a transport could not produce a response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The connection could not be made or broke (refused, reset, DNS, CORS refusal in a browser).
    #[error("connection failed: {0}")]
    Connect(String),
    /// The attempt took longer than the request's timeout.
    #[error("timed out")]
    Timeout,
    /// Anything else the transport reports.
    #[error("{0}")]
    Other(String),
}

/// Sends HTTP requests and sleeps. Implement it to run the client on another HTTP stack.
#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
pub trait Transport: MaybeSendSync + std::fmt::Debug {
    /// Sends one request, honouring `request.timeout`.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;

    /// Waits `duration` (between retries), on this transport's runtime.
    async fn sleep(&self, duration: Duration);
}

/// `Send + Sync` on native targets, where clients cross threads; nothing on wasm32, where
/// JavaScript values are single-threaded.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSendSync: Send + Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + Sync> MaybeSendSync for T {}
/// `Send + Sync` on native targets; nothing on wasm32.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSendSync {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSendSync for T {}

/// When and how often a failed request is tried again.
///
/// Only safe requests are retried: GETs, and mutations that carry an `Idempotency-Key`.
/// Retried failures: connection errors, timeouts, 429 (waiting at least its `Retry-After`),
/// 502, 503 and 504, and a 409 with `Retry-After` (an earlier attempt with the same key is
/// still running, or died with a server whose claim on the key has not expired yet). Delays grow exponentially with full jitter, and all waits of one call
/// together stay within `max_total_delay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Upper bound of the first delay; doubles with each retry.
    pub base_delay: Duration,
    /// Upper bound of any single delay.
    pub max_delay: Duration,
    /// Upper bound of all delays of one call together.
    pub max_total_delay: Duration,
    /// Timeout of each attempt.
    pub attempt_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(5),
            max_total_delay: Duration::from_secs(15),
            attempt_timeout: Duration::from_secs(15),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
}

/// The outcome of one attempt, as far as retrying is concerned.
enum Attempt {
    Done(Result<HttpResponse, TransportError>),
    Retry {
        outcome: Result<HttpResponse, TransportError>,
        at_least: Duration,
    },
}

fn classify(request: &HttpRequest, outcome: Result<HttpResponse, TransportError>) -> Attempt {
    let retry_safe = request.method == Method::Get || request.header("idempotency-key").is_some();
    if !retry_safe {
        return Attempt::Done(outcome);
    }
    let at_least = match &outcome {
        Err(TransportError::Connect(_) | TransportError::Timeout) => Duration::ZERO,
        Ok(response) if response.status == 429 => retry_after(response).unwrap_or_default(),
        Ok(response) if response.status == 409 && retry_after(response).is_some() => {
            retry_after(response).unwrap_or_default()
        }
        Ok(response) if matches!(response.status, 502..=504) => {
            retry_after(response).unwrap_or_default()
        }
        Ok(_) | Err(TransportError::Other(_)) => return Attempt::Done(outcome),
    };
    Attempt::Retry { outcome, at_least }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by Colmena servers).
pub(crate) fn retry_after(response: &HttpResponse) -> Option<Duration> {
    response
        .header("retry-after")?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// A small xorshift generator for jitter; it needs no OS randomness, which wasm32 lacks.
#[derive(Debug)]
pub(crate) struct Jitter(AtomicU64);

impl Jitter {
    pub(crate) fn new() -> Self {
        // Distinct per client: a heap address (ASLR) mixed with a process-wide counter.
        static COUNTER: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);
        let probe = Box::new(0u8);
        let seed = (&*probe as *const u8 as u64)
            ^ COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed);
        Self(AtomicU64::new(seed | 1))
    }

    /// A duration drawn uniformly from `0..=upper`.
    fn below(&self, upper: Duration) -> Duration {
        let mut x = self.0.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0.store(x, Ordering::Relaxed);
        let upper_ms = u64::try_from(upper.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(x % upper_ms.saturating_add(1))
    }
}

/// Sends `request` through `transport`, retrying as `policy` allows.
pub(crate) async fn send_with_retries(
    transport: &dyn Transport,
    policy: &RetryPolicy,
    jitter: &Jitter,
    mut request: HttpRequest,
) -> Result<HttpResponse, TransportError> {
    request.timeout = policy.attempt_timeout;
    let mut waited = Duration::ZERO;
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let outcome = transport.send(request.clone()).await;
        let (outcome, at_least) = match classify(&request, outcome) {
            Attempt::Done(outcome) => return outcome,
            Attempt::Retry { outcome, at_least } => (outcome, at_least),
        };
        let ceiling = policy
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt - 1))
            .min(policy.max_delay);
        let delay = jitter.below(ceiling).max(at_least);
        if attempt >= policy.max_attempts || waited + delay > policy.max_total_delay {
            return outcome;
        }
        transport.sleep(delay).await;
        waited += delay;
    }
}

/// The transport for native targets: reqwest with rustls, on the caller's tokio runtime.
#[cfg(all(feature = "reqwest", not(target_arch = "wasm32")))]
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    http: reqwest::Client,
}

#[cfg(all(feature = "reqwest", not(target_arch = "wasm32")))]
impl Default for ReqwestTransport {
    fn default() -> Self {
        Self {
            http: reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .user_agent(concat!("colmena-sdk-rust/", env!("CARGO_PKG_VERSION")))
                .build()
                .unwrap_or_default(),
        }
    }
}

#[cfg(all(feature = "reqwest", not(target_arch = "wasm32")))]
#[async_trait::async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self
            .http
            .request(method, &request.url)
            .timeout(request.timeout);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let classify = |error: reqwest::Error| {
            if error.is_timeout() {
                TransportError::Timeout
            } else if error.is_connect() || error.is_request() {
                TransportError::Connect(error.to_string())
            } else {
                TransportError::Other(error.to_string())
            }
        };
        let response = builder.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        let body = response.bytes().await.map_err(classify)?.to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

#[cfg(all(test, feature = "reqwest", not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn post(url: String, idempotency_key: Option<&str>) -> HttpRequest {
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        if let Some(key) = idempotency_key {
            headers.push(("idempotency-key".to_owned(), key.to_owned()));
        }
        HttpRequest {
            method: Method::Post,
            url,
            headers,
            body: Some(b"{}".to_vec()),
            timeout: Duration::from_secs(5),
        }
    }

    fn quick() -> RetryPolicy {
        RetryPolicy {
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
            ..RetryPolicy::default()
        }
    }

    #[tokio::test]
    async fn a_post_without_idempotency_key_is_never_retried() {
        let mut server = mockito::Server::new_async().await;
        let unavailable = server
            .mock("POST", "/carts")
            .with_status(503)
            .expect(1)
            .create_async()
            .await;
        let transport = ReqwestTransport::default();
        let request = post(format!("{}/carts", server.url()), None);
        let response = send_with_retries(&transport, &quick(), &Jitter::new(), request)
            .await
            .unwrap();
        assert_eq!(response.status, 503);
        unavailable.assert_async().await;
    }

    #[tokio::test]
    async fn a_post_with_idempotency_key_is_retried_with_the_same_key() {
        let mut server = mockito::Server::new_async().await;
        let unavailable = server
            .mock("POST", "/carts")
            .match_header("idempotency-key", "key-1")
            .with_status(503)
            .expect(1)
            .create_async()
            .await;
        let created = server
            .mock("POST", "/carts")
            .match_header("idempotency-key", "key-1")
            .with_status(201)
            .expect(1)
            .create_async()
            .await;
        let transport = ReqwestTransport::default();
        let request = post(format!("{}/carts", server.url()), Some("key-1"));
        let response = send_with_retries(&transport, &quick(), &Jitter::new(), request)
            .await
            .unwrap();
        assert_eq!(response.status, 201);
        unavailable.assert_async().await;
        created.assert_async().await;
    }

    #[test]
    fn jitter_stays_within_the_ceiling() {
        let jitter = Jitter::new();
        let ceiling = Duration::from_millis(250);
        let draws: Vec<Duration> = (0..1000).map(|_| jitter.below(ceiling)).collect();
        assert!(draws.iter().all(|d| *d <= ceiling));
        // Spread, not a constant: at least a hundred distinct delays out of 251 possible.
        let distinct: std::collections::HashSet<_> = draws.iter().collect();
        assert!(distinct.len() > 100, "{}", distinct.len());
    }
}
