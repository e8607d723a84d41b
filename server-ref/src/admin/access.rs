//! Who may use a store: users and their roles (with invitations), API keys, and the audit log
//! that records what they did.
//!
//! Invitation tokens and API keys are 256-bit random secrets, shown once and stored only as
//! SHA-256 hashes: a slow password hash adds nothing for secrets that cannot be guessed.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use colmena_sdk::contract::{
    validate_email, AcceptInviteRequest, ApiKey, ApiKeyKind, ApiKeyRequest, ApiResponse,
    AuditActor, AuditEntry, AuditQuery, CreatedApiKey, ErrorCode, Invitation, InviteRequest,
    NoData, Permission, Role, StoreUser, TokenPair, UserPatch,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use super::{page_bounds, Actor, ActorKind, AdminContext};
use crate::audit::{Entity, Entry};
use crate::auth::{hash_token, role_column, start_session};
use crate::db::{optional_uuid_column, uuid_column};
use crate::http::cors::store_slug;
use crate::http::{ok, page, ApiError, JsonBody, PathParams, QueryParams};
use crate::stores::load_store;
use crate::{db, AppState};

/// How long an invitation can be accepted.
const INVITATION_TTL: time::Duration = time::Duration::days(7);

fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn user_from_row(row: &AnyRow) -> Result<StoreUser, ApiError> {
    Ok(StoreUser {
        id: uuid_column(row, "id")?,
        email: row.try_get("email")?,
        role: role_column(row)?,
        active: row
            .try_get::<Option<String>, _>("invitation_hash")?
            .is_none(),
        created_at: row.try_get("created_at")?,
    })
}

const USER_COLUMNS: &str = "id, email, role, invitation_hash, created_at";

async fn load_user(
    conn: &mut AnyConnection,
    store_id: Uuid,
    user_id: Uuid,
) -> Result<StoreUser, ApiError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM store_users WHERE id = $1 AND store_id = $2");
    let row = sqlx::query(&sql)
        .bind(user_id.to_string())
        .bind(store_id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("user", &user_id.to_string()))?;
    user_from_row(&row)
}

/// The store's users, oldest first.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/users", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Users", body = ApiResponse<Vec<StoreUser>>),
        (status = 401, description = "`UNAUTHORIZED`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: another store, or no `users.manage`", body = ApiResponse<NoData>),
    ))]
pub async fn list_users(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<Vec<StoreUser>>>, ApiError> {
    ctx.require(Permission::UsersManage)?;
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM store_users WHERE store_id = $1 ORDER BY created_at, id"
    );
    let rows = sqlx::query(&sql)
        .bind(ctx.store.id.to_string())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(ok(rows
        .iter()
        .map(user_from_row)
        .collect::<Result<_, _>>()?))
}

/// Invites a user: they get a role now and choose a password when they accept.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/users", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    request_body = InviteRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The invitation, with its token (shown once)", body = ApiResponse<Invitation>),
        (status = 400, description = "`VALIDATION_ERROR`: bad email", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the email already belongs to a user of this store", body = ApiResponse<NoData>),
    ))]
pub async fn invite_user(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(request): JsonBody<InviteRequest>,
) -> Result<(StatusCode, Json<ApiResponse<Invitation>>), ApiError> {
    ctx.require(Permission::UsersManage)?;
    validate_email(&request.email).map_err(|m| ApiError::invalid_field("email", m))?;
    let token = random_secret();
    let user_id = Uuid::new_v4();
    let expires_at = db::timestamp_text(time::OffsetDateTime::now_utc() + INVITATION_TTL);
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO store_users (id, store_id, email, password_hash, role, created_at, \
           invitation_hash, invitation_expires_at) VALUES ($1, $2, $3, '', $4, $5, $6, $7)",
    )
    .bind(user_id.to_string())
    .bind(ctx.store.id.to_string())
    .bind(request.email.trim().to_lowercase())
    .bind(request.role.as_str())
    .bind(db::now_text())
    .bind(hash_token(&token))
    .bind(&expires_at)
    .execute(&mut *tx)
    .await?;
    let user = load_user(&mut tx, ctx.store.id, user_id).await?;
    ctx.commit(
        &state,
        tx,
        Entry::new("invite", Entity::User, user_id, None::<&()>, Some(&user))?,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        ok(Invitation {
            user,
            invitation_token: token,
            expires_at,
        }),
    ))
}

