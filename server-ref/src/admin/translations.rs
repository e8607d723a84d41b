//! Translations (admin): a product's name, description and option names, and a category's
//! name, in other languages than the store's own; listed, set (replacing) and removed.

use crate::db::{Conn, Row, Tx};
use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{
    valid_locale, ApiResponse, CategoryTranslation, CategoryTranslationInput, NoData, Permission,
    ProductTranslation, ProductTranslationInput, LOCALE_RULE, MAX_NAME_LENGTH,
};
use serde::Serialize;
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::catalog::edit::{check_option_names, check_text, load_product};
use crate::db::{json_text, optional_json_column};
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::{db, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Longest translated description, as for the product's own.
const MAX_DESCRIPTION_LENGTH: usize = 10_000;

/// The translation routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_product_translations))
        .routes(routes!(put_product_translation, delete_product_translation))
        .routes(routes!(list_category_translations))
        .routes(routes!(
            put_category_translation,
            delete_category_translation
        ))
}

/// What is translated: a product or a category, and where its translations are kept.
#[derive(Debug, Clone, Copy)]
enum Translated {
    Product,
    Category,
}

impl Translated {
    fn table(self) -> &'static str {
        match self {
            Self::Product => "product_translations",
            Self::Category => "category_translations",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::Product => "product_id",
            Self::Category => "category_id",
        }
    }

    fn columns(self) -> &'static str {
        match self {
            Self::Product => "locale, name, description, option_names",
            Self::Category => "locale, name",
        }
    }

    fn entity(self) -> Entity {
        match self {
            Self::Product => Entity::Product,
            Self::Category => Entity::Category,
        }
    }

    /// The record's translations, by language.
    async fn rows(
        self,
        conn: &mut Conn,
        store_id: Uuid,
        id: Uuid,
        locale: Option<&str>,
    ) -> Result<Vec<Row>, sqlx::Error> {
        let sql = format!(
            "SELECT {} FROM {} WHERE store_id = $1 AND {} = $2 AND ($3 = '' OR locale = $3) \
             ORDER BY locale",
            self.columns(),
            self.table(),
            self.key()
        );
        crate::db::query(&sql)
            .bind(store_id)
            .bind(id)
            .bind(locale.unwrap_or_default())
            .fetch_all(conn)
            .await
    }

    /// Removes the record's translation into `locale`.
    async fn delete(
        self,
        conn: &mut Conn,
        store_id: Uuid,
        id: Uuid,
        locale: &str,
    ) -> Result<(), sqlx::Error> {
        let sql = format!(
            "DELETE FROM {} WHERE store_id = $1 AND {} = $2 AND locale = $3",
            self.table(),
            self.key()
        );
        crate::db::query(&sql)
            .bind(store_id)
            .bind(id)
            .bind(locale)
            .execute(conn)
            .await?;
        Ok(())
    }
}

fn product_translation(row: &Row) -> Result<ProductTranslation, sqlx::Error> {
    Ok(ProductTranslation {
        locale: row.try_get("locale")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        option_names: optional_json_column(row, "option_names")?,
    })
}

fn category_translation(row: &Row) -> Result<CategoryTranslation, sqlx::Error> {
    Ok(CategoryTranslation {
        locale: row.try_get("locale")?,
        name: row.try_get("name")?,
    })
}

/// Refuses a malformed language tag in the path.
fn check_locale(locale: &str) -> Result<(), ApiError> {
    if valid_locale(locale) {
        Ok(())
    } else {
        Err(ApiError::invalid_field("locale", LOCALE_RULE))
    }
}

/// Refuses a category that is not the store's.
async fn check_category(
    conn: &mut Conn,
    store_id: Uuid,
    category_id: Uuid,
) -> Result<(), ApiError> {
    crate::db::query("SELECT id FROM categories WHERE id = $1 AND store_id = $2")
        .bind(category_id)
        .bind(store_id)
        .fetch_optional(conn)
        .await?
        .map(drop)
        .ok_or_else(|| ApiError::not_found("category", &category_id.to_string()))
}

/// The record's translation into `locale`, or 404.
async fn one<T>(
    conn: &mut Conn,
    what: Translated,
    store_id: Uuid,
    id: Uuid,
    locale: &str,
    read: fn(&Row) -> Result<T, sqlx::Error>,
) -> Result<Option<T>, ApiError> {
    let rows = what.rows(conn, store_id, id, Some(locale)).await?;
    Ok(rows.first().map(read).transpose()?)
}

