//! Catalog administration: products and their variants, categories, product types with JSON
//! schemas (seed 003), image uploads and the files of digital products.
//!
//! Checks that need the database (the category exists, the attributes fit the type's schema)
//! run before the transaction; each transaction then starts with its write, which keeps SQLite
//! writers queueing instead of failing (see `carts`).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use colmena_sdk::contract::{
    AdminProduct, ApiResponse, Category, CategoryInput, CategoryPatch, ErrorCode, Money, NoData,
    OptionValues, Permission, ProductInput, ProductListQuery, ProductPatch, ProductType,
    ProductTypeInput, ProductTypePatch, ProductVariant, VariantInput, VariantPatch,
    WebhookEventData, WebhookEventType, DIGITAL_FILE_TYPES, IMAGE_TYPES, MAX_DESCRIPTION_LENGTH,
    MAX_NAME_LENGTH, MAX_PRICE_AMOUNT, MAX_VARIANTS,
};
use serde::Deserialize;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use super::AdminContext;
use crate::audit::{Entity, Entry};
use crate::catalog::{self, insert_variant, NewVariant, Visibility};
use crate::db::{count_column, json_column, optional_uuid_column, uuid_column};
use crate::http::{ok, page, ApiError, JsonBody, PathParams, QueryParams};
use crate::slugs::{slugify, valid_slug};
use crate::{db, webhooks, AppState};

/// Attributes as the admin API reads and checks them (the contract's `Attributes` keeps them as
/// JSON text).
type AttributeMap = BTreeMap<String, serde_json::Value>;

/// The store's product with this id, whether shoppers see it or not.
async fn load_product(
    conn: &mut AnyConnection,
    state: &AppState,
    store_id: Uuid,
    product_id: Uuid,
) -> Result<AdminProduct, ApiError> {
    catalog::product_by_id_or_slug(
        conn,
        &state.urls,
        store_id,
        &product_id.to_string(),
        Visibility::Staff,
    )
    .await?
    .ok_or_else(|| ApiError::not_found("product", &product_id.to_string()))
}

async fn product_answer(
    state: &AppState,
    store_id: Uuid,
    product_id: Uuid,
) -> Result<AdminProduct, ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    load_product(&mut conn, state, store_id, product_id).await
}

fn check_text(field: &str, text: &str, max: usize, required: bool) -> Result<(), ApiError> {
    let length = text.trim().chars().count();
    if required && length == 0 {
        return Err(ApiError::invalid_field(field, "must not be empty"));
    }
    if text.chars().count() > max {
        return Err(ApiError::invalid_field(
            field,
            format_args!("must be at most {max} characters"),
        ));
    }
    Ok(())
}

fn check_slug(field: &str, slug: &str) -> Result<(), ApiError> {
    if valid_slug(slug) {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            field,
            "must be lower-case letters, digits and single hyphens, at most 100",
        ))
    }
}

/// A price in the store's currency, within bounds.
fn check_price(field: &str, price: &Money, currency: &str) -> Result<(), ApiError> {
    if iso_currency::Currency::from_code(&price.currency).is_none() {
        return Err(ApiError::invalid_field(
            &format!("{field}.currency"),
            "is not an ISO 4217 currency code",
        ));
    }
    if price.currency != currency {
        return Err(ApiError::invalid_field(
            &format!("{field}.currency"),
            format_args!("must be the store's currency, {currency}"),
        ));
    }
    if !(0..=MAX_PRICE_AMOUNT).contains(&price.amount) {
        return Err(ApiError::invalid_field(
            &format!("{field}.amount"),
            "must be 0 to 10^13 minor units",
        ));
    }
    Ok(())
}

fn check_option_names(options: &[String]) -> Result<(), ApiError> {
    if options.len() > 3 {
        return Err(ApiError::invalid_field(
            "options",
            "can name at most 3 options",
        ));
    }
    for (index, name) in options.iter().enumerate() {
        check_text("options", name, 50, true)?;
        if options[..index].contains(name) {
            return Err(ApiError::invalid_field("options", "must not repeat a name"));
        }
    }
    Ok(())
}

/// A variant's option values must name exactly the product's options.
fn check_variant_options(
    field: &str,
    values: &OptionValues,
    option_names: &[String],
) -> Result<(), ApiError> {
    let names_match = values.len() == option_names.len()
        && option_names.iter().all(|name| values.get(name).is_some());
    if !names_match {
        return Err(ApiError::invalid_field(
            field,
            format_args!(
                "must give a value for each of the options {option_names:?}, and no other"
            ),
        ));
    }
    for (_, value) in values.iter() {
        check_text(field, value, 50, true)?;
    }
    Ok(())
}

