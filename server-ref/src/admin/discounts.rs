//! Discounts (admin, seed 003): codes and automatic rules.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{ApiResponse, Discount, DiscountInput, NoData, Permission};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::pricing::discounts;
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The discount routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_discounts, create_discount))
        .routes(routes!(get_discount, put_discount, delete_discount))
}

/// The store's discounts, newest first, with how often each was used.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/discounts", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The discounts", body = ApiResponse<Vec<Discount>>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn list_discounts(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<Vec<Discount>>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut conn = state.db.pool.acquire().await?;
    let list = discounts::list(&mut conn, ctx.store.id).await?;
    Ok(ok(list
        .into_iter()
        .map(discounts::StoredDiscount::answer)
        .collect()))
}

/// One discount.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/discounts/{discountId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("discountId" = Uuid, Path, description = "Discount id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The discount", body = ApiResponse<Discount>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_discount(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<Discount>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ok(discounts::find(&mut conn, ctx.store.id, id)
        .await?
        .answer()))
}

/// Creates a discount: a code (with `code`) or an automatic rule (without).
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/discounts", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug")),
    request_body = DiscountInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The discount", body = ApiResponse<Discount>),
        (status = 400, description = "`VALIDATION_ERROR`: a member its kind needs is missing, a bad code, an amount in another currency, a window that ends before it starts", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: another discount has the code", body = ApiResponse<NoData>),
    ))]
pub async fn create_discount(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<DiscountInput>,
) -> Result<(StatusCode, Json<ApiResponse<Discount>>), ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let rule = discounts::check(&input, &ctx.store.currency)?;
    let id = Uuid::new_v4();
    let mut tx = state.db.begin_write().await?;
    let created = discounts::save(&mut tx, ctx.store.id, id, &rule, true)
        .await?
        .answer();
    ctx.commit(tx, Entry::created(Entity::Discount, id, &created)?)
        .await?;
    Ok((StatusCode::CREATED, ok(created)))
}

/// Replaces a discount's rule; its use count stays.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/discounts/{discountId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("discountId" = Uuid, Path, description = "Discount id")),
    request_body = DiscountInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The discount", body = ApiResponse<Discount>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: another discount has the code", body = ApiResponse<NoData>),
    ))]
pub async fn put_discount(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, id)): PathParams<(String, Uuid)>,
    JsonBody(input): JsonBody<DiscountInput>,
) -> Result<Json<ApiResponse<Discount>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let rule = discounts::check(&input, &ctx.store.currency)?;
    let mut tx = state.db.begin_write().await?;
    let before = discounts::find(&mut tx, ctx.store.id, id).await?.answer();
    let after = discounts::save(&mut tx, ctx.store.id, id, &rule, false)
        .await?
        .answer();
    ctx.commit(tx, Entry::updated(Entity::Discount, id, &before, &after)?)
        .await?;
    Ok(ok(after))
}

/// Deletes a discount; orders that used it keep what it took off.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/discounts/{discountId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("discountId" = Uuid, Path, description = "Discount id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The deleted discount, as it was", body = ApiResponse<Discount>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn delete_discount(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<Discount>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut tx = state.db.begin_write().await?;
    let before = discounts::find(&mut tx, ctx.store.id, id).await?.answer();
    crate::db::query("DELETE FROM discounts WHERE id = $1 AND store_id = $2")
        .bind(id)
        .bind(ctx.store.id)
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx, Entry::deleted(Entity::Discount, id, &before)?)
        .await?;
    Ok(ok(before))
}
