//! Checkout: the public endpoint that turns a cart into an order.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use colmena_sdk::contract::{ApiResponse, CheckoutRequest, CheckoutSession, NoData};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::http::idempotency::{ClaimedKey, RebuiltOnReplay};
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::stores::load_open_store;
use crate::{orders, AppState};

/// The checkout route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(checkout))
}

/// Turns a cart into an order (`pending_payment`), reserves its stock, and sets up its payment.
/// The order's mail is written in the buyer's language (`Accept-Language`, when it is one of
/// English, Spanish, French, Portuguese and Swahili), else the store's.
#[utoipa::path(post, path = "/api/v1/stores/{store}/checkout", tag = "checkout",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("Accept-Language" = Option<String>, Header, description = "The buyer's languages, for the order's mail"),
    ),
    request_body = CheckoutRequest,
    responses(
        (status = 201, description = "The order, its access token and its payment", body = ApiResponse<CheckoutSession>),
        (status = 400, description = "`VALIDATION_ERROR`: bad email or empty cart", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND` for the cart", body = ApiResponse<NoData>),
        (status = 409, description = "`INSUFFICIENT_INVENTORY` (with `details.available`), `PRICE_CHANGED` (with `details.currentTotal`), or `CONFLICT` for a checked-out cart", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`", body = ApiResponse<NoData>),
        (status = 502, description = "`PAYMENT_PROVIDER_ERROR`: the order was cancelled and its stock released", body = ApiResponse<NoData>),
    ))]
pub async fn checkout(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    key: Option<Extension<ClaimedKey>>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<CheckoutRequest>,
) -> Result<Response, ApiError> {
    let store = load_open_store(&state, &slug).await?;
    let key = key.map(|Extension(key)| key);
    let language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(crate::mail::reader_language);
    let placed = orders::checkout(&state, &store, &request, key, language).await;
    crate::ops::metrics::checkout(if placed.is_ok() {
        crate::ops::metrics::CheckoutOutcome::Placed
    } else {
        crate::ops::metrics::CheckoutOutcome::Refused
    });
    let session = placed?;
    let mut response = (StatusCode::CREATED, ok(session)).into_response();
    // The answer holds the order token: replays rebuild it instead of reading it from storage.
    response.extensions_mut().insert(RebuiltOnReplay);
    Ok(response)
}
