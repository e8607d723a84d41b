//! The HTTP layer: the response envelope, typed errors, and the public catalog handlers.

use axum::extract::{FromRequestParts, Path, RawQuery, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use colmena_sdk::contract::{
    ApiError as ApiErrorBody, ApiResponse, Category, ErrorCode, ErrorDetails, Health,
    InvalidParameter, Meta, NoData, Pagination, Product, ProductListQuery, Store, API_VERSION,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::catalog::{self, Visibility};
use crate::{db, AppState};

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

fn meta() -> Meta {
    Meta {
        request_id: REQUEST_ID
            .try_with(Clone::clone)
            .unwrap_or_else(|_| uuid::Uuid::new_v4().to_string()),
        timestamp: db::now_text(),
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

/// An error answer: HTTP status, stable code, message and details, in the envelope.
#[derive(Debug, Clone)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    // Boxed: details are rare, and a small error keeps every handler's Result small.
    details: Option<Box<ErrorDetails>>,
    retry_after: Option<u64>,
}

impl ApiError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: None,
            retry_after: None,
        }
    }

    /// Adds a `Retry-After` of `seconds` to the answer.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// An unexpected failure: `detail` goes to the log, the client gets a generic 500.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(
            ErrorCode::InternalError,
            "the server failed; quote the request id",
        )
    }

    /// 404 `STORE_NOT_FOUND`.
    pub fn store_not_found(slug: &str) -> Self {
        Self::new(
            ErrorCode::StoreNotFound,
            format!("store {slug:?} does not exist"),
        )
    }

    /// 404 `NOT_FOUND` for a `resource` (e.g. `product`) identified by `key`.
    pub fn not_found(resource: &str, key: &str) -> Self {
        Self {
            details: Some(Box::new(ErrorDetails {
                resource: Some(resource.to_owned()),
                ..ErrorDetails::default()
            })),
            ..Self::new(
                ErrorCode::NotFound,
                format!("{resource} {key:?} does not exist"),
            )
        }
    }

    /// Replaces the error's structured details.
    pub fn with_details(mut self, details: ErrorDetails) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    /// 400 `VALIDATION_ERROR` for a body field (named in `details.parameter`).
    pub fn invalid_field(field: &str, message: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::ValidationError, format!("{field} {message}")).with_details(
            ErrorDetails {
                parameter: Some(field.to_owned()),
                ..ErrorDetails::default()
            },
        )
    }

    /// 409 `CONFLICT`: the resource's state forbids the change; `status` is its current state.
    pub fn conflict(message: impl Into<String>, status: &str) -> Self {
        Self::new(ErrorCode::Conflict, message).with_details(ErrorDetails {
            status: Some(status.to_owned()),
            ..ErrorDetails::default()
        })
    }

    /// 409 `INSUFFICIENT_INVENTORY`: only `available` units of the variant are left.
    pub fn insufficient_inventory(variant_id: uuid::Uuid, sku: &str, available: u32) -> Self {
        Self::new(
            ErrorCode::InsufficientInventory,
            format!("only {available} of {sku} left"),
        )
        .with_details(ErrorDetails {
            available: Some(available),
            variant_id: Some(variant_id),
            ..ErrorDetails::default()
        })
    }

    /// 400 `VALIDATION_ERROR` naming the parameter.
    pub fn invalid_parameter(invalid: InvalidParameter) -> Self {
        Self {
            details: Some(Box::new(ErrorDetails {
                parameter: Some(invalid.parameter.clone()),
                value: Some(invalid.value.chars().take(100).collect()),
                ..ErrorDetails::default()
            })),
            ..Self::new(
                ErrorCode::ValidationError,
                format!(
                    "invalid parameter {}: {}",
                    invalid.parameter, invalid.message
                ),
            )
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        // The cause goes to the log with the request id; the client gets only the id.
        let request_id = REQUEST_ID.try_with(Clone::clone).unwrap_or_default();
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::warn!(%request_id, %error, "database unavailable");
                Self::new(
                    ErrorCode::ServiceUnavailable,
                    "the database is temporarily unavailable; retry shortly",
                )
                .with_retry_after(5)
            }
            // PostgreSQL refuses NUL and characters its encoding lacks in text: the input's
            // fault, whichever field it came through.
            sqlx::Error::Database(error)
                if matches!(error.code().as_deref(), Some("22021" | "22P05")) =>
            {
                Self::new(
                    ErrorCode::ValidationError,
                    "the request holds a character that cannot be stored (NUL)",
                )
            }
            sqlx::Error::Database(error) if error.is_unique_violation() => Self::new(
                ErrorCode::Conflict,
                "another record already uses this value (slug, SKU or email)",
            ),
            sqlx::Error::Database(error) if error.is_foreign_key_violation() => Self::new(
                ErrorCode::Conflict,
                "a related record was changed or removed meanwhile; reload and retry",
            ),
            error => {
                tracing::error!(%request_id, %error, "database error");
                Self::new(
                    ErrorCode::InternalError,
                    "internal error; quote the request id",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ApiResponse::<NoData> {
            success: false,
            data: None,
            error: Some(ApiErrorBody {
                code: self.code,
                message: self.message,
                details: self.details.map(|details| *details),
            }),
            pagination: None,
            meta: meta(),
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Path parameters, with a malformed path answered as `VALIDATION_ERROR` rather than plain text.
pub struct PathParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(params)| Self(params))
            .map_err(|rejection| {
                ApiError::invalid_parameter(InvalidParameter {
                    parameter: "path".into(),
                    value: parts.uri.path().to_owned(),
                    message: rejection.body_text(),
                })
            })
    }
}

/// Query parameters, with unknown or malformed ones answered as `VALIDATION_ERROR`.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(Self)
            .map_err(|error| {
                ApiError::invalid_parameter(InvalidParameter {
                    parameter: "query".into(),
                    value: query.to_owned(),
                    message: error.to_string(),
                })
            })
    }
}

