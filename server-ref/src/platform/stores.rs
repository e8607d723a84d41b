//! Stores, for the platform operator: open one with its first owner, list them, read one,
//! suspend and reactivate.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, CreateStoreRequest, CreatedStore, NoData, PlatformStore, PlatformStoreQuery,
    StoreStatus,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::PlatformOperator;
use crate::http::{ok, ApiError, JsonBody, PageBounds, PathParams, QueryParams};
use crate::stores::provisioning::{self, OwnerAccess};
use crate::AppState;

/// The platform's store routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_stores, create_store))
        .routes(routes!(get_store))
        .routes(routes!(suspend_store))
        .routes(routes!(reactivate_store))
}

/// Opens a store with its first owner, who gets an invitation to choose a password.
#[utoipa::path(post, path = "/api/v1/platform/stores", tag = "platform", operation_id = "platform_create_store",
    request_body = CreateStoreRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The store, and its owner's invitation (the token is shown once)", body = ApiResponse<CreatedStore>),
        (status = 400, description = "`VALIDATION_ERROR` naming the field: a malformed or reserved slug, unknown currency, bad locale or email", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: no or a wrong platform key", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the slug is taken", body = ApiResponse<NoData>),
    ))]
pub async fn create_store(
    State(state): State<AppState>,
    _operator: PlatformOperator,
    JsonBody(request): JsonBody<CreateStoreRequest>,
) -> Result<(StatusCode, Json<ApiResponse<CreatedStore>>), ApiError> {
    let opened = provisioning::open_store(&state.db, &request, OwnerAccess::Invitation).await?;
    let owner_invitation = opened
        .invitation
        .ok_or_else(|| ApiError::internal("a store opened by invitation has no invitation"))?;
    tracing::info!(store = %opened.store.slug, "store opened by the platform operator");
    Ok((
        StatusCode::CREATED,
        ok(CreatedStore {
            store: opened.store,
            owner_invitation,
        }),
    ))
}

/// The stores, oldest first, optionally only those in one status.
#[utoipa::path(get, path = "/api/v1/platform/stores", tag = "platform", operation_id = "platform_list_stores",
    params(PlatformStoreQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of stores", body = ApiResponse<Vec<PlatformStore>>),
        (status = 400, description = "`VALIDATION_ERROR` naming the parameter", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`", body = ApiResponse<NoData>),
    ))]
pub async fn list_stores(
    State(state): State<AppState>,
    _operator: PlatformOperator,
    QueryParams(query): QueryParams<PlatformStoreQuery>,
) -> Result<Json<ApiResponse<Vec<PlatformStore>>>, ApiError> {
    let bounds = PageBounds::new(query.limit, query.offset)?;
    let (stores, total) = provisioning::list_stores(
        &state.db,
        query.status,
        bounds.sql_limit(),
        bounds.sql_offset(),
    )
    .await?;
    Ok(bounds.answer(stores, total))
}

/// One store.
#[utoipa::path(get, path = "/api/v1/platform/stores/{store}", tag = "platform", operation_id = "platform_get_store",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The store", body = ApiResponse<PlatformStore>),
        (status = 401, description = "`UNAUTHORIZED`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_store(
    State(state): State<AppState>,
    _operator: PlatformOperator,
    PathParams(slug): PathParams<String>,
) -> Result<Json<ApiResponse<PlatformStore>>, ApiError> {
    Ok(ok(
        provisioning::platform_store_by_slug(&state.db, &slug).await?
    ))
}

/// Suspends a store: its public API answers 403 `STORE_SUSPENDED` until it is reactivated; its
/// staff can still sign in.
#[utoipa::path(post, path = "/api/v1/platform/stores/{store}/suspend", tag = "platform", operation_id = "platform_suspend_store",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The store, suspended", body = ApiResponse<PlatformStore>),
        (status = 401, description = "`UNAUTHORIZED`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn suspend_store(
    State(state): State<AppState>,
    _operator: PlatformOperator,
    PathParams(slug): PathParams<String>,
) -> Result<Json<ApiResponse<PlatformStore>>, ApiError> {
    change_status(&state, &slug, StoreStatus::Suspended).await
}

/// Reactivates a suspended store.
#[utoipa::path(post, path = "/api/v1/platform/stores/{store}/reactivate", tag = "platform", operation_id = "platform_reactivate_store",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The store, active", body = ApiResponse<PlatformStore>),
        (status = 401, description = "`UNAUTHORIZED`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn reactivate_store(
    State(state): State<AppState>,
    _operator: PlatformOperator,
    PathParams(slug): PathParams<String>,
) -> Result<Json<ApiResponse<PlatformStore>>, ApiError> {
    change_status(&state, &slug, StoreStatus::Active).await
}

async fn change_status(
    state: &AppState,
    slug: &str,
    status: StoreStatus,
) -> Result<Json<ApiResponse<PlatformStore>>, ApiError> {
    let store = provisioning::set_status(&state.db, slug, status).await?;
    // Cached public answers of the store must not outlive its status.
    state.cache.invalidate();
    tracing::info!(store = %store.slug, status = status.as_str(), "store status changed");
    Ok(ok(store))
}
