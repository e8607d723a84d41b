//! A cart's totals from its lines and the rules in force: discounts, shipping and tax, in
//! integer minor units. The server charges what [`price`] computes; a client may run it to
//! preview. It does no I/O: the caller gathers the rules that apply (a discount's validity
//! window and usage limits are the server's to check).
//!
//! # How totals are computed
//!
//! 1. **Subtotal**: each line's unit price (already the sale price when a sale is on) times
//!    its quantity.
//! 2. **Discounts**, applied one after the other in this order: quantity tiers, buy X get Y,
//!    percentages, fixed amounts, free shipping; within one kind, in the order given (the
//!    server gives automatic rules first, then the buyer's codes as entered). Each one works on
//!    what the earlier ones left of its eligible lines, so stacked discounts never take off
//!    more than a line costs. A fixed amount is spread over its eligible lines in proportion
//!    to what is left of them (largest remainder, so the shares add up exactly). A
//!    discount's `minSubtotal` is compared with the subtotal before any discount.
//! 3. **Shipping**: the chosen rate's price, or zero when the subtotal after discounts reaches
//!    its `freeOver`. Free shipping waives it as a discount.
//! 4. **Tax** at the destination's rate, on each taxable line after its discounts (and on
//!    shipping after its waiver, when shipping is taxable). With prices that include tax, the
//!    tax in an amount `a` at rate `r` is `a × r / (1 + r)`; otherwise `a × r`. Rounding is half
//!    to even, either per line (each line's tax rounded, then summed, shipping as one more
//!    line) or per order (the taxable amounts summed, then rounded once).
//! 5. **Total**: `subtotal − discounts + shipping`, plus the tax unless prices include it.

use uuid::Uuid;

use crate::contract::{
    AppliedDiscount, DiscountInput, DiscountKind, Money, ShippingRate, ShippingRateKind,
    TaxRounding, Totals,
};

/// One line of what is priced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The product, for discount scopes.
    pub product_id: Uuid,
    /// The product's category, for discount scopes.
    pub category_id: Option<Uuid>,
    /// Price of one unit (the sale or price-list price when one applies).
    pub unit_amount: i64,
    /// Units.
    pub quantity: u32,
    /// Weight of one unit in grams (zero when unknown).
    pub unit_weight_grams: u32,
    /// Whether the product is exempt from tax.
    pub tax_exempt: bool,
    /// Whether it is shipped (digital goods are not).
    pub shipped: bool,
}

/// A discount to apply: a rule, and the code the buyer entered for it (none for automatic
/// rules).
#[derive(Debug, Clone, Copy)]
pub struct Offer<'a> {
    /// The code as the buyer will see it.
    pub code: Option<&'a str>,
    /// The rule.
    pub rule: &'a DiscountInput,
}

/// The tax that applies at the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxRule {
    /// Basis points.
    pub rate: u32,
    /// Whether prices include it.
    pub prices_include_tax: bool,
    /// Where it is rounded.
    pub rounding: TaxRounding,
    /// Whether shipping is taxed.
    pub shipping_taxable: bool,
}

/// Everything [`price`] needs.
#[derive(Debug, Clone, Copy)]
pub struct Pricing<'a> {
    /// ISO 4217 currency of every amount.
    pub currency: &'a str,
    /// The lines.
    pub lines: &'a [Line],
    /// Discounts in force, automatic rules first, then codes as entered.
    pub offers: &'a [Offer<'a>],
    /// The chosen shipping rate, if any.
    pub shipping: Option<&'a ShippingRate>,
    /// The destination's tax, if it has one. Without it, nothing is taxed; `tax_included`
    /// still follows the store (`prices_include_tax`).
    pub tax: Option<TaxRule>,
    /// Whether the store's prices include tax, for `taxIncluded` when no rule applies.
    pub prices_include_tax: bool,
}

/// Why a code does not apply to this cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotApplicable {
    /// The subtotal is below the discount's minimum.
    BelowMinimum,
    /// No line is in the discount's products or categories.
    NoEligibleLine,
    /// A quantity tier or buy X get Y whose quantities the cart does not reach.
    QuantityNotReached,
}

