//! The life cycle of an order: each status change with its side effects (stock, downloads),
//! its audit entry, its partner webhooks and its message to the buyer.

use crate::db::Conn;
use colmena_sdk::contract::{
    Order, OrderStatus, PaymentStatus, WebhookEventData, WebhookEventType,
};
use uuid::Uuid;

use super::read::{later, load_order, order_answer, order_status_column};
use crate::audit::{self, Author, Entity, Entry};
use crate::auth::Actor;
use crate::http::ApiError;
use crate::mail::{self, OrderMessage};
use crate::{db, webhooks, AppState};

/// Who changes an order's status. Every change is in the audit log, so that it holds the
/// order's whole history (`GET …/orders/{orderId}/events`).
#[derive(Debug, Clone, Copy)]
pub enum ChangedBy<'a> {
    /// Staff, through the admin API, with the action's name (`update_status`, `refund`).
    Staff(&'a Actor, &'static str),
    /// The server itself, on behalf of `who`: checkout, a payment provider, the expiry of unpaid
    /// orders.
    System(&'a str),
}

/// Moves an order from its current status to `next`, with the side effects of that step:
/// cancelling an unpaid order releases its stock, paying issues download tokens, refunding
/// revokes them. `payment` updates the payment status. The audit entry (`by`), the partner
/// webhooks, the buyer's email and the change commit together.
pub async fn change_status(
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    next: OrderStatus,
    payment: Option<PaymentStatus>,
    by: ChangedBy<'_>,
) -> Result<Order, ApiError> {
    let mut tx = state.db.begin_write().await?;
    change_status_in(&mut tx, state, store_id, order_id, next, payment, by).await?;
    tx.commit().await?;
    state.cache.invalidate();
    // A paid order thanks its conversation's buyer.
    state.chat_outbox.wake();
    order_answer(state, store_id, order_id).await
}

/// [`change_status`] inside the caller's transaction (which also records, say, the payment
/// provider's event), emitting the partner webhooks of the change. A change the life cycle
/// forbids is 409 `CONFLICT`.
pub async fn change_status_in(
    tx: &mut Conn,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    next: OrderStatus,
    payment: Option<PaymentStatus>,
    by: ChangedBy<'_>,
) -> Result<(), ApiError> {
    // Lock the order row with a write before reading it: a SQLite transaction that reads first
    // cannot take the write lock while another writer (the webhook worker) is active, and on
    // PostgreSQL this serialises concurrent changes of the order.
    crate::db::query("UPDATE orders SET updated_at = updated_at WHERE id = $1 AND store_id = $2")
        .bind(order_id)
        .bind(store_id)
        .execute(&mut *tx)
        .await?;
    let current = crate::db::query("SELECT status FROM orders WHERE id = $1 AND store_id = $2")
        .bind(order_id)
        .bind(store_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))
        .and_then(|row| order_status_column(&row))?;
    let refuse = |current: OrderStatus| {
        ApiError::conflict(
            format!("an order that is {current} cannot become {next}"),
            current.as_str(),
        )
    };
    if !current.can_become(next) {
        return Err(refuse(current));
    }
    let now = db::now();
    let paid_at = if next == OrderStatus::Paid {
        ", paid_at = $4"
    } else {
        ""
    };
    let payment_status = if payment.is_some() {
        ", payment_status = $6"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE orders SET status = $1, updated_at = $4{paid_at}{payment_status} \
         WHERE id = $2 AND store_id = $3 AND status = $5"
    );
    let mut update = crate::db::query(&sql)
        .bind(next.as_str())
        .bind(order_id)
        .bind(store_id)
        .bind(now)
        .bind(current.as_str());
    if let Some(payment) = payment {
        update = update.bind(payment.as_str());
    }
    if update.execute(&mut *tx).await?.rows_affected() != 1 {
        // Someone else changed it between the read and the update.
        return Err(refuse(current));
    }
    match next {
        OrderStatus::Cancelled => {
            release_stock(&mut *tx, store_id, order_id, now).await?;
            crate::pricing::discounts::release(&mut *tx, store_id, order_id).await?;
        }
        OrderStatus::Paid => {
            issue_downloads(&mut *tx, state, store_id, order_id, now).await?;
            crate::chat::conversations::order_paid(&mut *tx, store_id, order_id).await?;
        }
        OrderStatus::Refunded => {
            crate::db::query(
                "UPDATE download_tokens SET revoked_at = $1 \
                 WHERE store_id = $2 AND order_id = $3 AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(store_id)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        }
        OrderStatus::PendingPayment | OrderStatus::Fulfilled => {}
    }
    let (author, action) = match by {
        ChangedBy::Staff(actor, action) => (Author::Credential(actor), action),
        ChangedBy::System(who) => (Author::System(who), "update_status"),
    };
    let entry = Entry {
        action,
        entity: Entity::Order,
        entity_id: order_id.to_string(),
        old_values: Some(serde_json::json!({ "status": current })),
        new_values: Some(serde_json::json!({ "status": next, "payment": payment })),
    };
    audit::record(&mut *tx, store_id, author, &entry).await?;
    emit_order_events(&mut *tx, state, store_id, order_id, next).await?;
    mail_buyer(tx, state, store_id, order_id, next, payment).await
}

/// The buyer's message about their order reaching `status`, written to the mail outbox in the
/// change's transaction.
async fn mail_buyer(
    tx: &mut Conn,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    status: OrderStatus,
    payment: Option<PaymentStatus>,
) -> Result<(), ApiError> {
    let message = match (status, payment) {
        (OrderStatus::Paid, _) => OrderMessage::Confirmation,
        (OrderStatus::Cancelled, Some(PaymentStatus::Failed)) => OrderMessage::PaymentFailed,
        (OrderStatus::Refunded, _) => OrderMessage::Refunded,
        // `Fulfilled` will send the "shipped" message (carrier and tracking) once fulfilment
        // records shipments: an `OrderMessage` variant and its texts. Unpaid orders that
        // expire or staff cancel send nothing.
        _ => return Ok(()),
    };
    let order = load_order(&mut *tx, state, store_id, order_id)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))?;
    mail::enqueue_order_message(tx, store_id, message, &order).await
}