/// Refuses a change that would leave the store without an owner.
async fn keep_an_owner(conn: &mut AnyConnection, store_id: Uuid) -> Result<(), ApiError> {
    let owners: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM store_users \
         WHERE store_id = $1 AND role = 'owner' AND invitation_hash IS NULL",
    )
    .bind(store_id.to_string())
    .fetch_one(conn)
    .await?
    .try_get("n")?;
    if owners == 0 {
        return Err(ApiError::conflict(
            "a store must keep at least one active owner",
            "last_owner",
        ));
    }
    Ok(())
}

/// Changes a user's role.
#[utoipa::path(patch, path = "/api/v1/admin/stores/{store}/users/{userId}", tag = "admin",
    params(("store" = String, Path, description = "Store slug"), ("userId" = Uuid, Path, description = "User id")),
    request_body = UserPatch,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The user", body = ApiResponse<StoreUser>),
        (status = 403, description = "`FORBIDDEN`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the store would have no owner left", body = ApiResponse<NoData>),
    ))]
pub async fn patch_user(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, user_id)): PathParams<(String, Uuid)>,
    JsonBody(patch): JsonBody<UserPatch>,
) -> Result<Json<ApiResponse<StoreUser>>, ApiError> {
    ctx.require(Permission::UsersManage)?;
    let mut tx = state.db.pool.begin().await?;
    let changed = sqlx::query("UPDATE store_users SET role = $1 WHERE id = $2 AND store_id = $3")
        .bind(patch.role.as_str())
        .bind(user_id.to_string())
        .bind(ctx.store.id.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(ApiError::not_found("user", &user_id.to_string()));
    }
    keep_an_owner(&mut tx, ctx.store.id).await?;
    let user = load_user(&mut tx, ctx.store.id, user_id).await?;
    ctx.commit(
        &state,
        tx,
        Entry::new("update", Entity::User, user_id, None::<&()>, Some(&patch))?,
    )
    .await?;
    Ok(ok(user))
}

/// Removes a user (and signs them out everywhere).
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/users/{userId}", tag = "admin",
    params(("store" = String, Path, description = "Store slug"), ("userId" = Uuid, Path, description = "User id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The removed user", body = ApiResponse<StoreUser>),
        (status = 403, description = "`FORBIDDEN`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: removing yourself, or the last owner", body = ApiResponse<NoData>),
    ))]
pub async fn remove_user(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, user_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<StoreUser>>, ApiError> {
    ctx.require(Permission::UsersManage)?;
    if ctx.actor.kind == ActorKind::User && ctx.actor.id == user_id {
        return Err(ApiError::conflict("you cannot remove yourself", "self"));
    }
    let mut tx = state.db.pool.begin().await?;
    let user = load_user(&mut tx, ctx.store.id, user_id).await?;
    sqlx::query("DELETE FROM store_users WHERE id = $1 AND store_id = $2")
        .bind(user_id.to_string())
        .bind(ctx.store.id.to_string())
        .execute(&mut *tx)
        .await?;
    keep_an_owner(&mut tx, ctx.store.id).await?;
    ctx.commit(
        &state,
        tx,
        Entry::new("delete", Entity::User, user_id, Some(&user), None::<&()>)?,
    )
    .await?;
    Ok(ok(user))
}

/// seed 004's password policy: 8+ characters, an upper-case letter, a digit and a symbol.
fn check_password(password: &str) -> Result<(), ApiError> {
    let strong = password.chars().count() >= 8
        && password.chars().any(char::is_uppercase)
        && password.chars().any(|c| c.is_ascii_digit())
        && password.chars().any(|c| !c.is_alphanumeric());
    if strong && password.len() <= 256 {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            "password",
            "needs 8 to 256 characters with an upper-case letter, a digit and a symbol",
        ))
    }
}

/// Accepts an invitation: sets the password and signs the new user in.
#[utoipa::path(post, path = "/api/v1/auth/accept-invite", tag = "auth",
    request_body = AcceptInviteRequest,
    responses(
        (status = 200, description = "Tokens of the new user", body = ApiResponse<TokenPair>),
        (status = 400, description = "`VALIDATION_ERROR`: weak password", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: unknown, used or expired invitation", body = ApiResponse<NoData>),
    ))]