impl NotApplicable {
    /// Why, for a person.
    pub fn message(self) -> &'static str {
        match self {
            Self::BelowMinimum => "the cart's subtotal is below this discount's minimum",
            Self::NoEligibleLine => "no product in the cart is covered by this discount",
            Self::QuantityNotReached => "the cart does not hold enough units for this discount",
        }
    }
}

/// The priced cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    /// The breakdown.
    pub totals: Totals,
    /// Per line, in order: the discount it received and its tax.
    pub lines: Vec<LineShare>,
    /// Codes that did not apply, and why (they stay on the cart but take nothing off).
    pub not_applied: Vec<(String, NotApplicable)>,
    /// The offers that applied, as indexes into [`Pricing::offers`].
    pub applied: Vec<usize>,
}

/// What one line received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineShare {
    /// Discounts on the line.
    pub discount: i64,
    /// Tax in (or on) the line.
    pub tax: i64,
}

/// An amount too large to price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the cart's amounts are too large to price")]
pub struct Overflow;

/// The total weight of the shipped lines, in grams.
pub fn shipped_weight(lines: &[Line]) -> u64 {
    lines
        .iter()
        .filter(|line| line.shipped)
        .map(|line| u64::from(line.unit_weight_grams) * u64::from(line.quantity))
        .sum()
}

/// Whether a cart of these lines needs shipping.
pub fn needs_shipping(lines: &[Line]) -> bool {
    lines.iter().any(|line| line.shipped)
}

/// Whether `rate` is offered to a cart weighing `weight_grams`.
pub fn rate_offered(rate: &ShippingRate, weight_grams: u64) -> bool {
    if rate.kind != ShippingRateKind::Weight {
        return true;
    }
    rate.min_weight_grams
        .is_none_or(|min| weight_grams >= u64::from(min))
        && rate
            .max_weight_grams
            .is_none_or(|max| weight_grams <= u64::from(max))
}

/// What `rate` costs a cart whose subtotal after discounts is `discounted_subtotal`.
pub fn rate_price(rate: &ShippingRate, discounted_subtotal: i64) -> i64 {
    match &rate.free_over {
        Some(threshold) if discounted_subtotal >= threshold.amount => 0,
        _ => rate.price.amount,
    }
}

/// `numerator / denominator` rounded half to even; both non-negative, denominator positive.
fn divide_half_even(numerator: i128, denominator: i128) -> i128 {
    let (quotient, remainder) = (numerator / denominator, numerator % denominator);
    match (remainder * 2).cmp(&denominator) {
        std::cmp::Ordering::Greater => quotient + 1,
        std::cmp::Ordering::Equal if quotient % 2 != 0 => quotient + 1,
        _ => quotient,
    }
}

/// The tax in or on `amount` at `rule`, unrounded, as a fraction over the returned
/// denominator.
fn tax_fraction(amount: i128, rule: &TaxRule) -> (i128, i128) {
    let rate = i128::from(rule.rate);
    let denominator = if rule.prices_include_tax {
        10_000 + rate
    } else {
        10_000
    };
    (amount * rate, denominator)
}

fn eligible(rule: &DiscountInput, line: &Line) -> bool {
    let scoped = !rule.product_ids.is_empty() || !rule.category_ids.is_empty();
    !scoped
        || rule.product_ids.contains(&line.product_id)
        || line
            .category_id
            .is_some_and(|category| rule.category_ids.contains(&category))
}

/// Spreads `amount` over `weights` in proportion (largest remainder): the shares add up to
/// `amount` exactly. `amount` is at most the sum of the weights.
fn spread(amount: i128, weights: &[i128]) -> Vec<i128> {
    let total: i128 = weights.iter().sum();
    if total == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<i128> = weights.iter().map(|w| amount * w / total).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Largest remainders first; ties to the earlier line.
    order.sort_by_key(|&i| std::cmp::Reverse(amount * weights[i] % total));
    let mut left = amount - shares.iter().sum::<i128>();
    for i in order {
        if left == 0 {
            break;
        }
        if shares[i] < weights[i] {
            shares[i] += 1;
            left -= 1;
        }
    }
    shares
}

