//! How each country writes addresses, for building an address form: the same rules the server
//! checks addresses with.

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{AddressFormat, ApiResponse, Countries, NoData};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::http::{ok, ApiError, PathParams};
use crate::pricing::addresses::{address_format, all_countries};
use crate::pricing::shipping;
use crate::stores::load_open_store;
use crate::AppState;

/// The address format routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_address_format))
        .routes(routes!(get_countries))
}

/// The countries a store's address forms offer: every country for billing, and those the
/// store ships to for shipping.
#[utoipa::path(get, path = "/api/v1/stores/{store}/countries", tag = "checkout",
    params(("store" = String, Path, description = "Store slug")),
    responses(
        (status = 200, description = "The countries", body = ApiResponse<Countries>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_countries(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
) -> Result<Json<ApiResponse<Countries>>, ApiError> {
    let store = load_open_store(&state, &slug).await?;
    let mut conn = state.db.pool.acquire().await?;
    let zones = shipping::zones(&mut conn, store.id, &store.currency).await?;
    let all = all_countries();
    let shipping = shipping::shipping_countries(&zones, &all);
    Ok(ok(Countries { all, shipping }))
}

/// A country's address format: its lines, required members, postal code pattern and regions.
#[utoipa::path(get, path = "/api/v1/address-formats/{country}", tag = "checkout",
    params(("country" = String, Path, description = "ISO 3166-1 alpha-2 country code")),
    responses(
        (status = 200, description = "The format", body = ApiResponse<AddressFormat>),
        (status = 404, description = "`NOT_FOUND`: not a country code", body = ApiResponse<NoData>),
    ))]
pub async fn get_address_format(
    PathParams(country): PathParams<String>,
) -> Result<Json<ApiResponse<AddressFormat>>, ApiError> {
    address_format(&country)
        .map(ok)
        .ok_or_else(|| ApiError::not_found("country", &country))
}
