//! The public storefront: the live document shoppers' storefronts apply, or the draft for the
//! holder of a preview token.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use colmena_sdk::contract::{ApiResponse, ErrorCode, NoData, Storefront};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::http::{ok, ApiError, PathParams, QueryParams, PREVIEW_HEADER};
use crate::public::{cached_answer, cached_until, theme_css};
use crate::stores::load_open_store;
use crate::{storefront, AppState};

/// The public storefront routes: the document, and its theme as the widget's CSS.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_storefront))
        .routes(routes!(get_theme_css))
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
    let preview = preview_token(&headers, &query)?;
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
    Ok(([NO_STORE, vary], ok(document)).into_response())
}

/// A preview is never kept by a cache.
const NO_STORE: (header::HeaderName, HeaderValue) =
    (header::CACHE_CONTROL, HeaderValue::from_static("no-store"));

/// The preview token of a request: the `X-Colmena-Preview` header, else `?preview=`.
fn preview_token<'a>(
    headers: &'a HeaderMap,
    query: &'a StorefrontQuery,
) -> Result<Option<&'a str>, ApiError> {
    match headers.get(PREVIEW_HEADER) {
        Some(value) => value
            .to_str()
            .map(Some)
            .map_err(|_| ApiError::new(ErrorCode::Unauthorized, "unknown preview token")),
        None => Ok(query.preview.as_deref()),
    }
}

/// The storefront's theme as CSS for the widget, which adopts it into its elements' shadow
/// roots: `:host` custom properties (`--colmena-brand`, `--colmena-page`, `--colmena-font`, …)
/// for the theme's colours, font and radius, in the light and dark schemes its mode asks for.
/// A store that never published gets its branding colours only. With a preview token, the
/// draft's theme, never cached. Refusals are the storefront route's, as JSON.
#[utoipa::path(get, path = "/api/v1/stores/{store}/storefront/theme.css", tag = "storefront",
    params(
        ("store" = String, Path, description = "Store slug"),
        StorefrontQuery,
        ("X-Colmena-Preview" = Option<String>, Header, description = "A preview token: the draft's theme"),
    ),
    responses(
        (status = 200, description = "The theme's stylesheet", body = String, content_type = "text/css"),
        (status = 400, description = "`VALIDATION_ERROR`: an unknown query parameter", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: an unknown preview token", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: an expired preview token; `STORE_SUSPENDED`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_theme_css(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    QueryParams(query): QueryParams<StorefrontQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let preview = preview_token(&headers, &query)?;
    let css_type = (
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    let vary = (header::VARY, HeaderValue::from_static(PREVIEW_HEADER));
    let Some(token) = preview else {
        // Cached like the storefront answer, until the next scheduled publication.
        let answer = cached_answer(&state, format!("storefront theme.css {slug}"), async {
            let store = load_open_store(&state, &slug).await?;
            let mut conn = state.db.pool.acquire().await?;
            let (theme, until) = storefront::public_theme(&mut conn, &store).await?;
            Ok((
                theme_css::render(theme.as_ref(), &store.branding),
                None,
                until,
            ))
        })
        .await?;
        let css: String = serde_json::from_str(answer.data.get())
            .map_err(|error| ApiError::internal(format!("a cached theme.css: {error}")))?;
        return Ok(([css_type, vary], css).into_response());
    };
    let store = load_open_store(&state, &slug).await?;
    let mut conn = state.db.pool.acquire().await?;
    let document = storefront::preview_document(&mut conn, &store, token).await?;
    let css = theme_css::render(Some(&document.theme), &store.branding);
    Ok(([css_type, NO_STORE, vary], css).into_response())
}
