//! A buyer's access to their orders without a password: an emailed one-time link, exchanged
//! for a short-lived session that lists their orders (see `orders::customer_access`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use colmena_sdk::contract::{
    AccessLinkRequest, ApiResponse, CustomerSession, CustomerSessionRequest, ErrorCode, NoData,
    Order, PageQuery,
};

use crate::http::{ok, ApiError, JsonBody, PageBounds, PathParams, QueryParams};
use crate::orders::customer_access;
use crate::stores::load_open_store;
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The header that carries a buyer session's token.
pub const CUSTOMER_TOKEN_HEADER: &str = "x-customer-token";

/// The customer session token a request carries, if any.
pub(crate) fn customer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(CUSTOMER_TOKEN_HEADER)
        .and_then(|value| value.to_str().ok())
}

/// The email of the buyer signed in with the customer session a request carries, if it
/// carries one; 401 `UNAUTHORIZED` for an unknown or expired session.
pub(crate) async fn signed_in_email(
    state: &AppState,
    store: &colmena_sdk::contract::Store,
    headers: &HeaderMap,
) -> Result<Option<String>, ApiError> {
    match customer_token(headers) {
        Some(token) => Ok(Some(
            customer_access::session_email(state, store, token).await?,
        )),
        None => Ok(None),
    }
}

/// The buyer access routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_access_link))
        .routes(routes!(open_customer_session))
        .routes(routes!(list_customer_orders))
}

/// Emails a one-time link to the orders placed with `email` in this store. The answer is 202
/// whether or not the email has orders here, so that it reveals no customers.
#[utoipa::path(post, path = "/api/v1/stores/{store}/customer/access-links", tag = "checkout",
    params(("store" = String, Path, description = "Store slug")),
    request_body = AccessLinkRequest,
    responses(
        (status = 202, description = "If the email has orders in the store or is in one of its customer groups, a link was sent", body = ApiResponse<NoData>),
        (status = 400, description = "`VALIDATION_ERROR`: not an email address", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn request_access_link(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    JsonBody(request): JsonBody<AccessLinkRequest>,
) -> Result<(StatusCode, Json<ApiResponse<NoData>>), ApiError> {
    let store = load_open_store(&state, &slug).await?;
    customer_access::request_link(&state, &store, &request.email, request.locale.as_deref())
        .await?;
    Ok((StatusCode::ACCEPTED, ok(NoData {})))
}

/// Exchanges an access link's token (once) for a buyer session.
#[utoipa::path(post, path = "/api/v1/stores/{store}/customer/sessions", tag = "checkout",
    params(("store" = String, Path, description = "Store slug")),
    request_body = CustomerSessionRequest,
    responses(
        (status = 201, description = "The session: its token reads the buyer's orders", body = ApiResponse<CustomerSession>),
        (status = 401, description = "`UNAUTHORIZED`: no such link in this store", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 410, description = "`ACCESS_LINK_EXPIRED`: the link was used or has expired", body = ApiResponse<NoData>),
    ))]
pub async fn open_customer_session(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    JsonBody(request): JsonBody<CustomerSessionRequest>,
) -> Result<(StatusCode, Json<ApiResponse<CustomerSession>>), ApiError> {
    let store = load_open_store(&state, &slug).await?;
    let session = customer_access::open_session(&state, &store, &request.token).await?;
    Ok((StatusCode::CREATED, ok(session)))
}

/// The buyer's orders in this store, newest first, with their download links.
#[utoipa::path(get, path = "/api/v1/stores/{store}/customer/orders", tag = "checkout",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("x-customer-token" = String, Header, description = "The session's `token`"),
        PageQuery,
    ),
    responses(
        (status = 200, description = "A page of the buyer's orders", body = ApiResponse<Vec<Order>>),
        (status = 400, description = "`VALIDATION_ERROR`: bad paging", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: no session, or an unknown or expired one", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn list_customer_orders(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    QueryParams(query): QueryParams<PageQuery>,
    headers: HeaderMap,
) -> Result<Json<ApiResponse<Vec<Order>>>, ApiError> {
    let bounds = PageBounds::new(query.limit, query.offset)?;
    let token = customer_token(&headers).ok_or_else(|| {
        ApiError::new(
            ErrorCode::Unauthorized,
            "send the customer session's token in the x-customer-token header",
        )
    })?;
    let store = load_open_store(&state, &slug).await?;
    let email = customer_access::session_email(&state, &store, token).await?;
    let (orders, total) = customer_access::list_orders(&state, &store, &email, bounds).await?;
    Ok(bounds.answer(orders, total))
}
