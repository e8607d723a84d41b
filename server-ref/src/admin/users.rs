//! Store users (admin): listed, invited, their role changed, removed. Invitation tokens are
//! 256-bit random secrets, shown once and stored only as SHA-256 hashes.

use crate::db::{Conn, Row};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    validate_email, ApiResponse, Invitation, InviteRequest, NoData, Permission, StoreUser,
    UserPatch,
};
use uuid::Uuid;

use crate::admin::{console_link, AdminContext};
use crate::audit::{Entity, Entry};
use crate::auth::ActorKind;
use crate::auth::{hash_token, role_column};
use crate::auth::{random_secret, INVITATION_TTL};
use crate::db::uuid_column;
use crate::http::{ok, ApiError, JsonBody, PathParams};
use crate::mail::{self, LinkMessage};
use crate::{db, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The user routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, invite_user))
        .routes(routes!(patch_user, remove_user))
}

fn user_from_row(row: &Row) -> Result<StoreUser, ApiError> {
    Ok(StoreUser {
        id: uuid_column(row, "id")?,
        email: row.try_get("email")?,
        role: role_column(row)?,
        active: row
            .try_get::<Option<String>, _>("invitation_hash")?
            .is_none(),
        created_at: row.try_get::<String, _>("created_at")?.into(),
    })
}

const USER_COLUMNS: &str = "id, email, role, invitation_hash, created_at";

async fn load_user(conn: &mut Conn, store_id: Uuid, user_id: Uuid) -> Result<StoreUser, ApiError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM store_users WHERE id = $1 AND store_id = $2");
    let row = crate::db::query(&sql)
        .bind(user_id)
        .bind(store_id)
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
    let rows = crate::db::query(&sql)
        .bind(ctx.store.id)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(ok(rows
        .iter()
        .map(user_from_row)
        .collect::<Result<_, _>>()?))
}

/// Invites a user: they get a role now and choose a password when they accept. The answer
/// carries the token, and the invitation is also emailed to them.
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
    let expires_at = db::now() + INVITATION_TTL;
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "INSERT INTO store_users (id, store_id, email, password_hash, role, created_at, \
           invitation_hash, invitation_expires_at) VALUES ($1, $2, $3, '', $4, $5, $6, $7)",
    )
    .bind(user_id)
    .bind(ctx.store.id)
    .bind(request.email.trim().to_lowercase())
    .bind(request.role.as_str())
    .bind(db::now())
    .bind(hash_token(&token))
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    let user = load_user(&mut tx, ctx.store.id, user_id).await?;
    let link = console_link(&state, "accept-invite", &ctx.store.slug, &token);
    let message = LinkMessage {
        prefix: "invitation",
        args: &[
            ("role", request.role.as_str()),
            ("expires", &db::timestamp_text(expires_at)),
        ],
        url: &link,
        unasked: false,
    };
    mail::enqueue_link_message(&mut tx, ctx.store.id, &user.email, None, &message).await?;
    ctx.commit(
        tx,
        Entry::new("invite", Entity::User, user_id, None::<&()>, Some(&user))?,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        ok(Invitation {
            user,
            invitation_token: token,
            expires_at: db::api_time(expires_at),
        }),
    ))
}

/// Refuses a change that would leave the store without an owner.
async fn keep_an_owner(conn: &mut Conn, store_id: Uuid) -> Result<(), ApiError> {
    let owners: i64 = crate::db::query(
        "SELECT COUNT(*) AS n FROM store_users \
         WHERE store_id = $1 AND role = 'owner' AND invitation_hash IS NULL",
    )
    .bind(store_id)
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
    let mut tx = state.db.begin_write().await?;
    let changed =
        crate::db::query("UPDATE store_users SET role = $1 WHERE id = $2 AND store_id = $3")
            .bind(patch.role.as_str())
            .bind(user_id)
            .bind(ctx.store.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if changed == 0 {
        return Err(ApiError::not_found("user", &user_id.to_string()));
    }
    keep_an_owner(&mut tx, ctx.store.id).await?;
    let user = load_user(&mut tx, ctx.store.id, user_id).await?;
    ctx.commit(
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
    let mut tx = state.db.begin_write().await?;
    let user = load_user(&mut tx, ctx.store.id, user_id).await?;
    crate::db::query("DELETE FROM store_users WHERE id = $1 AND store_id = $2")
        .bind(user_id)
        .bind(ctx.store.id)
        .execute(&mut *tx)
        .await?;
    keep_an_owner(&mut tx, ctx.store.id).await?;
    ctx.commit(tx, Entry::deleted(Entity::User, user_id, &user)?)
        .await?;
    Ok(ok(user))
}
