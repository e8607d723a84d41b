//! Categories (admin): a tree, listed, created, changed and deleted.

use crate::db::Conn;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, Category, CategoryInput, CategoryPatch, NoData, Permission,
};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::catalog::{self};
use crate::db::{count_column, optional_uuid_column, uuid_column};
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::slugs::slugify;
use crate::{db, AppState};

use crate::catalog::edit::*;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The category routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_categories, create_category))
        .routes(routes!(patch_category, delete_category))
}

async fn load_category(
    conn: &mut Conn,
    store_id: Uuid,
    category_id: Uuid,
) -> Result<Category, ApiError> {
    let row = crate::db::query(
        "SELECT c.id, c.slug, c.name, c.parent_id, \
           (SELECT COUNT(*) FROM products p WHERE p.store_id = c.store_id \
             AND p.category_id = c.id AND p.is_active = TRUE) AS product_count \
         FROM categories c WHERE c.id = $1 AND c.store_id = $2",
    )
    .bind(category_id)
    .bind(store_id)
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
        let row =
            crate::db::query("SELECT parent_id FROM categories WHERE id = $1 AND store_id = $2")
                .bind(current)
                .bind(store_id)
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
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "INSERT INTO categories (id, store_id, parent_id, slug, name, position, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(ctx.store.id)
    .bind(input.parent_id)
    .bind(&slug)
    .bind(input.name.trim())
    .bind(i64::from(input.position))
    .bind(db::now())
    .execute(&mut *tx)
    .await?;
    let category = load_category(&mut tx, ctx.store.id, id).await?;
    ctx.commit(tx, Entry::created(Entity::Category, id, &category)?)
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
    let position: Option<i64> = crate::db::query("SELECT position FROM categories WHERE id = $1")
        .bind(category_id)
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
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "UPDATE categories SET name = $1, slug = $2, parent_id = $3, position = $4 \
         WHERE id = $5 AND store_id = $6",
    )
    .bind(name.trim())
    .bind(&slug)
    .bind(parent)
    .bind(patch.position.map(i64::from).or(position).unwrap_or(0))
    .bind(category_id)
    .bind(ctx.store.id)
    .execute(&mut *tx)
    .await?;
    let after = load_category(&mut tx, ctx.store.id, category_id).await?;
    ctx.commit(
        tx,
        Entry::updated(Entity::Category, category_id, &before, &after)?,
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
    let mut tx = state.db.begin_write().await?;
    // Explicit rather than ON DELETE SET NULL alone: SQLite enforces foreign keys only when
    // asked to, and this must hold on both engines.
    crate::db::query(
        "UPDATE products SET category_id = NULL WHERE store_id = $1 AND category_id = $2",
    )
    .bind(ctx.store.id)
    .bind(category_id)
    .execute(&mut *tx)
    .await?;
    crate::db::query(
        "UPDATE categories SET parent_id = NULL WHERE store_id = $1 AND parent_id = $2",
    )
    .bind(ctx.store.id)
    .bind(category_id)
    .execute(&mut *tx)
    .await?;
    crate::db::query("DELETE FROM categories WHERE id = $1 AND store_id = $2")
        .bind(category_id)
        .bind(ctx.store.id)
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx, Entry::deleted(Entity::Category, category_id, &before)?)
        .await?;
    Ok(ok(before))
}
