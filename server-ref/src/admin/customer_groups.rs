//! Customer groups (admin): buyers by email, whom price lists can give their own prices.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{ApiResponse, CustomerGroup, CustomerGroupInput, NoData, Permission};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::pricing::customer_groups;
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The customer group routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_customer_groups, create_customer_group))
        .routes(routes!(
            get_customer_group,
            put_customer_group,
            delete_customer_group
        ))
}

/// The store's customer groups, by name, with their members.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/customer-groups", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The customer groups", body = ApiResponse<Vec<CustomerGroup>>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn list_customer_groups(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<Vec<CustomerGroup>>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ok(customer_groups::list(&mut conn, ctx.store.id).await?))
}

/// One customer group.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/customer-groups/{groupId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("groupId" = Uuid, Path, description = "Customer group id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The customer group", body = ApiResponse<CustomerGroup>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_customer_group(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<CustomerGroup>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ok(customer_groups::find(&mut conn, ctx.store.id, id).await?))
}

/// Creates a customer group.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/customer-groups", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug")),
    request_body = CustomerGroupInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The customer group", body = ApiResponse<CustomerGroup>),
        (status = 400, description = "`VALIDATION_ERROR`: a bad name, a member that is not an email address, too many members", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: another group has the name", body = ApiResponse<NoData>),
    ))]
pub async fn create_customer_group(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<CustomerGroupInput>,
) -> Result<(StatusCode, Json<ApiResponse<CustomerGroup>>), ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let group = customer_groups::check(&input)?;
    let id = Uuid::new_v4();
    let mut tx = state.db.begin_write().await?;
    let created = customer_groups::save(&mut tx, ctx.store.id, id, &group, true).await?;
    ctx.commit(tx, Entry::created(Entity::CustomerGroup, id, &created)?)
        .await?;
    Ok((StatusCode::CREATED, ok(created)))
}

/// Replaces a customer group's name and members.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/customer-groups/{groupId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("groupId" = Uuid, Path, description = "Customer group id")),
    request_body = CustomerGroupInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The customer group", body = ApiResponse<CustomerGroup>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: another group has the name", body = ApiResponse<NoData>),
    ))]
pub async fn put_customer_group(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, id)): PathParams<(String, Uuid)>,
    JsonBody(input): JsonBody<CustomerGroupInput>,
) -> Result<Json<ApiResponse<CustomerGroup>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let group = customer_groups::check(&input)?;
    let mut tx = state.db.begin_write().await?;
    let before = customer_groups::find(&mut tx, ctx.store.id, id).await?;
    let after = customer_groups::save(&mut tx, ctx.store.id, id, &group, false).await?;
    ctx.commit(
        tx,
        Entry::updated(Entity::CustomerGroup, id, &before, &after)?,
    )
    .await?;
    Ok(ok(after))
}

/// Deletes a customer group and the price lists that were for it.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/customer-groups/{groupId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("groupId" = Uuid, Path, description = "Customer group id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The deleted customer group, as it was", body = ApiResponse<CustomerGroup>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn delete_customer_group(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<CustomerGroup>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut tx = state.db.begin_write().await?;
    let before = customer_groups::find(&mut tx, ctx.store.id, id).await?;
    crate::db::query("DELETE FROM customer_groups WHERE id = $1 AND store_id = $2")
        .bind(id)
        .bind(ctx.store.id)
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx, Entry::deleted(Entity::CustomerGroup, id, &before)?)
        .await?;
    Ok(ok(before))
}
