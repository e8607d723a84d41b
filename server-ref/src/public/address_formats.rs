//! How each country writes addresses, for building an address form: the same rules the server
//! checks addresses with.

use axum::Json;
use colmena_sdk::contract::{AddressFormat, ApiResponse, NoData};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::http::{ok, ApiError, PathParams};
use crate::pricing::addresses::address_format;
use crate::AppState;

/// The address format route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_address_format))
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
