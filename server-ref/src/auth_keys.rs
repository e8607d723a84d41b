//! API key credentials: a secret key as an admin caller, and the publishable-key check of the
//! public store routes.

use crate::db::Row;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use colmena_sdk::contract::{ApiKeyKind, ErrorCode};

use crate::auth::{hash_token, role_column, Actor, ActorKind};
use crate::db::uuid_column;
use crate::http::canonical::public_store;
use crate::http::{bearer_token, ApiError};
use crate::stores::load_store;
use crate::{db, AppState};

/// The live key with this secret, and its store.
async fn live_key(
    state: &AppState,
    secret: &str,
    kind: ApiKeyKind,
) -> Result<Option<Row>, ApiError> {
    Ok(crate::db::query(
        "SELECT id, store_id, name, role, last_used_at FROM api_keys \
         WHERE key_hash = $1 AND kind = $2 AND revoked_at IS NULL",
    )
    .bind(hash_token(secret))
    .bind(kind.as_str())
    .fetch_optional(&state.db.pool)
    .await?)
}

/// The caller behind a secret key (`sk_…`).
pub(crate) async fn secret_key_actor(state: &AppState, secret: &str) -> Result<Actor, ApiError> {
    let row = live_key(state, secret, ApiKeyKind::Secret)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "unknown or revoked API key"))?;
    let id = uuid_column(&row, "id")?;
    // Record use at most once a minute: a write per request would serialise SQLite.
    let now = db::now();
    let last_used: Option<time::OffsetDateTime> = row.try_get("last_used_at")?;
    let minute_ago = now - time::Duration::minutes(1);
    if last_used.is_none_or(|at| at < minute_ago) {
        crate::db::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&state.db.writer)
            .await?;
    }
    Ok(Actor {
        kind: ActorKind::ApiKey,
        id,
        label: row.try_get("name")?,
        store_id: uuid_column(&row, "store_id")?,
        // Secret keys always have a role; a missing one is an error, never a default role.
        role: role_column(&row)?,
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
    let presented = bearer_token(request.headers()).map(str::to_owned);
    let Some(key) = presented else {
        return next.run(request).await;
    };
    let slug = public_store(request.uri().path())
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
