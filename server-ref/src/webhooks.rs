//! Outbound webhooks for partners: per-store endpoints with their own secret and event filter,
//! an outbox written in the same transaction as the change that caused each event, and a
//! background worker that delivers with retries and exponential backoff, keeping a log of every
//! attempt.
//!
//! Delivery is at least once: an event whose answer was lost (or whose server stopped between
//! sending and recording) is sent again, with the same event id, for the receiver to ignore.
//! Bodies are signed as `colmena_sdk::webhook` describes; endpoint secrets are derived from the
//! server secret (`CapabilityKeys::webhook_secret`) and never stored.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, NoData, PageQuery, Permission, WebhookAttempt, WebhookDelivery,
    WebhookDeliveryStatus, WebhookEndpoint, WebhookEndpointInput, WebhookEndpointPatch,
    WebhookEndpointSecret, WebhookEvent, WebhookEventData, WebhookEventType,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::admin::{page_bounds, AdminContext};
use crate::audit::{Entity, Entry};
use crate::db::{json_column, uuid_column};
use crate::http::{ok, page, ApiError, JsonBody, PathParams, QueryParams};
use crate::{db, AppState};

/// How deliveries are made.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Accept `http://` endpoint URLs (development and tests); production wants `https://`.
    pub allow_http: bool,
    /// Accept endpoints on loopback and private networks (development and tests): without it
    /// only public internet addresses are called (see [`crate::egress`]).
    pub allow_private: bool,
    /// Wait before the second attempt; doubles with each further attempt (at most an hour).
    pub retry_base: Duration,
    /// Attempts before a delivery is marked failed.
    pub max_attempts: u32,
    /// How often the worker looks for due deliveries.
    pub poll_interval: Duration,
    /// Timeout of one attempt.
    pub timeout: Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            allow_http: false,
            allow_private: false,
            retry_base: Duration::from_secs(30),
            max_attempts: 8,
            poll_interval: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
        }
    }
}

/// The request header carrying the signature.
pub const SIGNATURE_HEADER: &str = colmena_sdk::webhook::SIGNATURE_HEADER;
/// How long a rotated-out secret keeps signing.
const ROTATION_OVERLAP: time::Duration = time::Duration::hours(24);
/// A claimed delivery is not picked again for this long, so a stopped server's claim expires.
const CLAIM_LEASE: time::Duration = time::Duration::minutes(2);
const MAX_URL_LENGTH: usize = 2048;

