//! Product images (admin): uploaded as the request body, and removed.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use colmena_sdk::contract::{AdminProduct, ApiResponse, NoData, Permission, IMAGE_TYPES};
use serde::Deserialize;
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::http::{ok, ApiError, PathParams, QueryParams};
use crate::AppState;

use crate::catalog::edit::*;
use crate::http::uploads::*;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The image routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_image))
        .routes(routes!(delete_image))
}

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
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "INSERT INTO product_images (id, store_id, product_id, path, alt, position, storage_key) \
         VALUES ($1, $2, $3, $4, $5, \
           (SELECT COALESCE(MAX(position), -1) + 1 FROM product_images \
             WHERE store_id = $2 AND product_id = $3), $6)",
    )
    .bind(image_id)
    .bind(ctx.store.id)
    .bind(product_id)
    .bind(format!("/media/{key}"))
    .bind(&alt)
    .bind(&key)
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let image = serde_json::json!({ "productId": product_id, "key": key, "alt": alt, "bytes": bytes.len() });
    ctx.commit(tx, Entry::created(Entity::Image, image_id, &image)?)
        .await?;
    Ok((StatusCode::CREATED, ok(after)))
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
    let mut tx = state.db.begin_write().await?;
    let removed = crate::db::query(
        "DELETE FROM product_images WHERE id = $1 AND product_id = $2 AND store_id = $3 \
         RETURNING storage_key, path, alt",
    )
    .bind(image_id)
    .bind(product_id)
    .bind(ctx.store.id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::not_found("image", &image_id.to_string()))?;
    let key: Option<String> = removed.try_get("storage_key")?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let old = serde_json::json!({ "productId": product_id, "path": removed.try_get::<String, _>("path")?, "alt": removed.try_get::<String, _>("alt")? });
    ctx.commit(tx, Entry::deleted(Entity::Image, image_id, &old)?)
        .await?;
    if let Some(key) = key {
        if let Err(error) = state.media.delete(&key).await {
            tracing::warn!(%error, %key, "cannot delete a removed image's file");
        }
    }
    Ok(ok(after))
}
