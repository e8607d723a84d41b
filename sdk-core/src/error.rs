//! The client's error type: one variant per failure a caller acts on.

use std::time::Duration;

use uuid::Uuid;

use crate::contract::{ErrorCode, ErrorDetails, Money};

/// Result of every client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What the server said when it refused a request: the part every API error shares.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    /// HTTP status of the response.
    pub status: u16,
    /// Stable error code from the response.
    pub code: ErrorCode,
    /// Human-readable message from the server.
    pub message: String,
    /// Structured context, e.g. the invalid parameter (boxed: most errors have none).
    pub details: Option<Box<ErrorDetails>>,
    /// The id of the request, in the server's logs and in the client's `X-Request-Id`.
    pub request_id: String,
}

/// Everything a client call can fail with.
///
/// The API errors a caller acts on have their own variant carrying what it needs (the units left,
/// the new total, how long to wait, the invalid field); the others arrive as [`Error::Api`].
/// [`Error::code`] gives a stable string for every variant, identical in every facade (Rust,
/// JavaScript, Kotlin, Swift), and every error of a call that was sent carries its request id:
/// the client makes one per call and sends it as `X-Request-Id`, so even a timeout can be found
/// in the server's logs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store, product, cart, order or other resource does not exist (404).
    #[error("not found: {}", .0.message)]
    NotFound(ApiFailure),
    /// Not enough stock (409): `available` units of `variant_id` can still be bought.
    #[error("insufficient inventory: {available} available ({})", .failure.message)]
    InsufficientInventory {
        /// Units that can still be bought.
        available: u32,
        /// The variant that is short, when the server names it.
        variant_id: Option<Uuid>,
        /// The server's answer.
        failure: ApiFailure,
    },
    /// The total changed since the customer saw it (409); `current_total` is the new one.
    #[error("price changed: {}", .failure.message)]
    PriceChanged {
        /// The total the server computes now.
        current_total: Option<Money>,
        /// The server's answer.
        failure: ApiFailure,
    },
    /// Too many requests (429), after any retries; wait `retry_after` before the next one.
    #[error("rate limited: {}", .failure.message)]
    RateLimited {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// The server's answer.
        failure: ApiFailure,
    },
    /// Missing, invalid or expired credentials (401).
    #[error("unauthorized: {}", .0.message)]
    Unauthorized(ApiFailure),
    /// Signed in, but not allowed to do this (403).
    #[error("forbidden: {}", .0.message)]
    Forbidden(ApiFailure),
    /// A parameter or field is invalid (400); `field` names it.
    #[error("invalid {}: {}", .field.as_deref().unwrap_or("request"), .failure.message)]
    Validation {
        /// The rejected parameter or body field, e.g. `quantity` or `attributes/weightGrams`.
        field: Option<String>,
        /// The server's answer.
        failure: ApiFailure,
    },
    /// The resource is not in a state that allows this (409), e.g. a checked-out cart, an order
    /// status change the life cycle forbids, or a duplicate slug.
    #[error("conflict: {}", .0.message)]
    Conflict(ApiFailure),
    /// Any other refusal by the API (e.g. `DOWNLOAD_EXPIRED`, `PAYLOAD_TOO_LARGE`,
    /// `IDEMPOTENCY_KEY_REUSED`); branch on `code`.
    #[error("{} ({}): {}", .0.code.as_str(), .0.status, .0.message)]
    Api(ApiFailure),
    /// The server failed (5xx), after any retries.
    #[error("server error ({}): {}", .0.status, .0.message)]
    Server(ApiFailure),
    /// The request was invalid before it was sent (bad base URL, out-of-range parameter).
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// What is wrong.
        message: String,
    },
    /// Local state (the saved cart) could not be read or written.
    #[error("storage error: {message}")]
    Storage {
        /// What failed.
        message: String,
    },
    /// The server could not be reached or the connection failed, after any retries.
    #[error("network error: {message}")]
    Network {
        /// What the transport reported.
        message: String,
        /// The id sent with the last attempt.
        request_id: String,
    },
    /// The server did not answer within the attempt timeout, after any retries.
    #[error("the request timed out")]
    Timeout {
        /// The id sent with the last attempt.
        request_id: String,
    },
    /// The server answered with something that is not the API's JSON.
    #[error("could not decode the response (HTTP {status}): {message}")]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// What failed to decode.
        message: String,
        /// The request's id.
        request_id: String,
    },
}

