//! Products (admin): list, read, create, change and delete.
//!
//! Checks that need the database (the category exists, the attributes fit the type's schema)
//! run before the transaction; each transaction then starts with its write, which keeps SQLite
//! writers queueing instead of failing (see `carts`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    AdminProduct, ApiResponse, NoData, Permission, ProductInput, ProductListQuery, ProductPatch,
    MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_VARIANTS,
};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::catalog::{self, insert_variant, Visibility};
use crate::db::{json_text, optional_uuid_column};
use crate::http::{ok, page, ApiError, JsonBody, PathParams};
use crate::slugs::slugify;
use crate::{db, AppState};

use crate::catalog::edit::*;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The product routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_products, create_product))
        .routes(routes!(get_product, patch_product, delete_product))
}

/// The store's products, active or not, with the public list's filters and sorting.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/products", tag = "admin-catalog", operation_id = "admin_list_products",
    params(("store" = String, Path, description = "Store slug"), ProductListQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of products", body = ApiResponse<Vec<AdminProduct>>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`", body = ApiResponse<NoData>),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    ctx: AdminContext,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Json<ApiResponse<Vec<AdminProduct>>>, ApiError> {
    ctx.require(Permission::ProductsRead)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::invalid_field("query", e))?;
    let query = ProductListQuery::from_query_pairs(&pairs).map_err(ApiError::invalid_parameter)?;
    let mut conn = state.db.pool.acquire().await?;
    let (products, total) = catalog::list_products(
        &mut conn,
        state.db.backend,
        &state.urls,
        ctx.store.id,
        &query,
        Visibility::Staff,
        catalog::Listing::default(),
    )
    .await?;
    Ok(page(
        products,
        total,
        query.effective_limit(),
        query.offset.unwrap_or(0),
    ))
}

/// One product, active or not.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/products/{productId}", tag = "admin-catalog", operation_id = "admin_get_product",
    params(("store" = String, Path, description = "Store slug"), ("productId" = Uuid, Path, description = "Product id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The product", body = ApiResponse<AdminProduct>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_product(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<AdminProduct>>, ApiError> {
    ctx.require(Permission::ProductsRead)?;
    Ok(ok(product_answer(&state, ctx.store.id, product_id).await?))
}

/// Creates a product with its variants.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/products", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug")),
    request_body = ProductInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The product", body = ApiResponse<AdminProduct>),
        (status = 400, description = "`VALIDATION_ERROR` naming the field (`attributes/…` when the product type's schema refuses them)", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `products.write`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: slug or SKU taken", body = ApiResponse<NoData>),
    ))]
pub async fn create_product(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<ProductInput>,
) -> Result<(StatusCode, Json<ApiResponse<AdminProduct>>), ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    check_text("name", &input.name, MAX_NAME_LENGTH, true)?;
    check_text(
        "description",
        &input.description,
        MAX_DESCRIPTION_LENGTH,
        false,
    )?;
    check_option_names(&input.options)?;
    let slug = input.slug.clone().unwrap_or_else(|| slugify(&input.name));
    check_slug("slug", &slug)?;
    if input.variants.is_empty() || input.variants.len() > MAX_VARIANTS {
        return Err(ApiError::invalid_field(
            "variants",
            "must hold 1 to 100 variants",
        ));
    }
    let variants = input
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            new_variant(
                &format!("variants[{i}]"),
                v,
                &slug,
                &input.options,
                &ctx.store.currency,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(category_id) = input.category_id {
        check_category(&state, ctx.store.id, category_id).await?;
    }
    match input.product_type_id {
        Some(type_id) => check_attributes(
            &type_schema(&state, ctx.store.id, type_id).await?,
            &input.attributes,
        )?,
        None if !input.attributes.is_empty() => {
            return Err(ApiError::invalid_field(
                "attributes",
                "need a productTypeId whose schema defines them",
            ))
        }
        None => {}
    }

    let product_id = Uuid::new_v4();
    let now = db::now();
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "INSERT INTO products (id, store_id, category_id, slug, name, description, price_amount, \
           compare_at_amount, currency, featured, is_active, created_at, updated_at, option_names, \
           product_type_id, attributes, tax_exempt) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7, $8, $9, $10, $10, $11, $12, $13, $14)",
    )
    .bind(product_id)
    .bind(ctx.store.id)
    .bind(input.category_id)
    .bind(&slug)
    .bind(input.name.trim())
    .bind(&input.description)
    .bind(&ctx.store.currency)
    .bind(input.featured)
    .bind(input.active)
    .bind(now)
    .bind(json_text(&input.options)?)
    .bind(input.product_type_id)
    .bind(json_text(&input.attributes)?)
    .bind(input.tax_exempt)
    .execute(&mut *tx)
    .await?;
    for (position, variant) in variants.iter().enumerate() {
        insert_variant(
            &mut tx,
            ctx.store.id,
            product_id,
            variant,
            db::position(position)?,
        )
        .await?;
    }
    let product = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    ctx.commit(tx, Entry::created(Entity::Product, product_id, &product)?)
        .await?;
    Ok((StatusCode::CREATED, ok(product)))
}