/// A JSON request body, with a missing or malformed body answered as `VALIDATION_ERROR` (400)
/// and a non-JSON content type as `UNSUPPORTED_MEDIA_TYPE` (415).
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "the body must be JSON (content-type: application/json)",
            )),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    "the body is larger than this route accepts",
                ))
            }
            Err(rejection) => Err(ApiError::invalid_parameter(InvalidParameter {
                parameter: "body".into(),
                value: String::new(),
                message: rejection.body_text(),
            })),
        }
    }
}

/// An optional body: no body at all (no content type, nothing sent) is `None`.
impl<S: Send + Sync, T: DeserializeOwned> axum::extract::OptionalFromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        let empty = !request.headers().contains_key(header::CONTENT_TYPE)
            && request
                .headers()
                .get(header::CONTENT_LENGTH)
                .is_none_or(|length| length == "0");
        if empty {
            return Ok(None);
        }
        <Self as axum::extract::FromRequest<S>>::from_request(request, state)
            .await
            .map(Some)
    }
}

/// Answers unknown routes with the envelope.
pub async fn route_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such route")
}

/// Answers known routes called with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "method not allowed on this route",
    )
}

/// A public catalog answer: from the cache when there, else `load`ed and cached. `key` must
/// identify the answer (the request's path and query).
async fn cached<T, F>(state: &AppState, key: String, load: F) -> Result<CachedJson, ApiError>
where
    T: Serialize,
    F: std::future::Future<Output = Result<(T, Option<Pagination>), ApiError>>,
{
    let answer = match state.cache.get(&key) {
        Some(hit) => hit,
        None => {
            // Taken before reading, so that a change committed meanwhile outdates this entry.
            let generation = state.cache.generation();
            let (data, pagination) = load.await?;
            state
                .cache
                .put(generation, key, &data, pagination)
                .map_err(|error| {
                    tracing::error!(%error, "cannot serialise a catalog answer");
                    ApiError::new(
                        ErrorCode::InternalError,
                        "internal error; quote the request id",
                    )
                })?
        }
    };
    Ok(CachedJson(answer))
}

