//! Carts: created, read and changed by shoppers; the server prices every line.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use colmena_sdk::contract::{
    validate_quantity, AddCartItemRequest, ApiResponse, Cart, CartUpdate, CreateCartRequest,
    NoData, UpdateCartItemRequest,
};
use uuid::Uuid;

use crate::carts::{
    add_item, cart_answer, cart_choices, cart_lines, check_stock, insert_cart, line_variant,
    save_choices, touch_open_cart,
};
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::pricing::{self, Codes};
use crate::public::customer::signed_in_email;
use crate::stores::load_open_store;
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The cart routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_cart))
        .routes(routes!(get_cart, update_cart))
        .routes(routes!(add_cart_item))
        .routes(routes!(update_cart_item, delete_cart_item))
}

/// Creates a cart, optionally with first lines (all added, or none).
#[utoipa::path(post, path = "/api/v1/stores/{store}/carts", tag = "cart",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("x-customer-token" = Option<String>, Header, description = "A customer session's token: the cart gets the prices of the buyer's customer groups"),
    ),
    request_body(content = Option<CreateCartRequest>, description = "Optional first lines"),
    responses(
        (status = 201, description = "The new cart", body = ApiResponse<Cart>),
        (status = 400, description = "`VALIDATION_ERROR`: bad quantity or missing variant", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: an unknown or expired customer session", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND` for a variant", body = ApiResponse<NoData>),
        (status = 409, description = "`INSUFFICIENT_INVENTORY` with `details.available`", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`", body = ApiResponse<NoData>),
    ))]
pub async fn create_cart(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    headers: HeaderMap,
    body: Option<JsonBody<CreateCartRequest>>,
) -> Result<(StatusCode, Json<ApiResponse<Cart>>), ApiError> {
    let store = load_open_store(&state, &slug).await?;
    let customer = signed_in_email(&state, &store, &headers).await?;
    let request = body.map(|JsonBody(request)| request).unwrap_or_default();
    let mut tx = state.db.begin_write().await?;
    let cart_id = insert_cart(&mut tx, store.id, &store.currency, customer).await?;
    for item in &request.items {
        add_item(&mut tx, store.id, cart_id, item).await?;
    }
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        ok(cart_answer(&state, store.id, cart_id).await?),
    ))
}

/// A cart with its lines priced now.
#[utoipa::path(get, path = "/api/v1/stores/{store}/carts/{cartId}", tag = "cart",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("cartId" = Uuid, Path, description = "Cart id"),
    ),
    responses(
        (status = 200, description = "The cart", body = ApiResponse<Cart>),
        (status = 400, description = "`VALIDATION_ERROR`: the id is not a UUID", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND` or `NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_cart(
    State(state): State<AppState>,
    PathParams((slug, cart_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<Cart>>, ApiError> {
    let store = load_open_store(&state, &slug).await?;
    Ok(ok(cart_answer(&state, store.id, cart_id).await?))
}

/// Sets what prices the cart beyond its lines: the shipping and billing addresses (checked
/// against their countries' rules), the chosen shipping rate and the discount codes. Codes
/// that do not apply are refused with their own error code; the answer lists the shipping
/// options for the address and the totals. With a customer session, the cart becomes the
/// signed-in buyer's and gets their customer groups' prices.
#[utoipa::path(patch, path = "/api/v1/stores/{store}/carts/{cartId}", tag = "cart",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("cartId" = Uuid, Path, description = "Cart id"),
        ("x-customer-token" = Option<String>, Header, description = "A customer session's token: binds the cart to the buyer"),
    ),
    request_body = CartUpdate,
    responses(
        (status = 200, description = "The cart, priced with its choices", body = ApiResponse<Cart>),
        (status = 400, description = "`VALIDATION_ERROR`: an address its country does not accept (`details.parameter` names the member, e.g. `shippingAddress.postalCode`), a rate not offered for this cart, a badly spelled code", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: an unknown or expired customer session", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND` for the cart", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the cart was checked out", body = ApiResponse<NoData>),
        (status = 422, description = "`DISCOUNT_NOT_FOUND`, `DISCOUNT_EXPIRED`, `DISCOUNT_NOT_APPLICABLE` or `DISCOUNT_USAGE_LIMIT_REACHED`", body = ApiResponse<NoData>),
    ))]
pub async fn update_cart(
    State(state): State<AppState>,
    PathParams((slug, cart_id)): PathParams<(String, Uuid)>,
    headers: HeaderMap,
    JsonBody(update): JsonBody<CartUpdate>,
) -> Result<Json<ApiResponse<Cart>>, ApiError> {
    let store = load_open_store(&state, &slug).await?;
    let customer = signed_in_email(&state, &store, &headers).await?;
    let mut tx = state.db.begin_write().await?;
    touch_open_cart(&mut tx, store.id, cart_id).await?;
    if let Some(email) = customer {
        crate::db::query("UPDATE carts SET customer_email = $1 WHERE id = $2 AND store_id = $3")
            .bind(email)
            .bind(cart_id)
            .bind(store.id)
            .execute(&mut *tx)
            .await?;
    }
    let choices = pricing::updated_choices(
        cart_choices(&mut tx, store.id, cart_id).await?,
        update.shipping_address.as_ref(),
        update.billing_address.as_ref(),
        update.shipping_rate_id,
        update.discount_codes.as_deref(),
    )?;
    let lines = cart_lines(&mut tx, &state.urls, store.id, cart_id).await?;
    // New codes must apply now; a rate must be one this cart is offered.
    let codes = if update.discount_codes.is_some() {
        Codes::Strict
    } else {
        Codes::Lenient
    };
    let quote = pricing::quote(&mut tx, store.id, &store.currency, &lines, &choices, codes).await?;
    if let Some(rate) = update.shipping_rate_id {
        if !quote.options.iter().any(|option| option.id == rate) {
            return Err(ApiError::invalid_field(
                "shippingRateId",
                "is not one of this cart's shippingOptions (set the shipping address first)",
            ));
        }
    }
    save_choices(&mut tx, store.id, cart_id, &choices).await?;
    tx.commit().await?;
    Ok(ok(cart_answer(&state, store.id, cart_id).await?))
}