fn new_variant(
    field: &str,
    input: &VariantInput,
    product_slug: &str,
    option_names: &[String],
    currency: &str,
) -> Result<NewVariant, ApiError> {
    check_variant_options(&format!("{field}.options"), &input.options, option_names)?;
    check_price(&format!("{field}.price"), &input.price, currency)?;
    if let Some(compare_at) = &input.compare_at_price {
        check_price(&format!("{field}.compareAtPrice"), compare_at, currency)?;
    }
    // Titles and SKUs follow the product's option order.
    let values: Vec<&str> = option_names
        .iter()
        .filter_map(|name| input.options.get(name))
        .collect();
    let title = match &input.title {
        Some(title) => title.trim().to_owned(),
        None if values.is_empty() => "Default".to_owned(),
        None => values.join(" / "),
    };
    check_text(&format!("{field}.title"), &title, 100, true)?;
    let sku = match &input.sku {
        Some(sku) => sku.trim().to_owned(),
        None if values.is_empty() => product_slug.to_owned(),
        None => format!("{product_slug}-{}", slugify(&values.join(" "))),
    };
    check_text(&format!("{field}.sku"), &sku, 100, true)?;
    Ok(NewVariant {
        sku,
        title,
        options: serde_json::to_string(&input.options).unwrap_or_else(|_| "{}".to_owned()),
        price: input.price.amount,
        compare_at: input.compare_at_price.as_ref().map(|m| m.amount),
        inventory: input.inventory.map(i64::from),
    })
}

/// Keeps the product's listed price the lowest of its variants' (with that variant's former
/// price), and marks the product changed.
async fn refresh_product(
    conn: &mut AnyConnection,
    store_id: Uuid,
    product_id: Uuid,
) -> Result<(), ApiError> {
    sqlx::query(
        "UPDATE products SET updated_at = $3, \
           price_amount = COALESCE((SELECT MIN(v.price_amount) FROM product_variants v \
             WHERE v.store_id = $1 AND v.product_id = $2), price_amount), \
           compare_at_amount = (SELECT v.compare_at_amount FROM product_variants v \
             WHERE v.store_id = $1 AND v.product_id = $2 \
             ORDER BY v.price_amount, v.position LIMIT 1) \
         WHERE store_id = $1 AND id = $2",
    )
    .bind(store_id.to_string())
    .bind(product_id.to_string())
    .bind(db::now_text())
    .execute(conn)
    .await?;
    Ok(())
}

/// After a change to a product (or its variants, images or file): refreshes its listed price,
/// reloads it and tells partners (`product.updated`), in the caller's transaction.
async fn product_changed(
    conn: &mut AnyConnection,
    state: &AppState,
    store_id: Uuid,
    product_id: Uuid,
) -> Result<AdminProduct, ApiError> {
    refresh_product(conn, store_id, product_id).await?;
    let product = load_product(conn, state, store_id, product_id).await?;
    let data = WebhookEventData {
        product: Some(product.product.clone()),
        ..WebhookEventData::default()
    };
    webhooks::emit(conn, store_id, WebhookEventType::ProductUpdated, data).await?;
    Ok(product)
}

/// The JSON schema of the store's product type `type_id`.
async fn type_schema(
    state: &AppState,
    store_id: Uuid,
    type_id: Uuid,
) -> Result<serde_json::Value, ApiError> {
    let row = sqlx::query("SELECT schema FROM product_types WHERE id = $1 AND store_id = $2")
        .bind(type_id.to_string())
        .bind(store_id.to_string())
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| {
            ApiError::invalid_field("productTypeId", "names no product type of this store")
        })?;
    Ok(json_column(&row, "schema")?)
}

/// Checks `attributes` against `schema`, naming the first failing field.
fn check_attributes(schema: &serde_json::Value, attributes: &AttributeMap) -> Result<(), ApiError> {
    let validator = jsonschema::validator_for(schema).map_err(|error| {
        ApiError::invalid_field(
            "productTypeId",
            format_args!("has an unusable schema: {error}"),
        )
    })?;
    let instance = serde_json::to_value(attributes).unwrap_or_default();
    let first_error = validator
        .iter_errors(&instance)
        .next()
        .map(|error| (error.instance_path().to_string(), error.to_string()));
    match first_error {
        None => Ok(()),
        Some((path, message)) => Err(ApiError::invalid_field(
            &format!("attributes{path}"),
            format_args!("does not fit the product type: {message}"),
        )),
    }
}

