//! The expiry of unpaid orders: cancelled, with their stock released, once their payment time
//! runs out. The same sweeper forgets buyers' ended sessions and old access links.

use std::time::Duration;

use colmena_sdk::contract::{OrderStatus, PaymentStatus};

use super::lifecycle::{change_status, ChangedBy};
use crate::db::uuid_column;
use crate::http::ApiError;
use crate::{db, AppState};

/// Cancels unpaid orders whose payment time ran out, releasing their stock. Returns how many.
pub async fn expire_unpaid_orders(state: &AppState) -> Result<usize, ApiError> {
    let overdue = crate::db::query(
        "SELECT id, store_id FROM orders WHERE status = 'pending_payment' \
         AND payment_expires_at <= $1 ORDER BY payment_expires_at LIMIT 500",
    )
    .bind(db::now())
    .fetch_all(&state.db.pool)
    .await?;
    let mut expired = 0;
    for row in overdue {
        let (order_id, store_id) = (uuid_column(&row, "id")?, uuid_column(&row, "store_id")?);
        let outcome = change_status(
            state,
            store_id,
            order_id,
            OrderStatus::Cancelled,
            Some(PaymentStatus::Expired),
            ChangedBy::System("payment time ran out"),
        )
        .await;
        // A payment settled meanwhile wins; that is not a failure.
        if outcome.is_ok() {
            expired += 1;
        }
    }
    Ok(expired)
}

/// Runs [`expire_unpaid_orders`] in the background, often enough for the payment time limit;
/// drain it on shutdown. Several servers may sweep at once: an order changes status only once
/// (the change is conditional), so the others' attempts find nothing to do.
pub fn spawn_expiry_sweeper(state: AppState) -> crate::retry::OutboxWorker {
    let period =
        (state.commerce.payment_ttl / 4).clamp(Duration::from_secs(1), Duration::from_secs(30));
    crate::retry::OutboxWorker::spawn("expiry", period, Default::default(), move || {
        let state = state.clone();
        async move {
            match expire_unpaid_orders(&state).await {
                Ok(0) => {}
                Ok(count) => {
                    tracing::info!(count, "cancelled unpaid orders past their payment time")
                }
                Err(error) => tracing::warn!(?error, "cannot expire unpaid orders"),
            }
            if let Err(error) = super::customer_access::forget_expired(&state).await {
                tracing::warn!(?error, "cannot forget expired buyer sessions and links");
            }
            // Never a "full batch": the next sweep waits for its period.
            Ok(0)
        }
    })
}
