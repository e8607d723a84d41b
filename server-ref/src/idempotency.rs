//! Idempotency keys: a mutating request (POST, PUT, PATCH, DELETE) that carries an
//! `Idempotency-Key` header is carried out once. A retry with the same key and the same request
//! gets the stored answer again (with `Idempotent-Replayed: true`) and changes nothing; the same
//! key with a different request is 422 `IDEMPOTENCY_KEY_REUSED`; a retry while the first is still
//! running is 409 `CONFLICT`. Answers of 5xx are not kept, so such a request can be retried.
//!
//! Keys are scoped by store and credential, so two clients cannot collide, and kept 24 hours.
//!
//! Routes whose answer carries a secret shown once (sign-in tokens, a new API key, an invitation
//! token, a webhook signing secret) refuse the header with 400: storing their answer for replay would keep the secret in
//! clear at rest.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use colmena_sdk::contract::{ErrorCode, MAX_UPLOAD_BYTES};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::api::ApiError;
use crate::{db, AppState};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// How long a key is remembered.
pub const TTL: time::Duration = time::Duration::hours(24);
const MAX_KEY_LENGTH: usize = 255;

/// Whether `method path` answers with a secret shown once, so that its answer must not be kept.
pub fn answer_carries_secret(method: &Method, path: &str) -> bool {
    if path.starts_with("/api/v1/auth/") {
        return true;
    }
    *method == Method::POST
        && path
            .strip_prefix("/api/v1/admin/stores/")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(_, route)| {
                matches!(route, "api-keys" | "users" | "webhooks")
                    || (route.starts_with("webhooks/") && route.ends_with("/rotate-secret"))
            })
}

fn hex_sha256(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Middleware: see the module documentation.
pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mutating = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let Some(key) = request
        .headers()
        .get(HEADER)
        .filter(|_| mutating)
        .map(|value| value.to_str().map(str::to_owned))
    else {
        return next.run(request).await;
    };
    if answer_carries_secret(request.method(), request.uri().path()) {
        return ApiError::invalid_field(
            HEADER,
            "is not accepted here: this route answers with a secret shown once, which is never stored for replay",
        )
        .into_response();
    }
    match handle(&state, key, request, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn handle(
    state: &AppState,
    key: Result<String, axum::http::header::ToStrError>,
    request: Request,
    next: Next,
) -> Result<Response, Response> {
    let key = key
        .ok()
        .filter(|key| !key.is_empty() && key.len() <= MAX_KEY_LENGTH)
        .ok_or_else(|| {
            ApiError::invalid_field(HEADER, "must be 1 to 255 visible ASCII characters")
                .into_response()
        })?;
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_UPLOAD_BYTES).await.map_err(|_| {
        ApiError::new(
            ErrorCode::PayloadTooLarge,
            "the body is larger than any route accepts",
        )
        .into_response()
    })?;
    let credential = parts
        .headers
        .get(header::AUTHORIZATION)
        .map(HeaderValue::as_bytes)
        .unwrap_or_default();
    let path = parts.uri.path();
    let store = path
        .strip_prefix("/api/v1/admin/stores/")
        .or_else(|| path.strip_prefix("/api/v1/stores/"))
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("-");
    let scope = format!("{store}:{}", &hex_sha256(&[credential])[..32]);
    let fingerprint = hex_sha256(&[
        parts.method.as_str().as_bytes(),
        parts.uri.to_string().as_bytes(),
        &bytes,
    ]);
    let db_error = |error: sqlx::Error| ApiError::from(error).into_response();

    // Forget expired keys of this scope, then claim the key (the write comes first).
    let now = time::OffsetDateTime::now_utc();
    sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND created_at < $2")
        .bind(&scope)
        .bind(db::timestamp_text(now - TTL))
        .execute(&state.db.pool)
        .await
        .map_err(db_error)?;
    let claimed = sqlx::query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (scope, key) DO NOTHING",
    )
    .bind(&scope)
    .bind(&key)
    .bind(&fingerprint)
    .bind(db::timestamp_text(now))
    .execute(&state.db.pool)
    .await
    .map_err(db_error)?
    .rows_affected();
    if claimed == 0 {
        return Err(replay(state, &scope, &key, &fingerprint).await);
    }

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let status = response.status();
    if status.is_server_error() {
        // Not kept: the client should be able to retry with the same key.
        let _ = sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2")
            .bind(&scope)
            .bind(&key)
            .execute(&state.db.pool)
            .await;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let stored = sqlx::query(
        "UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3 \
         WHERE scope = $4 AND key = $5",
    )
    .bind(i64::from(status.as_u16()))
    .bind(
        parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    )
    .bind(String::from_utf8_lossy(&body).into_owned())
    .bind(&scope)
    .bind(&key)
    .execute(&state.db.pool)
    .await;
    if let Err(error) = stored {
        tracing::warn!(%error, "cannot store an idempotent answer");
    }
    Ok(Response::from_parts(parts, Body::from(body)))
}

/// The answer to a request whose key was already used.
async fn replay(state: &AppState, scope: &str, key: &str, fingerprint: &str) -> Response {
    let row = sqlx::query(
        "SELECT request_hash, status, content_type, body FROM idempotency_keys \
         WHERE scope = $1 AND key = $2",
    )
    .bind(scope)
    .bind(key)
    .fetch_optional(&state.db.pool)
    .await;
    let row = match row {
        Ok(Some(row)) => row,
        Ok(None) => {
            return ApiError::new(ErrorCode::Conflict, "retry: the earlier request just ended")
                .with_retry_after(1)
                .into_response()
        }
        Err(error) => return ApiError::from(error).into_response(),
    };
    let stored = (|| -> Result<_, sqlx::Error> {
        Ok((
            row.try_get::<String, _>("request_hash")?,
            row.try_get::<Option<i64>, _>("status")?,
            row.try_get::<Option<String>, _>("content_type")?,
            row.try_get::<Option<String>, _>("body")?,
        ))
    })();
    let (hash, status, content_type, body) = match stored {
        Ok(values) => values,
        Err(error) => return ApiError::from(error).into_response(),
    };
    if hash != fingerprint {
        return ApiError::new(
            ErrorCode::IdempotencyKeyReused,
            "this Idempotency-Key was used for a different request; use a new key",
        )
        .into_response();
    }
    let Some(status) = status.and_then(|s| StatusCode::from_u16(u16::try_from(s).ok()?).ok())
    else {
        return ApiError::conflict(
            "a request with this Idempotency-Key is still running; retry shortly",
            "in_progress",
        )
        .with_retry_after(1)
        .into_response();
    };
    let mut response = (status, body.unwrap_or_default()).into_response();
    if let Some(value) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}