/// Checks that a category of the store exists.
async fn check_category(
    state: &AppState,
    store_id: Uuid,
    category_id: Uuid,
) -> Result<(), ApiError> {
    sqlx::query("SELECT 1 AS found FROM categories WHERE id = $1 AND store_id = $2")
        .bind(category_id.to_string())
        .bind(store_id.to_string())
        .fetch_optional(&state.db.pool)
        .await?
        .map(|_| ())
        .ok_or_else(|| ApiError::invalid_field("categoryId", "names no category of this store"))
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
    let now = db::now_text();
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO products (id, store_id, category_id, slug, name, description, price_amount, \
           compare_at_amount, currency, featured, is_active, created_at, updated_at, option_names, \
           product_type_id, attributes) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7, $8, $9, $10, $10, $11, $12, $13)",
    )
    .bind(product_id.to_string())
    .bind(ctx.store.id.to_string())
    .bind(input.category_id.map(|id| id.to_string()))
    .bind(&slug)
    .bind(input.name.trim())
    .bind(&input.description)
    .bind(&ctx.store.currency)
    .bind(i64::from(input.featured))
    .bind(i64::from(input.active))
    .bind(&now)
    .bind(serde_json::to_string(&input.options).unwrap_or_else(|_| "[]".to_owned()))
    .bind(input.product_type_id.map(|id| id.to_string()))
    .bind(serde_json::to_string(&input.attributes).unwrap_or_else(|_| "{}".to_owned()))
    .execute(&mut *tx)
    .await?;
    for (position, variant) in variants.iter().enumerate() {
        insert_variant(
            &mut tx,
            ctx.store.id,
            product_id,
            variant,
            i64::try_from(position).unwrap_or(0),
        )
        .await?;
    }
    let product = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "create",
            Entity::Product,
            product_id,
            None::<&()>,
            Some(&product),
        )?,
    )
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
    let row = sqlx::query(
        "SELECT category_id, product_type_id FROM products WHERE id = $1 AND store_id = $2",
    )
    .bind(product_id.to_string())
    .bind(ctx.store.id.to_string())
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

    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "UPDATE products SET name = $1, slug = $2, description = $3, category_id = $4, \
           product_type_id = $5, attributes = $6, featured = $7, is_active = $8, \
           option_names = $9, updated_at = $10 \
         WHERE id = $11 AND store_id = $12",
    )
    .bind(name.trim())
    .bind(&slug)
    .bind(&description)
    .bind(category.map(|id| id.to_string()))
    .bind(product_type.map(|id| id.to_string()))
    .bind(serde_json::to_string(&attributes).unwrap_or_else(|_| "{}".to_owned()))
    .bind(i64::from(patch.featured.unwrap_or(before.product.featured)))
    .bind(i64::from(patch.active.unwrap_or(before.active)))
    .bind(serde_json::to_string(&options).unwrap_or_else(|_| "[]".to_owned()))
    .bind(db::now_text())
    .bind(product_id.to_string())
    .bind(ctx.store.id.to_string())
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "update",
            Entity::Product,
            product_id,
            Some(&before),
            Some(&after),
        )?,
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
    let image_keys: Vec<String> = sqlx::query(
        "SELECT storage_key FROM product_images WHERE store_id = $1 AND product_id = $2 \
           AND storage_key IS NOT NULL",
    )
    .bind(ctx.store.id.to_string())
    .bind(product_id.to_string())
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|row| row.try_get("storage_key"))
    .collect::<Result<_, _>>()?;
    let mut tx = state.db.pool.begin().await?;
    sqlx::query("DELETE FROM products WHERE id = $1 AND store_id = $2")
        .bind(product_id.to_string())
        .bind(ctx.store.id.to_string())
        .execute(&mut *tx)
        .await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "delete",
            Entity::Product,
            product_id,
            Some(&before),
            None::<&()>,
        )?,
    )
    .await?;
    for key in image_keys {
        if let Err(error) = state.media.delete(&key).await {
            tracing::warn!(%error, %key, "cannot delete the image of a deleted product");
        }
    }
    Ok(ok(before))
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
    let mut tx = state.db.pool.begin().await?;
    let position = i64::try_from(before.product.variants.len()).unwrap_or(0);
    let variant_id = insert_variant(&mut tx, ctx.store.id, product_id, &variant, position).await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let added = after.product.variants.iter().find(|v| v.id == variant_id);
    ctx.commit(
        &state,
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
    };
    let variant = new_variant(
        "variant",
        &merged,
        &before.product.slug,
        &before.product.options,
        &ctx.store.currency,
    )?;
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "UPDATE product_variants SET sku = $1, title = $2, options = $3, price_amount = $4, \
           compare_at_amount = $5, inventory = $6, updated_at = $7 \
         WHERE id = $8 AND product_id = $9 AND store_id = $10",
    )
    .bind(&variant.sku)
    .bind(&variant.title)
    .bind(&variant.options)
    .bind(variant.price)
    .bind(variant.compare_at)
    .bind(variant.inventory)
    .bind(db::now_text())
    .bind(variant_id.to_string())
    .bind(product_id.to_string())
    .bind(ctx.store.id.to_string())
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let new = find_variant(&after, variant_id)?;
    ctx.commit(
        &state,
        tx,
        Entry::new("update", Entity::Variant, variant_id, Some(&old), Some(new))?,
    )
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
    let mut tx = state.db.pool.begin().await?;
    sqlx::query("DELETE FROM product_variants WHERE id = $1 AND product_id = $2 AND store_id = $3")
        .bind(variant_id.to_string())
        .bind(product_id.to_string())
        .bind(ctx.store.id.to_string())
        .execute(&mut *tx)
        .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "delete",
            Entity::Variant,
            variant_id,
            Some(&old),
            None::<&()>,
        )?,
    )
    .await?;
    Ok(ok(after))
}