/// Ends a translation change: audits the record's translation before and after, and commits.
async fn commit_change<T: Serialize>(
    ctx: &AdminContext,
    tx: Tx,
    what: Translated,
    id: Uuid,
    action: &'static str,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), ApiError> {
    ctx.commit(tx, Entry::new(action, what.entity(), id, before, after)?)
        .await
}

/// A product's translations, one per language.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/products/{productId}/translations", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("productId" = Uuid, Path, description = "Product id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Translations", body = ApiResponse<Vec<ProductTranslation>>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn list_product_translations(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<Vec<ProductTranslation>>>, ApiError> {
    ctx.require(Permission::ProductsRead)?;
    let mut conn = state.db.pool.acquire().await?;
    load_product(&mut conn, &state, ctx.store.id, product_id).await?;
    let rows = Translated::Product
        .rows(&mut conn, ctx.store.id, product_id, None)
        .await?;
    let translations = rows
        .iter()
        .map(product_translation)
        .collect::<Result<_, _>>()?;
    Ok(ok(translations))
}

/// Sets a product's content in one language, replacing any earlier translation. Option names,
/// when given, name every option of the product in its order.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/products/{productId}/translations/{locale}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("productId" = Uuid, Path, description = "Product id"),
        ("locale" = String, Path, description = "Language, e.g. `fr` or `pt-BR`")),
    security(("bearerAuth" = [])),
    request_body = ProductTranslationInput,
    responses(
        (status = 200, description = "The translation", body = ApiResponse<ProductTranslation>),
        (status = 400, description = "`VALIDATION_ERROR`: a malformed locale, an empty name, option names that do not fit the product's", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn put_product_translation(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id, locale)): PathParams<(String, Uuid, String)>,
    JsonBody(input): JsonBody<ProductTranslationInput>,
) -> Result<Json<ApiResponse<ProductTranslation>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    check_locale(&locale)?;
    check_text("name", &input.name, MAX_NAME_LENGTH, true)?;
    if let Some(description) = &input.description {
        check_text("description", description, MAX_DESCRIPTION_LENGTH, false)?;
    }
    let mut tx = state.db.begin_write().await?;
    let product = load_product(&mut tx, &state, ctx.store.id, product_id).await?;
    if let Some(names) = &input.option_names {
        if names.len() != product.product.options.len() {
            return Err(ApiError::invalid_field(
                "optionNames",
                format_args!(
                    "must name the product's {} options, in order: {}",
                    product.product.options.len(),
                    product.product.options.join(", ")
                ),
            ));
        }
        check_option_names(names).map_err(|_| {
            ApiError::invalid_field(
                "optionNames",
                "must be different, non-empty names of at most 50 characters",
            )
        })?;
    }
    let before = one(
        &mut tx,
        Translated::Product,
        ctx.store.id,
        product_id,
        &locale,
        product_translation,
    )
    .await?;
    let after = ProductTranslation {
        locale: locale.clone(),
        name: input.name.trim().to_owned(),
        description: input.description.clone(),
        option_names: input.option_names.clone(),
    };
    let option_names = after.option_names.as_ref().map(json_text).transpose()?;
    crate::db::query(
        "INSERT INTO product_translations (store_id, product_id, locale, name, description, \
           option_names, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (product_id, locale) DO UPDATE SET name = excluded.name, \
           description = excluded.description, option_names = excluded.option_names, \
           updated_at = excluded.updated_at",
    )
    .bind(ctx.store.id)
    .bind(product_id)
    .bind(&locale)
    .bind(&after.name)
    .bind(&after.description)
    .bind(option_names)
    .bind(db::now())
    .execute(&mut *tx)
    .await?;
    commit_change(
        &ctx,
        tx,
        Translated::Product,
        product_id,
        "translate",
        before.as_ref(),
        Some(&after),
    )
    .await?;
    Ok(ok(after))
}

/// Removes a product's translation into one language; shoppers asking for it then see the
/// product's own content.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/products/{productId}/translations/{locale}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("productId" = Uuid, Path, description = "Product id"),
        ("locale" = String, Path, description = "Language")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The translation as it was", body = ApiResponse<ProductTranslation>),
        (status = 404, description = "`NOT_FOUND`: no such product or translation", body = ApiResponse<NoData>),
    ))]
