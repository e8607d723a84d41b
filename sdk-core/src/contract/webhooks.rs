//! Outbound webhooks: the events Colmena sends to partners' endpoints, the endpoints' admin
//! types and the delivery log. Signatures are described in [`crate::webhook`].

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Download, Order, Product, StorefrontVersion, Timestamp};

/// What happened, as the `type` of an event and the filter of an endpoint.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Decode, Encode,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WebhookEventType {
    /// An order was placed (awaiting payment).
    #[serde(rename = "order.created")]
    OrderCreated,
    /// An order's payment succeeded.
    #[serde(rename = "order.paid")]
    OrderPaid,
    /// An order was refunded.
    #[serde(rename = "order.refunded")]
    OrderRefunded,
    /// An order was fulfilled.
    #[serde(rename = "order.fulfilled")]
    OrderFulfilled,
    /// A download link was issued for a paid digital item.
    #[serde(rename = "download.created")]
    DownloadCreated,
    /// A product, one of its variants, images or file changed.
    #[serde(rename = "product.updated")]
    ProductUpdated,
    /// A storefront version was published (a rollback too): live now, or scheduled for its
    /// `publishAt`.
    #[serde(rename = "storefront.published")]
    StorefrontPublished,
}

impl WebhookEventType {
    /// Every event type.
    pub const ALL: [Self; 7] = [
        Self::OrderCreated,
        Self::OrderPaid,
        Self::OrderRefunded,
        Self::OrderFulfilled,
        Self::DownloadCreated,
        Self::ProductUpdated,
        Self::StorefrontPublished,
    ];

    /// The type as sent, e.g. `order.paid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrderCreated => "order.created",
            Self::OrderPaid => "order.paid",
            Self::OrderRefunded => "order.refunded",
            Self::OrderFulfilled => "order.fulfilled",
            Self::DownloadCreated => "download.created",
            Self::ProductUpdated => "product.updated",
            Self::StorefrontPublished => "storefront.published",
        }
    }

    /// Parses a type as sent, e.g. `order.paid`.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }
}

/// One event, the body of a delivery (`POST` to the endpoint, signed in `Colmena-Signature`).
/// Deliveries are at least once: use `id` to ignore a repeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEvent {
    /// Event id, the same in every retry of its delivery.
    pub id: Uuid,
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: WebhookEventType,
    /// The store's slug.
    pub store: String,
    /// When it happened, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    /// The object concerned.
    pub data: WebhookEventData,
}

/// The object of an event: `order` for `order.*`, `product` for `product.updated`, `orderId`
/// and `download` for `download.created`, `storefrontVersion` for `storefront.published`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEventData {
    /// The order, as it is after the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Order>,
    /// The order a download belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<Uuid>,
    /// The download link issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download: Option<Download>,
    /// The product, as shoppers see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// The storefront version published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storefront_version: Option<StorefrontVersion>,
}

/// A partner's endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpoint {
    /// Id.
    pub id: Uuid,
    /// Where events are posted (`https://`).
    pub url: String,
    /// The event types sent to it.
    pub events: Vec<WebhookEventType>,
    /// Whether events are sent to it.
    pub active: bool,
    /// Creation time, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    /// Time of the last change, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// `POST …/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpointInput {
    /// Where to post events: an `https://` URL (`http://` only on servers that allow it).
    pub url: String,
    /// The event types to send, at least one.
    pub events: Vec<WebhookEventType>,
}

/// `PATCH …/webhooks/{endpointId}`; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpointPatch {
    /// New URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// New event filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<WebhookEventType>>,
    /// Pause (`false`) or resume (`true`) deliveries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// An endpoint with its signing secret, shown only in this answer (creation or rotation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpointSecret {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// The signing secret (`whsec_…`). After a rotation the previous one also signs for 24 h.
    pub secret: String,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WebhookDeliveryStatus {
    /// Not delivered yet; `nextAttemptAt` says when it is tried.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Every attempt failed; no more are made.
    Failed,
}

impl WebhookDeliveryStatus {
    /// The status as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    /// Parses a stored status.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "pending" => Some(Self::Pending),
            "delivered" => Some(Self::Delivered),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// One event's delivery to one endpoint, with every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    /// Id.
    pub id: Uuid,
    /// The event delivered.
    pub event_id: Uuid,
    /// Its type.
    pub event_type: WebhookEventType,
    /// Where it stands.
    pub status: WebhookDeliveryStatus,
    /// Attempts made.
    pub attempts: u32,
    /// When the next attempt is due (pending deliveries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    /// When the endpoint accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    /// Creation time (the event's), RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    /// Every attempt, oldest first.
    pub log: Vec<WebhookAttempt>,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookAttempt {
    /// When it was made, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub attempted_at: Timestamp,
    /// The endpoint's HTTP status, when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// Why it failed without an answer (connection refused, timeout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
}

/// How a store takes payments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentSettings {
    /// `test` (the built-in provider) or `stripe`.
    pub provider: String,
    /// The store's Stripe Connect account (`acct_…`), charged through the platform's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stripe_account_id: Option<String>,
}

/// The server's answer to a payment provider's webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderEventReceipt {
    /// The provider's event id.
    pub event_id: String,
    /// Whether the event changed an order (`false` for types Colmena does not act on, and for
    /// changes the order's life cycle had already made).
    pub applied: bool,
    /// Whether this event was received before; a repeat changes nothing.
    pub duplicate: bool,
}