async fn load_category(
    conn: &mut AnyConnection,
    store_id: Uuid,
    category_id: Uuid,
) -> Result<Category, ApiError> {
    let row = sqlx::query(
        "SELECT c.id, c.slug, c.name, c.parent_id, \
           (SELECT COUNT(*) FROM products p WHERE p.store_id = c.store_id \
             AND p.category_id = c.id AND p.is_active = 1) AS product_count \
         FROM categories c WHERE c.id = $1 AND c.store_id = $2",
    )
    .bind(category_id.to_string())
    .bind(store_id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ApiError::not_found("category", &category_id.to_string()))?;
    Ok(Category {
        id: uuid_column(&row, "id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        parent_id: optional_uuid_column(&row, "parent_id")?,
        product_count: u64::from(count_column(&row, "product_count")?),
    })
}

/// The store's categories with their active product counts.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/categories", tag = "admin-catalog", operation_id = "admin_list_categories",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses((status = 200, description = "Categories", body = ApiResponse<Vec<Category>>)))]
pub async fn list_categories(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<Vec<Category>>>, ApiError> {
    ctx.require(Permission::ProductsRead)?;
    Ok(ok(catalog::categories(&state.db, ctx.store.id).await?))
}

/// Refuses a parent that does not exist, or that would make `category_id` its own ancestor.
async fn check_parent(
    state: &AppState,
    store_id: Uuid,
    category_id: Option<Uuid>,
    parent_id: Uuid,
) -> Result<(), ApiError> {
    let mut cursor = Some(parent_id);
    // Depth is bounded so that a cycle already in the data cannot loop forever.
    for _ in 0..64 {
        let Some(current) = cursor else { return Ok(()) };
        if Some(current) == category_id {
            return Err(ApiError::invalid_field(
                "parentId",
                "would put the category inside itself",
            ));
        }
        let row = sqlx::query("SELECT parent_id FROM categories WHERE id = $1 AND store_id = $2")
            .bind(current.to_string())
            .bind(store_id.to_string())
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or_else(|| {
                ApiError::invalid_field("parentId", "names no category of this store")
            })?;
        cursor = optional_uuid_column(&row, "parent_id")?;
    }
    Err(ApiError::invalid_field(
        "parentId",
        "nests categories too deeply",
    ))
}

/// Creates a category.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/categories", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug")),
    request_body = CategoryInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The category", body = ApiResponse<Category>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: slug taken", body = ApiResponse<NoData>),
    ))]
pub async fn create_category(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<CategoryInput>,
) -> Result<(StatusCode, Json<ApiResponse<Category>>), ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    check_text("name", &input.name, 100, true)?;
    let slug = input.slug.clone().unwrap_or_else(|| slugify(&input.name));
    check_slug("slug", &slug)?;
    if let Some(parent) = input.parent_id {
        check_parent(&state, ctx.store.id, None, parent).await?;
    }
    let id = Uuid::new_v4();
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO categories (id, store_id, parent_id, slug, name, position, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(ctx.store.id.to_string())
    .bind(input.parent_id.map(|p| p.to_string()))
    .bind(&slug)
    .bind(input.name.trim())
    .bind(i64::from(input.position))
    .bind(db::now_text())
    .execute(&mut *tx)
    .await?;
    let category = load_category(&mut tx, ctx.store.id, id).await?;
    ctx.commit(
        &state,
        tx,
        Entry::new("create", Entity::Category, id, None::<&()>, Some(&category))?,
    )
    .await?;
    Ok((StatusCode::CREATED, ok(category)))
}

/// Renames, moves or reorders a category.
#[utoipa::path(patch, path = "/api/v1/admin/stores/{store}/categories/{categoryId}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("categoryId" = Uuid, Path, description = "Category id")),
    request_body = CategoryPatch,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The category", body = ApiResponse<Category>),
        (status = 400, description = "`VALIDATION_ERROR`, e.g. a parent inside the category", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: slug taken", body = ApiResponse<NoData>),
    ))]
