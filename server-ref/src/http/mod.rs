//! The HTTP layer. The edge, every layer a request passes before a handler: accepting
//! connections within their caps and timeouts, one spelling per path, per-store CORS, rate
//! limits, body and time limits, and idempotency keys. And what handlers answer with: the
//! envelope, typed errors, and extractors that refuse in the envelope.

pub mod canonical;
pub mod connections;
pub mod cors;
pub mod deadlines;
mod envelope;
mod error;
mod extract;
pub mod idempotency;
pub mod limits;
mod paging;
pub mod security_headers;
pub mod uploads;

pub use envelope::{drop_unusable_request_id, ok, page, request_id_scope, CachedJson};
pub use error::{method_not_allowed, route_not_found, ApiError};
pub use extract::{bearer_token, JsonBody, PathParams, QueryParams};
pub(crate) use paging::PageBounds;

/// Header carrying the order access token of `GET …/orders/{orderId}`.
pub const ORDER_TOKEN_HEADER: &str = "x-order-token";

/// Header carrying a storefront preview token on `GET …/storefront`.
pub const PREVIEW_HEADER: &str = "x-colmena-preview";