/// Records a new order (`pending_payment`) in the audit log and emits `order.created`, in the
/// checkout's transaction.
pub(super) async fn order_placed(
    tx: &mut Conn,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
) -> Result<(), ApiError> {
    let entry = Entry {
        action: "create",
        entity: Entity::Order,
        entity_id: order_id.to_string(),
        old_values: None,
        new_values: Some(serde_json::json!({ "status": OrderStatus::PendingPayment })),
    };
    audit::record(&mut *tx, store_id, Author::System("checkout"), &entry).await?;
    emit_order_events(tx, state, store_id, order_id, OrderStatus::PendingPayment).await
}

/// The partner webhooks of an order reaching `status`.
async fn emit_order_events(
    tx: &mut Conn,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    status: OrderStatus,
) -> Result<(), ApiError> {
    let event = match status {
        OrderStatus::PendingPayment => WebhookEventType::OrderCreated,
        OrderStatus::Paid => WebhookEventType::OrderPaid,
        OrderStatus::Refunded => WebhookEventType::OrderRefunded,
        OrderStatus::Fulfilled => WebhookEventType::OrderFulfilled,
        OrderStatus::Cancelled => return Ok(()),
    };
    let order = load_order(&mut *tx, state, store_id, order_id)
        .await?
        .ok_or_else(|| ApiError::not_found("order", &order_id.to_string()))?;
    if status == OrderStatus::Paid {
        for download in &order.downloads {
            let data = WebhookEventData {
                order_id: Some(order_id),
                download: Some(download.clone()),
                ..WebhookEventData::default()
            };
            webhooks::emit(&mut *tx, store_id, WebhookEventType::DownloadCreated, data).await?;
        }
    }
    let data = WebhookEventData {
        order: Some(order),
        ..WebhookEventData::default()
    };
    webhooks::emit(tx, store_id, event, data).await
}

/// Gives the units of an order back to its tracked variants.
async fn release_stock(
    conn: &mut Conn,
    store_id: Uuid,
    order_id: Uuid,
    now: time::OffsetDateTime,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE product_variants SET updated_at = $3, inventory = inventory + \
           (SELECT SUM(oi.quantity) FROM order_items oi \
             WHERE oi.store_id = $1 AND oi.order_id = $2 AND oi.variant_id = product_variants.id) \
         WHERE store_id = $1 AND inventory IS NOT NULL AND id IN \
           (SELECT variant_id FROM order_items WHERE store_id = $1 AND order_id = $2)",
    )
    .bind(store_id)
    .bind(order_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// One download token per digital line of a just-paid order.
async fn issue_downloads(
    conn: &mut Conn,
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    now: time::OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let files = crate::db::query(
        "SELECT oi.id, oi.product_id, p.digital_file_key, p.digital_file_name \
         FROM order_items oi JOIN products p ON p.id = oi.product_id AND p.store_id = oi.store_id \
         WHERE oi.store_id = $1 AND oi.order_id = $2 AND oi.digital = TRUE \
           AND p.digital_file_key IS NOT NULL ORDER BY oi.position",
    )
    .bind(store_id)
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    let expires = later(state.commerce.download_ttl);
    for file in files {
        crate::db::query(
            "INSERT INTO download_tokens (id, store_id, order_id, order_item_id, product_id, \
               file_key, file_name, expires_at, download_count, max_downloads, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10)",
        )
        .bind(Uuid::new_v4())
        .bind(store_id)
        .bind(order_id)
        .bind(file.try_get::<Uuid, _>("id")?)
        .bind(file.try_get::<Uuid, _>("product_id")?)
        .bind(file.try_get::<String, _>("digital_file_key")?)
        .bind(
            file.try_get::<Option<String>, _>("digital_file_name")?
                .unwrap_or_else(|| "download".to_owned()),
        )
        .bind(expires)
        .bind(i64::from(state.commerce.max_downloads))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
