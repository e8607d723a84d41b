//! The file a digital product's buyers download (admin): uploaded and removed.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use colmena_sdk::contract::{AdminProduct, ApiResponse, NoData, Permission, DIGITAL_FILE_TYPES};
use serde::Deserialize;
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::http::{ok, ApiError, PathParams, QueryParams};
use crate::{db, AppState};

use crate::catalog::edit::*;
use crate::http::uploads::*;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The digital file routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(upload_file, delete_file))
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
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "UPDATE products SET digital_file_key = $1, digital_file_name = $2, updated_at = $3 \
         WHERE id = $4 AND store_id = $5",
    )
    .bind(&key)
    .bind(name)
    .bind(db::now())
    .bind(product_id)
    .bind(ctx.store.id)
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let change = serde_json::json!({ "fileName": name, "bytes": bytes.len() });
    let old = serde_json::json!({ "fileName": before.digital_file_name });
    ctx.commit(
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
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "UPDATE products SET digital_file_key = NULL, digital_file_name = NULL, updated_at = $1 \
         WHERE id = $2 AND store_id = $3",
    )
    .bind(db::now())
    .bind(product_id)
    .bind(ctx.store.id)
    .execute(&mut *tx)
    .await?;
    let after = product_changed(&mut tx, &state, ctx.store.id, product_id).await?;
    let old = serde_json::json!({ "fileName": before.digital_file_name });
    ctx.commit(tx, Entry::deleted(Entity::ProductFile, product_id, &old)?)
        .await?;
    Ok(ok(after))
}