pub async fn patch_category(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, category_id)): PathParams<(String, Uuid)>,
    JsonBody(patch): JsonBody<CategoryPatch>,
) -> Result<Json<ApiResponse<Category>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = load_category(
        &mut *state.db.pool.acquire().await?,
        ctx.store.id,
        category_id,
    )
    .await?;
    let position: Option<i64> = sqlx::query("SELECT position FROM categories WHERE id = $1")
        .bind(category_id.to_string())
        .fetch_one(&state.db.pool)
        .await?
        .try_get("position")?;
    let name = patch.name.clone().unwrap_or_else(|| before.name.clone());
    check_text("name", &name, 100, true)?;
    let slug = patch.slug.clone().unwrap_or_else(|| before.slug.clone());
    check_slug("slug", &slug)?;
    let parent = patch.parent_id.unwrap_or(before.parent_id);
    if let (Some(parent), Some(_)) = (parent, patch.parent_id) {
        check_parent(&state, ctx.store.id, Some(category_id), parent).await?;
    }
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "UPDATE categories SET name = $1, slug = $2, parent_id = $3, position = $4 \
         WHERE id = $5 AND store_id = $6",
    )
    .bind(name.trim())
    .bind(&slug)
    .bind(parent.map(|p| p.to_string()))
    .bind(patch.position.map(i64::from).or(position).unwrap_or(0))
    .bind(category_id.to_string())
    .bind(ctx.store.id.to_string())
    .execute(&mut *tx)
    .await?;
    let after = load_category(&mut tx, ctx.store.id, category_id).await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "update",
            Entity::Category,
            category_id,
            Some(&before),
            Some(&after),
        )?,
    )
    .await?;
    Ok(ok(after))
}

/// Deletes a category; its products and sub-categories stay, without it.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/categories/{categoryId}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("categoryId" = Uuid, Path, description = "Category id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The deleted category", body = ApiResponse<Category>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn delete_category(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, category_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<Category>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = load_category(
        &mut *state.db.pool.acquire().await?,
        ctx.store.id,
        category_id,
    )
    .await?;
    let mut tx = state.db.pool.begin().await?;
    // Explicit rather than ON DELETE SET NULL alone: SQLite enforces foreign keys only when
    // asked to, and this must hold on both engines.
    sqlx::query("UPDATE products SET category_id = NULL WHERE store_id = $1 AND category_id = $2")
        .bind(ctx.store.id.to_string())
        .bind(category_id.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE categories SET parent_id = NULL WHERE store_id = $1 AND parent_id = $2")
        .bind(ctx.store.id.to_string())
        .bind(category_id.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM categories WHERE id = $1 AND store_id = $2")
        .bind(category_id.to_string())
        .bind(ctx.store.id.to_string())
        .execute(&mut *tx)
        .await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "delete",
            Entity::Category,
            category_id,
            Some(&before),
            None::<&()>,
        )?,
    )
    .await?;
    Ok(ok(before))
}

fn product_type_from_row(row: &sqlx::any::AnyRow) -> Result<ProductType, sqlx::Error> {
    Ok(ProductType {
        id: uuid_column(row, "id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        schema: json_column(row, "schema")?,
        product_count: u64::from(count_column(row, "product_count")?),
    })
}

const TYPE_SELECT: &str = "SELECT t.id, t.slug, t.name, t.schema, \
    (SELECT COUNT(*) FROM products p WHERE p.store_id = t.store_id AND p.product_type_id = t.id) \
      AS product_count FROM product_types t";

async fn load_type(
    conn: &mut AnyConnection,
    store_id: Uuid,
    type_id: Uuid,
) -> Result<ProductType, ApiError> {
    let row = sqlx::query(&format!(
        "{TYPE_SELECT} WHERE t.id = $1 AND t.store_id = $2"
    ))
    .bind(type_id.to_string())
    .bind(store_id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ApiError::not_found("product type", &type_id.to_string()))?;
    Ok(product_type_from_row(&row)?)
}

/// A schema the server can apply: valid JSON Schema, describing an object.
fn check_schema(schema: &serde_json::Value) -> Result<(), ApiError> {
    if schema.get("type").and_then(|t| t.as_str()) != Some("object") {
        return Err(ApiError::invalid_field(
            "schema",
            "must be a JSON Schema with \"type\": \"object\"",
        ));
    }
    jsonschema::validator_for(schema)
        .map(|_| ())
        .map_err(|error| {
            ApiError::invalid_field(
                "schema",
                format_args!("is not a valid JSON Schema: {error}"),
            )
        })
}

/// The store's product types.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/product-types", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses((status = 200, description = "Product types", body = ApiResponse<Vec<ProductType>>)))]
pub async fn list_product_types(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<Vec<ProductType>>>, ApiError> {
    ctx.require(Permission::ProductsRead)?;
    let rows = sqlx::query(&format!(
        "{TYPE_SELECT} WHERE t.store_id = $1 ORDER BY t.name, t.id"
    ))
    .bind(ctx.store.id.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    Ok(ok(rows
        .iter()
        .map(product_type_from_row)
        .collect::<Result<_, _>>()?))
}

/// One product type.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/product-types/{typeId}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("typeId" = Uuid, Path, description = "Type id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The type", body = ApiResponse<ProductType>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_product_type(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, type_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<ProductType>>, ApiError> {
    ctx.require(Permission::ProductsRead)?;
    Ok(ok(load_type(
        &mut *state.db.pool.acquire().await?,
        ctx.store.id,
        type_id,
    )
    .await?))
}

/// Defines a product type and the JSON schema of its products' attributes.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/product-types", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug")),
    request_body = ProductTypeInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The type", body = ApiResponse<ProductType>),
        (status = 400, description = "`VALIDATION_ERROR`: not a usable schema", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: slug taken", body = ApiResponse<NoData>),
    ))]
