//! The public catalog: the store's profile, its products and categories, served from the
//! catalog cache when they can be.

use crate::db::Conn;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use colmena_sdk::contract::{
    valid_locale, ApiResponse, Category, InvalidParameter, LocaleQuery, NoData, Pagination,
    Product, ProductListQuery, SearchQuery, SearchResults, Store, LOCALE_RULE,
};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::catalog::translations::{localise_categories, localise_products, Preference};
use crate::catalog::{self, Visibility};
use crate::http::{ok, ApiError, CachedJson, PathParams, QueryParams};
use crate::pricing::price_lists;
use crate::public::customer::{customer_token, signed_in_email};
use crate::public::{cached, cached_until};
use crate::stores::facts::StoreFacts;
use crate::stores::{load_open_store, open_store_facts};
use crate::AppState;

/// The public catalog's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_store))
        .routes(routes!(list_products))
        .routes(routes!(get_product))
        .routes(routes!(list_categories))
        .routes(routes!(search_products))
}

/// The languages a catalog request asks for: `?locale=` (`locale`, checked here), else its
/// `Accept-Language` header.
fn preference(locale: Option<&str>, headers: &HeaderMap) -> Result<Preference, ApiError> {
    if let Some(locale) = locale.filter(|l| !valid_locale(l)) {
        return Err(ApiError::invalid_parameter(InvalidParameter {
            parameter: "locale".into(),
            value: locale.to_owned(),
            message: format!("locale {LOCALE_RULE}"),
        }));
    }
    let header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    Ok(Preference::new(locale, header))
}

/// A catalog list's query string read by `parse` (a contract query's own rules), the languages
/// it asks for (its last `locale`, else `Accept-Language`), and its cache key.
fn read_list_query<Q>(
    kind: &str,
    slug: &str,
    raw_query: Option<&str>,
    headers: &HeaderMap,
    parse: impl Fn(&[(String, String)]) -> Result<Q, InvalidParameter>,
) -> Result<(Q, Preference, String), ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw_query.unwrap_or(""))
        .map_err(|e| {
            ApiError::invalid_parameter(InvalidParameter {
                parameter: "query".into(),
                value: raw_query.unwrap_or_default().to_owned(),
                message: e.to_string(),
            })
        })?;
    let query = parse(&pairs).map_err(ApiError::invalid_parameter)?;
    let locale = pairs.iter().rev().find(|(key, _)| key == "locale");
    let languages = preference(locale.map(|(_, value)| value.as_str()), headers)?;
    let key = format!(
        "{kind} {slug}?{} {}",
        raw_query.unwrap_or(""),
        languages.key()
    );
    Ok((query, languages, key))
}

/// A catalog answer whose content depends on the language asked for, so shared caches keep
/// one copy per `Accept-Language`.
fn by_language(answer: CachedJson) -> impl IntoResponse {
    ([(header::VARY, "Accept-Language")], answer)
}

