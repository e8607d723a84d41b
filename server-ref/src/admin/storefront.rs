//! The storefront editor (admin): the draft, its images, preview tokens, and publishing
//! numbered versions (now or scheduled), rolling back and cancelling. Editors edit; owners and
//! admins publish.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, NoData, PageQuery, Permission, PreviewToken, PublishRequest, Storefront,
    StorefrontAsset, StorefrontDraft, StorefrontVersion, StorefrontVersionStatus, IMAGE_TYPES,
};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::http::uploads::{check_image_decodes, extension, storage_error, upload_body, FileBytes};
use crate::http::{ok, ApiError, JsonBody, PageBounds, PathParams, QueryParams};
use crate::storefront::{self as domain, stored_time};
use crate::{db, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The storefront editor's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_draft, put_draft))
        .routes(routes!(upload_asset))
        .routes(routes!(create_preview_token))
        .routes(routes!(publish))
        .routes(routes!(list_versions))
        .routes(routes!(rollback))
        .routes(routes!(cancel_version))
}

/// The draft: as last saved, or until the first save a copy of the live version (or, before
/// the first publication, a theme made from the store's branding colours).
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/storefront/draft", tag = "admin-storefront",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The draft", body = ApiResponse<StorefrontDraft>),
        (status = 401, description = "`UNAUTHORIZED`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: another store, or no `storefront.edit`", body = ApiResponse<NoData>),
    ))]
pub async fn get_draft(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<StorefrontDraft>>, ApiError> {
    ctx.require(Permission::StorefrontEdit)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ok(domain::draft(&mut conn, &ctx.store).await?))
}

/// Saves the draft (the whole document). Shoppers see nothing of it until it is published;
/// a preview token shows it.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/storefront/draft", tag = "admin-storefront",
    params(("store" = String, Path, description = "Store slug")),
    request_body = Storefront,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The draft as saved", body = ApiResponse<StorefrontDraft>),
        (status = 400, description = "`VALIDATION_ERROR`, naming the field in `details.parameter` (e.g. `banners[1].linkUrl`)", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `storefront.edit`", body = ApiResponse<NoData>),
    ))]
pub async fn put_draft(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(document): JsonBody<Storefront>,
) -> Result<Json<ApiResponse<StorefrontDraft>>, ApiError> {
    ctx.require(Permission::StorefrontEdit)?;
    document.validate().map_err(ApiError::invalid_parameter)?;
    let mut conn = state.db.pool.acquire().await?;
    let before = domain::draft(&mut conn, &ctx.store).await?.document;
    drop(conn);
    let mut tx = state.db.begin_write().await?;
    let saved = domain::save_draft(&mut tx, ctx.store.id, &document, &ctx.actor).await?;
    ctx.commit(
        tx,
        Entry::updated(Entity::StorefrontDraft, ctx.store.id, &before, &document)?,
    )
    .await?;
    Ok(ok(saved))
}

