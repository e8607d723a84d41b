//! The outbox: each event written in the same transaction as the change that caused it.

use crate::db::Conn;
use colmena_sdk::contract::{WebhookEvent, WebhookEventData, WebhookEventType};
use uuid::Uuid;

use crate::db;
use crate::db::{json_column, uuid_column};
use crate::http::ApiError;

/// Records `event_type` about `data` for every active endpoint of the store that subscribes
/// to it, in the caller's transaction. Nothing is written when no endpoint listens.
pub async fn emit(
    conn: &mut Conn,
    store_id: Uuid,
    event_type: WebhookEventType,
    data: WebhookEventData,
) -> Result<(), ApiError> {
    let endpoints = crate::db::query(
        "SELECT id, events FROM webhook_endpoints WHERE store_id = $1 AND active = TRUE",
    )
    .bind(store_id)
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
    let store: String = crate::db::query("SELECT slug FROM stores WHERE id = $1")
        .bind(store_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("slug")?;
    let now = db::now();
    let event = WebhookEvent {
        id: Uuid::new_v4(),
        event_type,
        store,
        created_at: db::api_time(now),
        data,
    };
    let payload = serde_json::to_string(&event)
        .map_err(|e| ApiError::internal(format!("webhook payload: {e}")))?;
    crate::db::query(
        "INSERT INTO webhook_events (id, store_id, type, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(event.id)
    .bind(store_id)
    .bind(event_type.as_str())
    .bind(&payload)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    for endpoint in subscribed {
        crate::db::query(
            "INSERT INTO webhook_deliveries (id, store_id, event_id, endpoint_id, status, \
               attempts, next_attempt_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5)",
        )
        .bind(Uuid::new_v4())
        .bind(store_id)
        .bind(event.id)
        .bind(endpoint)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
