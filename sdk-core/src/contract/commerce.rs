//! Variants, carts, checkout, orders and downloads: the selling half of the contract.

use std::collections::BTreeMap;

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Money, ProductImage};

/// Largest quantity of one variant in a cart line.
pub const MAX_LINE_QUANTITY: u32 = 999;

/// Longest accepted customer email.
pub const MAX_EMAIL_LENGTH: usize = 254;

/// One purchasable version of a product: a size, a colour, a format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductVariant {
    /// Variant id: what a cart line refers to.
    pub id: Uuid,
    /// Stock-keeping unit, unique within the store.
    pub sku: String,
    /// Display title, e.g. `M` or `Natural / Large`; `Default` for single-variant products.
    pub title: String,
    /// Option values by option name, e.g. `{"Size": "M"}`; empty for single-variant products.
    pub options: BTreeMap<String, String>,
    /// Price of this variant.
    pub price: Money,
    /// Former price, shown struck through, when this variant is on sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<Money>,
    /// Units that can still be bought; absent when the store does not track stock for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<u32>,
    /// Whether at least one unit can be bought.
    pub in_stock: bool,
}

/// Whether a cart still accepts changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CartStatus {
    /// Items can be added, changed and removed.
    Open,
    /// Checkout turned the cart into an order; it is read-only.
    CheckedOut,
}

impl CartStatus {
    /// The status as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::CheckedOut => "checked_out",
        }
    }

    /// Parses a stored status.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "open" => Some(Self::Open),
            "checked_out" => Some(Self::CheckedOut),
            _ => None,
        }
    }
}

/// A shopping cart. Every amount is computed by the server from current prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cart {
    /// Cart id; knowing it is what gives access to the cart, so keep it private.
    pub id: Uuid,
    /// Open, or checked out.
    pub status: CartStatus,
    /// ISO 4217 currency of every amount in the cart (the store's).
    pub currency: String,
    /// The lines, oldest first.
    pub items: Vec<CartItem>,
    /// Total number of units over all lines.
    pub item_count: u32,
    /// Sum of the line totals.
    pub subtotal: Money,
    /// What checkout will charge (the subtotal: no shipping or tax in this version).
    pub total: Money,
    /// Creation time, RFC 3339 in UTC.
    pub created_at: String,
    /// Time of the last change, RFC 3339 in UTC.
    pub updated_at: String,
}

/// One line of a cart: a variant and a quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartItem {
    /// Line id, for `PATCH` and `DELETE`.
    pub id: Uuid,
    /// The product.
    pub product_id: Uuid,
    /// The product's slug, for links.
    pub product_slug: String,
    /// The product's name.
    pub product_name: String,
    /// The variant.
    pub variant_id: Uuid,
    /// The variant's title.
    pub variant_title: String,
    /// The variant's SKU.
    pub sku: String,
    /// Units of the variant.
    pub quantity: u32,
    /// Current price of one unit.
    pub unit_price: Money,
    /// `unit_price × quantity`.
    pub line_total: Money,
    /// Units that can still be bought; absent when stock is not tracked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<u32>,
    /// Whether the product is delivered as a download.
    pub digital: bool,
    /// The product's main image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ProductImage>,
}

/// `POST /api/v1/stores/{store}/carts`: an optional first line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateCartRequest {
    /// Lines to start the cart with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<AddCartItemRequest>,
}

/// `POST /api/v1/stores/{store}/carts/{cartId}/items`. Adding a variant already in the cart
/// adds to that line's quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddCartItemRequest {
    /// The variant to add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<Uuid>,
    /// Or a product with a single variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<Uuid>,
    /// Units to add, 1 to [`MAX_LINE_QUANTITY`].
    pub quantity: u32,
}

/// `PATCH /api/v1/stores/{store}/carts/{cartId}/items/{itemId}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateCartItemRequest {
    /// The line's new quantity, 1 to [`MAX_LINE_QUANTITY`] (remove a line with `DELETE`).
    pub quantity: u32,
}

/// `POST /api/v1/stores/{store}/checkout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutRequest {
    /// The cart to buy.
    pub cart_id: Uuid,
    /// Where the receipt and download links go.
    pub email: String,
    /// The total the customer saw. When given and the server's total differs (a price
    /// changed), checkout is refused with `PRICE_CHANGED` instead of charging a surprise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_total: Option<Money>,
    /// Where a hosted payment page (Stripe) sends the customer back: a URL on one of the
    /// store's allowed origins. Default: the server's own page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
}

/// The answer to a checkout: the new order, the token to read it, and the payment to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutSession {
    /// The order, `pending_payment` until the payment succeeds.
    pub order: Order,
    /// Secret that lets the customer read the order (`x-order-token` header).
    pub order_token: String,
}

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrderStatus {
    /// Created by checkout; stock is reserved until the payment succeeds or expires.
    PendingPayment,
    /// Paid; digital items can be downloaded.
    Paid,
    /// Shipped or delivered.
    Fulfilled,
    /// Cancelled before payment (or the payment failed or expired); stock was released.
    Cancelled,
    /// Paid, then refunded; downloads are revoked.
    Refunded,
}

impl OrderStatus {
    /// Every status, in life-cycle order.
    pub const ALL: [Self; 5] = [
        Self::PendingPayment,
        Self::Paid,
        Self::Fulfilled,
        Self::Cancelled,
        Self::Refunded,
    ];

