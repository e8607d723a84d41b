//! Shipping zones and their rates (admin). A zone is written whole: its destinations and all
//! its rates (a rate keeps its id when the input names it, so carts that chose it keep it).

use crate::db::Conn;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{ApiResponse, NoData, Permission, ShippingZone, ShippingZoneInput};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::pricing::shipping;
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The shipping zone routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_shipping_zones, create_shipping_zone))
        .routes(routes!(put_shipping_zone, delete_shipping_zone))
}

async fn zone(
    conn: &mut Conn,
    ctx: &AdminContext,
    zone_id: Uuid,
) -> Result<ShippingZone, ApiError> {
    shipping::zones(conn, ctx.store.id, &ctx.store.currency)
        .await?
        .into_iter()
        .find(|zone| zone.id == zone_id)
        .ok_or_else(|| ApiError::not_found("shipping zone", &zone_id.to_string()))
}

/// The store's shipping zones with their rates.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/shipping-zones", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The zones, oldest first", body = ApiResponse<Vec<ShippingZone>>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn list_shipping_zones(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<Vec<ShippingZone>>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ok(shipping::zones(
        &mut conn,
        ctx.store.id,
        &ctx.store.currency,
    )
    .await?))
}

/// Creates a shipping zone with its rates.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/shipping-zones", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug")),
    request_body = ShippingZoneInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The zone", body = ApiResponse<ShippingZone>),
        (status = 400, description = "`VALIDATION_ERROR`: an unknown destination, no rates, a price in another currency, a weight band on a flat rate", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn create_shipping_zone(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<ShippingZoneInput>,
) -> Result<(StatusCode, Json<ApiResponse<ShippingZone>>), ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let input = shipping::check(&input, &ctx.store.currency)?;
    let zone_id = Uuid::new_v4();
    let mut tx = state.db.begin_write().await?;
    shipping::save(&mut tx, ctx.store.id, zone_id, &input, true).await?;
    let created = zone(&mut tx, &ctx, zone_id).await?;
    ctx.commit(tx, Entry::created(Entity::ShippingZone, zone_id, &created)?)
        .await?;
    Ok((StatusCode::CREATED, ok(created)))
}

/// Replaces a shipping zone: its name, destinations and rates.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/shipping-zones/{zoneId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("zoneId" = Uuid, Path, description = "Zone id")),
    request_body = ShippingZoneInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The zone", body = ApiResponse<ShippingZone>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn put_shipping_zone(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, zone_id)): PathParams<(String, Uuid)>,
    JsonBody(input): JsonBody<ShippingZoneInput>,
) -> Result<Json<ApiResponse<ShippingZone>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let input = shipping::check(&input, &ctx.store.currency)?;
    let mut tx = state.db.begin_write().await?;
    let before = zone(&mut tx, &ctx, zone_id).await?;
    shipping::save(&mut tx, ctx.store.id, zone_id, &input, false).await?;
    let after = zone(&mut tx, &ctx, zone_id).await?;
    ctx.commit(
        tx,
        Entry::updated(Entity::ShippingZone, zone_id, &before, &after)?,
    )
    .await?;
    Ok(ok(after))
}

/// Deletes a shipping zone and its rates; carts that chose one of them choose again.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/shipping-zones/{zoneId}", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug"), ("zoneId" = Uuid, Path, description = "Zone id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The deleted zone, as it was", body = ApiResponse<ShippingZone>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn delete_shipping_zone(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, zone_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<ShippingZone>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut tx = state.db.begin_write().await?;
    let before = zone(&mut tx, &ctx, zone_id).await?;
    crate::db::query("DELETE FROM shipping_zones WHERE id = $1 AND store_id = $2")
        .bind(zone_id)
        .bind(ctx.store.id)
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx, Entry::deleted(Entity::ShippingZone, zone_id, &before)?)
        .await?;
    Ok(ok(before))
}
