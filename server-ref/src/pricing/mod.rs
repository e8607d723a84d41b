//! What a cart costs beyond its lines: gathers the store's rules (tax, shipping zones,
//! discounts) for a cart and its buyer's choices, and prices it with sdk-core's `pricing`,
//! the one implementation every surface shares.

pub mod addresses;
pub mod customer_groups;
pub mod discounts;
pub mod price_lists;
pub mod shipping;
pub mod tax;

use crate::db::Conn;
use colmena_sdk::contract::{Address, ShippingOption, ShippingRate, ShippingRateKind, Timestamp};
use colmena_sdk::pricing::{self, Line, Offer, Priced, Pricing};
use uuid::Uuid;

use crate::carts::CartLine;
use crate::http::ApiError;
use discounts::StoredDiscount;

/// What the buyer chose on a cart.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub shipping_address: Option<Address>,
    pub billing_address: Option<Address>,
    pub shipping_rate_id: Option<Uuid>,
    /// Upper case.
    pub discount_codes: Vec<String>,
}

/// Whether a code that no longer holds (expired, used up, no longer applicable) refuses the
/// pricing (checkout, and setting the codes) or is only left out (reading a cart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes {
    Strict,
    Lenient,
}

/// A priced cart.
#[derive(Debug)]
pub struct Quote {
    pub priced: Priced,
    /// Whether checkout needs a shipping rate: a line is shipped and the store ships (has
    /// shipping zones). A store without zones sells without shipping charges.
    pub requires_shipping: bool,
    pub options: Vec<ShippingOption>,
    /// The chosen rate, when it is offered for this cart.
    pub rate: Option<ShippingRate>,
    /// The discounts that took something off (to be redeemed at checkout).
    pub used: Vec<(Option<String>, StoredDiscount)>,
}

impl Quote {
    /// The destination's country, for reading phone numbers without a `+`.
    pub fn country<'a>(&self, choices: &'a Choices) -> Option<&'a str> {
        choices
            .shipping_address
            .as_ref()
            .or(choices.billing_address.as_ref())
            .map(|address| address.country.as_str())
    }
}

fn line(cart_line: &CartLine) -> Line {
    Line {
        product_id: cart_line.product_id,
        category_id: cart_line.category_id,
        unit_amount: cart_line.unit_amount,
        quantity: cart_line.quantity,
        unit_weight_grams: cart_line.weight_grams,
        tax_exempt: cart_line.tax_exempt,
        shipped: !cart_line.digital,
    }
}

/// Prices `cart_lines` with the store's rules and the buyer's `choices`.
pub async fn quote(
    conn: &mut Conn,
    store_id: Uuid,
    currency: &str,
    cart_lines: &[CartLine],
    choices: &Choices,
    codes: Codes,
) -> Result<Quote, ApiError> {
    let lines: Vec<Line> = cart_lines.iter().map(line).collect();

    let mut offered: Vec<(Option<String>, StoredDiscount)> = discounts::automatic(conn, store_id)
        .await?
        .into_iter()
        .map(|discount| (None, discount))
        .collect();
    for code in &choices.discount_codes {
        match discounts::by_code(conn, store_id, code).await {
            Ok(discount) => offered.push((Some(code.clone()), discount)),
            Err(error) if codes == Codes::Strict => return Err(error),
            Err(_) => {}
        }
    }
    let offers: Vec<Offer<'_>> = offered
        .iter()
        .map(|(code, discount)| Offer {
            code: code.as_deref(),
            rule: &discount.rule,
        })
        .collect();

    let settings = tax::load(conn, store_id).await?;
    let zones = shipping::zones(conn, store_id, currency).await?;
    let requires_shipping = pricing::needs_shipping(&lines) && !zones.is_empty();
    let shipping_to = choices
        .shipping_address
        .as_ref()
        .map(|address| (address.country.as_str(), address.region.as_deref()));
    let weight = pricing::shipped_weight(&lines);
    let rates: Vec<&ShippingRate> = if requires_shipping {
        shipping::rates_at(&zones, shipping_to)
            .into_iter()
            .filter(|rate| pricing::rate_offered(rate, weight))
            .collect()
    } else {
        Vec::new()
    };
    let rate = choices
        .shipping_rate_id
        .and_then(|id| rates.iter().find(|rate| rate.id == id))
        .copied();
    // Tax follows the goods: where they are shipped, else (pickup, digital) the billing
    // address.
    let shipped = rate.is_some_and(|rate| rate.kind != ShippingRateKind::Pickup);
    let destination = if shipped {
        choices.shipping_address.as_ref()
    } else {
        choices
            .billing_address
            .as_ref()
            .or(choices.shipping_address.as_ref())
    };
    let tax = destination
        .and_then(|address| tax::rule_at(&settings, &address.country, address.region.as_deref()));
    let pricing = |shipping| Pricing {
        currency,
        lines: &lines,
        offers: &offers,
        shipping,
        tax,
        prices_include_tax: settings.prices_include_tax,
    };
    let overflow = |_| ApiError::invalid_field("cartId", "has a total too large to charge");
    let without_shipping = pricing::price(&pricing(None)).map_err(overflow)?;
    let discounted = without_shipping
        .totals
        .subtotal
        .amount
        .saturating_sub(without_shipping.totals.discount_total.amount);
    let options = rates
        .iter()
        .map(|rate| ShippingOption {
            id: rate.id,
            name: rate.name.clone(),
            kind: rate.kind,
            price: colmena_sdk::contract::Money::new(
                pricing::rate_price(rate, discounted),
                currency,
            ),
        })
        .collect();
    let priced = if rate.is_some() {
        pricing::price(&pricing(rate)).map_err(overflow)?
    } else {
        without_shipping
    };
    if codes == Codes::Strict {
        if let Some((code, reason)) = priced.not_applied.first() {
            return Err(discounts::not_applicable(code, reason.message()));
        }
    }
    let used = offered
        .into_iter()
        .enumerate()
        .filter(|(index, _)| priced.applied.contains(index))
        .map(|(_, offer)| offer)
        .collect();
    Ok(Quote {
        requires_shipping,
        options,
        rate: rate.cloned(),
        used,
        priced,
    })
}

