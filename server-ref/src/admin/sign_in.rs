//! Signing in to the admin API: password login, token refresh, and accepting an invitation.

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{AcceptInviteRequest, ApiResponse, ErrorCode, NoData, TokenPair};
use uuid::Uuid;

use crate::auth::{
    check_password, hash_password, issue_tokens, password_matches, revoke_sessions, unauthorized,
    DUMMY_HASH,
};
use crate::auth::{hash_token, role_column, start_session};
use crate::db::uuid_column;
use crate::http::{ok, ApiError, JsonBody};
use crate::{db, AppState};
use colmena_sdk::contract::{LoginRequest, RefreshRequest};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The sign-in routes (not store-scoped: the credentials name the store).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(accept_invite))
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
    check_password("password", &request.password)?;
    let password_hash = hash_password(request.password.clone()).await?;
    let mut tx = state.db.begin_write().await?;
    let now = db::now();
    let invitation = hash_token(&request.token);
    let row = crate::db::query(
        "UPDATE store_users SET password_hash = $1, invitation_hash = NULL, \
           invitation_expires_at = NULL \
         WHERE invitation_hash = $2 AND invitation_expires_at > $3 \
         RETURNING id, store_id, role",
    )
    .bind(&password_hash)
    .bind(&invitation)
    .bind(now)
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

/// Logs a store user in with email and password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Access and refresh tokens", body = ApiResponse<TokenPair>),
        (status = 400, description = "`VALIDATION_ERROR`: malformed body", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: wrong store, email or password", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`: body is not JSON", body = ApiResponse<NoData>),
    ))]
pub async fn login(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<Json<ApiResponse<TokenPair>>, ApiError> {
    let row = crate::db::query(
        "SELECT u.id, u.store_id, u.password_hash, u.role FROM store_users u \
         JOIN stores s ON s.id = u.store_id \
         WHERE s.slug = $1 AND LOWER(u.email) = LOWER($2) AND u.invitation_hash IS NULL",
    )
    .bind(&request.store)
    .bind(request.email.trim())
    .fetch_optional(&state.db.pool)
    .await?;
    let stored_hash = match &row {
        Some(row) => row.try_get::<String, _>("password_hash")?,
        None => DUMMY_HASH.to_owned(),
    };
    let password = request.password.clone();
    // argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let matches = tokio::task::spawn_blocking(move || password_matches(&password, &stored_hash))
        .await
        .map_err(|e| ApiError::internal(format!("password check did not finish: {e}")))?;
    let (Some(row), true) = (row, matches) else {
        return Err(unauthorized("invalid store, email or password"));
    };
    let user_id = uuid_column(&row, "id")?;
    let store_id = uuid_column(&row, "store_id")?;
    Ok(ok(start_session(
        &state,
        user_id,
        store_id,
        role_column(&row)?,
    )
    .await?))
}

/// Trades a refresh token (single use) for new tokens. Presenting a used one revokes every
/// refresh token of that user: it means the token was stolen or replayed.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New access and refresh tokens", body = ApiResponse<TokenPair>),
        (status = 400, description = "`VALIDATION_ERROR`: malformed body", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: unknown, used or expired refresh token", body = ApiResponse<NoData>),
    ))]
pub async fn refresh(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<RefreshRequest>,
) -> Result<Json<ApiResponse<TokenPair>>, ApiError> {
    let row = crate::db::query(
        "SELECT r.id, r.user_id, r.store_id, r.expires_at, r.used_at, r.session_id, u.role \
         FROM refresh_tokens r JOIN store_users u ON u.id = r.user_id AND u.store_id = r.store_id \
         LEFT JOIN admin_sessions s ON s.id = r.session_id \
         WHERE r.token_hash = $1 AND s.revoked_at IS NULL",
    )
    .bind(hash_token(&request.refresh_token))
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| unauthorized("unknown refresh token"))?;
    let user_id: Uuid = row.try_get("user_id")?;
    let store_id: Uuid = row.try_get("store_id")?;
    if row.try_get::<Option<String>, _>("used_at")?.is_some() {
        revoke_sessions(&state, store_id, user_id).await?;
        tracing::warn!(%user_id, "refresh token reused; all of the user's sessions revoked");
        return Err(unauthorized("refresh token already used; sign in again"));
    }
    let now = db::now();
    if row.try_get::<time::OffsetDateTime, _>("expires_at")? <= now {
        return Err(unauthorized("refresh token expired; sign in again"));
    }
    // Only one of two concurrent refreshes with the same token wins.
    let claimed = crate::db::query(
        "UPDATE refresh_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(row.try_get::<Uuid, _>("id")?)
    .execute(&state.db.writer)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Err(unauthorized("refresh token already used; sign in again"));
    }
    let (user_id, store_id) = (
        uuid_column(&row, "user_id")?,
        uuid_column(&row, "store_id")?,
    );
    let role = role_column(&row)?;
    // Tokens issued before sessions existed start one now.
    let tokens = match row.try_get::<Option<String>, _>("session_id")? {
        Some(_) => {
            issue_tokens(
                &state,
                user_id,
                store_id,
                role,
                uuid_column(&row, "session_id")?,
            )
            .await?
        }
        None => start_session(&state, user_id, store_id, role).await?,
    };
    Ok(ok(tokens))
}