/// The envelope of a cached answer, whose `data` is already JSON: it is written out as is,
/// with this request's `meta`.
pub struct CachedJson(std::sync::Arc<crate::cache::CachedAnswer>);

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

/// The store with this slug, or 404 `STORE_NOT_FOUND`.
pub async fn load_store(state: &AppState, slug: &str) -> Result<Store, ApiError> {
    catalog::store_by_slug(&state.db, &state.urls, slug)
        .await?
        .ok_or_else(|| ApiError::store_not_found(slug))
}

/// Server and database health.
#[utoipa::path(get, path = "/api/health", tag = "system",
    responses(
        (status = 200, description = "The server and its database answer", body = ApiResponse<Health>),
        (status = 503, description = "The database does not answer", body = ApiResponse<NoData>),
    ))]
pub async fn health(State(state): State<AppState>) -> Result<Json<ApiResponse<Health>>, ApiError> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await?;
    Ok(ok(Health {
        status: "ok".into(),
        database: state.db.backend.name().into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
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
        Ok((load_store(&state, &slug).await?, None))
    })
    .await
}

/// The store's active products: filtered, searched, sorted and paginated.
#[utoipa::path(get, path = "/api/v1/stores/{store}/products", tag = "catalog",
    params(("store" = String, Path, description = "Store slug"), ProductListQuery),
    responses(
        (status = 200, description = "One page of products", body = ApiResponse<Vec<Product>>),
        (status = 400, description = "`VALIDATION_ERROR`, naming the parameter in `details.parameter`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    RawQuery(raw_query): RawQuery,
) -> Result<CachedJson, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw_query.as_deref().unwrap_or("")).map_err(|e| {
            ApiError::invalid_parameter(InvalidParameter {
                parameter: "query".into(),
                value: raw_query.clone().unwrap_or_default(),
                message: e.to_string(),
            })
        })?;
    let query = ProductListQuery::from_query_pairs(&pairs).map_err(ApiError::invalid_parameter)?;
    let key = format!("products {slug}?{}", raw_query.as_deref().unwrap_or(""));
    cached(&state, key, list_products_uncached(&state, &slug, query)).await
}

async fn list_products_uncached(
    state: &AppState,
    slug: &str,
    query: ProductListQuery,
) -> Result<(Vec<Product>, Option<Pagination>), ApiError> {
    let store = load_store(state, slug).await?;
    let mut conn = state.db.pool.acquire().await?;
    let (products, total) = catalog::list_products(
        &mut conn,
        state.db.backend,
        &state.urls,
        store.id,
        &query,
        Visibility::Public,
    )
    .await?;
    let products: Vec<Product> = products.into_iter().map(|p| p.product).collect();
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
    ),
    responses(
        (status = 200, description = "The product", body = ApiResponse<Product>),
        (status = 404, description = "`STORE_NOT_FOUND` or `NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_product(
    State(state): State<AppState>,
    PathParams((slug, id_or_slug)): PathParams<(String, String)>,
) -> Result<CachedJson, ApiError> {
    cached(&state, format!("product {slug}/{id_or_slug}"), async {
        let store = load_store(&state, &slug).await?;
        let mut conn = state.db.pool.acquire().await?;
        let product = catalog::product_by_id_or_slug(
            &mut conn,
            &state.urls,
            store.id,
            &id_or_slug,
            Visibility::Public,
        )
        .await?
        .ok_or_else(|| ApiError::not_found("product", &id_or_slug))?;
        Ok((product.product, None))
    })
    .await
}

/// The store's categories with product counts.
#[utoipa::path(get, path = "/api/v1/stores/{store}/categories", tag = "catalog",
    params(("store" = String, Path, description = "Store slug")),
    responses(
        (status = 200, description = "All categories", body = ApiResponse<Vec<Category>>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn list_categories(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
) -> Result<CachedJson, ApiError> {
    cached(&state, format!("categories {slug}"), async {
        let store = load_store(&state, &slug).await?;
        Ok((catalog::categories(&state.db, store.id).await?, None))
    })
    .await
}