/// Uploads an image for the logo or a banner (JPEG, PNG or WebP, up to 10 MB, as the body),
/// checked as product images are; answers its public URL.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/storefront/assets", tag = "admin-storefront",
    params(("store" = String, Path, description = "Store slug")),
    request_body(description = "The image bytes", content(
        (FileBytes = "image/jpeg"), (FileBytes = "image/png"), (FileBytes = "image/webp"))),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The stored image and its public URL", body = ApiResponse<StorefrontAsset>),
        (status = 400, description = "`VALIDATION_ERROR`: empty body", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `storefront.edit`", body = ApiResponse<NoData>),
        (status = 413, description = "`PAYLOAD_TOO_LARGE`: over 10 MB or 8192×8192 pixels", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`: not an accepted type, or content that is not what it claims", body = ApiResponse<NoData>),
        (status = 429, description = "`RATE_LIMITED`: 10 uploads a minute", body = ApiResponse<NoData>),
    ))]
pub async fn upload_asset(
    State(state): State<AppState>,
    ctx: AdminContext,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ApiResponse<StorefrontAsset>>), ApiError> {
    ctx.require(Permission::StorefrontEdit)?;
    let (content_type, bytes) = upload_body(&headers, body, &IMAGE_TYPES)?;
    check_image_decodes(content_type, &bytes).await?;
    let id = Uuid::new_v4();
    let key = format!(
        "{}/storefront/{id}.{}",
        ctx.store.id,
        extension(content_type)
    );
    state.media.put(&key, &bytes).await.map_err(storage_error)?;
    let asset = StorefrontAsset {
        url: state.urls.absolute(&format!("/media/{key}")),
        content_type: content_type.to_owned(),
        size: bytes.len() as u64,
    };
    // The audit entry is the asset's only record: files are kept (a published version may
    // still show them).
    let tx = state.db.begin_write().await?;
    ctx.commit(tx, Entry::created(Entity::StorefrontAsset, id, &asset)?)
        .await?;
    Ok((StatusCode::CREATED, ok(asset)))
}

/// A preview token (valid 24 hours, shown once, stored only hashed): the public storefront
/// route answers the draft to whoever presents it (`X-Colmena-Preview` or `?preview=`).
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/storefront/preview-token", tag = "admin-storefront",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The token; copy it now", body = ApiResponse<PreviewToken>),
        (status = 400, description = "`VALIDATION_ERROR`: an `Idempotency-Key` (the answer holds a secret, which is never stored)", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `storefront.edit`", body = ApiResponse<NoData>),
    ))]
pub async fn create_preview_token(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<(StatusCode, Json<ApiResponse<PreviewToken>>), ApiError> {
    ctx.require(Permission::StorefrontEdit)?;
    let mut tx = state.db.begin_write().await?;
    let (id, token) = domain::create_preview_token(&mut tx, ctx.store.id).await?;
    let entry = serde_json::json!({ "expiresAt": token.expires_at });
    ctx.commit(
        tx,
        Entry::created(Entity::StorefrontPreviewToken, id, &entry)?,
    )
    .await?;
    Ok((StatusCode::CREATED, ok(token)))
}

/// Publishes the draft as the next version: live now, or at `publishAt` when that is in the
/// future (scheduled; it goes live by itself, no worker needed).
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/storefront/publish", tag = "admin-storefront",
    params(("store" = String, Path, description = "Store slug")),
    request_body(content = Option<PublishRequest>, description = "Optional: when it goes live"),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The new version, live or scheduled", body = ApiResponse<StorefrontVersion>),
        (status = 400, description = "`VALIDATION_ERROR`: a bad `publishAt`, or a draft that breaks a rule", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `storefront.publish` (owners and admins)", body = ApiResponse<NoData>),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    ctx: AdminContext,
    request: Option<JsonBody<PublishRequest>>,
) -> Result<(StatusCode, Json<ApiResponse<StorefrontVersion>>), ApiError> {
    ctx.require(Permission::StorefrontPublish)?;
    let request = request.map(|JsonBody(request)| request).unwrap_or_default();
    let now = db::now();
    let publish_at = match &request.publish_at {
        Some(at) => stored_time(at)
            .ok_or_else(|| ApiError::invalid_field("publishAt", "must be an RFC 3339 time"))?
            // A time already past (a slow clock) publishes now.
            .max(now),
        None => now,
    };
    let mut conn = state.db.pool.acquire().await?;
    let document = domain::draft(&mut conn, &ctx.store).await?.document;
    drop(conn);
    document.validate().map_err(ApiError::invalid_parameter)?;
    let version = publish_version(&state, &ctx, &document, publish_at, None).await?;
    Ok((StatusCode::CREATED, ok(version)))
}

/// Publishes `document` as the next version and answers it.
async fn publish_version(
    state: &AppState,
    ctx: &AdminContext,
    document: &Storefront,
    publish_at: time::OffsetDateTime,
    rollback_of: Option<u32>,
) -> Result<StorefrontVersion, ApiError> {
    let mut tx = state.db.begin_write().await?;
    let version = domain::publish(
        &mut tx,
        ctx.store.id,
        document,
        publish_at,
        &ctx.actor,
        rollback_of,
    )
    .await?;
    let action = if rollback_of.is_some() {
        "rollback"
    } else {
        "publish"
    };
    ctx.commit(
        tx,
        Entry::new(
            action,
            Entity::StorefrontVersion,
            version.number,
            None::<&()>,
            Some(&version),
        )?,
    )
    .await?;
    Ok(version)
}

/// The published versions, newest first, each with its status now.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/storefront/versions", tag = "admin-storefront",
    params(("store" = String, Path, description = "Store slug"), PageQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of versions", body = ApiResponse<Vec<StorefrontVersion>>),
        (status = 400, description = "`VALIDATION_ERROR`: bad paging", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `storefront.edit`", body = ApiResponse<NoData>),
    ))]
pub async fn list_versions(
    State(state): State<AppState>,
    ctx: AdminContext,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Json<ApiResponse<Vec<StorefrontVersion>>>, ApiError> {
    ctx.require(Permission::StorefrontEdit)?;
    let bounds = PageBounds::new(query.limit, query.offset)?;
    let mut conn = state.db.pool.acquire().await?;
    let (versions, total) = domain::versions(
        &mut conn,
        ctx.store.id,
        bounds.sql_limit(),
        bounds.sql_offset(),
    )
    .await?;
    Ok(bounds.answer(versions, total))
}

/// Rolls back to version `number`: publishes a new version, live now, with that version's
/// document (history stays linear; the draft is left as it is).
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/storefront/versions/{number}/rollback", tag = "admin-storefront",
    params(("store" = String, Path, description = "Store slug"), ("number" = u32, Path, description = "Version number")),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The new, live version", body = ApiResponse<StorefrontVersion>),
        (status = 403, description = "`FORBIDDEN`: no `storefront.publish`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`: no such version", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the version is scheduled or cancelled (never live); `details.status`", body = ApiResponse<NoData>),
    ))]
