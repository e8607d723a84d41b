//! Accepting and keeping connections: a cap on connections per client address and overall, and
//! the connection-level timeouts (the request head, and idle keep-alive).
//!
//! `axum::serve` sets no timer on hyper, so hyper's own head timeout never runs, and it has no
//! connection limits. Hyper's head timeout also starts when hyper *waits* for a head, so it
//! cannot give an idle kept-alive connection a different allowance from a head being sent
//! slowly. Here each connection carries a small clock instead: the service marks when a request
//! is being answered, the socket wrapper sees bytes arrive, and a read that waits past the
//! current phase's deadline fails, which makes hyper close the connection.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// Connection limits and timeouts; see `server-ref/README.md` for their flags and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// A request head (request line and headers) must be complete this long after its first
    /// byte, or after the connection opened for the first request.
    pub header_read: Duration,
    /// A kept-alive connection with no request for this long is closed.
    pub keep_alive: Duration,
    /// Open connections per client address (0: no cap). Trusted proxies are exempt.
    pub per_client: usize,
    /// Open connections in all (0: no cap).
    pub total: usize,
    /// Addresses exempt from `per_client` (the trusted reverse proxies).
    pub exempt: Vec<IpAddr>,
    /// How long shutdown waits for open requests to finish.
    pub drain: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            keep_alive: Duration::from_secs(60),
            per_client: 128,
            total: 10_000,
            exempt: Vec::new(),
            drain: Duration::from_secs(30),
        }
    }
}

// ----- Admission -----

/// Open connections, per client and in all.
#[derive(Debug, Default)]
struct OpenConnections {
    per_client: HashMap<IpAddr, usize>,
    total: usize,
}

/// Counts a connection while it lives: in the total, and against its client when `client` is
/// set (a connection kept only to refuse its request counts in the total alone).
struct Admitted {
    open: Arc<Mutex<OpenConnections>>,
    client: Option<IpAddr>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.total = open.total.saturating_sub(1);
        if let Some(client) = self.client {
            if let Some(count) = open.per_client.get_mut(&client) {
                *count -= 1;
                if *count == 0 {
                    open.per_client.remove(&client);
                }
            }
        }
    }
}

/// What happens to a new connection.
enum Admission {
    /// Served.
    Served(Admitted),
    /// Its client has too many open: its request is answered 429 and the connection closed.
    Refused(Admitted),
    /// The server has too many open: closed at once.
    Dropped,
}

fn admit(
    open: &Arc<Mutex<OpenConnections>>,
    limits: &ConnectionLimits,
    client: IpAddr,
) -> Admission {
    let mut counts = open.lock().unwrap_or_else(PoisonError::into_inner);
    if limits.total > 0 && counts.total >= limits.total {
        return Admission::Dropped;
    }
    counts.total += 1;
    let mine = counts.per_client.get(&client).copied().unwrap_or(0);
    let over_client =
        limits.per_client > 0 && mine >= limits.per_client && !limits.exempt.contains(&client);
    if over_client {
        return Admission::Refused(Admitted {
            open: Arc::clone(open),
            client: None,
        });
    }
    *counts.per_client.entry(client).or_insert(0) += 1;
    Admission::Served(Admitted {
        open: Arc::clone(open),
        client: Some(client),
    })
}

/// The answer to every request on a connection over its client's cap.
fn too_many_connections() -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let mut response = crate::http::ApiError::new(
        colmena_sdk::contract::ErrorCode::RateLimited,
        "too many open connections from this address; close some and retry",
    )
    .with_retry_after(1)
    .into_response();
    response.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

// ----- The per-connection clock -----

#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Waiting for (the rest of) a request head that started at `since`.
    Head { since: Instant },
    /// Between requests since `since` (the last byte in or out).
    Idle { since: Instant },
    /// A request is being answered: its body and handler have their own deadlines.
    Answering,
}

#[derive(Debug)]
struct ConnectionClock {
    phase: Mutex<Phase>,
    header_read: Duration,
    keep_alive: Duration,
}

impl ConnectionClock {
    fn set(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner) = phase;
    }

    fn update(&self, change: impl FnOnce(Phase) -> Phase) {
        let mut phase = self.phase.lock().unwrap_or_else(PoisonError::into_inner);
        *phase = change(*phase);
    }

    fn deadline(&self) -> Option<Instant> {
        match *self.phase.lock().unwrap_or_else(PoisonError::into_inner) {
            Phase::Head { since } => Some(since + self.header_read),
            Phase::Idle { since } => Some(since + self.keep_alive),
            Phase::Answering => None,
        }
    }
}

/// The socket as hyper sees it: reads fail once the clock's deadline has passed.
///
/// The timer is lazy: it is set when a deadline first applies (or moves earlier), and when it
/// fires for a deadline that has since moved on (bytes came and went), it is set again. hyper
/// drives a connection from one task, so arming the timer from a write wakes the same task that
/// reads. Per request this costs at most one timer reset, and no extra wake-ups.
struct ClockedStream {
    inner: TcpStream,
    clock: Arc<ConnectionClock>,
    timer: Pin<Box<Sleep>>,
    /// The deadline the timer is set to.
    armed: Option<Instant>,
}