/// Records `event_type` about `data` for every active endpoint of the store that subscribes
/// to it, in the caller's transaction. Nothing is written when no endpoint listens.
pub async fn emit(
    conn: &mut AnyConnection,
    store_id: Uuid,
    event_type: WebhookEventType,
    data: WebhookEventData,
) -> Result<(), ApiError> {
    let endpoints =
        sqlx::query("SELECT id, events FROM webhook_endpoints WHERE store_id = $1 AND active = 1")
            .bind(store_id.to_string())
            .fetch_all(&mut *conn)
            .await?;
    let mut subscribed = Vec::new();
    for row in &endpoints {
        let events: Vec<WebhookEventType> = json_column(row, "events")?;
        if events.contains(&event_type) {
            subscribed.push(uuid_column(row, "id")?);
        }
    }
    if subscribed.is_empty() {
        return Ok(());
    }
    let store: String = sqlx::query("SELECT slug FROM stores WHERE id = $1")
        .bind(store_id.to_string())
        .fetch_one(&mut *conn)
        .await?
        .try_get("slug")?;
    let now = db::now_text();
    let event = WebhookEvent {
        id: Uuid::new_v4(),
        event_type,
        store,
        created_at: now.clone(),
        data,
    };
    let payload = serde_json::to_string(&event)
        .map_err(|e| ApiError::internal(format!("webhook payload: {e}")))?;
    sqlx::query(
        "INSERT INTO webhook_events (id, store_id, type, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(event.id.to_string())
    .bind(store_id.to_string())
    .bind(event_type.as_str())
    .bind(&payload)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    for endpoint in subscribed {
        sqlx::query(
            "INSERT INTO webhook_deliveries (id, store_id, event_id, endpoint_id, status, \
               attempts, next_attempt_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5)",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(store_id.to_string())
        .bind(event.id.to_string())
        .bind(endpoint.to_string())
        .bind(&now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Starts the background worker that delivers due events.
pub fn spawn_delivery_worker(state: AppState) {
    tokio::spawn(async move {
        loop {
            match deliver_due(&state).await {
                // A full batch: more may be due at once.
                Ok(sent) if sent >= BATCH => continue,
                Ok(_) => {}
                Err(error) => tracing::warn!(?error, "webhook delivery round failed"),
            }
            tokio::time::sleep(state.webhooks.poll_interval).await;
        }
    });
}

const BATCH: usize = 20;

/// A delivery claimed for an attempt.
struct Due {
    id: Uuid,
    store_id: Uuid,
    attempts: u32,
    event_id: Uuid,
    event_type: String,
    payload: String,
    endpoint_id: Uuid,
    url: String,
    secret_version: i64,
    previous_secret_until: Option<String>,
}

/// Attempts every due delivery once (up to a batch), concurrently. Returns how many.
pub async fn deliver_due(state: &AppState) -> Result<usize, ApiError> {
    let now = time::OffsetDateTime::now_utc();
    let rows = sqlx::query(
        "SELECT d.id, d.store_id, d.attempts, d.next_attempt_at, d.event_id, e.type, e.payload, \
           w.id AS endpoint_id, w.url, w.secret_version, w.previous_secret_until \
         FROM webhook_deliveries d \
         JOIN webhook_events e ON e.id = d.event_id AND e.store_id = d.store_id \
         JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.store_id = d.store_id \
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.active = 1 \
         ORDER BY d.next_attempt_at LIMIT 20",
    )
    .bind(db::timestamp_text(now))
    .fetch_all(&state.db.pool)
    .await?;
    let mut claimed = Vec::new();
    for row in &rows {
        let due = due_from_row(row)?;
        let was: String = row.try_get("next_attempt_at")?;
        // Claim it: one sender per delivery, even with several servers on one database.
        let won = sqlx::query(
            "UPDATE webhook_deliveries SET next_attempt_at = $1 \
             WHERE id = $2 AND status = 'pending' AND next_attempt_at = $3",
        )
        .bind(db::timestamp_text(now + CLAIM_LEASE))
        .bind(due.id.to_string())
        .bind(&was)
        .execute(&state.db.pool)
        .await?
        .rows_affected();
        if won == 1 {
            claimed.push(due);
        }
    }
    let count = claimed.len();
    let mut attempts = tokio::task::JoinSet::new();
    for due in claimed {
        let state = state.clone();
        attempts.spawn(async move {
            let outcome = attempt(&state, &due).await;
            if let Err(error) = record(&state, &due, outcome).await {
                tracing::warn!(?error, delivery = %due.id, "cannot record a webhook attempt");
            }
        });
    }
    while attempts.join_next().await.is_some() {}
    Ok(count)
}

fn due_from_row(row: &AnyRow) -> Result<Due, sqlx::Error> {
    Ok(Due {
        id: uuid_column(row, "id")?,
        store_id: uuid_column(row, "store_id")?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        event_id: uuid_column(row, "event_id")?,
        event_type: row.try_get("type")?,
        payload: row.try_get("payload")?,
        endpoint_id: uuid_column(row, "endpoint_id")?,
        url: row.try_get("url")?,
        secret_version: row.try_get("secret_version")?,
        previous_secret_until: row.try_get("previous_secret_until")?,
    })
}

/// What one attempt gave.
struct Outcome {
    status_code: Option<u16>,
    error: Option<String>,
    duration: Duration,
}

async fn attempt(state: &AppState, due: &Due) -> Outcome {
    let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let signature = signature_header(state, due, timestamp);
    let started = Instant::now();
    // Literal addresses never reach the client's resolver: check them here.
    let literal = url::Url::parse(&due.url)
        .map_err(|_| "the URL no longer parses".to_owned())
        .and_then(|url| {
            if state.webhooks.allow_private {
                Ok(())
            } else {
                crate::egress::check_literal(&url).map_err(|why| refused_message(&why))
            }
        });
    if let Err(error) = literal {
        return Outcome {
            status_code: None,
            error: Some(error),
            duration: started.elapsed(),
        };
    }
    let sent = state
        .partner_http
        .post(&due.url)
        .timeout(state.webhooks.timeout)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, signature)
        .header("colmena-event-id", due.event_id.to_string())
        .header("colmena-event-type", &due.event_type)
        .body(due.payload.clone())
        .send()
        .await;
    let duration = started.elapsed();
    match sent {
        Ok(response) => Outcome {
            status_code: Some(response.status().as_u16()),
            error: None,
            duration,
        },
        Err(error) => Outcome {
            status_code: None,
            error: Some(if let Some(why) = refusal(&error) {
                refused_message(why)
            } else if error.is_timeout() {
                "timed out".to_owned()
            } else if error.is_connect() {
                "connection failed".to_owned()
            } else {
                "request failed".to_owned()
            }),
            duration,
        },
    }
}

/// How a delivery the egress check refused is logged.
fn refused_message(why: &crate::egress::Refused) -> String {
    match why {
        crate::egress::Refused::Internal { .. } => {
            format!("refused: not a public internet address ({why})")
        }
        crate::egress::Refused::Unresolved(_) => format!("refused: {why}"),
    }
}

/// The egress refusal behind a failed request, if that is why it failed.
fn refusal<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a crate::egress::Refused> {
    let mut source = Some(error);
    while let Some(error) = source {
        if let Some(refused) = error.downcast_ref::<crate::egress::Refused>() {
            return Some(refused);
        }
        source = error.source();
    }
    None
}

/// `t=…,v1=…` with the current secret, plus a second `v1` with the previous secret while a
/// rotation overlaps.
fn signature_header(state: &AppState, due: &Due, timestamp: i64) -> String {
    let keys = &state.keys.capabilities;
    let body = due.payload.as_bytes();
    let secret = keys.webhook_secret(due.endpoint_id, due.secret_version);
    let mut header = colmena_sdk::webhook::sign(&secret, timestamp, body);
    let overlapping = due
        .previous_secret_until
        .as_deref()
        .is_some_and(|until| until > db::now_text().as_str());
    if overlapping {
        let previous = keys.webhook_secret(due.endpoint_id, due.secret_version - 1);
        let old = colmena_sdk::webhook::sign(&previous, timestamp, body);
        if let Some((_, v1)) = old.split_once(",v1=") {
            header.push_str(",v1=");
            header.push_str(v1);
        }
    }
    header
}

async fn record(state: &AppState, due: &Due, outcome: Outcome) -> Result<(), sqlx::Error> {
    let now = time::OffsetDateTime::now_utc();
    let now_text = db::timestamp_text(now);
    let attempts = due.attempts.saturating_add(1);
    let delivered = outcome
        .status_code
        .is_some_and(|code| (200..300).contains(&code));
    let (status, next) = if delivered {
        (WebhookDeliveryStatus::Delivered, None)
    } else if attempts >= state.webhooks.max_attempts {
        (WebhookDeliveryStatus::Failed, None)
    } else {
        let wait = backoff(state.webhooks.retry_base, attempts);
        let wait = time::Duration::try_from(wait).unwrap_or(time::Duration::HOUR);
        (
            WebhookDeliveryStatus::Pending,
            Some(db::timestamp_text(now + wait)),
        )
    };
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO webhook_attempts (id, store_id, delivery_id, attempted_at, status_code, \
           error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(due.store_id.to_string())
    .bind(due.id.to_string())
    .bind(&now_text)
    .bind(outcome.status_code.map(i64::from))
    .bind(outcome.error.as_deref())
    .bind(i64::try_from(outcome.duration.as_millis()).unwrap_or(i64::MAX))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, attempts = $2, last_status_code = $3, \
           last_error = $4, next_attempt_at = $5, delivered_at = $6, updated_at = $7 \
         WHERE id = $8",
    )
    .bind(status.as_str())
    .bind(i64::from(attempts))
    .bind(outcome.status_code.map(i64::from))
    .bind(outcome.error.as_deref())
    .bind(next)
    .bind(delivered.then_some(now_text.clone()))
    .bind(&now_text)
    .bind(due.id.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The wait after `attempts` failed attempts: `base × 2^(attempts-1)`, at most an hour.
fn backoff(base: Duration, attempts: u32) -> Duration {
    base.saturating_mul(2u32.saturating_pow(attempts.saturating_sub(1)))
        .min(Duration::from_secs(3600))
}

// ----- Admin API -----

const ENDPOINT_COLUMNS: &str = "id, url, events, active, created_at, updated_at";

fn endpoint_from_row(row: &AnyRow) -> Result<WebhookEndpoint, sqlx::Error> {
    Ok(WebhookEndpoint {
        id: uuid_column(row, "id")?,
        url: row.try_get("url")?,
        events: json_column(row, "events")?,
        active: row.try_get::<i64, _>("active")? != 0,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

async fn load_endpoint(
    state: &AppState,
    store_id: Uuid,
    endpoint_id: Uuid,
) -> Result<(WebhookEndpoint, i64), ApiError> {
    let row = sqlx::query(&format!(
        "SELECT {ENDPOINT_COLUMNS}, secret_version FROM webhook_endpoints \
         WHERE id = $1 AND store_id = $2"
    ))
    .bind(endpoint_id.to_string())
    .bind(store_id.to_string())
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| ApiError::not_found("webhook endpoint", &endpoint_id.to_string()))?;
    Ok((endpoint_from_row(&row)?, row.try_get("secret_version")?))
}

async fn check_url(state: &AppState, text: &str) -> Result<String, ApiError> {
    let invalid = |message: &str| ApiError::invalid_field("url", message);
    if text.len() > MAX_URL_LENGTH {
        return Err(invalid("is longer than 2048 characters"));
    }
    let url = url::Url::parse(text).map_err(|_| invalid("is not a URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if state.webhooks.allow_http => {}
        _ => return Err(invalid("must be an https:// URL")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("needs a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not carry credentials; authenticate with the signature",
        ));
    }
    if !state.webhooks.allow_private {
        crate::egress::check_url(&url).await.map_err(|why| {
            invalid(&format!(
                "must reach a public internet address, but {why} (a development server may \
                 allow it with --webhook-allow-private)"
            ))
        })?;
    }
    Ok(url.to_string())
}

/// The event filter, sorted and without repeats; at least one type.
fn check_events(events: &[WebhookEventType]) -> Result<Vec<WebhookEventType>, ApiError> {
    if events.is_empty() {
        return Err(ApiError::invalid_field(
            "events",
            "must name at least one event type",
        ));
    }
    let mut events = events.to_vec();
    events.sort();
    events.dedup();
    Ok(events)
}

/// The event filter as stored: a JSON array of type names.
fn events_column(events: &[WebhookEventType]) -> Result<String, ApiError> {
    serde_json::to_string(events).map_err(ApiError::internal)
}

/// The store's webhook endpoints.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/webhooks", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Endpoints (secrets are never shown again)", body = ApiResponse<Vec<WebhookEndpoint>>),
        (status = 403, description = "`FORBIDDEN`: no `webhooks.manage`", body = ApiResponse<NoData>),
    ))]
pub async fn list_endpoints(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<Vec<WebhookEndpoint>>>, ApiError> {
    ctx.require(Permission::WebhooksManage)?;
    let rows = sqlx::query(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE store_id = $1 \
         ORDER BY created_at, id"
    ))
    .bind(ctx.store.id.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    let endpoints = rows
        .iter()
        .map(endpoint_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ok(endpoints))
}

/// Registers an endpoint. Its signing secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/webhooks", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    request_body = WebhookEndpointInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The endpoint and its secret", body = ApiResponse<WebhookEndpointSecret>),
        (status = 400, description = "`VALIDATION_ERROR`: bad URL or no event", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`", body = ApiResponse<NoData>),
    ))]
pub async fn create_endpoint(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<WebhookEndpointInput>,
) -> Result<(StatusCode, Json<ApiResponse<WebhookEndpointSecret>>), ApiError> {
    ctx.require(Permission::WebhooksManage)?;
    let url = check_url(&state, &input.url).await?;
    let events = check_events(&input.events)?;
    let id = Uuid::new_v4();
    let now = db::now_text();
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO webhook_endpoints (id, store_id, url, events, secret_version, active, \
           created_at, updated_at) VALUES ($1, $2, $3, $4, 1, 1, $5, $5)",
    )
    .bind(id.to_string())
    .bind(ctx.store.id.to_string())
    .bind(&url)
    .bind(events_column(&events)?)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let endpoint = WebhookEndpoint {
        id,
        url,
        events,
        active: true,
        created_at: now.clone(),
        updated_at: now,
    };
    ctx.commit(
        &state,
        tx,
        Entry::new("create", Entity::Webhook, id, None::<&()>, Some(&endpoint))?,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        ok(WebhookEndpointSecret {
            secret: state.keys.capabilities.webhook_secret(id, 1),
            endpoint,
        }),
    ))
}

/// Changes an endpoint's URL or event filter, or pauses and resumes it.
#[utoipa::path(patch, path = "/api/v1/admin/stores/{store}/webhooks/{endpointId}", tag = "admin",
    params(("store" = String, Path, description = "Store slug"), ("endpointId" = Uuid, Path, description = "Endpoint id")),
    request_body = WebhookEndpointPatch,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The endpoint", body = ApiResponse<WebhookEndpoint>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn patch_endpoint(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, endpoint_id)): PathParams<(String, Uuid)>,
    JsonBody(patch): JsonBody<WebhookEndpointPatch>,
) -> Result<Json<ApiResponse<WebhookEndpoint>>, ApiError> {
    ctx.require(Permission::WebhooksManage)?;
    let (before, _) = load_endpoint(&state, ctx.store.id, endpoint_id).await?;
    let mut after = before.clone();
    if let Some(url) = &patch.url {
        after.url = check_url(&state, url).await?;
    }
    after.events = check_events(patch.events.as_deref().unwrap_or(&before.events))?;
    if let Some(active) = patch.active {
        after.active = active;
    }
    after.updated_at = db::now_text();
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "UPDATE webhook_endpoints SET url = $1, events = $2, active = $3, updated_at = $4 \
         WHERE id = $5 AND store_id = $6",
    )
    .bind(&after.url)
    .bind(events_column(&after.events)?)
    .bind(i64::from(after.active))
    .bind(&after.updated_at)
    .bind(endpoint_id.to_string())
    .bind(ctx.store.id.to_string())
    .execute(&mut *tx)
    .await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "update",
            Entity::Webhook,
            endpoint_id,
            Some(&before),
            Some(&after),
        )?,
    )
    .await?;
    Ok(ok(after))
}

/// Deletes an endpoint and its pending deliveries.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/webhooks/{endpointId}", tag = "admin",
    params(("store" = String, Path, description = "Store slug"), ("endpointId" = Uuid, Path, description = "Endpoint id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The deleted endpoint", body = ApiResponse<WebhookEndpoint>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn delete_endpoint(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, endpoint_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<WebhookEndpoint>>, ApiError> {
    ctx.require(Permission::WebhooksManage)?;
    let (before, _) = load_endpoint(&state, ctx.store.id, endpoint_id).await?;
    let mut tx = state.db.pool.begin().await?;
    // Deliveries first: SQLite enforces the foreign key only when asked to cascade.
    sqlx::query("DELETE FROM webhook_deliveries WHERE endpoint_id = $1 AND store_id = $2")
        .bind(endpoint_id.to_string())
        .bind(ctx.store.id.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1 AND store_id = $2")
        .bind(endpoint_id.to_string())
        .bind(ctx.store.id.to_string())
        .execute(&mut *tx)
        .await?;
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "delete",
            Entity::Webhook,
            endpoint_id,
            Some(&before),
            None::<&()>,
        )?,
    )
    .await?;
    Ok(ok(before))
}

/// Replaces an endpoint's signing secret. For 24 hours deliveries carry a signature with each
/// secret, so the receiver can switch without losing events.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/webhooks/{endpointId}/rotate-secret", tag = "admin",
    params(("store" = String, Path, description = "Store slug"), ("endpointId" = Uuid, Path, description = "Endpoint id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The endpoint and its new secret", body = ApiResponse<WebhookEndpointSecret>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, endpoint_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<WebhookEndpointSecret>>, ApiError> {
    ctx.require(Permission::WebhooksManage)?;
    let (mut endpoint, version) = load_endpoint(&state, ctx.store.id, endpoint_id).await?;
    let now = time::OffsetDateTime::now_utc();
    endpoint.updated_at = db::timestamp_text(now);
    let mut tx = state.db.pool.begin().await?;
    let rotated = sqlx::query(
        "UPDATE webhook_endpoints SET secret_version = $1, previous_secret_until = $2, \
           updated_at = $3 WHERE id = $4 AND store_id = $5 AND secret_version = $6",
    )
    .bind(version + 1)
    .bind(db::timestamp_text(now + ROTATION_OVERLAP))
    .bind(&endpoint.updated_at)
    .bind(endpoint_id.to_string())
    .bind(ctx.store.id.to_string())
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if rotated != 1 {
        return Err(ApiError::conflict(
            "the secret was rotated meanwhile; read the endpoint again",
            "rotated",
        ));
    }
    let versions = serde_json::json!({ "secretVersion": version + 1 });
    ctx.commit(
        &state,
        tx,
        Entry::new(
            "rotate-secret",
            Entity::Webhook,
            endpoint_id,
            None::<&()>,
            Some(&versions),
        )?,
    )
    .await?;
    Ok(ok(WebhookEndpointSecret {
        secret: state
            .keys
            .capabilities
            .webhook_secret(endpoint_id, version + 1),
        endpoint,
    }))
}

/// The delivery log of an endpoint, newest first: attempts, status codes and the next retry.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/webhooks/{endpointId}/deliveries", tag = "admin",
    params(("store" = String, Path, description = "Store slug"), ("endpointId" = Uuid, Path, description = "Endpoint id"), PageQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of deliveries", body = ApiResponse<Vec<WebhookDelivery>>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, endpoint_id)): PathParams<(String, Uuid)>,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Json<ApiResponse<Vec<WebhookDelivery>>>, ApiError> {
    ctx.require(Permission::WebhooksManage)?;
    load_endpoint(&state, ctx.store.id, endpoint_id).await?;
    let (limit, offset) = page_bounds(query.limit, query.offset)?;
    let store = ctx.store.id.to_string();
    let total: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE store_id = $1 AND endpoint_id = $2",
    )
    .bind(&store)
    .bind(endpoint_id.to_string())
    .fetch_one(&state.db.pool)
    .await?
    .try_get("n")?;
    let rows = sqlx::query(
        "SELECT d.id, d.event_id, e.type, d.status, d.attempts, d.next_attempt_at, \
           d.delivered_at, d.created_at \
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id \
         WHERE d.store_id = $1 AND d.endpoint_id = $2 \
         ORDER BY d.created_at DESC, d.id LIMIT $3 OFFSET $4",
    )
    .bind(&store)
    .bind(endpoint_id.to_string())
    .bind(limit)
    .bind(offset)
    .fetch_all(&state.db.pool)
    .await?;
    // Every attempt of the page's deliveries in one query, grouped by delivery below.
    let attempt_rows = sqlx::query(
        "SELECT delivery_id, attempted_at, status_code, error, duration_ms FROM webhook_attempts \
         WHERE store_id = $1 AND delivery_id IN (SELECT id FROM webhook_deliveries \
           WHERE store_id = $1 AND endpoint_id = $2 ORDER BY created_at DESC, id LIMIT $3 OFFSET $4) \
         ORDER BY attempted_at, id",
    )
    .bind(&store)
    .bind(endpoint_id.to_string())
    .bind(limit)
    .bind(offset)
    .fetch_all(&state.db.pool)
    .await?;
    let mut logs: HashMap<Uuid, Vec<WebhookAttempt>> = HashMap::new();
    for row in &attempt_rows {
        logs.entry(uuid_column(row, "delivery_id")?)
            .or_default()
            .push(WebhookAttempt {
                attempted_at: row.try_get("attempted_at")?,
                status_code: row
                    .try_get::<Option<i64>, _>("status_code")?
                    .and_then(|c| u16::try_from(c).ok()),
                error: row.try_get("error")?,
                duration_ms: u64::try_from(row.try_get::<i64, _>("duration_ms")?).unwrap_or(0),
            });
    }
    let mut deliveries = Vec::with_capacity(rows.len());
    for row in &rows {
        let id = uuid_column(row, "id")?;
        let status: String = row.try_get("status")?;
        let event_type: String = row.try_get("type")?;
        deliveries.push(WebhookDelivery {
            id,
            event_id: uuid_column(row, "event_id")?,
            event_type: WebhookEventType::parse(&event_type)
                .ok_or_else(|| ApiError::internal("unknown webhook event type"))?,
            status: WebhookDeliveryStatus::parse(&status)
                .ok_or_else(|| ApiError::internal("unknown delivery status"))?,
            attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
            next_attempt_at: row.try_get("next_attempt_at")?,
            delivered_at: row.try_get("delivered_at")?,
            created_at: row.try_get("created_at")?,
            log: logs.remove(&id).unwrap_or_default(),
        });
    }
    Ok(page(
        deliveries,
        u64::try_from(total).unwrap_or(0),
        u32::try_from(limit).unwrap_or(20),
        u64::try_from(offset).unwrap_or(0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 5), Duration::from_secs(480));
        assert_eq!(backoff(base, 40), Duration::from_secs(3600));
    }
}