/// A priced catalog answer (products carry prices). For anyone, it is shared and cached until
/// the store's prices next change by themselves (a sale starting or ending). For a buyer
/// signed in with a customer session (`x-customer-token`), it carries their customer groups'
/// prices and is never cached. `load` reads the answer for the store and the buyer's email.
async fn priced_answer<T, F, Fut>(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    key: String,
    load: F,
) -> Result<Response, ApiError>
where
    T: Serialize,
    F: FnOnce(Arc<StoreFacts>, Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(T, Option<Pagination>), ApiError>>,
{
    let vary = (
        header::VARY,
        HeaderValue::from_static("Accept-Language, x-customer-token"),
    );
    if customer_token(headers).is_none() {
        let answer = cached_until(state, key, async {
            let facts = open_store_facts(state, slug).await?;
            let until = facts.prices_change_at;
            let (data, pagination) = load(facts, None).await?;
            Ok((data, pagination, until))
        })
        .await?;
        return Ok(([vary], answer).into_response());
    }
    let facts = open_store_facts(state, slug).await?;
    let email = signed_in_email(state, &facts.store, headers).await?;
    let (data, pagination) = load(facts, email).await?;
    let mut envelope = ok(data);
    envelope.pagination = pagination;
    let no_store = (header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(([vary, no_store], envelope).into_response())
}

/// Prices `products` for the buyer with `email` (or anyone), and puts them in the language
/// they asked for. Each step is skipped when the store's facts say it would change nothing:
/// no sale for everyone on, or no translation in a language asked for.
async fn present(
    conn: &mut Conn,
    facts: &StoreFacts,
    email: Option<&str>,
    languages: &Preference,
    products: &mut [Product],
) -> Result<(), ApiError> {
    if email.is_some() {
        price_lists::price_products(conn, facts.store.id, email, products).await?;
    } else {
        price_lists::apply_offers(&facts.public_offers, products);
    }
    if !languages.fitting(&facts.translated).is_empty() {
        localise_products(conn, facts.store.id, languages, products).await?;
    }
    Ok(())
}

/// A store's public profile: name, currency, locale, branding.
#[utoipa::path(get, path = "/api/v1/stores/{store}", tag = "catalog",
    params(("store" = String, Path, description = "Store slug, e.g. `demo`")),
    responses(
        (status = 200, description = "The store", body = ApiResponse<Store>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_store(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
) -> Result<CachedJson, ApiError> {
    cached(&state, format!("store {slug}"), async {
        Ok((load_open_store(&state, &slug).await?, None))
    })
    .await
}

/// The store's active products: filtered, searched, sorted and paginated.
#[utoipa::path(get, path = "/api/v1/stores/{store}/products", tag = "catalog",
    params(("store" = String, Path, description = "Store slug"), ProductListQuery, LocaleQuery),
    responses(
        (status = 200, description = "One page of products", body = ApiResponse<Vec<Product>>),
        (status = 400, description = "`VALIDATION_ERROR`, naming the parameter in `details.parameter`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    RawQuery(raw_query): RawQuery,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let (query, languages, key) = read_list_query(
        "products",
        &slug,
        raw_query.as_deref(),
        &headers,
        ProductListQuery::from_query_pairs,
    )?;
    priced_answer(&state, &slug, &headers, key, |facts, email| {
        list_products_uncached(&state, facts, query, &languages, email)
    })
    .await
}

async fn list_products_uncached(
    state: &AppState,
    facts: Arc<StoreFacts>,
    query: ProductListQuery,
    languages: &Preference,
    email: Option<String>,
) -> Result<(Vec<Product>, Option<Pagination>), ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    let (products, total) = catalog::list_products(
        &mut conn,
        state.db.backend,
        &state.urls,
        facts.store.id,
        &query,
        Visibility::Public,
        catalog::Listing {
            counts: Some(&facts.listing_counts),
            sales_on: facts.public_prices_listed,
        },
    )
    .await?;
    let mut products: Vec<Product> = products.into_iter().map(|p| p.product).collect();
    present(
        &mut conn,
        &facts,
        email.as_deref(),
        languages,
        &mut products,
    )
    .await?;
    let pagination = Pagination::of_page(
        total,
        query.effective_limit(),
        query.offset.unwrap_or(0),
        products.len(),
    );
    Ok((products, Some(pagination)))
}

/// One active product, by id or slug.
#[utoipa::path(get, path = "/api/v1/stores/{store}/products/{idOrSlug}", tag = "catalog",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("idOrSlug" = String, Path, description = "Product id (UUID) or slug"),
        LocaleQuery,
    ),
    responses(
        (status = 200, description = "The product", body = ApiResponse<Product>),
        (status = 400, description = "`VALIDATION_ERROR`: a malformed `locale`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND` or `NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_product(
    State(state): State<AppState>,
    PathParams((slug, id_or_slug)): PathParams<(String, String)>,
    QueryParams(query): QueryParams<LocaleQuery>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let languages = preference(query.locale.as_deref(), &headers)?;
    let key = format!("product {slug}/{id_or_slug} {}", languages.key());
    let state = &state;
    priced_answer(state, &slug, &headers, key, |facts, email| async move {
        let mut conn = state.db.pool.acquire().await?;
        let product = catalog::product_by_id_or_slug(
            &mut conn,
            state.db.backend,
            &state.urls,
            facts.store.id,
            &id_or_slug,
            Visibility::Public,
        )
        .await?
        .ok_or_else(|| ApiError::not_found("product", &id_or_slug))?;
        let mut products = [product.product];
        present(
            &mut conn,
            &facts,
            email.as_deref(),
            &languages,
            &mut products,
        )
        .await?;
        let [product] = products;
        Ok((product, None))
    })
    .await
}

/// The store's categories with product counts.
#[utoipa::path(get, path = "/api/v1/stores/{store}/categories", tag = "catalog",
    params(("store" = String, Path, description = "Store slug"), LocaleQuery),
    responses(
        (status = 200, description = "All categories", body = ApiResponse<Vec<Category>>),
        (status = 400, description = "`VALIDATION_ERROR`: a malformed `locale`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn list_categories(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    QueryParams(query): QueryParams<LocaleQuery>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let languages = preference(query.locale.as_deref(), &headers)?;
    let key = format!("categories {slug} {}", languages.key());
    let answer = cached(&state, key, async {
        let store = load_open_store(&state, &slug).await?;
        let mut categories = catalog::categories(&state.db, store.id).await?;
        let mut conn = state.db.pool.acquire().await?;
        localise_categories(&mut conn, store.id, &languages, &mut categories).await?;
        Ok((categories, None))
    })
    .await?;
    Ok(by_language(answer))
}

/// Searches the store's active products: words matched by relevance (prefixes, typos and
/// accents forgiven; names in the shopper's language too), filters by category, type, price
/// and attribute values, and the facet counts of every match.
#[utoipa::path(get, path = "/api/v1/stores/{store}/search", tag = "catalog",
    params(("store" = String, Path, description = "Store slug"), SearchQuery, LocaleQuery),
    responses(
        (status = 200, description = "One page of matching products and the facets of all matches", body = ApiResponse<SearchResults>),
        (status = 400, description = "`VALIDATION_ERROR`, naming the parameter in `details.parameter`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn search_products(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    RawQuery(raw_query): RawQuery,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let (query, languages, key) = read_list_query(
        "search",
        &slug,
        raw_query.as_deref(),
        &headers,
        SearchQuery::from_query_pairs,
    )?;
    let state = &state;
    priced_answer(state, &slug, &headers, key, |facts, email| async move {
        let mut conn = state.db.pool.acquire().await?;
        let found = catalog::search::search(
            &mut conn,
            state.db.backend,
            &state.urls,
            facts.store.id,
            &facts.store.currency,
            &query,
            &languages,
        )
        .await?;
        let mut products: Vec<Product> = found.products.into_iter().map(|p| p.product).collect();
        present(
            &mut conn,
            &facts,
            email.as_deref(),
            &languages,
            &mut products,
        )
        .await?;
        let pagination = Pagination::of_page(
            found.total,
            query.effective_limit(),
            query.offset.unwrap_or(0),
            products.len(),
        );
        let results = SearchResults {
            products,
            facets: found.facets,
        };
        Ok((results, Some(pagination)))
    })
    .await
}
