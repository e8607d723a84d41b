//! Variants, carts, checkout, orders and downloads: the selling half of the contract.

use std::collections::BTreeMap;

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Address, Money, ProductImage, Refund, Shipment, ShippingOption, Timestamp, Totals};

/// Largest quantity of one variant in a cart line.
pub const MAX_LINE_QUANTITY: u32 = 999;

/// Longest accepted customer email.
pub const MAX_EMAIL_LENGTH: usize = 254;

/// A variant's option values by option name, e.g. `{"Size": "M"}`, in name order; JSON: an
/// object of strings.
///
/// A short sorted list rather than a `BTreeMap`: a variant has a few options, and the map's
/// insertion code alone was about 2 KB of the widget's gzipped download.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OptionValues(Vec<(String, String)>);

impl OptionValues {
    /// The value of option `name`, e.g. `M` for `Size`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.position(name).ok().map(|at| self.0[at].1.as_str())
    }

    /// Sets option `name` to `value`, replacing its earlier value.
    pub fn insert(&mut self, name: String, value: String) {
        match self.position(&name) {
            Ok(at) => self.0[at].1 = value,
            Err(at) => self.0.insert(at, (name, value)),
        }
    }

    /// Names and values, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// How many options are set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none is (a single-variant product).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| key.as_str().cmp(name))
    }
}

impl FromIterator<(String, String)> for OptionValues {
    /// Later values of a name replace earlier ones, as in a map.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        let mut options = Self::default();
        for (name, value) in pairs {
            options.insert(name, value);
        }
        options
    }
}