    /// The status as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingPayment => "pending_payment",
            Self::Paid => "paid",
            Self::Fulfilled => "fulfilled",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
        }
    }

    /// Parses a stored status.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    /// Whether an order may move from `self` to `next`. Cancelled and refunded are final.
    pub fn can_become(self, next: Self) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (PendingPayment, Paid)
                | (PendingPayment, Cancelled)
                | (Paid, Fulfilled)
                | (Paid, Refunded)
                | (Fulfilled, Refunded)
        )
    }
}

impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a payment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PaymentStatus {
    /// Waiting for the customer to pay.
    Pending,
    /// The money was taken.
    Succeeded,
    /// The provider refused the payment.
    Failed,
    /// Nobody paid in time; the order was cancelled.
    Expired,
    /// The money was given back.
    Refunded,
    /// The order was cancelled before payment.
    Cancelled,
}

impl PaymentStatus {
    /// Every status.
    pub const ALL: [Self; 6] = [
        Self::Pending,
        Self::Succeeded,
        Self::Failed,
        Self::Expired,
        Self::Refunded,
        Self::Cancelled,
    ];

    /// The status as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Expired => "expired",
            Self::Refunded => "refunded",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a stored status.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }
}

/// The payment of an order, as its provider set it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    /// Provider name: `test` (the built-in test provider) or `stripe`.
    pub provider: String,
    /// The provider's id of the payment session; absent if the provider could not create one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Where it is.
    pub status: PaymentStatus,
    /// Page where the customer pays, for providers with a hosted page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// Unpaid after this time (RFC 3339, UTC), the order is cancelled and its stock released.
    pub expires_at: String,
}

/// An order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    /// Order id.
    pub id: Uuid,
    /// Where it is.
    pub status: OrderStatus,
    /// The customer's email.
    pub email: String,
    /// What was bought, at the prices of checkout.
    pub items: Vec<OrderItem>,
    /// Total number of units.
    pub item_count: u32,
    /// Sum of the lines.
    pub subtotal: Money,
    /// What was charged.
    pub total: Money,
    /// The payment.
    pub payment: Payment,
    /// Download links of the digital items, once paid.
    pub downloads: Vec<Download>,
    /// Creation time, RFC 3339 in UTC.
    pub created_at: String,
    /// Time of the last status change, RFC 3339 in UTC.
    pub updated_at: String,
}

/// One line of an order, with the price it was bought at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderItem {
    /// Line id.
    pub id: Uuid,
    /// The product.
    pub product_id: Uuid,
    /// The product's name at checkout.
    pub product_name: String,
    /// The variant.
    pub variant_id: Uuid,
    /// The variant's title at checkout.
    pub variant_title: String,
    /// The variant's SKU at checkout.
    pub sku: String,
    /// Units bought.
    pub quantity: u32,
    /// Price of one unit at checkout.
    pub unit_price: Money,
    /// `unit_price × quantity`.
    pub line_total: Money,
    /// Whether the product is delivered as a download.
    pub digital: bool,
}

/// A download link of a paid digital item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Download {
    /// The order line it belongs to.
    pub order_item_id: Uuid,
    /// The product.
    pub product_id: Uuid,
    /// Name of the file.
    pub file_name: String,
    /// Absolute URL of `GET /api/v1/downloads/{token}`; the token in it is the secret.
    pub url: String,
    /// The link stops working after this time (RFC 3339, UTC).
    pub expires_at: String,
    /// Downloads left before the link stops working.
    pub downloads_remaining: u32,
}

/// `POST /api/v1/stores/{store}/test-payments/{reference}`: settles a payment of the built-in
/// test provider, as a real provider's webhook would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestPaymentRequest {
    /// What the payment does.
    pub outcome: TestPaymentOutcome,
}

/// The outcome of a test payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TestPaymentOutcome {
    /// The payment succeeds: the order becomes `paid`.
    Succeed,
    /// The payment fails: the order is cancelled and its stock released.
    Fail,
}

/// Checks a customer email: one `@`, a non-empty local part and a dotted domain, no spaces.
/// Deliberately loose: the only proof of an address is mail arriving there.
pub fn validate_email(email: &str) -> Result<(), &'static str> {
    let email = email.trim();
    if email.is_empty() || email.len() > MAX_EMAIL_LENGTH {
        return Err("must be an email address of at most 254 characters");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("must contain @");
    };
    let well_formed = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if well_formed {
        Ok(())
    } else {
        Err("is not a valid email address")
    }
}

/// Checks a line quantity: 1 to [`MAX_LINE_QUANTITY`].
pub fn validate_quantity(quantity: u32) -> Result<(), &'static str> {
    if (1..=MAX_LINE_QUANTITY).contains(&quantity) {
        Ok(())
    } else {
        Err("must be between 1 and 999")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_forward_transitions_are_allowed() {
        use OrderStatus::*;
        assert!(PendingPayment.can_become(Paid));
        assert!(Paid.can_become(Fulfilled));
        assert!(Fulfilled.can_become(Refunded));
        assert!(!Paid.can_become(PendingPayment));
        assert!(!Paid.can_become(Cancelled));
        for terminal in [Cancelled, Refunded] {
            for next in OrderStatus::ALL {
                assert!(!terminal.can_become(next), "{terminal} -> {next}");
            }
        }
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        for status in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn emails_and_quantities_are_checked() {
        assert!(validate_email("ana@example.com").is_ok());
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "a na@x.io",
            "a@b@c.io",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
        assert!(validate_quantity(1).is_ok());
        assert!(validate_quantity(999).is_ok());
        assert!(validate_quantity(0).is_err());
        assert!(validate_quantity(1000).is_err());
    }
}
