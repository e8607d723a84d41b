//! Shipments and refunds of an order: partial fulfilment with carriers and tracking numbers,
//! refunds by line or by amount, and restocking of returned goods.

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Money, Timestamp};

/// Units of one order line, in a shipment or a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LineQuantity {
    /// The order line.
    pub order_item_id: Uuid,
    /// Units of it.
    pub quantity: u32,
}

/// `POST …/orders/{orderId}/shipments`: a parcel that left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShipmentInput {
    /// The carrier, e.g. "Colissimo" (1 to 100 characters).
    pub carrier: String,
    /// The carrier's tracking number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tracking_number: Option<String>,
    /// Where the buyer follows the parcel (`https://`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tracking_url: Option<String>,
    /// What is in the parcel; empty for everything not shipped yet.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub items: Vec<LineQuantity>,
}

/// A parcel of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Shipment {
    /// Shipment id.
    pub id: Uuid,
    /// The carrier.
    pub carrier: String,
    /// The tracking number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_number: Option<String>,
    /// Where to follow it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
    /// What is in it.
    pub items: Vec<LineQuantity>,
    /// When it was recorded, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

/// `POST …/orders/{orderId}/refunds`: money given back, for returned lines, an amount, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RefundInput {
    /// Lines given back: each refunds what the buyer paid for those units (after discounts,
    /// with their tax).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub items: Vec<LineQuantity>,
    /// An amount refunded besides the lines (shipping, a goodwill gesture), in the order's
    /// currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub amount: Option<Money>,
    /// Whether the returned units go back into stock (default true).
    #[serde(default = "restocked_by_default")]
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub restock: bool,
    /// Why, for the records (up to 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub reason: Option<String>,
}

fn restocked_by_default() -> bool {
    true
}

/// Money given back on an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Refund {
    /// Refund id.
    pub id: Uuid,
    /// How much.
    pub amount: Money,
    /// The lines given back.
    pub items: Vec<LineQuantity>,
    /// Whether they went back into stock.
    pub restocked: bool,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}
