//! [`ApiError`]: every refusal as an HTTP status, a stable code, a message and details.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use colmena_sdk::contract::{
    ApiError as ApiErrorBody, ApiResponse, ErrorCode, ErrorDetails, InvalidParameter, NoData,
};

use super::envelope::{meta, request_id};

/// An error answer: HTTP status, stable code, message and details, in the envelope.
#[derive(Debug, Clone)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    // Boxed: details are rare, and a small error keeps every handler's Result small.
    details: Option<Box<ErrorDetails>>,
    retry_after: Option<u64>,
}

impl ApiError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: None,
            retry_after: None,
        }
    }

    /// Adds a `Retry-After` of `seconds` to the answer.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// `CODE: message`, for a command line.
    pub fn describe(&self) -> String {
        format!("{}: {}", self.code, self.message)
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// What went wrong, in words.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error's details, when it has some.
    pub fn details(&self) -> Option<&ErrorDetails> {
        self.details.as_deref()
    }

    /// An unexpected failure: `detail` goes to the log, the client gets a generic 500.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(
            ErrorCode::InternalError,
            "the server failed; quote the request id",
        )
    }

    /// 404 `STORE_NOT_FOUND`.
    pub fn store_not_found(slug: &str) -> Self {
        Self::new(
            ErrorCode::StoreNotFound,
            format!("store {slug:?} does not exist"),
        )
    }

    /// 404 `NOT_FOUND` for a `resource` (e.g. `product`) identified by `key`.
    pub fn not_found(resource: &str, key: &str) -> Self {
        Self {
            details: Some(Box::new(ErrorDetails {
                resource: Some(resource.to_owned()),
                ..ErrorDetails::default()
            })),
            ..Self::new(
                ErrorCode::NotFound,
                format!("{resource} {key:?} does not exist"),
            )
        }
    }

    /// Replaces the error's structured details.
    pub fn with_details(mut self, details: ErrorDetails) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    /// 400 `VALIDATION_ERROR` for a body field (named in `details.parameter`).
    pub fn invalid_field(field: &str, message: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::ValidationError, format!("{field} {message}")).with_details(
            ErrorDetails {
                parameter: Some(field.to_owned()),
                ..ErrorDetails::default()
            },
        )
    }

    /// 409 `CONFLICT`: the resource's state forbids the change; `status` is its current state.
    pub fn conflict(message: impl Into<String>, status: &str) -> Self {
        Self::new(ErrorCode::Conflict, message).with_details(ErrorDetails {
            status: Some(status.to_owned()),
            ..ErrorDetails::default()
        })
    }

    /// 409 `INSUFFICIENT_INVENTORY`: only `available` units of the variant are left.
    pub fn insufficient_inventory(variant_id: uuid::Uuid, sku: &str, available: u32) -> Self {
        Self::new(
            ErrorCode::InsufficientInventory,
            format!("only {available} of {sku} left"),
        )
        .with_details(ErrorDetails {
            available: Some(available),
            variant_id: Some(variant_id),
            ..ErrorDetails::default()
        })
    }

    /// 400 `VALIDATION_ERROR` naming the parameter.
    pub fn invalid_parameter(invalid: InvalidParameter) -> Self {
        Self {
            details: Some(Box::new(ErrorDetails {
                parameter: Some(invalid.parameter.clone()),
                value: Some(invalid.value.chars().take(100).collect()),
                ..ErrorDetails::default()
            })),
            ..Self::new(
                ErrorCode::ValidationError,
                format!(
                    "invalid parameter {}: {}",
                    invalid.parameter, invalid.message
                ),
            )
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        // The cause goes to the log with the request id; the client gets only the id.
        let request_id = request_id().unwrap_or_default();
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::warn!(%request_id, %error, "database unavailable");
                Self::new(
                    ErrorCode::ServiceUnavailable,
                    "the database is temporarily unavailable; retry shortly",
                )
                .with_retry_after(5)
            }
            // PostgreSQL refuses NUL and characters its encoding lacks in text: the input's
            // fault, whichever field it came through.
            sqlx::Error::Database(error)
                if matches!(error.code().as_deref(), Some("22021" | "22P05")) =>
            {
                Self::new(
                    ErrorCode::ValidationError,
                    "the request holds a character that cannot be stored (NUL)",
                )
            }
            sqlx::Error::Database(error) if error.is_unique_violation() => Self::new(
                ErrorCode::Conflict,
                "another record already uses this value (slug, SKU or email)",
            ),
            sqlx::Error::Database(error) if error.is_foreign_key_violation() => Self::new(
                ErrorCode::Conflict,
                "a related record was changed or removed meanwhile; reload and retry",
            ),
            error => {
                tracing::error!(%request_id, %error, "database error");
                Self::new(
                    ErrorCode::InternalError,
                    "internal error; quote the request id",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ApiResponse::<NoData> {
            success: false,
            data: None,
            error: Some(ApiErrorBody {
                code: self.code,
                message: self.message,
                details: self.details.map(|details| *details),
            }),
            pagination: None,
            meta: meta(),
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Answers unknown routes with the envelope.
pub async fn route_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such route")
}

/// Answers known routes called with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "method not allowed on this route",
    )
}