pub async fn create_product_type(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<ProductTypeInput>,
) -> Result<(StatusCode, Json<ApiResponse<ProductType>>), ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    check_text("name", &input.name, 100, true)?;
    let slug = input.slug.clone().unwrap_or_else(|| slugify(&input.name));
    check_slug("slug", &slug)?;
    check_schema(&input.schema)?;
    let id = Uuid::new_v4();
    let now = db::now_text();
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO product_types (id, store_id, slug, name, schema, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id.to_string())
    .bind(ctx.store.id.to_string())
    .bind(&slug)
    .bind(input.name.trim())
    .bind(input.schema.to_string())
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let created = load_type(&mut tx, ctx.store.id, id).await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "create",
            Entity::ProductType,
            id,
            None::<&()>,
            Some(&created),
        )?,
    )
    .await?;
    Ok((StatusCode::CREATED, ok(created)))
}

/// Renames a product type or replaces its schema; a schema that an existing product's
/// attributes would break is refused.
#[utoipa::path(patch, path = "/api/v1/admin/stores/{store}/product-types/{typeId}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("typeId" = Uuid, Path, description = "Type id")),
    request_body = ProductTypePatch,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The type", body = ApiResponse<ProductType>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: a product of this type does not fit the new schema", body = ApiResponse<NoData>),
    ))]
pub async fn patch_product_type(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, type_id)): PathParams<(String, Uuid)>,
    JsonBody(patch): JsonBody<ProductTypePatch>,
) -> Result<Json<ApiResponse<ProductType>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = load_type(&mut *state.db.pool.acquire().await?, ctx.store.id, type_id).await?;
    let name = patch.name.clone().unwrap_or_else(|| before.name.clone());
    check_text("name", &name, 100, true)?;
    let schema = patch
        .schema
        .clone()
        .unwrap_or_else(|| before.schema.clone());
    check_schema(&schema)?;
    if patch.schema.is_some() {
        let products = sqlx::query(
            "SELECT slug, attributes FROM products WHERE store_id = $1 AND product_type_id = $2",
        )
        .bind(ctx.store.id.to_string())
        .bind(type_id.to_string())
        .fetch_all(&state.db.pool)
        .await?;
        for product in &products {
            let attributes: AttributeMap = json_column(product, "attributes")?;
            if check_attributes(&schema, &attributes).is_err() {
                let slug: String = product.try_get("slug")?;
                return Err(ApiError::conflict(
                    format!("product {slug:?} does not fit the new schema; change it first"),
                    "in_use",
                ));
            }
        }
    }
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "UPDATE product_types SET name = $1, schema = $2, updated_at = $3 WHERE id = $4 AND store_id = $5",
    )
    .bind(name.trim())
    .bind(schema.to_string())
    .bind(db::now_text())
    .bind(type_id.to_string())
    .bind(ctx.store.id.to_string())
    .execute(&mut *tx)
    .await?;
    let after = load_type(&mut tx, ctx.store.id, type_id).await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "update",
            Entity::ProductType,
            type_id,
            Some(&before),
            Some(&after),
        )?,
    )
    .await?;
    Ok(ok(after))
}

/// Deletes a product type no product uses.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/product-types/{typeId}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("typeId" = Uuid, Path, description = "Type id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The deleted type", body = ApiResponse<ProductType>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: products use it", body = ApiResponse<NoData>),
    ))]
pub async fn delete_product_type(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, type_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<ProductType>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = load_type(&mut *state.db.pool.acquire().await?, ctx.store.id, type_id).await?;
    if before.product_count > 0 {
        return Err(ApiError::conflict(
            format!(
                "{} products use this type; change them first",
                before.product_count
            ),
            "in_use",
        ));
    }
    let mut tx = state.db.pool.begin().await?;
    // A product given this type meanwhile makes the foreign key refuse the deletion (409).
    sqlx::query("DELETE FROM product_types WHERE id = $1 AND store_id = $2")
        .bind(type_id.to_string())
        .bind(ctx.store.id.to_string())
        .execute(&mut *tx)
        .await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "delete",
            Entity::ProductType,
            type_id,
            Some(&before),
            None::<&()>,
        )?,
    )
    .await?;
    Ok(ok(before))
}

/// Whether `bytes` really are of `content_type` (by their signature), so that a script cannot
/// be uploaded labelled as an image.
fn content_matches(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/webp" => bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "application/zip" => bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06"),
        "text/plain" => std::str::from_utf8(bytes).is_ok_and(|text| !text.contains('\0')),
        _ => false,
    }
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        "application/zip" => "zip",
        _ => "txt",
    }
}