pub async fn delete_product_translation(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, product_id, locale)): PathParams<(String, Uuid, String)>,
) -> Result<Json<ApiResponse<ProductTranslation>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let mut tx = state.db.begin_write().await?;
    load_product(&mut tx, &state, ctx.store.id, product_id).await?;
    let before = one(
        &mut tx,
        Translated::Product,
        ctx.store.id,
        product_id,
        &locale,
        product_translation,
    )
    .await?
    .ok_or_else(|| ApiError::not_found("translation", &locale))?;
    Translated::Product
        .delete(&mut tx, ctx.store.id, product_id, &locale)
        .await?;
    commit_change(
        &ctx,
        tx,
        Translated::Product,
        product_id,
        "delete_translation",
        Some(&before),
        None,
    )
    .await?;
    Ok(ok(before))
}

/// A category's translations, one per language.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/categories/{categoryId}/translations", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("categoryId" = Uuid, Path, description = "Category id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Translations", body = ApiResponse<Vec<CategoryTranslation>>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn list_category_translations(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, category_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<Vec<CategoryTranslation>>>, ApiError> {
    ctx.require(Permission::ProductsRead)?;
    let mut conn = state.db.pool.acquire().await?;
    check_category(&mut conn, ctx.store.id, category_id).await?;
    let rows = Translated::Category
        .rows(&mut conn, ctx.store.id, category_id, None)
        .await?;
    let translations = rows
        .iter()
        .map(category_translation)
        .collect::<Result<_, _>>()?;
    Ok(ok(translations))
}

/// Sets a category's name in one language, replacing any earlier translation.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/categories/{categoryId}/translations/{locale}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("categoryId" = Uuid, Path, description = "Category id"),
        ("locale" = String, Path, description = "Language, e.g. `fr`")),
    security(("bearerAuth" = [])),
    request_body = CategoryTranslationInput,
    responses(
        (status = 200, description = "The translation", body = ApiResponse<CategoryTranslation>),
        (status = 400, description = "`VALIDATION_ERROR`: a malformed locale or an empty name", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn put_category_translation(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, category_id, locale)): PathParams<(String, Uuid, String)>,
    JsonBody(input): JsonBody<CategoryTranslationInput>,
) -> Result<Json<ApiResponse<CategoryTranslation>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    check_locale(&locale)?;
    check_text("name", &input.name, MAX_NAME_LENGTH, true)?;
    let mut tx = state.db.begin_write().await?;
    check_category(&mut tx, ctx.store.id, category_id).await?;
    let before = one(
        &mut tx,
        Translated::Category,
        ctx.store.id,
        category_id,
        &locale,
        category_translation,
    )
    .await?;
    let after = CategoryTranslation {
        locale: locale.clone(),
        name: input.name.trim().to_owned(),
    };
    crate::db::query(
        "INSERT INTO category_translations (store_id, category_id, locale, name, updated_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (category_id, locale) DO UPDATE SET name = excluded.name, \
           updated_at = excluded.updated_at",
    )
    .bind(ctx.store.id)
    .bind(category_id)
    .bind(&locale)
    .bind(&after.name)
    .bind(db::now())
    .execute(&mut *tx)
    .await?;
    commit_change(
        &ctx,
        tx,
        Translated::Category,
        category_id,
        "translate",
        before.as_ref(),
        Some(&after),
    )
    .await?;
    Ok(ok(after))
}

/// Removes a category's translation into one language.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/categories/{categoryId}/translations/{locale}", tag = "admin-catalog",
    params(("store" = String, Path, description = "Store slug"), ("categoryId" = Uuid, Path, description = "Category id"),
        ("locale" = String, Path, description = "Language")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The translation as it was", body = ApiResponse<CategoryTranslation>),
        (status = 404, description = "`NOT_FOUND`: no such category or translation", body = ApiResponse<NoData>),
    ))]
pub async fn delete_category_translation(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, category_id, locale)): PathParams<(String, Uuid, String)>,
) -> Result<Json<ApiResponse<CategoryTranslation>>, ApiError> {
    ctx.require(Permission::ProductsWrite)?;
    let mut tx = state.db.begin_write().await?;
    check_category(&mut tx, ctx.store.id, category_id).await?;
    let before = one(
        &mut tx,
        Translated::Category,
        ctx.store.id,
        category_id,
        &locale,
        category_translation,
    )
    .await?
    .ok_or_else(|| ApiError::not_found("translation", &locale))?;
    Translated::Category
        .delete(&mut tx, ctx.store.id, category_id, &locale)
        .await?;
    commit_change(
        &ctx,
        tx,
        Translated::Category,
        category_id,
        "delete_translation",
        Some(&before),
        None,
    )
    .await?;
    Ok(ok(before))
}
