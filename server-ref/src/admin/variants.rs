//! Product variants (admin): add, change and remove.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    AdminProduct, ApiResponse, NoData, Permission, ProductVariant, VariantInput, VariantPatch,
    MAX_VARIANTS,
};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::catalog::insert_variant;
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::{db, AppState};

use crate::catalog::edit::*;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The variant routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_variant))
        .routes(routes!(patch_variant, delete_variant))
}

/// Adds a variant to a product.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/products/{productId}/variants", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("productId" = Uuid, Path, description = "Product id")),
    request_body = VariantInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The product with the new variant", body = ApiResponse<AdminProduct>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: SKU taken, or 100 variants already", body = ApiResponse<NoData>),
    ))]
pub async fn add_variant(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id)): PathParams<(String, Uuid)>,
    JsonBody(input): JsonBody<VariantInput>,
) -> Result<(StatusCode, Json<ApiResponse<AdminProduct>>), ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = product_answer(&state, ctx.store.id, product_id).await?;
    if before.product.variants.len() >= MAX_VARIANTS {
        return Err(ApiError::conflict(
            "a product has at most 100 variants",
            "full",
        ));
    }
    let variant = new_variant(
        "variant",
        &input,
        &before.product.slug,
        &before.product.options,
        &ctx.store.currency,
    )?;
    let mut tx = state.db.begin_write().await?;
    let position = db::position(before.product.variants.len())?;
    let variant_id = insert_variant(&mut tx, ctx.store.id, product_id, &variant, position).await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let added = after.product.variants.iter().find(|v| v.id == variant_id);
    ctx.commit(
        tx,
        Entry::new("create", Entity::Variant, variant_id, None::<&()>, added)?,
    )
    .await?;
    Ok((StatusCode::CREATED, ok(after)))
}

fn find_variant(product: &AdminProduct, variant_id: Uuid) -> Result<&ProductVariant, ApiError> {
    product
        .product
        .variants
        .iter()
        .find(|v| v.id == variant_id)
        .ok_or_else(|| ApiError::not_found("variant", &variant_id.to_string()))
}

/// Changes a variant: price, sale price, stock, options, SKU or title.
#[utoipa::path(patch, path = "/api/v1/admin/stores/{store}/products/{productId}/variants/{variantId}", tag = "admin-catalog",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("productId" = Uuid, Path, description = "Product id"),
        ("variantId" = Uuid, Path, description = "Variant id"),
    ),
    request_body = VariantPatch,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The product after the change", body = ApiResponse<AdminProduct>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: SKU taken", body = ApiResponse<NoData>),
    ))]
pub async fn patch_variant(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id, variant_id)): PathParams<(String, Uuid, Uuid)>,
    JsonBody(patch): JsonBody<VariantPatch>,
) -> Result<Json<ApiResponse<AdminProduct>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = product_answer(&state, ctx.store.id, product_id).await?;
    let old = find_variant(&before, variant_id)?.clone();
    let merged = VariantInput {
        sku: Some(patch.sku.clone().unwrap_or_else(|| old.sku.clone())),
        title: Some(patch.title.clone().unwrap_or_else(|| old.title.clone())),
        options: patch.options.clone().unwrap_or_else(|| old.options.clone()),
        price: patch.price.clone().unwrap_or_else(|| old.price.clone()),
        compare_at_price: patch
            .compare_at_price
            .clone()
            .unwrap_or_else(|| old.compare_at_price.clone()),
        inventory: patch.inventory.unwrap_or(old.available),
        weight_grams: patch.weight_grams.unwrap_or(old.weight_grams),
    };
    let variant = new_variant(
        "variant",
        &merged,
        &before.product.slug,
        &before.product.options,
        &ctx.store.currency,
    )?;
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "UPDATE product_variants SET sku = $1, title = $2, options = $3, price_amount = $4, \
           compare_at_amount = $5, inventory = $6, updated_at = $7, weight_grams = $11 \
         WHERE id = $8 AND product_id = $9 AND store_id = $10",
    )
    .bind(&variant.sku)
    .bind(&variant.title)
    .bind(&variant.options)
    .bind(variant.price)
    .bind(variant.compare_at)
    .bind(variant.inventory)
    .bind(db::now())
    .bind(variant_id)
    .bind(product_id)
    .bind(ctx.store.id)
    .bind(variant.weight_grams)
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let new = find_variant(&after, variant_id)?;
    ctx.commit(tx, Entry::updated(Entity::Variant, variant_id, &old, new)?)
        .await?;
    Ok(ok(after))
}

/// Removes a variant; a product keeps at least one.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/products/{productId}/variants/{variantId}", tag = "admin-catalog",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("productId" = Uuid, Path, description = "Product id"),
        ("variantId" = Uuid, Path, description = "Variant id"),
    ),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The product after the change", body = ApiResponse<AdminProduct>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the last variant", body = ApiResponse<NoData>),
    ))]
pub async fn delete_variant(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id, variant_id)): PathParams<(String, Uuid, Uuid)>,
) -> Result<Json<ApiResponse<AdminProduct>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = product_answer(&state, ctx.store.id, product_id).await?;
    let old = find_variant(&before, variant_id)?.clone();
    if before.product.variants.len() == 1 {
        return Err(ApiError::conflict(
            "a product keeps at least one variant; delete the product instead",
            "last_variant",
        ));
    }
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "DELETE FROM product_variants WHERE id = $1 AND product_id = $2 AND store_id = $3",
    )
    .bind(variant_id)
    .bind(product_id)
    .bind(ctx.store.id)
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    ctx.commit(tx, Entry::deleted(Entity::Variant, variant_id, &old)?)
        .await?;
    Ok(ok(after))
}
