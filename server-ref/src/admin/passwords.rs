//! Passwords: a signed-in user changes their own; a user who forgot theirs asks for a link and
//! chooses a new one with it. Either way every earlier session of the user ends.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, ErrorCode, NoData, PasswordChange, PasswordResetConfirm, PasswordResetRequest,
    TokenPair,
};

use crate::admin::{console_link, AdminContext};
use crate::audit::{self, Author, Entity, Entry};
use crate::auth::{
    check_password, hash_password, hash_token, password_matches, random_secret, revoke_sessions,
    role_column, start_session, unauthorized, Actor, ActorKind,
};
use crate::db::uuid_column;
use crate::http::{ok, ApiError, JsonBody};
use crate::mail::{self, LinkMessage};
use crate::{db, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

/// How long a reset link works.
const RESET_TTL: time::Duration = time::Duration::hours(1);

/// The password routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
        .routes(routes!(change_password))
}

/// Sends a reset link to a store user who asks for one. The answer is 202 whether or not the
/// email belongs to a user of the store, so that it reveals no accounts.
///
/// The message is written to the mail outbox in the same transaction as the link's hash.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "If the email belongs to a user of the store, a link was sent", body = ApiResponse<NoData>),
        (status = 400, description = "`VALIDATION_ERROR`: malformed body", body = ApiResponse<NoData>),
    ))]
pub async fn request_reset(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<PasswordResetRequest>,
) -> Result<(StatusCode, Json<ApiResponse<NoData>>), ApiError> {
    let token = random_secret();
    let expires = db::now() + RESET_TTL;
    let mut tx = state.db.begin_write().await?;
    // Only users who have accepted their invitation; a newer link replaces an older one.
    let updated = crate::db::query(
        "UPDATE store_users SET reset_hash = $1, reset_expires_at = $2 \
         WHERE LOWER(email) = LOWER($3) AND invitation_hash IS NULL \
           AND store_id = (SELECT id FROM stores WHERE slug = $4) \
         RETURNING email, store_id",
    )
    .bind(hash_token(&token))
    .bind(expires)
    .bind(request.email.trim())
    .bind(&request.store)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = updated {
        let email: String = row.try_get("email")?;
        let link = console_link(&state, "reset-password", &request.store, &token);
        let message = LinkMessage {
            prefix: "password-reset",
            args: &[],
            url: &link,
            unasked: true,
        };
        mail::enqueue_link_message(
            &mut tx,
            uuid_column(&row, "store_id")?,
            &email,
            None,
            &message,
        )
        .await?;
    }
    tx.commit().await?;
    Ok((StatusCode::ACCEPTED, ok(NoData {})))
}

/// Sets a new password with the token from a reset link, ends every earlier session of the
/// user and signs them in.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 200, description = "Tokens of a new session", body = ApiResponse<TokenPair>),
        (status = 400, description = "`VALIDATION_ERROR`: weak password", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: unknown, used or expired link", body = ApiResponse<NoData>),
    ))]
pub async fn confirm_reset(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<PasswordResetConfirm>,
) -> Result<Json<ApiResponse<TokenPair>>, ApiError> {
    check_password("password", &request.password)?;
    let password_hash = hash_password(request.password.clone()).await?;
    let mut tx = state.db.begin_write().await?;
    let row = crate::db::query(
        "UPDATE store_users SET password_hash = $1, reset_hash = NULL, reset_expires_at = NULL \
         WHERE reset_hash = $2 AND reset_expires_at > $3 \
         RETURNING id, store_id, email, role",
    )
    .bind(&password_hash)
    .bind(hash_token(&request.token))
    .bind(db::now())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| unauthorized("this password reset link is unknown, used or expired"))?;
    let actor = Actor {
        kind: ActorKind::User,
        id: uuid_column(&row, "id")?,
        label: row.try_get("email")?,
        store_id: uuid_column(&row, "store_id")?,
        role: role_column(&row)?,
    };
    let entry = Entry::new::<(), ()>("reset_password", Entity::User, actor.id, None, None)?;
    audit::record(&mut tx, actor.store_id, Author::Credential(&actor), &entry).await?;
    tx.commit().await?;
    signed_in_afresh(&state, &actor).await
}

/// Changes the signed-in user's own password (any role; not with a secret key). Their other
/// sessions end, and the answer carries the tokens of a new one.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/account/password", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    request_body = PasswordChange,
    responses(
        (status = 200, description = "Tokens of a new session", body = ApiResponse<TokenPair>),
        (status = 400, description = "`VALIDATION_ERROR`: weak new password, or the current one is wrong (`currentPassword`)", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: another store, or a secret API key", body = ApiResponse<NoData>),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(request): JsonBody<PasswordChange>,
) -> Result<Json<ApiResponse<TokenPair>>, ApiError> {
    if ctx.actor.kind != ActorKind::User {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "only a signed-in user has a password to change",
        ));
    }
    let stored: String =
        crate::db::query("SELECT password_hash FROM store_users WHERE id = $1 AND store_id = $2")
            .bind(ctx.actor.id)
            .bind(ctx.store.id)
            .fetch_one(&state.db.pool)
            .await?
            .try_get("password_hash")?;
    let current = request.current_password.clone();
    let matches = tokio::task::spawn_blocking(move || password_matches(&current, &stored))
        .await
        .map_err(|e| ApiError::internal(format!("password check did not finish: {e}")))?;
    if !matches {
        return Err(ApiError::invalid_field(
            "currentPassword",
            "is not the password in use",
        ));
    }
    check_password("newPassword", &request.new_password)?;
    let password_hash = hash_password(request.new_password.clone()).await?;
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "UPDATE store_users SET password_hash = $1, reset_hash = NULL, reset_expires_at = NULL \
         WHERE id = $2 AND store_id = $3",
    )
    .bind(&password_hash)
    .bind(ctx.actor.id)
    .bind(ctx.store.id)
    .execute(&mut *tx)
    .await?;
    let entry = Entry::new::<(), ()>("change_password", Entity::User, &ctx.actor.id, None, None)?;
    ctx.commit(tx, entry).await?;
    signed_in_afresh(&state, &ctx.actor).await
}

/// Ends every session of `user` and starts a new one.
async fn signed_in_afresh(
    state: &AppState,
    user: &Actor,
) -> Result<Json<ApiResponse<TokenPair>>, ApiError> {
    revoke_sessions(state, user.store_id, user.id).await?;
    let tokens = start_session(state, user.id, user.store_id, user.role).await?;
    Ok(ok(tokens))
}
