//! Errors raised to Kotlin (`ColmenaException`, a sealed class) and Swift (`ColmenaError`, an
//! enum): one case per `colmena_sdk::Error` variant, each with the shared stable `code`. What the
//! server said travels in the contract's own types (`ErrorCode`, `ErrorDetails`, `Money`).

use colmena_sdk::contract::{ErrorCode, ErrorDetails, Money};
use colmena_sdk::Uuid;

/// Everything an SDK call can fail with. `code` is the same stable code every Colmena SDK uses
/// (`NOT_FOUND`, `INSUFFICIENT_INVENTORY`, `NETWORK_ERROR`…); `request_id` finds the call in the
/// server's logs (every call that was sent has one). The message is `reason`: Kotlin exceptions
/// own `message`.
#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum ColmenaError {
    /// The store, product, cart, order or other resource does not exist (404).
    #[error("{code}: {reason}")]
    NotFound {
        /// `NOT_FOUND` or `STORE_NOT_FOUND`.
        code: String,
        /// The server's explanation.
        reason: String,
        /// HTTP status.
        status: u16,
        /// The request's id.
        request_id: Option<String>,
    },
    /// Not enough stock (409): `available` units of `variant_id` can still be bought.
    #[error("{code}: {reason}")]
    InsufficientInventory {
        /// `INSUFFICIENT_INVENTORY`.
        code: String,
        /// The server's explanation.
        reason: String,
        /// Units that can still be bought.
        available: u32,
        /// The variant that is short.
        variant_id: Option<Uuid>,
        /// The request's id.
        request_id: Option<String>,
    },
    /// The total changed since the customer saw it (409).
    #[error("{code}: {reason}")]
    PriceChanged {
        /// `PRICE_CHANGED`.
        code: String,
        /// The server's explanation.
        reason: String,
        /// The total now.
        current_total: Option<Money>,
        /// The request's id.
        request_id: Option<String>,
    },
    /// Too many requests (429), after the client's own retries.
    #[error("{code}: {reason}")]
    RateLimited {
        /// `RATE_LIMITED`.
        code: String,
        /// The server's explanation.
        reason: String,
        /// Seconds to wait, when the server said.
        retry_after_seconds: Option<u64>,
        /// The request's id.
        request_id: Option<String>,
    },
    /// Missing, invalid or expired credentials (401).
    #[error("{code}: {reason}")]
    Unauthorized {
        /// `UNAUTHORIZED`.
        code: String,
        /// The server's explanation.
        reason: String,
        /// The request's id.
        request_id: Option<String>,
    },
    /// Not allowed (403).
    #[error("{code}: {reason}")]
    Forbidden {
        /// `FORBIDDEN`.
        code: String,
        /// The server's explanation.
        reason: String,
        /// The request's id.
        request_id: Option<String>,
    },
    /// A parameter or field is invalid (400); `field` names it.
    #[error("{code}: {reason}")]
    Validation {
        /// `VALIDATION_ERROR`.
        code: String,
        /// The server's explanation.
        reason: String,
        /// The rejected field, e.g. `quantity`.
        field: Option<String>,
        /// The request's id.
        request_id: Option<String>,
    },
    /// The resource's state does not allow this (409), e.g. a checked-out cart.
    #[error("{code}: {reason}")]
    Conflict {
        /// `CONFLICT`.
        code: String,
        /// The server's explanation.
        reason: String,
        /// The request's id.
        request_id: Option<String>,
    },
    /// Any other refusal of the API (e.g. `DOWNLOAD_EXPIRED`); branch on `error_code`.
    #[error("{code} ({status}): {reason}")]
    Api {
        /// The API's code.
        code: String,
        /// The same code as the contract's enum, for an exhaustive `when` / `switch`.
        error_code: ErrorCode,
        /// HTTP status.
        status: u16,
        /// The server's explanation.
        reason: String,
        /// The server's structured context, when it sent some (boxed: most errors have none).
        details: Option<Box<ErrorDetails>>,
        /// The request's id.
        request_id: Option<String>,
    },
    /// The server failed (5xx), after retries.
    #[error("{code} ({status}): {reason}")]
    Server {
        /// The API's code, e.g. `SERVICE_UNAVAILABLE`.
        code: String,
        /// The same code as the contract's enum.
        error_code: ErrorCode,
        /// HTTP status.
        status: u16,
        /// The server's explanation.
        reason: String,
        /// The request's id.
        request_id: Option<String>,
    },
    /// The request was invalid before it was sent.
    #[error("{code}: {reason}")]
    InvalidRequest {
        /// `INVALID_REQUEST`.
        code: String,
        /// What is wrong.
        reason: String,
    },
    /// The cart file could not be read or written.
    #[error("{code}: {reason}")]
    Storage {
        /// `STORAGE_ERROR`.
        code: String,
        /// What failed.
        reason: String,
    },
    /// The server could not be reached, after retries.
    #[error("{code}: {reason}")]
    Network {
        /// `NETWORK_ERROR`.
        code: String,
        /// What failed.
        reason: String,
        /// The request's id.
        request_id: Option<String>,
    },
    /// The server did not answer in time, after retries.
    #[error("{code}: the request timed out")]
    Timeout {
        /// `TIMEOUT`.
        code: String,
        /// The request's id.
        request_id: Option<String>,
    },
    /// The answer could not be decoded.
    #[error("{code}: {reason}")]
    Decode {
        /// `DECODE_ERROR`.
        code: String,
        /// What failed.
        reason: String,
        /// The request's id.
        request_id: Option<String>,
    },
}

