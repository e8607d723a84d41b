//! Idempotency keys: a mutating request (POST, PUT, PATCH, DELETE) that carries an
//! `Idempotency-Key` header is carried out once. A retry with the same key and the same request
//! gets the stored answer again (with `Idempotent-Replayed: true`) and changes nothing; the same
//! key with a different request is 422 `IDEMPOTENCY_KEY_REUSED`; a retry while the first is still
//! running is 409 `CONFLICT`. Answers of 5xx are not kept, so such a request can be retried.
//!
//! Keys are scoped by store and credential, so two clients cannot collide, and kept 24 hours.
//!
//! A claim is a lease: it lasts as long as a request may run (the request timeout, plus a
//! margin), so a key whose request died with its server (kill -9, power loss) is taken over by
//! the next retry instead of answering "still running" for a day. The retry then runs the
//! handler again; handlers whose work may already be committed (checkout) find it by the key
//! ([`ClaimedKey`]) and finish it rather than doing it twice.
//!
//! A handler may mark its answer [`RebuiltOnReplay`]: only its status is kept, and a replay runs
//! the handler again to rebuild the answer from what was committed. Checkout does this, so that
//! the order token it answers with is never stored in this table.
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

use crate::http::ApiError;
use crate::{db, AppState};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// How long a key is remembered.
pub const TTL: time::Duration = time::Duration::hours(24);
/// How much longer than the request timeout a claim lasts (clock differences between servers).
pub const LEASE_MARGIN: std::time::Duration = std::time::Duration::from_secs(5);

/// The key a request holds, as handlers see it (a request extension): a digest of its scope and
/// key, which is what a handler may record to recognise its own retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedKey(pub String);

/// A response extension: keep only the status; replays run the handler again, which rebuilds
/// the answer from committed state (for answers holding a secret that must not be stored).
#[derive(Debug, Clone, Copy)]
pub struct RebuiltOnReplay;
const MAX_KEY_LENGTH: usize = 255;

/// Whether `method path` answers with a secret shown once, so that its answer must not be kept.
pub fn answer_carries_secret(method: &Method, path: &str) -> bool {
    // Sign-in answers hold tokens; a new store's answer holds its owner's invitation.
    if path.starts_with("/api/v1/auth/")
        || (*method == Method::POST && path == "/api/v1/platform/stores")
    {
        return true;
    }
    *method == Method::POST
        && path
            .strip_prefix("/api/v1/admin/stores/")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(_, route)| {
                matches!(
                    route,
                    "api-keys" | "users" | "webhooks" | "storefront/preview-token"
                ) || (route.starts_with("webhooks/") && route.ends_with("/rotate-secret"))
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

/// One key of one client, and the request that used it.
struct Use {
    scope: String,
    key: String,
    fingerprint: String,
}

impl Use {
    fn claimed_key(&self) -> ClaimedKey {
        ClaimedKey(hex_sha256(&[self.scope.as_bytes(), self.key.as_bytes()]))
    }
}

/// What the key's row says about this request.
enum Claim {
    /// The key is ours: run the request (again, after a takeover).
    Run,
    /// Answered before: replay this.
    Answered(Response),
    /// Answered before with an answer the handler rebuilds: run it for the replay.
    Rebuild,
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
    // The deadlines layer has already read the body within its limit.
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
    let store = crate::http::canonical::store_segment(parts.uri.path()).unwrap_or("-");
    let used = Use {
        scope: format!("{store}:{}", &hex_sha256(&[credential])[..32]),
        key,
        fingerprint: hex_sha256(&[
            parts.method.as_str().as_bytes(),
            parts.uri.to_string().as_bytes(),
            &bytes,
        ]),
    };
    let claim = claim(state, &used)
        .await
        .map_err(IntoResponse::into_response)?;
    let mut request = Request::from_parts(parts, Body::from(bytes));
    request.extensions_mut().insert(used.claimed_key());
    match claim {
        Claim::Answered(response) => Err(response),
        Claim::Rebuild => {
            let mut response = next.run(request).await;
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            Ok(response)
        }
        Claim::Run => Ok(finish(state, &used, next.run(request).await).await),
    }
}

/// Claims the key (a lease until the request must have ended), takes over a lease whose holder
/// died, or reports what an earlier request with this key left.
async fn claim(state: &AppState, used: &Use) -> Result<Claim, ApiError> {
    let now = db::now();
    let lease_until = now + state.idempotency_lease;
    // Forget expired keys of this scope, then claim the key (the write comes first).
    crate::db::query("DELETE FROM idempotency_keys WHERE scope = $1 AND created_at < $2")
        .bind(&used.scope)
        .bind(now - TTL)
        .execute(&state.db.writer)
        .await?;
    let claimed = crate::db::query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, created_at, locked_until) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope, key) DO NOTHING",
    )
    .bind(&used.scope)
    .bind(&used.key)
    .bind(&used.fingerprint)
    .bind(now)
    .bind(lease_until)
    .execute(&state.db.writer)
    .await?
    .rows_affected();
    if claimed == 1 {
        return Ok(Claim::Run);
    }
    // An unanswered claim whose lease ran out belongs to a request that can no longer be
    // running: take it over (compare-and-set, so only one retry does).
    let taken_over = crate::db::query(
        "UPDATE idempotency_keys SET locked_until = $1 \
         WHERE scope = $2 AND key = $3 AND request_hash = $4 AND status IS NULL \
           AND (locked_until IS NULL OR locked_until < $5)",
    )
    .bind(lease_until)
    .bind(&used.scope)
    .bind(&used.key)
    .bind(&used.fingerprint)
    .bind(now)
    .execute(&state.db.writer)
    .await?
    .rows_affected();
    if taken_over == 1 {
        tracing::warn!("taking over an idempotency key whose request died unanswered");
        return Ok(Claim::Run);
    }
    earlier_answer(state, used, now).await
}