pub async fn rollback(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, number)): PathParams<(String, u32)>,
) -> Result<(StatusCode, Json<ApiResponse<StorefrontVersion>>), ApiError> {
    ctx.require(Permission::StorefrontPublish)?;
    let now = db::now();
    let mut conn = state.db.pool.acquire().await?;
    let target = domain::version(&mut conn, ctx.store.id, number, now).await?;
    drop(conn);
    if matches!(
        target.status,
        StorefrontVersionStatus::Scheduled | StorefrontVersionStatus::Cancelled
    ) {
        return Err(domain::refused_status(
            &target,
            "only a version that has been live can be rolled back to",
        ));
    }
    let version = publish_version(&state, &ctx, &target.document, now, Some(number)).await?;
    Ok((StatusCode::CREATED, ok(version)))
}

/// Cancels a scheduled version; a live or past version cannot be (409).
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/storefront/versions/{number}", tag = "admin-storefront",
    params(("store" = String, Path, description = "Store slug"), ("number" = u32, Path, description = "Version number")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The version, cancelled", body = ApiResponse<StorefrontVersion>),
        (status = 403, description = "`FORBIDDEN`: no `storefront.publish`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`: no such version", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the version is live, superseded or already cancelled; `details.status`", body = ApiResponse<NoData>),
    ))]
pub async fn cancel_version(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, number)): PathParams<(String, u32)>,
) -> Result<Json<ApiResponse<StorefrontVersion>>, ApiError> {
    ctx.require(Permission::StorefrontPublish)?;
    let mut tx = state.db.begin_write().await?;
    let version = domain::cancel(&mut tx, ctx.store.id, number).await?;
    ctx.commit(
        tx,
        Entry::new(
            "cancel",
            Entity::StorefrontVersion,
            number,
            None::<&()>,
            Some(&version),
        )?,
    )
    .await?;
    Ok(ok(version))
}