impl ClockedStream {
    /// Ready once the current deadline has passed; otherwise makes sure the timer will wake
    /// this task by then.
    fn poll_deadline(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Some(mut deadline) = self.clock.deadline() else {
            return Poll::Pending; // answering: the request has its own deadlines
        };
        loop {
            if self.armed.is_none_or(|armed| armed > deadline) {
                self.timer.as_mut().reset(deadline);
                self.armed = Some(deadline);
            }
            if self.timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            // The timer fired: the deadline may have moved since it was set.
            deadline = match self.clock.deadline() {
                Some(deadline) if Instant::now() < deadline => deadline,
                Some(_) => return Poll::Ready(()),
                None => return Poll::Pending,
            };
            self.armed = None;
        }
    }
}

impl AsyncRead for ClockedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    // The first byte after an idle spell starts a request head.
                    this.clock.update(|phase| match phase {
                        Phase::Idle { .. } => Phase::Head {
                            since: Instant::now(),
                        },
                        other => other,
                    });
                }
                Poll::Ready(result)
            }
            Poll::Pending => match this.poll_deadline(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "no complete request in time",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for ClockedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let written = Pin::new(&mut this.inner).poll_write(cx, data);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            let mut idle = false;
            // A response still streaming out keeps the connection busy, not idle.
            this.clock.update(|phase| match phase {
                Phase::Idle { .. } => {
                    idle = true;
                    Phase::Idle {
                        since: Instant::now(),
                    }
                }
                other => other,
            });
            if idle {
                // The answer is out: from now on the keep-alive deadline applies.
                let _ = this.poll_deadline(cx);
            }
        }
        written
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

// ----- Serving -----

/// Largest request head (request line and headers) accepted: 431 beyond it. hyper's default
/// (about 400 KB per connection) lets one client pin memory with oversized heads.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// How long a connection over its client's cap may take to send the request it is refused.
const REFUSAL_HEAD_TIMEOUT: Duration = Duration::from_secs(2);

/// Serves `app` on `listener` until `shutdown` resolves, then lets open requests finish (up to
/// `limits.drain`). Handlers see the client's address as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let open = Arc::new(Mutex::new(OpenConnections::default()));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait instead of spinning.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let (admitted, refused) = match admit(&open, &limits, peer.ip()) {
            Admission::Served(admitted) => (admitted, false),
            Admission::Refused(admitted) => (admitted, true),
            Admission::Dropped => {
                tracing::debug!(client = %peer.ip(), "connection dropped: too many open");
                continue; // dropping the stream closes it
            }
        };
        let _ = stream.set_nodelay(true);
        let clock = Arc::new(ConnectionClock {
            phase: Mutex::new(Phase::Head {
                since: Instant::now(),
            }),
            // A refused client gets a short while to send the request it is refused.
            header_read: if refused {
                limits.header_read.min(REFUSAL_HEAD_TIMEOUT)
            } else {
                limits.header_read
            },
            keep_alive: limits.keep_alive,
        });
        let io = ClockedStream {
            inner: stream,
            clock: Arc::clone(&clock),
            timer: Box::pin(tokio::time::sleep(limits.header_read)),
            armed: None,
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<_>| {
            clock.set(Phase::Answering);
            let answer = (!refused).then(|| {
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                app.clone().oneshot(request)
            });
            let clock = Arc::clone(&clock);
            async move {
                let response = match answer {
                    Some(answer) => answer.await,
                    None => Ok(too_many_connections()),
                };
                clock.set(Phase::Idle {
                    since: Instant::now(),
                });
                response
            }
        });
        let mut http1 = hyper::server::conn::http1::Builder::new();
        // The clock above bounds heads; hyper's own head timer would count idle time too.
        http1
            .header_read_timeout(None)
            .keep_alive(!refused)
            .max_header_size(MAX_HEAD_BYTES);
        let connection = graceful.watch(http1.serve_connection(TokioIo::new(io), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection closed");
            }
            drop(admitted);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("open connections did not finish within the drain time");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_capped_per_client_except_for_trusted_proxies() {
        let limits = ConnectionLimits {
            per_client: 2,
            total: 4,
            exempt: vec![IpAddr::from([10, 0, 0, 1])],
            ..ConnectionLimits::default()
        };
        let open = Arc::new(Mutex::new(OpenConnections::default()));
        let client = IpAddr::from([203, 0, 113, 9]);
        let proxy = IpAddr::from([10, 0, 0, 1]);
        let first = admit(&open, &limits, client);
        let second = admit(&open, &limits, client);
        assert!(matches!(first, Admission::Served(_)) && matches!(second, Admission::Served(_)));
        let third = admit(&open, &limits, client);
        assert!(
            matches!(third, Admission::Refused(_)),
            "third from one client"
        );
        let (proxied, proxied_too) = (admit(&open, &limits, proxy), admit(&open, &limits, proxy));
        assert!(
            matches!(proxied, Admission::Served(_)),
            "proxies are exempt"
        );
        assert!(matches!(proxied_too, Admission::Dropped), "over the total");
        drop(first);
        drop(third);
        assert!(
            matches!(admit(&open, &limits, client), Admission::Served(_)),
            "a slot freed on close"
        );
    }
}