impl Error {
    /// The variant for an API refusal: the errors a caller acts on get their own variant.
    pub(crate) fn from_api(failure: ApiFailure, retry_after: Option<Duration>) -> Self {
        let details = failure.details.as_deref();
        match failure.code {
            ErrorCode::NotFound | ErrorCode::StoreNotFound => Self::NotFound(failure),
            ErrorCode::InsufficientInventory => Self::InsufficientInventory {
                available: details.and_then(|d| d.available).unwrap_or(0),
                variant_id: details.and_then(|d| d.variant_id),
                failure,
            },
            ErrorCode::PriceChanged => Self::PriceChanged {
                current_total: details.and_then(|d| d.current_total.clone()),
                failure,
            },
            ErrorCode::RateLimited => Self::RateLimited {
                retry_after,
                failure,
            },
            ErrorCode::Unauthorized => Self::Unauthorized(failure),
            ErrorCode::Forbidden | ErrorCode::StoreSuspended => Self::Forbidden(failure),
            ErrorCode::ValidationError => Self::Validation {
                field: details.and_then(|d| d.parameter.clone()),
                failure,
            },
            ErrorCode::Conflict => Self::Conflict(failure),
            _ if failure.status >= 500 => Self::Server(failure),
            _ => Self::Api(failure),
        }
    }

    /// A stable, machine-readable code: the API's error code (`NOT_FOUND`,
    /// `INSUFFICIENT_INVENTORY`…), or `INVALID_REQUEST`, `STORAGE_ERROR`, `NETWORK_ERROR`,
    /// `TIMEOUT`, `DECODE_ERROR` for failures on the client side.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest { .. } => "INVALID_REQUEST",
            Self::Storage { .. } => "STORAGE_ERROR",
            Self::Network { .. } => "NETWORK_ERROR",
            Self::Timeout { .. } => "TIMEOUT",
            Self::Decode { .. } => "DECODE_ERROR",
            _ => self.failure().map_or("UNKNOWN", |f| f.code.as_str()),
        }
    }

    /// The server's answer, for errors where the server refused the request.
    pub fn failure(&self) -> Option<&ApiFailure> {
        match self {
            Self::NotFound(failure)
            | Self::Unauthorized(failure)
            | Self::Forbidden(failure)
            | Self::Conflict(failure)
            | Self::Api(failure)
            | Self::Server(failure)
            | Self::InsufficientInventory { failure, .. }
            | Self::PriceChanged { failure, .. }
            | Self::RateLimited { failure, .. }
            | Self::Validation { failure, .. } => Some(failure),
            Self::InvalidRequest { .. }
            | Self::Storage { .. }
            | Self::Network { .. }
            | Self::Timeout { .. }
            | Self::Decode { .. } => None,
        }
    }

    /// The request's id, for every call that was sent (`None` only for
    /// [`Error::InvalidRequest`] and [`Error::Storage`], which happen without a request).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Network { request_id, .. }
            | Self::Timeout { request_id }
            | Self::Decode { request_id, .. } => Some(request_id),
            _ => self.failure().map(|f| f.request_id.as_str()),
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Decode { status, .. } => Some(*status),
            _ => self.failure().map(|f| f.status),
        }
    }

    /// The server's message, or the client's description of the failure.
    pub fn message(&self) -> String {
        match self.failure() {
            Some(failure) => failure.message.clone(),
            None => self.to_string(),
        }
    }

    /// Whether trying the same call again later may succeed: network failures, timeouts, rate
    /// limits and server errors. The client has already retried within its budget.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Network { .. }
                | Self::Timeout { .. }
                | Self::RateLimited { .. }
                | Self::Server(_)
        )
    }

    /// An [`Error::InvalidRequest`] with `message`: a call refused before anything was sent.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidRequest {
            message: message.into(),
        }
    }
}