/// Adds units of a variant; a variant already in the cart gets the units added to its line.
#[utoipa::path(post, path = "/api/v1/stores/{store}/carts/{cartId}/items", tag = "cart",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("cartId" = Uuid, Path, description = "Cart id"),
    ),
    request_body = AddCartItemRequest,
    responses(
        (status = 200, description = "The cart after the change", body = ApiResponse<Cart>),
        (status = 400, description = "`VALIDATION_ERROR`: quantity not 1 to 999, or no variant", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND` for the cart or variant", body = ApiResponse<NoData>),
        (status = 409, description = "`INSUFFICIENT_INVENTORY`, or `CONFLICT` for a checked-out cart", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`", body = ApiResponse<NoData>),
    ))]
pub async fn add_cart_item(
    State(state): State<AppState>,
    PathParams((slug, cart_id)): PathParams<(String, Uuid)>,
    JsonBody(request): JsonBody<AddCartItemRequest>,
) -> Result<Json<ApiResponse<Cart>>, ApiError> {
    let store = load_open_store(&state, &slug).await?;
    let mut tx = state.db.begin_write().await?;
    touch_open_cart(&mut tx, store.id, cart_id).await?;
    add_item(&mut tx, store.id, cart_id, &request).await?;
    tx.commit().await?;
    Ok(ok(cart_answer(&state, store.id, cart_id).await?))
}

/// Sets a line's quantity.
#[utoipa::path(patch, path = "/api/v1/stores/{store}/carts/{cartId}/items/{itemId}", tag = "cart",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("cartId" = Uuid, Path, description = "Cart id"),
        ("itemId" = Uuid, Path, description = "Line id"),
    ),
    request_body = UpdateCartItemRequest,
    responses(
        (status = 200, description = "The cart after the change", body = ApiResponse<Cart>),
        (status = 400, description = "`VALIDATION_ERROR`: quantity not 1 to 999", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND` for the cart or line", body = ApiResponse<NoData>),
        (status = 409, description = "`INSUFFICIENT_INVENTORY`, or `CONFLICT` for a checked-out cart", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`", body = ApiResponse<NoData>),
    ))]
pub async fn update_cart_item(
    State(state): State<AppState>,
    PathParams((slug, cart_id, item_id)): PathParams<(String, Uuid, Uuid)>,
    JsonBody(request): JsonBody<UpdateCartItemRequest>,
) -> Result<Json<ApiResponse<Cart>>, ApiError> {
    validate_quantity(request.quantity).map_err(|m| ApiError::invalid_field("quantity", m))?;
    let store = load_open_store(&state, &slug).await?;
    let mut tx = state.db.begin_write().await?;
    touch_open_cart(&mut tx, store.id, cart_id).await?;
    let variant = line_variant(&mut tx, store.id, cart_id, item_id).await?;
    check_stock(&variant, request.quantity)?;
    crate::db::query("UPDATE cart_items SET quantity = $1 WHERE id = $2 AND store_id = $3")
        .bind(i64::from(request.quantity))
        .bind(item_id)
        .bind(store.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ok(cart_answer(&state, store.id, cart_id).await?))
}

/// Removes a line.
#[utoipa::path(delete, path = "/api/v1/stores/{store}/carts/{cartId}/items/{itemId}", tag = "cart",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("cartId" = Uuid, Path, description = "Cart id"),
        ("itemId" = Uuid, Path, description = "Line id"),
    ),
    responses(
        (status = 200, description = "The cart after the change", body = ApiResponse<Cart>),
        (status = 404, description = "`STORE_NOT_FOUND`, or `NOT_FOUND` for the cart or line", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the cart is checked out", body = ApiResponse<NoData>),
    ))]
pub async fn delete_cart_item(
    State(state): State<AppState>,
    PathParams((slug, cart_id, item_id)): PathParams<(String, Uuid, Uuid)>,
) -> Result<Json<ApiResponse<Cart>>, ApiError> {
    let store = load_open_store(&state, &slug).await?;
    let mut tx = state.db.begin_write().await?;
    touch_open_cart(&mut tx, store.id, cart_id).await?;
    let removed =
        crate::db::query("DELETE FROM cart_items WHERE id = $1 AND cart_id = $2 AND store_id = $3")
            .bind(item_id)
            .bind(cart_id)
            .bind(store.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if removed == 0 {
        return Err(ApiError::not_found("cart item", &item_id.to_string()));
    }
    tx.commit().await?;
    Ok(ok(cart_answer(&state, store.id, cart_id).await?))
}