/// The body of an upload of one of `accepted` types, checked for size, type and content.
fn upload_body<'a>(
    headers: &'a HeaderMap,
    body: Result<Bytes, BytesRejection>,
    accepted: &[&str],
) -> Result<(&'a str, Bytes), ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(ErrorCode::PayloadTooLarge, "files are limited to 10 MB")
        } else {
            ApiError::invalid_field("body", rejection.body_text())
        }
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().trim())
        .unwrap_or_default();
    if !accepted.contains(&content_type) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("content-type must be one of {}", accepted.join(", ")),
        ));
    }
    if body.is_empty() {
        return Err(ApiError::invalid_field("body", "is empty"));
    }
    if !content_matches(content_type, &body) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("the content is not {content_type}"),
        ));
    }
    Ok((content_type, body))
}

/// Largest width and height of an uploaded image, in pixels: a small file may declare a huge
/// image (a decompression bomb), so decoding stops at this size.
pub const MAX_IMAGE_SIDE: u32 = 8192;

/// Decodes the whole image as its declared type: a file that only starts like an image (a
/// polyglot, a truncated or corrupt file) is refused with 415, one too large with 413.
async fn check_image_decodes(content_type: &str, bytes: &Bytes) -> Result<(), ApiError> {
    let format = match content_type {
        "image/png" => image::ImageFormat::Png,
        "image/jpeg" => image::ImageFormat::Jpeg,
        _ => image::ImageFormat::WebP,
    };
    let bytes = bytes.clone();
    let decoded = tokio::task::spawn_blocking(move || {
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_IMAGE_SIDE);
        limits.max_image_height = Some(MAX_IMAGE_SIDE);
        limits.max_alloc = Some(u64::from(MAX_IMAGE_SIDE).pow(2) * 4 + (16 << 20));
        let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
        reader.limits(limits);
        reader.decode().map(drop)
    })
    .await
    .map_err(ApiError::internal)?;
    match decoded {
        Ok(()) => Ok(()),
        Err(image::ImageError::Limits(_)) => Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("images are limited to {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE} pixels"),
        )),
        Err(error) => Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("the content is not a valid {content_type} image: {error}"),
        )),
    }
}

/// The raw bytes of an uploaded file, as the OpenAPI document describes them (handlers read
/// the body as `Bytes`; this type exists for the schema only).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct FileBytes(Vec<u8>);

/// Query of an image upload.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImageQuery {
    /// Alternative text (default: the product's name).
    alt: Option<String>,
}

