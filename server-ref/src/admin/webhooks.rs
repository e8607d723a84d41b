//! Webhook endpoints (admin): created with a URL that must be a public internet address, changed,
//! deleted, their signing secret rotated, and their delivery log, from which a delivery can be
//! sent again.

use crate::db::Row;
use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, NoData, PageQuery, Permission, WebhookAttempt, WebhookDelivery,
    WebhookDeliveryStatus, WebhookEndpoint, WebhookEndpointInput, WebhookEndpointPatch,
    WebhookEndpointSecret, WebhookEventType,
};
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::db::{count_column, decode_error, json_column, total_column, uuid_column};
use crate::http::PageBounds;
use crate::http::{ok, ApiError, JsonBody, PathParams, QueryParams};
use crate::webhooks::*;
use crate::{db, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The webhook endpoint routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_endpoints, create_endpoint))
        .routes(routes!(patch_endpoint, delete_endpoint))
        .routes(routes!(rotate_secret))
        .routes(routes!(list_deliveries))
        .routes(routes!(redeliver))
}

const ENDPOINT_COLUMNS: &str = "id, url, events, active, created_at, updated_at";

fn endpoint_from_row(row: &Row) -> Result<WebhookEndpoint, sqlx::Error> {
    Ok(WebhookEndpoint {
        id: uuid_column(row, "id")?,
        url: row.try_get("url")?,
        events: json_column(row, "events")?,
        active: row.try_get("active")?,
        created_at: row.try_get::<String, _>("created_at")?.into(),
        updated_at: row.try_get::<String, _>("updated_at")?.into(),
    })
}

async fn load_endpoint(
    state: &AppState,
    store_id: Uuid,
    endpoint_id: Uuid,
) -> Result<(WebhookEndpoint, i64), ApiError> {
    let row = crate::db::query(&format!(
        "SELECT {ENDPOINT_COLUMNS}, secret_version FROM webhook_endpoints \
         WHERE id = $1 AND store_id = $2"
    ))
    .bind(endpoint_id)
    .bind(store_id)
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
fn events_column(events: &[WebhookEventType]) -> Result<db::JsonText, ApiError> {
    db::json_text(events).map_err(ApiError::internal)
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
    let rows = crate::db::query(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE store_id = $1 \
         ORDER BY created_at, id"
    ))
    .bind(ctx.store.id)
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
    let now = db::now();
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "INSERT INTO webhook_endpoints (id, store_id, url, events, secret_version, active, \
           created_at, updated_at) VALUES ($1, $2, $3, $4, 1, TRUE, $5, $5)",
    )
    .bind(id)
    .bind(ctx.store.id)
    .bind(&url)
    .bind(events_column(&events)?)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let endpoint = WebhookEndpoint {
        id,
        url,
        events,
        active: true,
        created_at: db::api_time(now),
        updated_at: db::api_time(now),
    };
    ctx.commit(tx, Entry::created(Entity::Webhook, id, &endpoint)?)
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
    let now = db::now();
    after.updated_at = db::api_time(now);
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "UPDATE webhook_endpoints SET url = $1, events = $2, active = $3, updated_at = $4 \
         WHERE id = $5 AND store_id = $6",
    )
    .bind(&after.url)
    .bind(events_column(&after.events)?)
    .bind(after.active)
    .bind(now)
    .bind(endpoint_id)
    .bind(ctx.store.id)
    .execute(&mut *tx)
    .await?;
    ctx.commit(
        tx,
        Entry::updated(Entity::Webhook, endpoint_id, &before, &after)?,
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
    let mut tx = state.db.begin_write().await?;
    // Deliveries first: SQLite enforces the foreign key only when asked to cascade.
    crate::db::query("DELETE FROM webhook_deliveries WHERE endpoint_id = $1 AND store_id = $2")
        .bind(endpoint_id)
        .bind(ctx.store.id)
        .execute(&mut *tx)
        .await?;
    crate::db::query("DELETE FROM webhook_endpoints WHERE id = $1 AND store_id = $2")
        .bind(endpoint_id)
        .bind(ctx.store.id)
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx, Entry::deleted(Entity::Webhook, endpoint_id, &before)?)
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
    let now = db::now();
    endpoint.updated_at = db::api_time(now);
    let mut tx = state.db.begin_write().await?;
    let rotated = crate::db::query(
        "UPDATE webhook_endpoints SET secret_version = $1, previous_secret_until = $2, \
           updated_at = $3 WHERE id = $4 AND store_id = $5 AND secret_version = $6",
    )
    .bind(version + 1)
    .bind(now + ROTATION_OVERLAP)
    .bind(now)
    .bind(endpoint_id)
    .bind(ctx.store.id)
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
    let bounds = PageBounds::new(query.limit, query.offset)?;
    let total = total_column(
        &crate::db::query(
            "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE store_id = $1 AND endpoint_id = $2",
        )
        .bind(ctx.store.id)
        .bind(endpoint_id)
        .fetch_one(&state.db.pool)
        .await?,
        "n",
    )?;
    let rows = crate::db::query(
        "SELECT d.id, d.event_id, e.type, d.status, d.attempts, d.next_attempt_at, \
           d.delivered_at, d.created_at \
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id \
         WHERE d.store_id = $1 AND d.endpoint_id = $2 \
         ORDER BY d.created_at DESC, d.id LIMIT $3 OFFSET $4",
    )
    .bind(ctx.store.id)
    .bind(endpoint_id)
    .bind(bounds.sql_limit())
    .bind(bounds.sql_offset())
    .fetch_all(&state.db.pool)
    .await?;
    // Every attempt of the page's deliveries in one query, grouped by delivery below.
    let attempt_rows = crate::db::query(
        "SELECT delivery_id, attempted_at, status_code, error, duration_ms FROM webhook_attempts \
         WHERE store_id = $1 AND delivery_id IN (SELECT id FROM webhook_deliveries \
           WHERE store_id = $1 AND endpoint_id = $2 ORDER BY created_at DESC, id LIMIT $3 OFFSET $4) \
         ORDER BY attempted_at, id",
    )
    .bind(ctx.store.id)
    .bind(endpoint_id)
    .bind(bounds.sql_limit())
    .bind(bounds.sql_offset())
    .fetch_all(&state.db.pool)
    .await?;
    let mut logs: HashMap<Uuid, Vec<WebhookAttempt>> = HashMap::new();
    for row in &attempt_rows {
        logs.entry(uuid_column(row, "delivery_id")?)
            .or_default()
            .push(WebhookAttempt {
                attempted_at: row.try_get::<String, _>("attempted_at")?.into(),
                status_code: row
                    .try_get::<Option<i64>, _>("status_code")?
                    .map(|code| u16::try_from(code).map_err(|e| decode_error("status_code", e)))
                    .transpose()?,
                error: row.try_get("error")?,
                duration_ms: total_column(row, "duration_ms")?,
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
            attempts: count_column(row, "attempts")?,
            next_attempt_at: row.try_get("next_attempt_at")?,
            delivered_at: row.try_get("delivered_at")?,
            created_at: row.try_get::<String, _>("created_at")?.into(),
            log: logs.remove(&id).unwrap_or_default(),
        });
    }
    Ok(bounds.answer(deliveries, total))
}

