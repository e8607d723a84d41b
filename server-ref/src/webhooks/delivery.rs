//! The delivery worker: claims due deliveries (with a lease), signs and sends them, and
//! records each attempt with exponential backoff.

use crate::db::Row;
use std::time::{Duration, Instant};

use colmena_sdk::contract::WebhookDeliveryStatus;
use uuid::Uuid;

use super::*;
use crate::db::{count_column, uuid_column};
use crate::http::ApiError;
use crate::ops::metrics::{self, DeliveryOutcome};
use crate::{db, AppState};

/// Starts the background worker that delivers due events; drain it on shutdown.
pub fn spawn_delivery_worker(state: AppState) -> crate::retry::OutboxWorker {
    let poll = state.webhooks.poll_interval;
    crate::retry::OutboxWorker::spawn("webhooks", poll, Default::default(), move || {
        let state = state.clone();
        async move { deliver_due(&state).await }
    })
}

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
    previous_secret_until: Option<time::OffsetDateTime>,
}

/// Attempts every due delivery once (up to a batch), concurrently. Returns how many.
pub async fn deliver_due(state: &AppState) -> Result<usize, ApiError> {
    let now = db::now();
    let rows = crate::db::query(
        "SELECT d.id, d.store_id, d.attempts, d.next_attempt_at, d.event_id, e.type, e.payload, \
           w.id AS endpoint_id, w.url, w.secret_version, w.previous_secret_until \
         FROM webhook_deliveries d \
         JOIN webhook_events e ON e.id = d.event_id AND e.store_id = d.store_id \
         JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.store_id = d.store_id \
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.active = TRUE \
         ORDER BY d.next_attempt_at LIMIT $2",
    )
    .bind(now)
    .bind(crate::retry::BATCH as i64)
    .fetch_all(&state.db.pool)
    .await?;
    let lease_until = now + crate::retry::claim_lease(state.webhooks.timeout);
    // One sender per delivery, even with several servers on one database.
    let claimed = crate::retry::claim_due(
        &state.db.writer,
        "webhook_deliveries",
        &rows,
        lease_until,
        |row| due_from_row(row).map(|due| (due.id, due)),
    )
    .await?;
    let count = crate::retry::attempt_all(claimed, |due| {
        let state = state.clone();
        async move {
            let outcome = attempt(&state, &due).await;
            if let Err(error) = record(&state, &due, outcome).await {
                tracing::warn!(?error, delivery = %due.id, "cannot record a webhook attempt");
            }
        }
    })
    .await;
    Ok(count)
}

fn due_from_row(row: &Row) -> Result<Due, sqlx::Error> {
    Ok(Due {
        id: uuid_column(row, "id")?,
        store_id: uuid_column(row, "store_id")?,
        attempts: count_column(row, "attempts")?,
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
        .is_some_and(|until| until > db::now());
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
    let now = db::now();
    let attempts = due.attempts.saturating_add(1);
    let delivered = outcome
        .status_code
        .is_some_and(|code| (200..300).contains(&code));
    let (status, next) = if delivered {
        metrics::delivery("webhook", DeliveryOutcome::Sent);
        (WebhookDeliveryStatus::Delivered, None)
    } else if attempts >= state.webhooks.max_attempts {
        metrics::delivery("webhook", DeliveryOutcome::Failed);
        (WebhookDeliveryStatus::Failed, None)
    } else {
        metrics::delivery("webhook", DeliveryOutcome::Retrying);
        let wait = crate::retry::backoff(state.webhooks.retry_base, attempts);
        let wait = time::Duration::try_from(wait).unwrap_or(time::Duration::HOUR);
        (WebhookDeliveryStatus::Pending, Some(now + wait))
    };
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "INSERT INTO webhook_attempts (id, store_id, delivery_id, attempted_at, status_code, \
           error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::new_v4())
    .bind(due.store_id)
    .bind(due.id)
    .bind(now)
    .bind(outcome.status_code.map(i64::from))
    .bind(outcome.error.as_deref())
    .bind(i64::try_from(outcome.duration.as_millis()).unwrap_or(i64::MAX))
    .execute(&mut *tx)
    .await?;
    crate::db::query(
        "UPDATE webhook_deliveries SET status = $1, attempts = $2, last_status_code = $3, \
           last_error = $4, next_attempt_at = $5, delivered_at = $6, updated_at = $7 \
         WHERE id = $8",
    )
    .bind(status.as_str())
    .bind(i64::from(attempts))
    .bind(outcome.status_code.map(i64::from))
    .bind(outcome.error.as_deref())
    .bind(next)
    .bind(delivered.then_some(now))
    .bind(now)
    .bind(due.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