/// Uploads an image (JPEG, PNG or WebP, up to 10 MB) as the body, added after the others.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/products/{productId}/images", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("productId" = Uuid, Path, description = "Product id"), ImageQuery),
    request_body(description = "The image bytes", content(
        (FileBytes = "image/jpeg"), (FileBytes = "image/png"), (FileBytes = "image/webp"))),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The product with the image", body = ApiResponse<AdminProduct>),
        (status = 400, description = "`VALIDATION_ERROR`: empty body or bad alt", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 413, description = "`PAYLOAD_TOO_LARGE`", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`: not an accepted type, or content that is not what it claims", body = ApiResponse<NoData>),
        (status = 429, description = "`RATE_LIMITED`: 10 uploads a minute", body = ApiResponse<NoData>),
    ))]
pub async fn upload_image(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id)): PathParams<(String, Uuid)>,
    QueryParams(query): QueryParams<ImageQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ApiResponse<AdminProduct>>), ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = product_answer(&state, ctx.store.id, product_id).await?;
    let (content_type, bytes) = upload_body(&headers, body, &IMAGE_TYPES)?;
    check_image_decodes(content_type, &bytes).await?;
    let alt = query.alt.unwrap_or_else(|| before.product.name.clone());
    check_text("alt", &alt, 200, false)?;
    let image_id = Uuid::new_v4();
    let key = format!(
        "{}/products/{image_id}.{}",
        ctx.store.id,
        extension(content_type)
    );
    state.media.put(&key, &bytes).await.map_err(storage_error)?;
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO product_images (id, store_id, product_id, path, alt, position, storage_key) \
         VALUES ($1, $2, $3, $4, $5, \
           (SELECT COALESCE(MAX(position), -1) + 1 FROM product_images \
             WHERE store_id = $2 AND product_id = $3), $6)",
    )
    .bind(image_id.to_string())
    .bind(ctx.store.id.to_string())
    .bind(product_id.to_string())
    .bind(format!("/media/{key}"))
    .bind(&alt)
    .bind(&key)
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let image = serde_json::json!({ "productId": product_id, "key": key, "alt": alt, "bytes": bytes.len() });
    ctx.commit(
        &state,
        tx,
        Entry::new("create", Entity::Image, image_id, None::<&()>, Some(&image))?,
    )
    .await?;
    Ok((StatusCode::CREATED, ok(after)))
}

fn storage_error(error: crate::storage::StorageError) -> ApiError {
    tracing::error!(%error, "file storage failed");
    ApiError::new(
        ErrorCode::ServiceUnavailable,
        "file storage is unavailable; retry later",
    )
    .with_retry_after(30)
}

/// Removes an image.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/products/{productId}/images/{imageId}", tag = "admin-catalog",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("productId" = Uuid, Path, description = "Product id"),
        ("imageId" = Uuid, Path, description = "Image id"),
    ),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The product without the image", body = ApiResponse<AdminProduct>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn delete_image(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id, image_id)): PathParams<(String, Uuid, Uuid)>,
) -> Result<Json<ApiResponse<AdminProduct>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let mut tx = state.db.pool.begin().await?;
    let removed = sqlx::query(
        "DELETE FROM product_images WHERE id = $1 AND product_id = $2 AND store_id = $3 \
         RETURNING storage_key, path, alt",
    )
    .bind(image_id.to_string())
    .bind(product_id.to_string())
    .bind(ctx.store.id.to_string())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::not_found("image", &image_id.to_string()))?;
    let key: Option<String> = removed.try_get("storage_key")?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let old = serde_json::json!({ "productId": product_id, "path": removed.try_get::<String, _>("path")?, "alt": removed.try_get::<String, _>("alt")? });
    ctx.commit(
        &state,
        tx,
        Entry::new("delete", Entity::Image, image_id, Some(&old), None::<&()>)?,
    )
    .await?;
    if let Some(key) = key {
        if let Err(error) = state.media.delete(&key).await {
            tracing::warn!(%error, %key, "cannot delete a removed image's file");
        }
    }
    Ok(ok(after))
}

/// Query of a digital file upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// File name shown to buyers, e.g. `guide.pdf`.
    name: String,
}

/// Uploads the file buyers of a digital product download (PDF, ZIP or plain text, up to
/// 10 MB), making the product digital. Orders already paid keep their earlier file.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/products/{productId}/file", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("productId" = Uuid, Path, description = "Product id"), FileQuery),
    request_body(description = "The file bytes", content(
        (FileBytes = "application/pdf"), (FileBytes = "application/zip"), (FileBytes = "text/plain"))),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The product, now digital", body = ApiResponse<AdminProduct>),
        (status = 400, description = "`VALIDATION_ERROR`: empty body or bad name", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 413, description = "`PAYLOAD_TOO_LARGE`", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`", body = ApiResponse<NoData>),
        (status = 429, description = "`RATE_LIMITED`: 10 uploads a minute", body = ApiResponse<NoData>),
    ))]
pub async fn upload_file(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id)): PathParams<(String, Uuid)>,
    QueryParams(query): QueryParams<FileQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ApiResponse<AdminProduct>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = product_answer(&state, ctx.store.id, product_id).await?;
    let (_, bytes) = upload_body(&headers, body, &DIGITAL_FILE_TYPES)?;
    let name = query.name.trim();
    let safe_name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name.is_empty() || name.chars().count() > 100 || safe_name.starts_with('.') {
        return Err(ApiError::invalid_field(
            "name",
            "must be a file name of 1 to 100 characters",
        ));
    }
    let key = format!(
        "{}/files/{}-{safe_name}",
        ctx.store.id,
        Uuid::new_v4().simple()
    );
    state.files.put(&key, &bytes).await.map_err(storage_error)?;
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "UPDATE products SET digital_file_key = $1, digital_file_name = $2, updated_at = $3 \
         WHERE id = $4 AND store_id = $5",
    )
    .bind(&key)
    .bind(name)
    .bind(db::now_text())
    .bind(product_id.to_string())
    .bind(ctx.store.id.to_string())
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let change = serde_json::json!({ "fileName": name, "bytes": bytes.len() });
    let old = serde_json::json!({ "fileName": before.digital_file_name });
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "upload",
            Entity::ProductFile,
            product_id,
            Some(&old),
            Some(&change),
        )?,
    )
    .await?;
    Ok(ok(after))
}

/// Removes the file of a digital product: it is no longer delivered to new buyers (links of
/// paid orders keep working).
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/products/{productId}/file", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("productId" = Uuid, Path, description = "Product id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The product, no longer digital", body = ApiResponse<AdminProduct>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn delete_file(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<AdminProduct>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let before = product_answer(&state, ctx.store.id, product_id).await?;
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "UPDATE products SET digital_file_key = NULL, digital_file_name = NULL, updated_at = $1 \
         WHERE id = $2 AND store_id = $3",
    )
    .bind(db::now_text())
    .bind(product_id.to_string())
    .bind(ctx.store.id.to_string())
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let old = serde_json::json!({ "fileName": before.digital_file_name });
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "delete",
            Entity::ProductFile,
            product_id,
            Some(&old),
            None::<&()>,
        )?,
    )
    .await?;
    Ok(ok(after))
}
