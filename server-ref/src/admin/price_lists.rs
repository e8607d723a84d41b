//! Price lists (admin, seed 003): sales with a start and an end, and customer groups' prices.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{ApiResponse, NoData, Permission, PriceList, PriceListInput};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::pricing::price_lists;
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The price list routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_price_lists, create_price_list))
        .routes(routes!(get_price_list, put_price_list, delete_price_list))
}

/// The store's price lists, newest first, with whether each is in force now.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/price-lists", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The price lists", body = ApiResponse<Vec<PriceList>>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn list_price_lists(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<Vec<PriceList>>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ok(price_lists::list(
        &mut conn,
        ctx.store.id,
        &ctx.store.currency,
    )
    .await?))
}

/// One price list.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/price-lists/{priceListId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("priceListId" = Uuid, Path, description = "Price list id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The price list", body = ApiResponse<PriceList>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_price_list(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<PriceList>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ok(price_lists::find(
        &mut conn,
        ctx.store.id,
        &ctx.store.currency,
        id,
    )
    .await?))
}

/// Creates a price list: a sale for every shopper, or prices for a customer group.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/price-lists", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug")),
    request_body = PriceListInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The price list", body = ApiResponse<PriceList>),
        (status = 400, description = "`VALIDATION_ERROR`: no prices or too many, a variant or group not of this store, a variant priced twice, a price in another currency, a window that ends before it starts", body = ApiResponse<NoData>),
    ))]
pub async fn create_price_list(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<PriceListInput>,
) -> Result<(StatusCode, Json<ApiResponse<PriceList>>), ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let id = Uuid::new_v4();
    let mut tx = state.db.begin_write().await?;
    let checked = price_lists::check(&mut tx, ctx.store.id, &ctx.store.currency, &input).await?;
    let created = price_lists::save(
        &mut tx,
        ctx.store.id,
        &ctx.store.currency,
        id,
        &checked,
        true,
    )
    .await?;
    ctx.commit(tx, Entry::created(Entity::PriceList, id, &created)?)
        .await?;
    Ok((StatusCode::CREATED, ok(created)))
}

/// Replaces a price list and its prices.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/price-lists/{priceListId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("priceListId" = Uuid, Path, description = "Price list id")),
    request_body = PriceListInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The price list", body = ApiResponse<PriceList>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn put_price_list(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, id)): PathParams<(String, Uuid)>,
    JsonBody(input): JsonBody<PriceListInput>,
) -> Result<Json<ApiResponse<PriceList>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let currency = &ctx.store.currency;
    let mut tx = state.db.begin_write().await?;
    let before = price_lists::find(&mut tx, ctx.store.id, currency, id).await?;
    let checked = price_lists::check(&mut tx, ctx.store.id, currency, &input).await?;
    let after = price_lists::save(&mut tx, ctx.store.id, currency, id, &checked, false).await?;
    ctx.commit(tx, Entry::updated(Entity::PriceList, id, &before, &after)?)
        .await?;
    Ok(ok(after))
}

/// Deletes a price list; orders keep the prices they were charged.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/price-lists/{priceListId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("priceListId" = Uuid, Path, description = "Price list id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The deleted price list, as it was", body = ApiResponse<PriceList>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn delete_price_list(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<PriceList>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut tx = state.db.begin_write().await?;
    let before = price_lists::find(&mut tx, ctx.store.id, &ctx.store.currency, id).await?;
    crate::db::query("DELETE FROM price_lists WHERE id = $1 AND store_id = $2")
        .bind(id)
        .bind(ctx.store.id)
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx, Entry::deleted(Entity::PriceList, id, &before)?)
        .await?;
    Ok(ok(before))
}
