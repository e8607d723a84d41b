//! Product types (admin, seed 003): named JSON Schemas that products' attributes must fit.

use crate::db::{Conn, Row};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, NoData, Permission, ProductType, ProductTypeInput, ProductTypePatch,
};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::db::{count_column, json_column, uuid_column};
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::slugs::slugify;
use crate::{db, AppState};

use crate::catalog::edit::*;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The product type routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_product_types, create_product_type))
        .routes(routes!(
            get_product_type,
            patch_product_type,
            delete_product_type
        ))
}

fn product_type_from_row(row: &Row) -> Result<ProductType, sqlx::Error> {
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
    conn: &mut Conn,
    store_id: Uuid,
    type_id: Uuid,
) -> Result<ProductType, ApiError> {
    let row = crate::db::query(&format!(
        "{TYPE_SELECT} WHERE t.id = $1 AND t.store_id = $2"
    ))
    .bind(type_id)
    .bind(store_id)
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
    let rows = crate::db::query(&format!(
        "{TYPE_SELECT} WHERE t.store_id = $1 ORDER BY t.name, t.id"
    ))
    .bind(ctx.store.id)
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
    let now = db::now();
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "INSERT INTO product_types (id, store_id, slug, name, schema, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id)
    .bind(ctx.store.id)
    .bind(&slug)
    .bind(input.name.trim())
    .bind(db::json_text(&input.schema)?)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let created = load_type(&mut tx, ctx.store.id, id).await?;
    ctx.commit(tx, Entry::created(Entity::ProductType, id, &created)?)
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
        let products = crate::db::query(
            "SELECT slug, attributes FROM products WHERE store_id = $1 AND product_type_id = $2",
        )
        .bind(ctx.store.id)
        .bind(type_id)
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
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "UPDATE product_types SET name = $1, schema = $2, updated_at = $3 WHERE id = $4 AND store_id = $5",
    )
    .bind(name.trim())
    .bind(db::json_text(&schema)?)
    .bind(db::now())
    .bind(type_id)
    .bind(ctx.store.id)
    .execute(&mut *tx)
    .await?;
    let after = load_type(&mut tx, ctx.store.id, type_id).await?;
    ctx.commit(
        tx,
        Entry::updated(Entity::ProductType, type_id, &before, &after)?,
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
    let mut tx = state.db.begin_write().await?;
    // A product given this type meanwhile makes the foreign key refuse the deletion (409).
    crate::db::query("DELETE FROM product_types WHERE id = $1 AND store_id = $2")
        .bind(type_id)
        .bind(ctx.store.id)
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx, Entry::deleted(Entity::ProductType, type_id, &before)?)
        .await?;
    Ok(ok(before))
}