/// Changes a product's fields (variants have their own routes).
#[utoipa::path(patch, path = "/api/v1/admin/stores/{store}/products/{productId}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("productId" = Uuid, Path, description = "Product id")),
    request_body = ProductPatch,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The product", body = ApiResponse<AdminProduct>),
        (status = 400, description = "`VALIDATION_ERROR` naming the field", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: slug taken", body = ApiResponse<NoData>),
    ))]
pub async fn patch_product(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id)): PathParams<(String, Uuid)>,
    JsonBody(patch): JsonBody<ProductPatch>,
) -> Result<Json<ApiResponse<AdminProduct>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = product_answer(&state, ctx.store.id, product_id).await?;
    let row = crate::db::query(
        "SELECT category_id, product_type_id FROM products WHERE id = $1 AND store_id = $2",
    )
    .bind(product_id)
    .bind(ctx.store.id)
    .fetch_one(&state.db.pool)
    .await?;
    let current_category = optional_uuid_column(&row, "category_id")?;
    let current_type = optional_uuid_column(&row, "product_type_id")?;

    let name = patch
        .name
        .clone()
        .unwrap_or_else(|| before.product.name.clone());
    check_text("name", &name, MAX_NAME_LENGTH, true)?;
    let slug = patch
        .slug
        .clone()
        .unwrap_or_else(|| before.product.slug.clone());
    check_slug("slug", &slug)?;
    let description = patch
        .description
        .clone()
        .unwrap_or_else(|| before.product.description.clone());
    check_text("description", &description, MAX_DESCRIPTION_LENGTH, false)?;
    let options = patch
        .options
        .clone()
        .unwrap_or_else(|| before.product.options.clone());
    check_option_names(&options)?;
    if patch.options.is_some() {
        for (index, variant) in before.product.variants.iter().enumerate() {
            check_variant_options(
                &format!("options (variant {index})"),
                &variant.options,
                &options,
            )?;
        }
    }
    let category = patch.category_id.unwrap_or(current_category);
    if let (Some(category_id), Some(_)) = (category, patch.category_id) {
        check_category(&state, ctx.store.id, category_id).await?;
    }
    let product_type = patch.product_type_id.unwrap_or(current_type);
    let attributes = patch
        .attributes
        .clone()
        .map_or_else(|| before.product.attributes.parse(), Ok)
        .map_err(|e| ApiError::invalid_field("attributes", e))?;
    match product_type {
        Some(type_id) => check_attributes(
            &type_schema(&state, ctx.store.id, type_id).await?,
            &attributes,
        )?,
        None if !attributes.is_empty() => {
            return Err(ApiError::invalid_field(
                "attributes",
                "need a productTypeId whose schema defines them",
            ))
        }
        None => {}
    }

    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "UPDATE products SET name = $1, slug = $2, description = $3, category_id = $4, \
           product_type_id = $5, attributes = $6, featured = $7, is_active = $8, \
           option_names = $9, updated_at = $10, tax_exempt = $13 \
         WHERE id = $11 AND store_id = $12",
    )
    .bind(name.trim())
    .bind(&slug)
    .bind(&description)
    .bind(category)
    .bind(product_type)
    .bind(json_text(&attributes)?)
    .bind(patch.featured.unwrap_or(before.product.featured))
    .bind(patch.active.unwrap_or(before.active))
    .bind(json_text(&options)?)
    .bind(db::now())
    .bind(product_id)
    .bind(ctx.store.id)
    .bind(patch.tax_exempt.unwrap_or(before.tax_exempt))
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    ctx.commit(
        tx,
        Entry::updated(Entity::Product, product_id, &before, &after)?,
    )
    .await?;
    Ok(ok(after))
}

/// Deletes a product. Its past orders keep their lines, and paid downloads keep working.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/products/{productId}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("productId" = Uuid, Path, description = "Product id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The deleted product", body = ApiResponse<AdminProduct>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn delete_product(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<AdminProduct>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = product_answer(&state, ctx.store.id, product_id).await?;
    let image_keys: Vec<String> = crate::db::query(
        "SELECT storage_key FROM product_images WHERE store_id = $1 AND product_id = $2 \
           AND storage_key IS NOT NULL",
    )
    .bind(ctx.store.id)
    .bind(product_id)
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|row| row.try_get("storage_key"))
    .collect::<Result<_, _>>()?;
    let mut tx = state.db.begin_write().await?;
    crate::db::query("DELETE FROM products WHERE id = $1 AND store_id = $2")
        .bind(product_id)
        .bind(ctx.store.id)
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx, Entry::deleted(Entity::Product, product_id, &before)?)
        .await?;
    for key in image_keys {
        if let Err(error) = state.media.delete(&key).await {
            tracing::warn!(%error, %key, "cannot delete the image of a deleted product");
        }
    }
    Ok(ok(before))
}