/// The buyer's choices after `update`: addresses checked against their countries' rules,
/// codes checked for spelling and normalised (whether they apply is the quote's to say).
pub fn updated_choices(
    mut choices: Choices,
    shipping_address: Option<&Address>,
    billing_address: Option<&Address>,
    shipping_rate_id: Option<Uuid>,
    discount_codes: Option<&[String]>,
) -> Result<Choices, ApiError> {
    if let Some(address) = shipping_address {
        choices.shipping_address = Some(addresses::checked_address("shippingAddress", address)?);
    }
    if let Some(address) = billing_address {
        choices.billing_address = Some(addresses::checked_address("billingAddress", address)?);
    }
    if let Some(rate) = shipping_rate_id {
        choices.shipping_rate_id = Some(rate);
    }
    if let Some(codes) = discount_codes {
        if codes.len() > colmena_sdk::contract::MAX_DISCOUNT_CODES {
            return Err(ApiError::invalid_field(
                "discountCodes",
                "may hold at most 5 codes",
            ));
        }
        let mut normalised: Vec<String> = Vec::with_capacity(codes.len());
        for code in codes {
            let code = discounts::checked_code("discountCodes", code)?;
            if !normalised.contains(&code) {
                normalised.push(code);
            }
        }
        choices.discount_codes = normalised;
    }
    Ok(choices)
}

/// When a discount or price list is in force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Window {
    pub starts_at: Option<time::OffsetDateTime>,
    pub ends_at: Option<time::OffsetDateTime>,
}

impl Window {
    /// Reads `startsAt` and `endsAt` (RFC 3339): 400 naming the member that is not a time, or
    /// `endsAt` when it is not after `startsAt`.
    pub fn checked(
        starts_at: Option<&Timestamp>,
        ends_at: Option<&Timestamp>,
    ) -> Result<Self, ApiError> {
        let read = |member: &str, time: Option<&Timestamp>| {
            time.map(|time| {
                time::OffsetDateTime::parse(
                    time.as_str(),
                    &time::format_description::well_known::Rfc3339,
                )
                .map_err(|_| ApiError::invalid_field(member, "must be an RFC 3339 time"))
            })
            .transpose()
        };
        let window = Self {
            starts_at: read("startsAt", starts_at)?,
            ends_at: read("endsAt", ends_at)?,
        };
        if let (Some(start), Some(end)) = (&window.starts_at, &window.ends_at) {
            if end <= start {
                return Err(ApiError::invalid_field("endsAt", "must be after startsAt"));
            }
        }
        Ok(window)
    }

    /// Whether it holds at `now`.
    pub fn holds(&self, now: time::OffsetDateTime) -> bool {
        self.starts_at.is_none_or(|start| start <= now) && self.ends_at.is_none_or(|end| end > now)
    }
}
