//! The client's error type.

use crate::contract::{ErrorCode, ErrorDetails};

/// Result of every client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a client call can fail with.
///
/// [`Error::code`] gives a stable string for every variant, identical in every facade
/// (Rust, JavaScript, Kotlin, Swift), so callers can branch on it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API refused the request with an error envelope.
    #[error("{code} ({status}): {message}")]
    Api {
        /// HTTP status of the response.
        status: u16,
        /// Stable error code from the response.
        code: ErrorCode,
        /// Human-readable message from the server.
        message: String,
        /// Structured context, e.g. the invalid parameter (boxed: most errors have none).
        details: Option<Box<ErrorDetails>>,
        /// The server's id for this request, for support.
        request_id: Option<String>,
    },
    /// The request was invalid before it was sent (bad base URL, out-of-range parameter).
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// What is wrong.
        message: String,
    },
    /// The server could not be reached or the connection failed.
    #[error("network error: {message}")]
    Network {
        /// What the transport reported.
        message: String,
    },
    /// The server did not answer within the attempt timeout (after any retries).
    #[error("the request timed out")]
    Timeout,
    /// The server answered with something that is not the API's JSON.
    #[error("could not decode the response (HTTP {status}): {message}")]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// What failed to decode.
        message: String,
        /// The server's id for this request, if it sent one.
        request_id: Option<String>,
    },
}

impl Error {
    /// A stable, machine-readable code: the API's error code, or `INVALID_REQUEST`,
    /// `NETWORK_ERROR`, `DECODE_ERROR` for failures on the client side.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Api { code, .. } => code.as_str(),
            Self::InvalidRequest { .. } => "INVALID_REQUEST",
            Self::Network { .. } => "NETWORK_ERROR",
            Self::Timeout => "TIMEOUT",
            Self::Decode { .. } => "DECODE_ERROR",
        }
    }

    /// The server's request id, when the server answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. } | Self::Decode { request_id, .. } => request_id.as_deref(),
            Self::InvalidRequest { .. } | Self::Network { .. } | Self::Timeout => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } | Self::Decode { status, .. } => Some(*status),
            Self::InvalidRequest { .. } | Self::Network { .. } | Self::Timeout => None,
        }
    }
}