impl<const N: usize> From<[(String, String); N]> for OptionValues {
    fn from(pairs: [(String, String); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl IntoIterator for OptionValues {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Serialize for OptionValues {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for OptionValues {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(BTreeMap::<String, String>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

impl Encode for OptionValues {
    fn encode(&self, out: &mut crate::json::Writer) {
        out.open_object();
        for (name, value) in self.iter() {
            out.key(name);
            out.string(value);
        }
        out.close_object();
    }
}

impl Decode for OptionValues {
    fn decode(json: &mut crate::json::Reader<'_>) -> Result<Self, crate::json::DecodeError> {
        let mut options = Self::default();
        json.object(&mut |json, name| {
            options.insert(name.to_owned(), json.string()?);
            Ok(())
        })?;
        Ok(options)
    }
}

/// One purchasable version of a product: a size, a colour, a format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProductVariant {
    /// Variant id: what a cart line refers to.
    pub id: Uuid,
    /// Stock-keeping unit, unique within the store.
    pub sku: String,
    /// Display title, e.g. `M` or `Natural / Large`; `Default` for single-variant products.
    pub title: String,
    /// Option values by option name, e.g. `{"Size": "M"}`; empty for single-variant products.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub options: OptionValues,
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
    /// Weight of one unit in grams, for weight-based shipping rates; absent when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_grams: Option<u32>,
}

/// Whether a cart still accepts changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
    /// What checkout will charge: `totals.total`.
    pub total: Money,
    /// The breakdown: subtotal, each discount, shipping, tax and total.
    pub totals: Totals,
    /// Whether a line is shipped: checkout then needs a shipping address and rate (or
    /// pickup). Digital-only carts need neither.
    pub requires_shipping: bool,
    /// Where the order goes, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<Address>,
    /// The billing address, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Address>,
    /// The rates offered for this cart and its address (pickup rates even without one).
    pub shipping_options: Vec<ShippingOption>,
    /// The chosen rate, one of `shippingOptions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_rate_id: Option<Uuid>,
    /// The discount codes entered (upper case); `totals.discounts` shows what each took off.
    pub discount_codes: Vec<String>,
    /// Creation time, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    /// Time of the last change, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// One line of a cart: a variant and a quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckoutRequest {
    /// The cart to buy.
    pub cart_id: Uuid,
    /// Where the receipt and download links go.
    pub email: String,
    /// The buyer's name; required when the cart is shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
    /// The buyer's phone number, with its country code (`+33…`) or in the shipping country's
    /// format; stored in E.164.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<String>,
    /// Sets the cart's shipping address first (as `PATCH …/carts/{cartId}` does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub shipping_address: Option<Address>,
    /// Sets the cart's billing address first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub billing_address: Option<Address>,
    /// Chooses the cart's shipping rate first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub shipping_rate_id: Option<Uuid>,
    /// Replaces the cart's discount codes first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub discount_codes: Option<Vec<String>>,
    /// The total the customer saw. When given and the server's total differs (a price
    /// changed), checkout is refused with `PRICE_CHANGED` instead of charging a surprise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub expected_total: Option<Money>,
    /// Where a hosted payment page (Stripe) sends the customer back: a URL on one of the
    /// store's allowed origins. Default: the server's own page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub return_url: Option<String>,
}

/// The answer to a checkout: the new order, the token to read it, and the payment to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub expires_at: Timestamp,
}

/// An order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Order {
    /// Order id.
    pub id: Uuid,
    /// The store's order number, sequential from 1001; shown to people as `#1001`.
    pub number: u32,
    /// Where it is.
    pub status: OrderStatus,
    /// The customer's email.
    pub email: String,
    /// The customer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// The customer's phone number, E.164.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Where it is shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<Address>,
    /// The billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Address>,
    /// The shipping rate's name, e.g. "Colissimo".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_method: Option<String>,
    /// The breakdown charged: subtotal, each discount, shipping, tax and total.
    pub totals: Totals,
    /// The parcels sent so far.
    pub shipments: Vec<Shipment>,
    /// The refunds so far.
    pub refunds: Vec<Refund>,
    /// Their sum.
    pub refunded: Money,
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
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    /// Time of the last status change, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// One line of an order, with the price it was bought at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub expires_at: Timestamp,
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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

    #[test]
    fn option_values_read_and_write_as_a_map_of_strings_does() {
        let text = r#"{"Size":"M","Colour":"Amber","Size":"L"}"#;
        let ours: OptionValues = crate::json::decode(text.as_bytes()).unwrap();
        let serde: OptionValues = serde_json::from_str(text).unwrap();
        assert_eq!(ours, serde);
        // In name order, and a repeated name keeps its last value, as a map does.
        assert_eq!(
            ours.iter().collect::<Vec<_>>(),
            [("Colour", "Amber"), ("Size", "L")]
        );
        assert_eq!(ours.get("Size"), Some("L"));
        assert_eq!(ours.get("Weight"), None);
        assert_eq!(ours.len(), 2);
        let written = r#"{"Colour":"Amber","Size":"L"}"#;
        assert_eq!(crate::json::encode(&ours), written);
        assert_eq!(serde_json::to_string(&ours).unwrap(), written);
        assert!(crate::json::decode::<OptionValues>(br#"{"Size":1}"#).is_err());
        assert!(crate::json::decode::<OptionValues>(br#"["Size"]"#).is_err());
        assert!(OptionValues::default().is_empty());
    }
}

/// `POST /api/v1/stores/{store}/customer/access-links`: a buyer asks for a link to their orders.
/// The answer is 202 whether or not the email has orders in the store, so that it reveals no
/// customers; when it has, a one-time link that expires is emailed to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessLinkRequest {
    /// The email the orders were placed with.
    pub email: String,
    /// The language of the message (BCP 47, e.g. `es`); the store's when absent or not one of
    /// the languages messages are written in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// `POST /api/v1/stores/{store}/customer/sessions`: exchanges the token of an emailed access
/// link (once) for a buyer session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerSessionRequest {
    /// The `token` of the access link.
    pub token: String,
}

/// A buyer session: reads the orders of one email in one store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CustomerSession {
    /// Secret that reads the buyer's orders (`x-customer-token` header).
    pub token: String,
    /// The buyer's email.
    pub email: String,
    /// The session ends at this time (RFC 3339, UTC); ask for a new link then.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub expires_at: Timestamp,
}
