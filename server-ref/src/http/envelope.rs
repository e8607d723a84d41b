//! The response envelope (`success`, `data`, `error`, `pagination`, `meta`) and the request id
//! every envelope's `meta` carries.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use colmena_sdk::contract::{ApiResponse, Meta, Pagination, API_VERSION};
use serde::Serialize;

use crate::db;

tokio::task_local! {
    /// The id of the request being handled, for the envelope's `meta`.
    static REQUEST_ID: String;
}

/// Keeps a client's `X-Request-Id` (the SDKs send one per call, so that client and server logs
/// share it) only when it is safe to log and echo: 1 to 64 letters, digits, `-`, `_` or `.`.
/// Anything else is dropped, and the request-id layer makes a fresh one.
pub async fn drop_unusable_request_id(mut request: Request, next: Next) -> Response {
    let usable = |value: &[u8]| {
        (1..=64).contains(&value.len())
            && value
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    if let Some(value) = request.headers().get("x-request-id") {
        if !usable(value.as_bytes()) {
            request.headers_mut().remove("x-request-id");
        }
    }
    next.run(request).await
}

/// Makes the request id (set by tower-http's request-id layer) available to the envelope.
pub async fn request_id_scope(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    REQUEST_ID.scope(id, next.run(request)).await
}

pub(crate) fn meta() -> Meta {
    Meta {
        request_id: REQUEST_ID
            .try_with(Clone::clone)
            .unwrap_or_else(|_| uuid::Uuid::new_v4().to_string()),
        timestamp: db::now_text().into(),
        version: API_VERSION.to_owned(),
    }
}

/// A successful envelope around `data`.
pub fn ok<T: Serialize>(data: T) -> Json<ApiResponse<T>> {
    Json(ApiResponse {
        success: true,
        data: Some(data),
        error: None,
        pagination: None,
        meta: meta(),
    })
}

/// A successful list envelope: `items`, taken at `offset` from `total` matches.
pub fn page<T: Serialize>(
    items: Vec<T>,
    total: u64,
    limit: u32,
    offset: u64,
) -> Json<ApiResponse<Vec<T>>> {
    let pagination = Pagination::of_page(total, limit, offset, items.len());
    let mut envelope = ok(items);
    envelope.pagination = Some(pagination);
    envelope
}

/// The envelope of a cached answer, whose `data` is already JSON: it is written out as is,
/// with this request's `meta`.
pub struct CachedJson(pub(crate) std::sync::Arc<crate::cache::CachedAnswer>);

impl IntoResponse for CachedJson {
    fn into_response(self) -> Response {
        let envelope = ApiResponse {
            success: true,
            data: Some(&*self.0.data),
            error: None,
            pagination: self.0.pagination,
            meta: meta(),
        };
        Json(envelope).into_response()
    }
}

/// The request id of the request being handled, when there is one.
pub(crate) fn request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}