/// Sends a delivery's event to the endpoint again, as a new delivery with its own attempts (the
/// one asked for keeps its log). For an endpoint that was down or refused it: receivers that
/// already processed the event recognise its id and skip it.
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver", tag = "admin",
    params(("store" = String, Path, description = "Store slug"), ("endpointId" = Uuid, Path, description = "Endpoint id"), ("deliveryId" = Uuid, Path, description = "Delivery id")),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The new delivery, due now", body = ApiResponse<WebhookDelivery>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the delivery is still pending (its retries are queued)", body = ApiResponse<NoData>),
    ))]
pub async fn redeliver(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, endpoint_id, delivery_id)): PathParams<(String, Uuid, Uuid)>,
) -> Result<(StatusCode, Json<ApiResponse<WebhookDelivery>>), ApiError> {
    ctx.require(Permission::WebhooksManage)?;
    let row = crate::db::query(
        "SELECT d.event_id, d.status, e.type FROM webhook_deliveries d \
         JOIN webhook_events e ON e.id = d.event_id AND e.store_id = d.store_id \
         WHERE d.id = $1 AND d.store_id = $2 AND d.endpoint_id = $3",
    )
    .bind(delivery_id)
    .bind(ctx.store.id)
    .bind(endpoint_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| ApiError::not_found("webhook delivery", &delivery_id.to_string()))?;
    let status: String = row.try_get("status")?;
    if status == WebhookDeliveryStatus::Pending.as_str() {
        return Err(ApiError::conflict(
            "this delivery is still pending: its next attempt is already queued",
            &status,
        ));
    }
    let event_type: String = row.try_get("type")?;
    let now = db::now();
    let delivery = WebhookDelivery {
        id: Uuid::new_v4(),
        event_id: uuid_column(&row, "event_id")?,
        event_type: WebhookEventType::parse(&event_type)
            .ok_or_else(|| ApiError::internal("unknown webhook event type"))?,
        status: WebhookDeliveryStatus::Pending,
        attempts: 0,
        next_attempt_at: Some(db::timestamp_text(now)),
        delivered_at: None,
        created_at: db::api_time(now),
        log: Vec::new(),
    };
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "INSERT INTO webhook_deliveries (id, store_id, event_id, endpoint_id, status, attempts, \
           next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5)",
    )
    .bind(delivery.id)
    .bind(ctx.store.id)
    .bind(delivery.event_id)
    .bind(endpoint_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let entry = Entry::new(
        "redeliver",
        Entity::Webhook,
        endpoint_id,
        Some(&serde_json::json!({ "deliveryId": delivery_id })),
        Some(&serde_json::json!({ "deliveryId": delivery.id, "eventId": delivery.event_id })),
    )?;
    ctx.commit(tx, entry).await?;
    Ok((StatusCode::CREATED, ok(delivery)))
}
