//! The store's tax settings (admin): whether prices include tax, rounding, and the rates by
//! destination, replaced as one document.

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{ApiResponse, NoData, Permission, TaxSettings};

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::http::{ok, ApiError, JsonBody};
use crate::pricing::tax;
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The tax routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_tax, put_tax))
}

/// The store's tax settings.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/tax", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The settings", body = ApiResponse<TaxSettings>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn get_tax(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<TaxSettings>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    Ok(ok(tax::load(
        &mut *state.db.pool.acquire().await?,
        ctx.store.id,
    )
    .await?))
}

/// Replaces the store's tax settings and rates. Carts are priced with them from now on;
/// orders keep the tax they were charged.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/tax", tag = "admin-pricing",
    params(("store" = String, Path, description = "Store slug")),
    request_body = TaxSettings,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The settings", body = ApiResponse<TaxSettings>),
        (status = 400, description = "`VALIDATION_ERROR`: an unknown country or region, a rate over 100 %, two rates for one destination", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn put_tax(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<TaxSettings>,
) -> Result<Json<ApiResponse<TaxSettings>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let settings = tax::check(&input)?;
    let mut tx = state.db.begin_write().await?;
    let before = tax::load(&mut tx, ctx.store.id).await?;
    tax::save(&mut tx, ctx.store.id, &settings).await?;
    let after = tax::load(&mut tx, ctx.store.id).await?;
    ctx.commit(
        tx,
        Entry::updated(Entity::TaxSettings, ctx.store.id, &before, &after)?,
    )
    .await?;
    Ok(ok(after))
}
