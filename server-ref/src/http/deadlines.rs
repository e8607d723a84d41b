//! Per-request limits: how large a body may be, how long it may take to arrive, and how long
//! the whole request may take. The body is read here, before anything else looks at it, so
//! that a declared length over the limit is refused before a byte of it is read, and a client
//! trickling a body cannot hold a handler (or a database connection) while it does.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use colmena_sdk::contract::{ErrorCode, MAX_UPLOAD_BYTES};

use crate::http::ApiError;

/// Largest JSON body any route accepts (axum's default limit, which this layer now enforces).
pub const MAX_JSON_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Whether `method path` is a file upload (raw bytes up to [`MAX_UPLOAD_BYTES`]).
pub fn is_upload(method: &Method, path: &str) -> bool {
    path.starts_with("/api/v1/admin/stores/")
        && ((method == Method::POST
            && (path.ends_with("/images") || path.ends_with("/storefront/assets")))
            || (method == Method::PUT && path.ends_with("/file")))
}

fn body_limit(method: &Method, path: &str) -> usize {
    use crate::chat::channels::*;
    if is_upload(method, path) {
        MAX_UPLOAD_BYTES
    } else if path == WHATSAPP_WEBHOOK_PATH {
        MAX_WHATSAPP_BODY_BYTES
    } else if path == TWILIO_WEBHOOK_PATH {
        MAX_TWILIO_BODY_BYTES
    } else {
        MAX_JSON_BODY_BYTES
    }
}

/// Time limits of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestDeadlines {
    /// The whole body must arrive within this, counted from the end of the request head.
    pub body_read: Duration,
    /// The whole request, body and handler, must be answered within this.
    pub request: Duration,
}

impl Default for RequestDeadlines {
    fn default() -> Self {
        Self {
            body_read: Duration::from_secs(30),
            request: Duration::from_secs(60),
        }
    }
}

/// How long a refused body is still read (and thrown away) after the answer, so that a client
/// still sending it gets to read the answer instead of a broken connection (nginx's lingering
/// close). The connection is closed after it.
const LINGER: Duration = Duration::from_secs(2);

fn linger(body: Body) {
    use http_body_util::BodyExt as _;
    tokio::spawn(async move {
        let mut body = body;
        let drain = async { while let Some(Ok(_)) = body.frame().await {} };
        let _ = tokio::time::timeout(LINGER, drain).await;
    });
}

enum BodyError {
    /// Over the limit; the rest of the body, unread.
    TooLarge(Body),
    /// The client broke off, or sent a malformed chunk.
    Broken,
}

/// The whole body, if it is at most `limit` bytes.
async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, BodyError> {
    use http_body_util::BodyExt as _;
    let mut collected = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| BodyError::Broken)?.into_data() else {
            continue; // trailers
        };
        if collected.len() + data.len() > limit {
            return Err(BodyError::TooLarge(body));
        }
        collected.extend_from_slice(&data);
    }
    Ok(Bytes::from(collected))
}

/// An error after which the connection cannot be reused (its body was not read to the end).
fn closing(error: ApiError) -> Response {
    let mut response = error.into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Middleware: reads the body within its size and time limits, then runs the rest within what
/// is left of the request's time.
pub async fn enforce(
    State(deadlines): State<RequestDeadlines>,
    request: Request,
    next: Next,
) -> Response {
    let started = tokio::time::Instant::now();
    let limit = body_limit(request.method(), request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let too_large = || {
        ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("the body is larger than this route accepts ({limit} bytes)"),
        )
        .into_response()
    };
    let (parts, body) = request.into_parts();
    if declared.is_some_and(|length| length > limit as u64) {
        linger(body);
        return too_large();
    }
    if axum::body::HttpBody::is_end_stream(&body) {
        // No body (most requests): nothing to read or time.
        let request = Request::from_parts(parts, body);
        return within_request_time(deadlines, started, next.run(request)).await;
    }
    let within = deadlines.body_read.min(deadlines.request);
    let bytes = match tokio::time::timeout(within, read_body(body, limit)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(BodyError::TooLarge(rest))) => {
            linger(rest);
            return too_large();
        }
        Ok(Err(BodyError::Broken)) => {
            return closing(ApiError::new(
                ErrorCode::ValidationError,
                "the body could not be read to its end",
            ))
        }
        Err(_) => {
            return closing(ApiError::new(
                ErrorCode::RequestTimeout,
                format!("the body did not arrive within {} s", within.as_secs_f32()),
            ))
        }
    };
    let request = Request::from_parts(parts, Body::from(bytes));
    within_request_time(deadlines, started, next.run(request)).await
}

/// The answer, or 503 once the request has run out of time (its work is then dropped).
async fn within_request_time(
    deadlines: RequestDeadlines,
    started: tokio::time::Instant,
    answer: impl std::future::Future<Output = Response>,
) -> Response {
    match tokio::time::timeout_at(started + deadlines.request, answer).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                seconds = deadlines.request.as_secs_f32(),
                "request cancelled: it ran out of time"
            );
            ApiError::new(
                ErrorCode::ServiceUnavailable,
                "the server could not answer in time; retry (with the same Idempotency-Key)",
            )
            .with_retry_after(1)
            .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_may_be_larger_than_json() {
        let image = "/api/v1/admin/stores/demo/products/x/images";
        assert_eq!(body_limit(&Method::POST, image), MAX_UPLOAD_BYTES);
        assert_eq!(
            body_limit(&Method::PUT, "/api/v1/admin/stores/demo/products/x/file"),
            MAX_UPLOAD_BYTES
        );
        assert_eq!(body_limit(&Method::GET, image), MAX_JSON_BODY_BYTES);
        assert_eq!(
            body_limit(&Method::POST, "/api/v1/admin/stores/demo/storefront/assets"),
            MAX_UPLOAD_BYTES
        );
        assert_eq!(
            body_limit(&Method::POST, "/api/v1/stores/demo/carts"),
            MAX_JSON_BODY_BYTES
        );
    }

    #[test]
    fn chat_webhooks_take_what_their_providers_send() {
        use crate::chat::channels::*;
        assert_eq!(
            body_limit(&Method::POST, WHATSAPP_WEBHOOK_PATH),
            MAX_WHATSAPP_BODY_BYTES
        );
        assert_eq!(
            body_limit(&Method::POST, TWILIO_WEBHOOK_PATH),
            MAX_TWILIO_BODY_BYTES
        );
    }
}
