//! API keys (admin): publishable keys for storefronts and secret keys for servers, created
//! (shown once, stored as SHA-256 hashes), listed and revoked.

use crate::db::Row;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    ApiKey, ApiKeyKind, ApiKeyRequest, ApiResponse, CreatedApiKey, ErrorCode, NoData, Permission,
    Role,
};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::auth::hash_token;
use crate::auth::random_secret;
use crate::db::uuid_column;
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::{db, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The API key routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_api_keys, create_api_key))
        .routes(routes!(revoke_api_key))
}

fn key_from_row(row: &Row) -> Result<ApiKey, ApiError> {
    let kind: String = row.try_get("kind")?;
    let role: Option<String> = row.try_get("role")?;
    Ok(ApiKey {
        id: uuid_column(row, "id")?,
        kind: ApiKeyKind::parse(&kind)
            .ok_or_else(|| ApiError::new(ErrorCode::InternalError, "unknown key kind"))?,
        name: row.try_get("name")?,
        prefix: row.try_get("prefix")?,
        role: role.as_deref().and_then(Role::parse),
        created_at: row.try_get::<String, _>("created_at")?.into(),
        last_used_at: row.try_get("last_used_at")?,
    })
}

const KEY_COLUMNS: &str = "id, kind, name, prefix, role, created_at, last_used_at";

/// The store's live API keys (never their secrets).
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/api-keys", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Keys", body = ApiResponse<Vec<ApiKey>>),
        (status = 403, description = "`FORBIDDEN`: no `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn list_api_keys(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<Vec<ApiKey>>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let sql = format!(
        "SELECT {KEY_COLUMNS} FROM api_keys WHERE store_id = $1 AND revoked_at IS NULL \
         ORDER BY created_at, id"
    );
    let rows = crate::db::query(&sql)
        .bind(ctx.store.id)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(ok(rows
        .iter()
        .map(key_from_row)
        .collect::<Result<_, _>>()?))
}

/// Creates an API key. The answer holds the whole key, which is never shown again.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/api-keys", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    request_body = ApiKeyRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The key and its secret", body = ApiResponse<CreatedApiKey>),
        (status = 400, description = "`VALIDATION_ERROR`: empty name, or an owner secret key", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`", body = ApiResponse<NoData>),
    ))]
pub async fn create_api_key(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(request): JsonBody<ApiKeyRequest>,
) -> Result<(StatusCode, Json<ApiResponse<CreatedApiKey>>), ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid_field(
            "name",
            "must be 1 to 100 characters",
        ));
    }
    let role = match (request.kind, request.role) {
        (ApiKeyKind::Publishable, None) => None,
        (ApiKeyKind::Publishable, Some(_)) => {
            return Err(ApiError::invalid_field(
                "role",
                "applies to secret keys only",
            ))
        }
        (ApiKeyKind::Secret, Some(Role::Owner)) => {
            return Err(ApiError::invalid_field(
                "role",
                "cannot be owner: keys cannot manage users or keys",
            ))
        }
        (ApiKeyKind::Secret, role) => Some(role.unwrap_or(Role::Admin)),
    };
    let secret = format!("{}{}", request.kind.prefix(), random_secret());
    let id = Uuid::new_v4();
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "INSERT INTO api_keys (id, store_id, kind, name, prefix, key_hash, role, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(ctx.store.id)
    .bind(request.kind.as_str())
    .bind(name)
    .bind(&secret[..12])
    .bind(hash_token(&secret))
    .bind(role.map(Role::as_str))
    .bind(db::now())
    .execute(&mut *tx)
    .await?;
    let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1");
    let key = key_from_row(&crate::db::query(&sql).bind(id).fetch_one(&mut *tx).await?)?;
    ctx.commit(tx, Entry::created(Entity::ApiKey, id, &key)?)
        .await?;
    Ok((StatusCode::CREATED, ok(CreatedApiKey { key, secret })))
}

/// Revokes an API key at once.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/api-keys/{keyId}", tag = "admin",
    params(("store" = String, Path, description = "Store slug"), ("keyId" = Uuid, Path, description = "Key id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The revoked key", body = ApiResponse<ApiKey>),
        (status = 403, description = "`FORBIDDEN`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, key_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<ApiKey>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut tx = state.db.begin_write().await?;
    let revoked = crate::db::query(
        "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND store_id = $3 AND revoked_at IS NULL",
    )
    .bind(db::now())
    .bind(key_id)
    .bind(ctx.store.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if revoked == 0 {
        return Err(ApiError::not_found("api key", &key_id.to_string()));
    }
    let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1");
    let key = key_from_row(
        &crate::db::query(&sql)
            .bind(key_id)
            .fetch_one(&mut *tx)
            .await?,
    )?;
    ctx.commit(
        tx,
        Entry::new("revoke", Entity::ApiKey, key_id, Some(&key), None::<&()>)?,
    )
    .await?;
    Ok(ok(key))
}