/// What one offer takes off each line (the lines' remaining amounts are `left`), or why it
/// does not apply.
fn line_discounts(
    offer: &Offer<'_>,
    lines: &[Line],
    left: &[i128],
    subtotal: i128,
) -> Result<Vec<i128>, NotApplicable> {
    let rule = offer.rule;
    if rule
        .min_subtotal
        .as_ref()
        .is_some_and(|min| subtotal < i128::from(min.amount))
    {
        return Err(NotApplicable::BelowMinimum);
    }
    let eligible_lines: Vec<bool> = lines.iter().map(|line| eligible(rule, line)).collect();
    if !eligible_lines.iter().any(|&e| e) {
        return Err(NotApplicable::NoEligibleLine);
    }
    let value = i128::from(rule.value.unwrap_or(0).min(10_000));
    let percent_of = |amount: i128| divide_half_even(amount * value, 10_000);
    let offs: Vec<i128> = match rule.kind {
        DiscountKind::Percentage => left
            .iter()
            .zip(&eligible_lines)
            .map(|(&amount, &e)| if e { percent_of(amount) } else { 0 })
            .collect(),
        DiscountKind::FixedAmount => {
            let weights: Vec<i128> = left
                .iter()
                .zip(&eligible_lines)
                .map(|(&amount, &e)| if e { amount } else { 0 })
                .collect();
            let wanted = i128::from(rule.amount.as_ref().map_or(0, |m| m.amount.max(0)));
            spread(wanted.min(weights.iter().sum()), &weights)
        }
        DiscountKind::QuantityTier => {
            let min = rule.min_quantity.unwrap_or(1);
            let offs: Vec<i128> = lines
                .iter()
                .zip(left)
                .zip(&eligible_lines)
                .map(|((line, &amount), &e)| {
                    if e && line.quantity >= min {
                        percent_of(amount)
                    } else {
                        0
                    }
                })
                .collect();
            if offs.iter().all(|&off| off == 0) {
                return Err(NotApplicable::QuantityNotReached);
            }
            offs
        }
        DiscountKind::BuyXGetY => buy_x_get_y(rule, lines, left, &eligible_lines, value)?,
        DiscountKind::FreeShipping => vec![0; lines.len()],
    };
    Ok(offs
        .into_iter()
        .zip(left)
        .map(|(off, &amount)| off.min(amount))
        .collect())
}

/// Buy X get Y: of the eligible units, every group of `buy + get` gives its `get` cheapest
/// units `value` off (what is left of a unit's price after earlier discounts).
fn buy_x_get_y(
    rule: &DiscountInput,
    lines: &[Line],
    left: &[i128],
    eligible_lines: &[bool],
    value: i128,
) -> Result<Vec<i128>, NotApplicable> {
    let buy = u64::from(rule.buy_quantity.unwrap_or(1).max(1));
    let get = u64::from(rule.get_quantity.unwrap_or(1).max(1));
    let units: u64 = lines
        .iter()
        .zip(eligible_lines)
        .filter(|(_, &e)| e)
        .map(|(line, _)| u64::from(line.quantity))
        .sum();
    let mut free_units = units / (buy + get) * get;
    if free_units == 0 {
        return Err(NotApplicable::QuantityNotReached);
    }
    // The cheapest units (by what is left of their price) get the discount.
    let mut by_price: Vec<usize> = (0..lines.len()).filter(|&i| eligible_lines[i]).collect();
    by_price.sort_by_key(|&i| left[i] / i128::from(lines[i].quantity.max(1)));
    let mut offs = vec![0i128; lines.len()];
    for i in by_price {
        if free_units == 0 {
            break;
        }
        let taken = free_units.min(u64::from(lines[i].quantity));
        free_units -= taken;
        // The taken units' share of what is left of the line.
        let share = left[i] * i128::from(taken) / i128::from(lines[i].quantity.max(1));
        offs[i] = divide_half_even(share * value, 10_000);
    }
    Ok(offs)
}