/// Keeps the answer for replays (all but 5xx, which free the key for a retry).
async fn finish(state: &AppState, used: &Use, response: Response) -> Response {
    let status = response.status();
    if status.is_server_error() {
        let _ = crate::db::query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2")
            .bind(&used.scope)
            .bind(&used.key)
            .execute(&state.db.writer)
            .await;
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (response, kept_body) = if response.extensions().get::<RebuiltOnReplay>().is_some() {
        (response, None)
    } else {
        let (parts, body) = response.into_parts();
        match to_bytes(body, usize::MAX).await {
            Ok(body) => {
                let text = String::from_utf8_lossy(&body).into_owned();
                (Response::from_parts(parts, Body::from(body)), Some(text))
            }
            Err(error) => return ApiError::internal(error).into_response(),
        }
    };
    let stored = crate::db::query(
        "UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3, rebuilt = $4 \
         WHERE scope = $5 AND key = $6",
    )
    .bind(i64::from(status.as_u16()))
    .bind(content_type)
    .bind(kept_body.as_deref())
    .bind(kept_body.is_none())
    .bind(&used.scope)
    .bind(&used.key)
    .execute(&state.db.writer)
    .await;
    if let Err(error) = stored {
        tracing::warn!(%error, "cannot store an idempotent answer");
    }
    response
}

/// What an earlier request with this key left: its answer, a request still running (409 with
/// the seconds its lease has left), or a different request (422).
async fn earlier_answer(
    state: &AppState,
    used: &Use,
    now: time::OffsetDateTime,
) -> Result<Claim, ApiError> {
    let Some(row) = crate::db::query(
        "SELECT request_hash, status, content_type, body, rebuilt, locked_until \
         FROM idempotency_keys WHERE scope = $1 AND key = $2",
    )
    .bind(&used.scope)
    .bind(&used.key)
    .fetch_optional(&state.db.pool)
    .await?
    else {
        return Err(
            ApiError::new(ErrorCode::Conflict, "retry: the earlier request just ended")
                .with_retry_after(1),
        );
    };
    if row.try_get::<String, _>("request_hash")? != used.fingerprint {
        return Err(ApiError::new(
            ErrorCode::IdempotencyKeyReused,
            "this Idempotency-Key was used for a different request; use a new key",
        ));
    }
    let status = row
        .try_get::<Option<i64>, _>("status")?
        .map(|code| {
            u16::try_from(code)
                .ok()
                .and_then(|code| StatusCode::from_u16(code).ok())
                .ok_or_else(|| ApiError::internal(format!("stored status {code}")))
        })
        .transpose()?;
    let Some(status) = status else {
        let lease_left = row
            .try_get::<Option<String>, _>("locked_until")?
            .and_then(|until| db::parse_timestamp(&until))
            .map_or(1, |until| (until - now).whole_seconds().max(0) + 1);
        return Err(ApiError::conflict(
            "a request with this Idempotency-Key is still running; retry shortly",
            "in_progress",
        )
        .with_retry_after(u64::try_from(lease_left).unwrap_or(1)));
    };
    if row.try_get::<bool, _>("rebuilt")? {
        return Ok(Claim::Rebuild);
    }
    let mut response = (
        status,
        row.try_get::<Option<String>, _>("body")?
            .unwrap_or_default(),
    )
        .into_response();
    if let Some(value) = row
        .try_get::<Option<String>, _>("content_type")?
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    Ok(Claim::Answered(response))
}