impl ColmenaError {
    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        Self::InvalidRequest {
            code: "INVALID_REQUEST".into(),
            reason: reason.into(),
        }
    }
}

impl From<colmena_sdk::Error> for ColmenaError {
    fn from(error: colmena_sdk::Error) -> Self {
        use colmena_sdk::Error as E;
        let code = error.code().to_owned();
        let request_id = error.request_id().map(str::to_owned);
        let reason = error.message();
        match error {
            E::NotFound(failure) => Self::NotFound {
                code,
                reason,
                status: failure.status,
                request_id,
            },
            E::InsufficientInventory {
                available,
                variant_id,
                ..
            } => Self::InsufficientInventory {
                code,
                reason,
                available,
                variant_id,
                request_id,
            },
            E::PriceChanged { current_total, .. } => Self::PriceChanged {
                code,
                reason,
                current_total,
                request_id,
            },
            E::RateLimited { retry_after, .. } => Self::RateLimited {
                code,
                reason,
                retry_after_seconds: retry_after.map(|d| d.as_secs()),
                request_id,
            },
            E::Unauthorized(_) => Self::Unauthorized {
                code,
                reason,
                request_id,
            },
            E::Forbidden(_) => Self::Forbidden {
                code,
                reason,
                request_id,
            },
            E::Validation { field, .. } => Self::Validation {
                code,
                reason,
                field,
                request_id,
            },
            E::Conflict(_) => Self::Conflict {
                code,
                reason,
                request_id,
            },
            E::Server(failure) => Self::Server {
                code,
                error_code: failure.code,
                status: failure.status,
                reason,
                request_id,
            },
            E::Api(failure) => Self::Api {
                code,
                error_code: failure.code,
                status: failure.status,
                details: failure.details,
                reason,
                request_id,
            },
            E::Storage { message } => Self::Storage {
                code,
                reason: message,
            },
            E::Network { message, .. } => Self::Network {
                code,
                reason: message,
                request_id,
            },
            E::Timeout { .. } => Self::Timeout { code, request_id },
            E::Decode { message, .. } => Self::Decode {
                code,
                reason: message,
                request_id,
            },
            // InvalidRequest, and variants a newer sdk-core may add.
            other => Self::InvalidRequest {
                code,
                reason: other.to_string(),
            },
        }
    }
}