/// The order in which discount kinds apply (see the module documentation).
fn kind_rank(kind: DiscountKind) -> u8 {
    match kind {
        DiscountKind::QuantityTier => 0,
        DiscountKind::BuyXGetY => 1,
        DiscountKind::Percentage => 2,
        DiscountKind::FixedAmount => 3,
        DiscountKind::FreeShipping => 4,
    }
}

/// Prices a cart; see the module documentation for the rules.
pub fn price(input: &Pricing<'_>) -> Result<Priced, Overflow> {
    let currency = input.currency;
    let money = |amount: i128| -> Result<Money, Overflow> {
        Ok(Money::new(
            i64::try_from(amount).map_err(|_| Overflow)?,
            currency,
        ))
    };
    let gross: Vec<i128> = input
        .lines
        .iter()
        .map(|line| i128::from(line.unit_amount) * i128::from(line.quantity))
        .collect();
    let subtotal: i128 = gross.iter().sum();

    // Discounts on lines, in kind order (stable: the given order within a kind).
    let mut offers: Vec<(usize, &Offer<'_>)> = input.offers.iter().enumerate().collect();
    offers.sort_by_key(|(_, offer)| kind_rank(offer.rule.kind));
    let mut left = gross.clone();
    let mut applied: Vec<(Option<&str>, &str, i128)> = Vec::new();
    let mut not_applied = Vec::new();
    let mut free_shipping: Vec<&Offer<'_>> = Vec::new();
    let mut applied_offers = Vec::new();
    for (index, offer) in offers {
        match line_discounts(offer, input.lines, &left, subtotal) {
            Ok(_) if offer.rule.kind == DiscountKind::FreeShipping => {
                applied_offers.push(index);
                free_shipping.push(offer);
            }
            Ok(offs) => {
                for (remaining, off) in left.iter_mut().zip(&offs) {
                    *remaining -= off;
                }
                applied_offers.push(index);
                applied.push((offer.code, &offer.rule.name, offs.iter().sum()));
            }
            Err(reason) => {
                if let Some(code) = offer.code {
                    not_applied.push((code.to_owned(), reason));
                }
            }
        }
    }
    let discounted: i128 = left.iter().sum();

    // Shipping, then its waiver (one free-shipping discount is enough; others take nothing).
    let shipping = match input.shipping {
        Some(rate) if needs_shipping(input.lines) || rate.kind == ShippingRateKind::Pickup => {
            i128::from(rate_price(
                rate,
                i64::try_from(discounted).map_err(|_| Overflow)?,
            ))
        }
        _ => 0,
    };
    let mut shipping_left = shipping;
    for offer in free_shipping {
        applied.push((offer.code, &offer.rule.name, shipping_left));
        shipping_left = 0;
    }

    // Tax.
    let mut shares: Vec<LineShare> = gross
        .iter()
        .zip(&left)
        .map(|(g, l)| LineShare {
            discount: i64::try_from(g - l).unwrap_or(i64::MAX),
            tax: 0,
        })
        .collect();
    let tax = match &input.tax {
        None => 0,
        Some(rule) => {
            let taxable: Vec<(Option<usize>, i128)> = input
                .lines
                .iter()
                .zip(&left)
                .enumerate()
                .filter(|(_, (line, _))| !line.tax_exempt)
                .map(|(i, (_, &amount))| (Some(i), amount))
                .chain(rule.shipping_taxable.then_some((None, shipping_left)))
                .collect();
            match rule.rounding {
                TaxRounding::PerLine => {
                    let mut sum = 0;
                    for (line, amount) in taxable {
                        let (numerator, denominator) = tax_fraction(amount, rule);
                        let line_tax = divide_half_even(numerator, denominator);
                        if let Some(i) = line {
                            shares[i].tax = i64::try_from(line_tax).map_err(|_| Overflow)?;
                        }
                        sum += line_tax;
                    }
                    sum
                }
                TaxRounding::PerOrder => {
                    let base: i128 = taxable.iter().map(|(_, amount)| amount).sum();
                    let (numerator, denominator) = tax_fraction(base, rule);
                    let order_tax = divide_half_even(numerator, denominator);
                    // Lines still show their share, spread exactly over the order's tax.
                    let weights: Vec<i128> = taxable.iter().map(|(_, amount)| *amount).collect();
                    for ((line, _), share) in taxable.iter().zip(spread(order_tax, &weights)) {
                        if let Some(i) = line {
                            shares[*i].tax = i64::try_from(share).map_err(|_| Overflow)?;
                        }
                    }
                    order_tax
                }
            }
        }
    };
    let tax_included = input
        .tax
        .map_or(input.prices_include_tax, |rule| rule.prices_include_tax);
    let discount_total: i128 = applied.iter().map(|(_, _, amount)| amount).sum();
    let total = subtotal - discount_total + shipping + if tax_included { 0 } else { tax };
    let discounts = applied
        .into_iter()
        .map(|(code, name, amount)| {
            Ok(AppliedDiscount {
                code: code.map(str::to_owned),
                name: name.to_owned(),
                amount: money(amount)?,
            })
        })
        .collect::<Result<Vec<_>, Overflow>>()?;
    Ok(Priced {
        totals: Totals {
            subtotal: money(subtotal)?,
            discounts,
            discount_total: money(discount_total)?,
            shipping: money(shipping)?,
            tax: money(tax)?,
            tax_included,
            total: money(total)?,
        },
        lines: shares,
        not_applied,
        applied: applied_offers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(unit: i64, quantity: u32) -> Line {
        Line {
            product_id: Uuid::from_u128(u128::from(quantity) << 64 | unit as u128),
            category_id: None,
            unit_amount: unit,
            quantity,
            unit_weight_grams: 500,
            tax_exempt: false,
            shipped: true,
        }
    }

    fn rule(kind: DiscountKind) -> DiscountInput {
        DiscountInput {
            name: format!("{kind:?}"),
            code: None,
            kind,
            value: None,
            amount: None,
            min_subtotal: None,
            min_quantity: None,
            buy_quantity: None,
            get_quantity: None,
            product_ids: Vec::new(),
            category_ids: Vec::new(),
            starts_at: None,
            ends_at: None,
            usage_limit: None,
            per_customer_limit: None,
            active: true,
        }
    }

    fn rate(price: i64, free_over: Option<i64>) -> ShippingRate {
        ShippingRate {
            id: Uuid::nil(),
            name: "Post".into(),
            kind: ShippingRateKind::Flat,
            price: Money::new(price, "EUR"),
            min_weight_grams: None,
            max_weight_grams: None,
            free_over: free_over.map(|amount| Money::new(amount, "EUR")),
        }
    }

    fn vat(rate: u32, inclusive: bool, rounding: TaxRounding) -> TaxRule {
        TaxRule {
            rate,
            prices_include_tax: inclusive,
            rounding,
            shipping_taxable: true,
        }
    }

    fn priced(
        lines: &[Line],
        offers: &[Offer<'_>],
        shipping: Option<&ShippingRate>,
        tax: Option<TaxRule>,
    ) -> Priced {
        price(&Pricing {
            currency: "EUR",
            lines,
            offers,
            shipping,
            tax,
            prices_include_tax: tax.is_some_and(|t| t.prices_include_tax),
        })
        .unwrap()
    }

    #[test]
    fn half_even_rounding() {
        assert_eq!(divide_half_even(5, 2), 2);
        assert_eq!(divide_half_even(7, 2), 4);
        assert_eq!(divide_half_even(6, 4), 2);
        assert_eq!(divide_half_even(10, 4), 2);
        assert_eq!(divide_half_even(11, 4), 3);
    }

    #[test]
    fn inclusive_vat_is_inside_the_total() {
        // 12.00 incl. 20 % VAT: 2.00 of it is tax; shipping 4.90 incl. 0.82 (0.8166…).
        let lines = [line(1200, 1)];
        let post = rate(490, None);
        let p = priced(
            &lines,
            &[],
            Some(&post),
            Some(vat(2000, true, TaxRounding::PerLine)),
        );
        assert_eq!(p.totals.tax.amount, 200 + 82);
        assert!(p.totals.tax_included);
        assert_eq!(p.totals.total.amount, 1690);
    }

    #[test]
    fn exclusive_tax_is_added() {
        // 3 × 3.33 at 8.25 %: 9.99 → 0.824175 → 0.82.
        let p = priced(
            &[line(333, 3)],
            &[],
            None,
            Some(vat(825, false, TaxRounding::PerLine)),
        );
        assert_eq!(p.totals.tax.amount, 82);
        assert_eq!(p.totals.total.amount, 999 + 82);
    }

    #[test]
    fn per_line_and_per_order_rounding_differ_as_stated() {
        // Three lines of 0.10 at 25 % exclusive: 0.025 each. Per line, half to even: 0.02 ×3
        // = 0.06. Per order: 0.075 → 0.08.
        let lines = [line(10, 1), line(10, 1), line(10, 1)];
        let per_line = priced(
            &lines,
            &[],
            None,
            Some(vat(2500, false, TaxRounding::PerLine)),
        );
        let per_order = priced(
            &lines,
            &[],
            None,
            Some(vat(2500, false, TaxRounding::PerOrder)),
        );
        assert_eq!(per_line.totals.tax.amount, 6);
        assert_eq!(per_order.totals.tax.amount, 8);
        let shares: i64 = per_order.lines.iter().map(|share| share.tax).sum();
        assert_eq!(
            shares, 8,
            "the order's tax is spread exactly over its lines"
        );
    }

    #[test]
    fn discounts_stack_in_the_documented_order() {
        let mut ten = rule(DiscountKind::Percentage);
        ten.value = Some(1000);
        let mut five = rule(DiscountKind::FixedAmount);
        five.amount = Some(Money::new(500, "EUR"));
        let mut tier = rule(DiscountKind::QuantityTier);
        tier.min_quantity = Some(3);
        tier.value = Some(2000);
        // Given fixed first, applied tier → percentage → fixed.
        let offers = [
            Offer {
                code: Some("FIVE"),
                rule: &five,
            },
            Offer {
                code: Some("TEN"),
                rule: &ten,
            },
            Offer {
                code: None,
                rule: &tier,
            },
        ];
        let p = priced(&[line(1000, 3), line(2000, 1)], &offers, None, None);
        // Subtotal 50.00; tier: 20 % of 30.00 = 6.00; 10 % of 44.00 = 4.40; then 5.00.
        let amounts: Vec<i64> = p.totals.discounts.iter().map(|d| d.amount.amount).collect();
        assert_eq!(amounts, vec![600, 440, 500]);
        assert_eq!(p.totals.discount_total.amount, 1540);
        assert_eq!(p.totals.total.amount, 5000 - 1540);
        let line_discounts: i64 = p.lines.iter().map(|share| share.discount).sum();
        assert_eq!(line_discounts, 1540);
    }

    #[test]
    fn a_fixed_amount_never_exceeds_what_is_left() {
        let mut big = rule(DiscountKind::FixedAmount);
        big.amount = Some(Money::new(10_000, "EUR"));
        let p = priced(
            &[line(700, 1)],
            &[Offer {
                code: Some("BIG"),
                rule: &big,
            }],
            None,
            None,
        );
        assert_eq!(p.totals.discount_total.amount, 700);
        assert_eq!(p.totals.total.amount, 0);
    }

    #[test]
    fn buy_two_get_one_free_gives_the_cheapest_unit() {
        let mut deal = rule(DiscountKind::BuyXGetY);
        deal.buy_quantity = Some(2);
        deal.get_quantity = Some(1);
        deal.value = Some(10_000);
        let p = priced(
            &[line(900, 2), line(500, 1)],
            &[Offer {
                code: None,
                rule: &deal,
            }],
            None,
            None,
        );
        assert_eq!(p.totals.discount_total.amount, 500);
        let none = priced(
            &[line(900, 2)],
            &[Offer {
                code: Some("B2G1"),
                rule: &deal,
            }],
            None,
            None,
        );
        assert_eq!(
            none.not_applied,
            vec![("B2G1".into(), NotApplicable::QuantityNotReached)]
        );
    }

    #[test]
    fn scopes_and_minimums_decide_whether_a_code_applies() {
        let lines = [line(1000, 1)];
        let mut scoped = rule(DiscountKind::Percentage);
        scoped.value = Some(5000);
        scoped.product_ids = vec![Uuid::from_u128(42)];
        let mut minimum = rule(DiscountKind::Percentage);
        minimum.value = Some(1000);
        minimum.min_subtotal = Some(Money::new(2000, "EUR"));
        let p = priced(
            &lines,
            &[
                Offer {
                    code: Some("SCOPED"),
                    rule: &scoped,
                },
                Offer {
                    code: Some("MIN"),
                    rule: &minimum,
                },
            ],
            None,
            None,
        );
        assert_eq!(
            p.not_applied,
            vec![
                ("SCOPED".into(), NotApplicable::NoEligibleLine),
                ("MIN".into(), NotApplicable::BelowMinimum)
            ]
        );
        assert_eq!(p.totals.total.amount, 1000);
    }

    #[test]
    fn free_shipping_waives_the_rate_and_free_over_uses_the_discounted_subtotal() {
        let post = rate(490, Some(5000));
        let free = rule(DiscountKind::FreeShipping);
        let p = priced(
            &[line(1000, 1)],
            &[Offer {
                code: Some("SHIP"),
                rule: &free,
            }],
            Some(&post),
            None,
        );
        assert_eq!(p.totals.shipping.amount, 490);
        assert_eq!(p.totals.discounts[0].amount.amount, 490);
        assert_eq!(p.totals.total.amount, 1000);
        let mut ten = rule(DiscountKind::Percentage);
        ten.value = Some(1000);
        // 52.00 − 10 % = 46.80 < 50.00: shipping is charged.
        let charged = priced(
            &[line(5200, 1)],
            &[Offer {
                code: None,
                rule: &ten,
            }],
            Some(&post),
            None,
        );
        assert_eq!(charged.totals.shipping.amount, 490);
        let free_over = priced(&[line(5200, 1)], &[], Some(&post), None);
        assert_eq!(free_over.totals.shipping.amount, 0);
    }

    #[test]
    fn digital_only_and_exempt_lines() {
        let mut ebook = line(1000, 1);
        ebook.shipped = false;
        let mut food = line(1000, 1);
        food.tax_exempt = true;
        let post = rate(490, None);
        let p = priced(
            &[ebook.clone()],
            &[],
            Some(&post),
            Some(vat(2000, false, TaxRounding::PerLine)),
        );
        assert_eq!(
            p.totals.shipping.amount, 0,
            "a digital-only cart ships nothing"
        );
        assert_eq!(p.totals.tax.amount, 200);
        let exempt = priced(
            &[food],
            &[],
            None,
            Some(vat(2000, false, TaxRounding::PerLine)),
        );
        assert_eq!(exempt.totals.tax.amount, 0);
    }

    #[test]
    fn weight_bands() {
        let mut band = rate(900, None);
        band.kind = ShippingRateKind::Weight;
        band.min_weight_grams = Some(1000);
        band.max_weight_grams = Some(5000);
        assert!(!rate_offered(&band, 999));
        assert!(rate_offered(&band, 1000));
        assert!(rate_offered(&band, 5000));
        assert!(!rate_offered(&band, 5001));
        assert_eq!(shipped_weight(&[line(100, 3)]), 1500);
    }

    #[test]
    fn spreading_adds_up_exactly() {
        assert_eq!(spread(2, &[1, 1, 1]), vec![1, 1, 0]);
        assert_eq!(spread(100, &[333, 333, 334]), vec![33, 33, 34]);
        assert_eq!(spread(0, &[0, 0]), vec![0, 0]);
    }
}
