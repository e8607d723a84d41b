//! The public storefront: the live document shoppers' storefronts apply, or the draft for the
//! holder of a preview token.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use colmena_sdk::contract::{ApiResponse, ErrorCode, NoData, Storefront};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::http::{ok, ApiError, PathParams, QueryParams, PREVIEW_HEADER};
use crate::public::cached_until;
use crate::stores::load_open_store;
use crate::{storefront, AppState};

/// The public storefront route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_storefront))
}

/// Query of the public storefront.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StorefrontQuery {
    /// A preview token, for links that cannot set the `X-Colmena-Preview` header.
    preview: Option<String>,
}

/// The storefront shoppers see now: the live version (or, for a store that never published,
/// a theme made from its branding colours), with only the banners and announcement whose
/// schedule contains this moment. With a preview token (`X-Colmena-Preview` or `?preview=`),
/// the draft instead, never cached (`Cache-Control: no-store`).
#[utoipa::path(get, path = "/api/v1/stores/{store}/storefront", tag = "storefront",
    params(
        ("store" = String, Path, description = "Store slug"),
        StorefrontQuery,
        ("X-Colmena-Preview" = Option<String>, Header, description = "A preview token: answers the draft"),
    ),
    responses(
        (status = 200, description = "The storefront", body = ApiResponse<Storefront>),
        (status = 400, description = "`VALIDATION_ERROR`: an unknown query parameter", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: an unknown preview token", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: an expired preview token; `STORE_SUSPENDED`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_storefront(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    QueryParams(query): QueryParams<StorefrontQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let preview = match headers.get(PREVIEW_HEADER) {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| ApiError::new(ErrorCode::Unauthorized, "unknown preview token"))?,
        ),
        None => query.preview.as_deref(),
    };
    // Shared caches must not answer a preview request with the live document, or the reverse.
    let vary = (header::VARY, HeaderValue::from_static(PREVIEW_HEADER));
    let Some(token) = preview else {
        let answer = cached_until(&state, format!("storefront {slug}"), async {
            let store = load_open_store(&state, &slug).await?;
            let mut conn = state.db.pool.acquire().await?;
            let (document, until) = storefront::public_document(&mut conn, &store).await?;
            Ok((document, None, until))
        })
        .await?;
        return Ok(([vary], answer).into_response());
    };
    let store = load_open_store(&state, &slug).await?;
    let mut conn = state.db.pool.acquire().await?;
    let document = storefront::preview_document(&mut conn, &store, token).await?;
    let no_store = (header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(([no_store, vary], ok(document)).into_response())
}