pub async fn accept_invite(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<AcceptInviteRequest>,
) -> Result<Json<ApiResponse<TokenPair>>, ApiError> {
    check_password(&request.password)?;
    let password = request.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHasher, SaltString};
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
            .map(|hash| hash.to_string())
    })
    .await
    .ok()
    .and_then(Result::ok)
    .ok_or_else(|| ApiError::new(ErrorCode::InternalError, "cannot hash the password"))?;
    let mut tx = state.db.pool.begin().await?;
    let now = db::now_text();
    let invitation = hash_token(&request.token);
    let row = sqlx::query(
        "UPDATE store_users SET password_hash = $1, invitation_hash = NULL, \
           invitation_expires_at = NULL \
         WHERE invitation_hash = $2 AND invitation_expires_at > $3 \
         RETURNING id, store_id, role",
    )
    .bind(&password_hash)
    .bind(&invitation)
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        ApiError::new(
            ErrorCode::Unauthorized,
            "this invitation is unknown, used or expired",
        )
    })?;
    tx.commit().await?;
    let tokens = start_session(
        &state,
        uuid_column(&row, "id")?,
        uuid_column(&row, "store_id")?,
        role_column(&row)?,
    )
    .await?;
    Ok(ok(tokens))
}

fn key_from_row(row: &AnyRow) -> Result<ApiKey, ApiError> {
    let kind: String = row.try_get("kind")?;
    let role: Option<String> = row.try_get("role")?;
    Ok(ApiKey {
        id: uuid_column(row, "id")?,
        kind: ApiKeyKind::parse(&kind)
            .ok_or_else(|| ApiError::new(ErrorCode::InternalError, "unknown key kind"))?,
        name: row.try_get("name")?,
        prefix: row.try_get("prefix")?,
        role: role.as_deref().and_then(Role::parse),
        created_at: row.try_get("created_at")?,
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
    let rows = sqlx::query(&sql)
        .bind(ctx.store.id.to_string())
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
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO api_keys (id, store_id, kind, name, prefix, key_hash, role, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(ctx.store.id.to_string())
    .bind(request.kind.as_str())
    .bind(name)
    .bind(&secret[..12])
    .bind(hash_token(&secret))
    .bind(role.map(Role::as_str))
    .bind(db::now_text())
    .execute(&mut *tx)
    .await?;
    let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1");
    let key = key_from_row(
        &sqlx::query(&sql)
            .bind(id.to_string())
            .fetch_one(&mut *tx)
            .await?,
    )?;
    ctx.commit(
        &state,
        tx,
        Entry::new("create", Entity::ApiKey, id, None::<&()>, Some(&key))?,
    )
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
    let mut tx = state.db.pool.begin().await?;
    let revoked = sqlx::query(
        "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND store_id = $3 AND revoked_at IS NULL",
    )
    .bind(db::now_text())
    .bind(key_id.to_string())
    .bind(ctx.store.id.to_string())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if revoked == 0 {
        return Err(ApiError::not_found("api key", &key_id.to_string()));
    }
    let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1");
    let key = key_from_row(
        &sqlx::query(&sql)
            .bind(key_id.to_string())
            .fetch_one(&mut *tx)
            .await?,
    )?;
    ctx.commit(
        &state,
        tx,
        Entry::new("revoke", Entity::ApiKey, key_id, Some(&key), None::<&()>)?,
    )
    .await?;
    Ok(ok(key))
}

/// The live key with this secret, and its store.
async fn live_key(
    state: &AppState,
    secret: &str,
    kind: ApiKeyKind,
) -> Result<Option<AnyRow>, ApiError> {
    Ok(sqlx::query(
        "SELECT id, store_id, name, role, last_used_at FROM api_keys \
         WHERE key_hash = $1 AND kind = $2 AND revoked_at IS NULL",
    )
    .bind(hash_token(secret))
    .bind(kind.as_str())
    .fetch_optional(&state.db.pool)
    .await?)
}

/// The caller behind a secret key (`sk_…`).
pub(super) async fn secret_key_actor(state: &AppState, secret: &str) -> Result<Actor, ApiError> {
    let row = live_key(state, secret, ApiKeyKind::Secret)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "unknown or revoked API key"))?;
    let id = uuid_column(&row, "id")?;
    // Record use at most once a minute: a write per request would serialise SQLite.
    let now = time::OffsetDateTime::now_utc();
    let last_used: Option<String> = row.try_get("last_used_at")?;
    let minute_ago = db::timestamp_text(now - time::Duration::minutes(1));
    if last_used.is_none_or(|at| at < minute_ago) {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
            .bind(db::timestamp_text(now))
            .bind(id.to_string())
            .execute(&state.db.pool)
            .await?;
    }
    Ok(Actor {
        kind: ActorKind::ApiKey,
        id,
        label: row.try_get("name")?,
        store_id: uuid_column(&row, "store_id")?,
        role: row
            .try_get::<Option<String>, _>("role")?
            .as_deref()
            .and_then(Role::parse)
            .unwrap_or(Role::Editor),
    })
}

/// Middleware of the public store API: a request that presents a publishable key
/// (`Authorization: Bearer pk_…`) must present a live key of the store in its path. Requests
/// without a key are public as before.
pub async fn check_publishable_key(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|key| key.trim().to_owned());
    let Some(key) = presented else {
        return next.run(request).await;
    };
    let slug = store_slug(request.uri().path())
        .unwrap_or_default()
        .to_owned();
    match verify_publishable_key(&state, &key, &slug).await {
        Ok(()) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

async fn verify_publishable_key(state: &AppState, key: &str, slug: &str) -> Result<(), ApiError> {
    if !key.starts_with("pk_") {
        return Err(ApiError::new(
            ErrorCode::Unauthorized,
            "the public API takes publishable keys (pk_…) only; never send a secret key from a browser",
        ));
    }
    let row = live_key(state, key, ApiKeyKind::Publishable)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "unknown or revoked API key"))?;
    let store = load_store(state, slug).await?;
    if uuid_column(&row, "store_id")? != store.id {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "this key belongs to another store",
        ));
    }
    Ok(())
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/audit-log", tag = "admin",
    params(("store" = String, Path, description = "Store slug"), AuditQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of entries", body = ApiResponse<Vec<AuditEntry>>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn audit_log(
    State(state): State<AppState>,
    ctx: AdminContext,
    QueryParams(query): QueryParams<AuditQuery>,
) -> Result<Json<ApiResponse<Vec<AuditEntry>>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let (limit, offset) = page_bounds(query.limit, query.offset)?;
    // Absent filters bind as '' and match everything, keeping one statement.
    let filter = "WHERE store_id = $1 AND ($2 = '' OR entity_type = $2) \
                  AND ($3 = '' OR entity_id = $3)";
    let entity_type = query.entity_type.unwrap_or_default();
    let entity_id = query.entity_id.unwrap_or_default();
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM audit_logs {filter}"))
        .bind(ctx.store.id.to_string())
        .bind(&entity_type)
        .bind(&entity_id)
        .fetch_one(&state.db.pool)
        .await?
        .try_get("n")?;
    let rows = sqlx::query(&format!(
        "SELECT id, actor_type, actor_id, actor_label, action, entity_type, entity_id, \
           old_values, new_values, created_at FROM audit_logs {filter} \
         ORDER BY created_at DESC, id LIMIT $4 OFFSET $5"
    ))
    .bind(ctx.store.id.to_string())
    .bind(&entity_type)
    .bind(&entity_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&state.db.pool)
    .await?;
    let json = |row: &AnyRow, column: &str| -> Result<Option<serde_json::Value>, sqlx::Error> {
        Ok(row
            .try_get::<Option<String>, _>(column)?
            .and_then(|text| serde_json::from_str(&text).ok()))
    };
    let entries = rows
        .iter()
        .map(|row| {
            Ok(AuditEntry {
                id: uuid_column(row, "id")?,
                actor: AuditActor {
                    kind: row.try_get("actor_type")?,
                    id: optional_uuid_column(row, "actor_id")?.unwrap_or_default(),
                    label: row.try_get("actor_label")?,
                },
                action: row.try_get("action")?,
                entity_type: row.try_get("entity_type")?,
                entity_id: row.try_get("entity_id")?,
                old_values: json(row, "old_values")?,
                new_values: json(row, "new_values")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(page(
        entries,
        u64::try_from(total).unwrap_or(0),
        u32::try_from(limit).unwrap_or(20),
        u64::try_from(offset).unwrap_or(0),
    ))
}
