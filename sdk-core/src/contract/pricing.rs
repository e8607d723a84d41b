//! What a cart costs beyond its lines: the buyer's addresses, shipping zones and rates, tax
//! settings, discounts, and the totals breakdown every cart, checkout and order carries.

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Money, Timestamp};

/// Longest discount code.
pub const MAX_DISCOUNT_CODE_LENGTH: usize = 64;
/// Most discount codes on one cart.
pub const MAX_DISCOUNT_CODES: usize = 5;
/// Highest tax rate, in basis points (100 %).
pub const MAX_TAX_RATE: u32 = 10_000;

/// What a cart, checkout or order costs, in integer minor units of one currency:
/// `total = subtotal − discountTotal + shipping + tax` when tax is added to prices, and
/// `subtotal − discountTotal + shipping` when prices include it (`taxIncluded`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Totals {
    /// Sum of the lines at their (sale) prices, before discounts.
    pub subtotal: Money,
    /// Each discount that applied, in the order it was applied.
    pub discounts: Vec<AppliedDiscount>,
    /// Sum of `discounts`.
    pub discount_total: Money,
    /// The chosen shipping rate's price (zero until one is chosen, and for digital-only carts).
    pub shipping: Money,
    /// Tax on the lines and shipping, at the destination's rate (zero until an address is
    /// known).
    pub tax: Money,
    /// Whether prices already include `tax` (it is then not added to the total).
    pub tax_included: bool,
    /// What is charged.
    pub total: Money,
}

/// A discount as it applied to a cart or order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppliedDiscount {
    /// The code the buyer entered; absent for automatic rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The discount's name, as the merchant wrote it.
    pub name: String,
    /// How much it took off (for free shipping: the shipping price waived).
    pub amount: Money,
}

/// A postal address. Which members a country requires, and the postal code's format, follow
/// that country's address format (`GET /api/v1/address-formats/{country}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Address {
    /// The recipient.
    pub name: String,
    /// Company, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub company: Option<String>,
    /// Street and number.
    pub line1: String,
    /// Flat, floor, building.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub line2: Option<String>,
    /// City or town.
    pub city: String,
    /// State, province or region: the ISO 3166-2 subdivision code without the country
    /// (`CA` for California).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub region: Option<String>,
    /// Postal code, where the country has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code, e.g. `FR`.
    pub country: String,
}

/// `GET …/stores/{store}/countries`: the countries a store's address forms offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Countries {
    /// Every country an address may be in (ISO 3166-1 alpha-2), by code: for billing.
    pub all: Vec<String>,
    /// The countries the store ships to, by code: those its shipping zones cover, or every
    /// country when a zone covers everywhere else or the store charges no shipping (has no
    /// zones).
    pub shipping: Vec<String>,
}

/// How a country writes its addresses, for building an address form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AddressFormat {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// The country's name in English.
    pub name: String,
    /// The address members in the order the country writes them, one line per entry, e.g.
    /// `[["name"], ["line1"], ["postalCode", "city"], ["country"]]`.
    pub lines: Vec<Vec<String>>,
    /// The members an address in this country must have.
    pub required: Vec<String>,
    /// Regular expression a postal code must match, when the country has postal codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code_pattern: Option<String>,
    /// The country's subdivisions (for `region`), by code, when it writes them in addresses.
    pub regions: Vec<Region>,
}

/// A subdivision of a country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Region {
    /// ISO 3166-2 code without the country, e.g. `CA`.
    pub code: String,
    /// Its name.
    pub name: String,
}

/// How a shipping rate is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ShippingRateKind {
    /// One price per order.
    Flat,
    /// One price per order, offered only when the cart's weight is within the rate's band.
    Weight,
    /// The buyer collects the order; no shipping address is needed.
    Pickup,
}

/// A shipping rate a cart can choose, priced for that cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShippingOption {
    /// The rate's id, for `shippingRateId`.
    pub id: Uuid,
    /// Its name, e.g. "Colissimo" or "Pick up at the shop".
    pub name: String,
    /// How it is priced.
    pub kind: ShippingRateKind,
    /// What it costs this cart (zero when the cart qualifies for free shipping).
    pub price: Money,
}

/// `PATCH /api/v1/stores/{store}/carts/{cartId}`: what prices a cart beyond its lines. Absent
/// members stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CartUpdate {
    /// Where the order goes: decides the shipping rates offered and the tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub shipping_address: Option<Address>,
    /// The billing address, when it differs; for digital-only carts it decides the tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub billing_address: Option<Address>,
    /// The chosen rate, one of the cart's `shippingOptions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub shipping_rate_id: Option<Uuid>,
    /// The discount codes (replacing those already on the cart; `[]` removes them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub discount_codes: Option<Vec<String>>,
}

/// Whether tax is rounded on each line or once per order.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TaxRounding {
    /// Each line's tax is rounded (half to even), then summed: what invoices that list tax
    /// per line show.
    #[default]
    PerLine,
    /// The tax of all lines at one rate is computed on their sum and rounded once.
    PerOrder,
}

/// `GET`/`PUT /api/v1/admin/stores/{store}/tax`: how a store charges tax.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TaxSettings {
    /// Whether prices include tax (EU VAT style) or tax is added at checkout (US sales tax).
    pub prices_include_tax: bool,
    /// Where tax is rounded.
    #[serde(default)]
    pub rounding: TaxRounding,
    /// Whether shipping is taxed at the destination's rate.
    #[serde(default)]
    pub shipping_taxable: bool,
    /// The rates by destination; a region's rate overrides its country's. A destination with
    /// no rate is not taxed.
    #[serde(default)]
    pub rates: Vec<TaxRate>,
}

