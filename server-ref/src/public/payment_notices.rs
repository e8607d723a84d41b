//! `POST /api/v1/webhooks/stripe`: Stripe's notices, whose signature is verified before they
//! move orders through their life cycle.
//!
//! Events handled: `checkout.session.completed` and `checkout.session.async_payment_succeeded`
//! (paid), `checkout.session.expired` and `checkout.session.async_payment_failed` (cancelled,
//! stock released) and `charge.refunded` (refunded). `payment_intent.payment_failed` is
//! acknowledged without cancelling: within a Checkout Session the customer may try another
//! card, and the session's expiry ends the order if they do not.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, ErrorCode, NoData, OrderStatus, PaymentStatus, ProviderEventReceipt,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::db::uuid_column;
use crate::http::{ok, ApiError};
use crate::payments::stripe::*;
use crate::{db, orders, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The payment provider notice routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(webhook))
}

/// The part of a Stripe event this server reads.
#[derive(Debug, Deserialize)]
struct StripeEvent {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    /// The connected account the event happened on (Connect).
    account: Option<String>,
    data: StripeEventData,
}

#[derive(Debug, Deserialize)]
struct StripeEventData {
    object: StripeObject,
}

/// Fields of the Checkout Session or Charge an event carries.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StripeObject {
    id: String,
    client_reference_id: Option<String>,
    metadata: std::collections::HashMap<String, String>,
    payment_status: Option<String>,
    payment_intent: Option<String>,
}

/// What an event asks of an order.
struct Transition {
    next: OrderStatus,
    payment: PaymentStatus,
}

/// Receives Stripe's webhook deliveries (configure this URL in Stripe with the events above).
#[utoipa::path(post, path = "/api/v1/webhooks/stripe", tag = "checkout",
    params(("Stripe-Signature" = String, Header, description = "`t=…,v1=…` as Stripe signs")),
    request_body(content = String, description = "The event, exactly as Stripe sent it", content_type = "application/json"),
    responses(
        (status = 200, description = "Received (also for repeats and event types not acted on)", body = ApiResponse<ProviderEventReceipt>),
        (status = 400, description = "`VALIDATION_ERROR`: no or malformed signature header, or not an event", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: the signature does not verify or is too old", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: the event's account is not the order's store", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`: Stripe is not configured, or no such order", body = ApiResponse<NoData>),
    ))]
pub async fn webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ApiResponse<ProviderEventReceipt>>, ApiError> {
    let config = state
        .stripe
        .as_ref()
        .ok_or_else(|| ApiError::not_found("payment provider", STRIPE_PROVIDER))?;
    let signature = headers
        .get("stripe-signature")
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| ApiError::invalid_field("Stripe-Signature", "is required"))?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    colmena_sdk::webhook::verify(
        &config.webhook_secret,
        signature,
        &body,
        now,
        SIGNATURE_TOLERANCE,
    )
    .map_err(|error| match error {
        colmena_sdk::webhook::WebhookError::MalformedHeader
        | colmena_sdk::webhook::WebhookError::NoSignature => {
            ApiError::invalid_field("Stripe-Signature", error)
        }
        _ => ApiError::new(
            ErrorCode::Unauthorized,
            format!("Stripe-Signature: {error}"),
        ),
    })?;
    let event: StripeEvent = serde_json::from_slice(&body)
        .map_err(|e| ApiError::invalid_field("body", format!("is not a Stripe event: {e}")))?;
    let receipt = |applied, duplicate| {
        ok(ProviderEventReceipt {
            event_id: event.id.clone(),
            applied,
            duplicate,
        })
    };
    let object = &event.data.object;
    let transition = match event.event_type.as_str() {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded"
            if object.payment_status.as_deref() == Some("paid") =>
        {
            Some(Transition {
                next: OrderStatus::Paid,
                payment: PaymentStatus::Succeeded,
            })
        }
        "checkout.session.expired" => Some(Transition {
            next: OrderStatus::Cancelled,
            payment: PaymentStatus::Expired,
        }),
        "checkout.session.async_payment_failed" => Some(Transition {
            next: OrderStatus::Cancelled,
            payment: PaymentStatus::Failed,
        }),
        "charge.refunded" => Some(Transition {
            next: OrderStatus::Refunded,
            payment: PaymentStatus::Refunded,
        }),
        _ => None,
    };
    let Some(transition) = transition else {
        return Ok(receipt(false, false));
    };

    // The order the event is about, and the checks that it belongs with the event.
    let refund = transition.next == OrderStatus::Refunded;
    let order = if refund {
        let intent = object
            .payment_intent
            .as_deref()
            .ok_or_else(|| ApiError::invalid_field("data.object.payment_intent", "is required"))?;
        crate::db::query(
            "SELECT id, store_id, payment_provider, payment_reference FROM orders \
             WHERE payment_intent = $1",
        )
        .bind(intent)
        .fetch_optional(&state.db.pool)
        .await?
    } else {
        let order_id = object
            .metadata
            .get("order_id")
            .or(object.client_reference_id.as_ref())
            .and_then(|id| Uuid::parse_str(id).ok())
            .ok_or_else(|| {
                ApiError::invalid_field("data.object.metadata.order_id", "is required")
            })?;
        crate::db::query(
            "SELECT id, store_id, payment_provider, payment_reference FROM orders WHERE id = $1",
        )
        .bind(order_id)
        .fetch_optional(&state.db.pool)
        .await?
    }
    .ok_or_else(|| ApiError::not_found("order", &object.id))?;
    let order_id = uuid_column(&order, "id")?;
    let store_id = uuid_column(&order, "store_id")?;
    let store_account: Option<String> =
        crate::db::query("SELECT stripe_account_id FROM stores WHERE id = $1")
            .bind(store_id)
            .fetch_one(&state.db.pool)
            .await?
            .try_get("stripe_account_id")?;
    let provider: String = order.try_get("payment_provider")?;
    let reference: Option<String> = order.try_get("payment_reference")?;
    let same_session = refund || reference.as_deref() == Some(object.id.as_str());
    if event.account != store_account || provider != STRIPE_PROVIDER || !same_session {
        tracing::warn!(event = %event.id, %order_id, "Stripe event refused: not this store's order");
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "the event's account or session is not the order's",
        ));
    }

    // Record the event and apply it in one transaction: a repeat finds the event recorded.
    let mut tx = state.db.begin_write().await?;
    let first = crate::db::query(
        "INSERT INTO stripe_events (id, store_id, type, received_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&event.id)
    .bind(store_id)
    .bind(&event.event_type)
    .bind(db::now())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !first {
        tx.commit().await?;
        return Ok(receipt(false, true));
    }
    if let Some(intent) = object.payment_intent.as_deref().filter(|_| !refund) {
        crate::db::query("UPDATE orders SET payment_intent = $1 WHERE id = $2 AND store_id = $3")
            .bind(intent)
            .bind(order_id)
            .bind(store_id)
            .execute(&mut *tx)
            .await?;
    }
    let applied = orders::change_status_in(
        &mut tx,
        &state,
        store_id,
        order_id,
        transition.next,
        Some(transition.payment),
        orders::ChangedBy::System("payment: stripe"),
    )
    .await;
    let applied = match applied {
        Ok(()) => true,
        // The life cycle already moved on (e.g. refunded from the admin API first).
        Err(error) if error.code() == ErrorCode::Conflict => false,
        Err(error) => return Err(error),
    };
    tx.commit().await?;
    state.cache.invalidate();
    // A paid order thanks its conversation's buyer.
    state.chat_outbox.wake();
    Ok(receipt(applied, false))
}
