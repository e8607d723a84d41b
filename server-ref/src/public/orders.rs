//! Orders as their customer sees them, and the built-in test provider's payments.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, ErrorCode, NoData, Order, OrderStatus, PaymentStatus, TestPaymentOutcome,
    TestPaymentRequest,
};
use uuid::Uuid;

use crate::db::uuid_column;
use crate::http::ORDER_TOKEN_HEADER;
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::orders::{change_status, order_answer, ChangedBy};
use crate::payments::TEST_PROVIDER;
use crate::stores::load_open_store;
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The customer's order and test payment routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_order))
        .routes(routes!(settle_test_payment))
}

/// An order, for the customer holding its access token (`x-order-token` header).
#[utoipa::path(get, path = "/api/v1/stores/{store}/orders/{orderId}", tag = "checkout",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("orderId" = Uuid, Path, description = "Order id"),
        ("x-order-token" = String, Header, description = "The `orderToken` checkout answered"),
    ),
    responses(
        (status = 200, description = "The order, with download links once paid", body = ApiResponse<Order>),
        (status = 401, description = "`UNAUTHORIZED`: no order token", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND` (also for a wrong token)", body = ApiResponse<NoData>),
    ))]
pub async fn get_order(
    State(state): State<AppState>,
    PathParams((slug, order_id)): PathParams<(String, Uuid)>,
    headers: HeaderMap,
) -> Result<Json<ApiResponse<Order>>, ApiError> {
    let token = headers
        .get(ORDER_TOKEN_HEADER)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::Unauthorized,
                "send the order token in the x-order-token header",
            )
        })?;
    let store = load_open_store(&state, &slug).await?;
    // A wrong token looks exactly like a missing order: ids cannot be probed.
    if !state.keys.capabilities.order_token_matches(order_id, token) {
        return Err(ApiError::not_found("order", &order_id.to_string()));
    }
    Ok(ok(order_answer(&state, store.id, order_id).await?))
}

/// Settles a payment of the built-in test provider, as a real provider's webhook would. Exists
/// only for stores whose payment provider is `test`.
#[utoipa::path(post, path = "/api/v1/stores/{store}/test-payments/{reference}", tag = "checkout",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("reference" = String, Path, description = "`order.payment.reference` from checkout"),
    ),
    request_body = TestPaymentRequest,
    responses(
        (status = 200, description = "The order after the payment: `paid` or `cancelled`", body = ApiResponse<Order>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND`: no such test payment (or the store uses a real provider)", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the order is no longer awaiting payment", body = ApiResponse<NoData>),
    ))]
pub async fn settle_test_payment(
    State(state): State<AppState>,
    PathParams((slug, reference)): PathParams<(String, String)>,
    JsonBody(request): JsonBody<TestPaymentRequest>,
) -> Result<Json<ApiResponse<Order>>, ApiError> {
    let store = load_open_store(&state, &slug).await?;
    let order_id = crate::db::query(
        "SELECT o.id FROM orders o JOIN stores s ON s.id = o.store_id \
         WHERE o.store_id = $1 AND o.payment_reference = $2 AND o.payment_provider = $3 \
           AND s.payment_provider = $3",
    )
    .bind(store.id)
    .bind(&reference)
    .bind(TEST_PROVIDER)
    .fetch_optional(&state.db.pool)
    .await?
    .map(|row| uuid_column(&row, "id"))
    .transpose()?
    .ok_or_else(|| ApiError::not_found("test payment", &reference))?;
    let (next, payment) = match request.outcome {
        TestPaymentOutcome::Succeed => (OrderStatus::Paid, PaymentStatus::Succeeded),
        TestPaymentOutcome::Fail => (OrderStatus::Cancelled, PaymentStatus::Failed),
    };
    Ok(ok(change_status(
        &state,
        store.id,
        order_id,
        next,
        Some(payment),
        ChangedBy::System("payment: test provider"),
    )
    .await?))
}