/// A tax rate for a country or one of its regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TaxRate {
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// ISO 3166-2 subdivision code without the country; absent for the whole country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub region: Option<String>,
    /// The rate in basis points: 2000 is 20 %.
    pub rate: u32,
    /// Its name on receipts, e.g. "TVA".
    pub name: String,
}

/// A shipping zone: the destinations it covers and the rates offered there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShippingZone {
    /// Zone id.
    pub id: Uuid,
    /// Its name, e.g. "Europe".
    pub name: String,
    /// Destinations: country codes (`FR`) or country-region codes (`US-CA`); empty means
    /// everywhere not covered by another zone.
    pub regions: Vec<String>,
    /// The rates offered in the zone.
    pub rates: Vec<ShippingRate>,
    /// Time of the last change, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// A rate of a shipping zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShippingRate {
    /// Rate id; kept when the zone is replaced with the rate's id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// How it is priced.
    pub kind: ShippingRateKind,
    /// Its price, in the store's currency.
    pub price: Money,
    /// Lightest cart it is offered for, in grams (`weight` rates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_weight_grams: Option<u32>,
    /// Heaviest cart it is offered for, in grams (`weight` rates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_weight_grams: Option<u32>,
    /// Free when the cart's subtotal after discounts reaches this amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_over: Option<Money>,
}

/// `POST`/`PUT …/shipping-zones`: a zone with all its rates (the rates are replaced).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShippingZoneInput {
    /// Its name, 1 to 100 characters.
    pub name: String,
    /// Country (`FR`) or country-region (`US-CA`) codes; empty for everywhere else.
    #[serde(default)]
    pub regions: Vec<String>,
    /// The rates, 1 to 20.
    pub rates: Vec<ShippingRateInput>,
}

/// One rate of a [`ShippingZoneInput`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShippingRateInput {
    /// The id of a rate of this zone to keep (carts that chose it keep it); absent for a new
    /// rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub id: Option<Uuid>,
    /// Its name, 1 to 100 characters.
    pub name: String,
    /// How it is priced.
    pub kind: ShippingRateKind,
    /// Its price in the store's currency (zero for free pickup).
    pub price: Money,
    /// Lightest cart, in grams (`weight` rates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub min_weight_grams: Option<u32>,
    /// Heaviest cart, in grams (`weight` rates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_weight_grams: Option<u32>,
    /// Free from this subtotal after discounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub free_over: Option<Money>,
}

/// What a discount does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DiscountKind {
    /// `value` basis points off the eligible lines.
    Percentage,
    /// `amount` off the eligible lines (never more than they cost).
    FixedAmount,
    /// The shipping price is waived.
    FreeShipping,
    /// `value` basis points off an eligible line whose quantity reaches `minQuantity`.
    QuantityTier,
    /// For every `buyQuantity` units of eligible lines, `getQuantity` more (the cheapest)
    /// get `value` basis points off (10 000: free).
    BuyXGetY,
}

/// A discount: a code buyers enter, or an automatic rule (no code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Discount {
    /// Discount id.
    pub id: Uuid,
    /// The rule, as last written.
    pub rule: DiscountInput,
    /// Orders that used it (cancelled orders give their use back).
    pub times_used: u32,
    /// Time of the last change, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// `POST`/`PUT …/discounts`: a discount's rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DiscountInput {
    /// Its name on carts and receipts.
    pub name: String,
    /// The code buyers enter (letters, digits, `-` and `_`, matched without regard to
    /// case); absent for an automatic rule, which applies by itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub code: Option<String>,
    /// What it does.
    pub kind: DiscountKind,
    /// Basis points for `percentage`, `quantity_tier` and `buy_x_get_y`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub value: Option<u32>,
    /// The amount off, for `fixed_amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub amount: Option<Money>,
    /// The smallest subtotal (before discounts) it applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub min_subtotal: Option<Money>,
    /// `quantity_tier`: the line quantity from which it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub min_quantity: Option<u32>,
    /// `buy_x_get_y`: units to buy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub buy_quantity: Option<u32>,
    /// `buy_x_get_y`: units that get the discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub get_quantity: Option<u32>,
    /// Only these products (with `categoryIds`: either); empty for every product.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub product_ids: Vec<Uuid>,
    /// Only products in these categories; empty for every category.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub category_ids: Vec<Uuid>,
    /// Valid from this time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub starts_at: Option<Timestamp>,
    /// Valid until this time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ends_at: Option<Timestamp>,
    /// How many orders may use it in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub usage_limit: Option<u32>,
    /// How many orders one customer (by email) may use it for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub per_customer_limit: Option<u32>,
    /// Whether it is in force (default true).
    #[serde(default = "in_force")]
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub active: bool,
}

/// `active`'s default: switched on.
pub(super) fn in_force() -> bool {
    true
}

/// Checks a discount code's spelling; the message completes "discountCodes …".
pub fn validate_discount_code(code: &str) -> Result<(), &'static str> {
    if code.is_empty() || code.len() > MAX_DISCOUNT_CODE_LENGTH {
        return Err("must be 1 to 64 characters");
    }
    if !code
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
    {
        return Err("may hold only letters, digits, '-' and '_'");
    }
    Ok(())
}

/// A discount code as stored and compared: upper case.
pub fn normalise_discount_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}
