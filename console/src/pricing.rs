//! Shipping & tax, and discounts (owners and admins): the rules the server prices carts with.
//! The console reads what people type (percentages, amounts) and shows the API's refusals beside
//! the fields they name; the API checks every rule.

use colmena_sdk::contract::{
    Discount, DiscountInput, DiscountKind, Money, ShippingRateInput, ShippingRateKind,
    ShippingZone, ShippingZoneInput, TaxRate, TaxRounding, TaxSettings,
};
use colmena_sdk::{format_money, parse_amount};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::field::{CheckField, Field, SelectField};
use crate::{Problem, ProblemView, SharedSession};

/// A percentage as typed (`20`, `8.25`, `8,25`) in basis points (2000, 825).
pub(crate) fn basis_points(text: &str, field: &str) -> Result<u32, Problem> {
    // Hundredths of a percent are a two-decimal fixed-point number, as EUR amounts are.
    parse_amount(text.trim(), "EUR")
        .and_then(|hundredths| u32::try_from(hundredths).ok())
        .ok_or_else(|| Problem::of_field(field, "enter a percentage, e.g. 20 or 8.25"))
}

/// Basis points as a percentage for people: 2000 → `20 %`, 750 → `7.5 %`, 825 → `8.25 %`.
pub(crate) fn percent(basis_points: u32) -> String {
    let (whole, hundredths) = (basis_points / 100, basis_points % 100);
    match hundredths {
        0 => format!("{whole} %"),
        tenths if tenths % 10 == 0 => format!("{whole}.{} %", tenths / 10),
        _ => format!("{whole}.{hundredths:02} %"),
    }
}

pub(crate) fn money(amount: &Money) -> String {
    format_money(amount.amount, &amount.currency, "en")
}

/// An optional amount in the store's currency.
fn optional_money(text: &str, currency: &str, field: &str) -> Result<Option<Money>, Problem> {
    match text.trim() {
        "" => Ok(None),
        typed => parse_amount(typed, currency)
            .map(|amount| Some(Money::new(amount, currency)))
            .ok_or_else(|| Problem::of_field(field, "enter an amount, e.g. 4.90")),
    }
}

/// An optional whole number.
fn optional_count(text: &str, field: &str) -> Result<Option<u32>, Problem> {
    match text.trim() {
        "" => Ok(None),
        typed => typed
            .parse()
            .map(Some)
            .map_err(|_| Problem::of_field(field, "enter a whole number")),
    }
}

/// The store's currency, read from its settings once.
pub(crate) fn store_currency(session: SharedSession, currency: RwSignal<String>) {
    let session = session.get_value();
    spawn_local(async move {
        if let Ok(settings) = session.admin().settings().await {
            currency.set(settings.store.currency);
        }
    });
}

/// Tax (whether prices include it, rounding, rates by destination) and shipping zones.
#[component]
pub fn ShippingAndTax(session: SharedSession) -> impl IntoView {
    let (problem, set_problem) = signal(None::<Problem>);
    let currency = RwSignal::new(String::new());
    store_currency(session, currency);
    let included = RwSignal::new(false);
    let per_order = RwSignal::new(false);
    let shipping_taxed = RwSignal::new(false);
    let rates = RwSignal::new(Vec::<TaxRate>::new());
    let zones = RwSignal::new(Vec::<ShippingZone>::new());
    let saved = RwSignal::new(false);
    let load = move || {
        let session = session.get_value();
        spawn_local(async move {
            let admin = session.admin();
            match (admin.tax_settings().await, admin.shipping_zones().await) {
                (Ok(tax), Ok(found)) => {
                    included.set(tax.prices_include_tax);
                    per_order.set(tax.rounding == TaxRounding::PerOrder);
                    shipping_taxed.set(tax.shipping_taxable);
                    rates.set(tax.rates);
                    zones.set(found);
                }
                (Err(error), _) | (_, Err(error)) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        });
    };
    load();
    let save_tax = move |rates_now: Vec<TaxRate>| {
        let settings = TaxSettings {
            prices_include_tax: included.get_untracked(),
            rounding: if per_order.get_untracked() {
                TaxRounding::PerOrder
            } else {
                TaxRounding::PerLine
            },
            shipping_taxable: shipping_taxed.get_untracked(),
            rates: rates_now,
        };
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().set_tax_settings(&settings).await {
                Ok(answer) => {
                    set_problem.set(None);
                    rates.set(answer.rates);
                    saved.set(true);
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        });
    };
    // A new rate: country, optional region, percentage, name.
    let (country, region, rate, rate_name) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let add_rate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let points = match basis_points(&rate.get_untracked(), "rate.rate") {
            Ok(points) => points,
            Err(refusal) => return set_problem.set(Some(refusal)),
        };
        let mut all = rates.get_untracked();
        all.push(TaxRate {
            country: country.get_untracked().trim().to_owned(),
            region: Some(region.get_untracked().trim().to_owned()).filter(|r| !r.is_empty()),
            rate: points,
            name: rate_name.get_untracked(),
        });
        for text in [country, region, rate, rate_name] {
            text.set(String::new());
        }
        save_tax(all);
    };
    let remove_rate = move |at: usize| {
        let mut all = rates.get_untracked();
        all.remove(at);
        save_tax(all);
    };
    let save_settings = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save_tax(rates.get_untracked());
    };

    // A new zone with its first rate.
    let zone_name = RwSignal::new(String::new());
    let destinations = RwSignal::new(String::new());
    let rate_title = RwSignal::new(String::new());
    let kind = RwSignal::new("flat".to_owned());
    let price = RwSignal::new(String::new());
    let free_over = RwSignal::new(String::new());
    let min_weight = RwSignal::new(String::new());
    let max_weight = RwSignal::new(String::new());
    let add_zone = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let currency_now = currency.get_untracked();
        let read = || -> Result<ShippingZoneInput, Problem> {
            Ok(ShippingZoneInput {
                name: zone_name.get_untracked(),
                regions: destinations
                    .get_untracked()
                    .split([',', ' '])
                    .map(str::trim)
                    .filter(|code| !code.is_empty())
                    .map(str::to_owned)
                    .collect(),
                rates: vec![ShippingRateInput {
                    id: None,
                    name: rate_title.get_untracked(),
                    kind: match kind.get_untracked().as_str() {
                        "weight" => ShippingRateKind::Weight,
                        "pickup" => ShippingRateKind::Pickup,
                        _ => ShippingRateKind::Flat,
                    },
                    price: optional_money(&price.get_untracked(), &currency_now, "rates[0].price")?
                        .unwrap_or_else(|| Money::new(0, currency_now.as_str())),
                    min_weight_grams: optional_count(
                        &min_weight.get_untracked(),
                        "rates[0].minWeightGrams",
                    )?,
                    max_weight_grams: optional_count(
                        &max_weight.get_untracked(),
                        "rates[0].maxWeightGrams",
                    )?,
                    free_over: optional_money(
                        &free_over.get_untracked(),
                        &currency_now,
                        "rates[0].freeOver",
                    )?,
                }],
            })
        };
        let input = match read() {
            Ok(input) => input,
            Err(refusal) => return set_problem.set(Some(refusal)),
        };
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().create_shipping_zone(&input).await {
                Ok(_) => {
                    set_problem.set(None);
                    for text in [
                        zone_name,
                        destinations,
                        rate_title,
                        price,
                        free_over,
                        min_weight,
                        max_weight,
                    ] {
                        text.set(String::new());
                    }
                    load();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    let delete_zone = move |zone_id| {
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().delete_shipping_zone(zone_id).await {
                Ok(_) => load(),
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    let kinds = Signal::derive(|| {
        vec![
            ("flat".to_owned(), "Flat: one price".to_owned()),
            (
                "weight".to_owned(),
                "By weight: a price for a weight band".to_owned(),
            ),
            ("pickup".to_owned(), "Local pickup".to_owned()),
        ]
    });
    view! {
        <section aria-labelledby="shipping-title">
            <h1 id="shipping-title">"Shipping & tax"</h1>
            <ProblemView problem=problem />
            <h2>"Tax"</h2>
            <form class="form" on:submit=save_settings>
                <CheckField label="Prices include tax (VAT)" parameter="pricesIncludeTax" checked=included problem=problem />
                <CheckField label="Round tax once per order (else per line)" parameter="rounding" checked=per_order problem=problem />
                <CheckField label="Tax shipping" parameter="shippingTaxable" checked=shipping_taxed problem=problem />
                <button type="submit">"Save tax settings"</button>
                {move || saved.get().then(|| view! { <span role="status">" Saved."</span> })}
            </form>
            <table>
                <thead><tr><th>"Destination"</th><th>"Name"</th><th class="number">"Rate"</th><th></th></tr></thead>
                <tbody>
                    {move || rates.get().into_iter().enumerate().map(|(at, rate)| {
                        let destination = match &rate.region {
                            Some(region) => format!("{}-{region}", rate.country),
                            None => rate.country.clone(),
                        };
                        view! {
                            <tr>
                                <td>{destination.clone()}</td>
                                <td>{rate.name.clone()}</td>
                                <td class="number">{percent(rate.rate)}</td>
                                <td><button class="quiet" aria-label=format!("Remove the rate of {destination}") on:click=move |_| remove_rate(at)>"Remove"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <form class="form" on:submit=add_rate aria-label="Add a tax rate">
                <Field label="Country (e.g. FR)" parameter="rate.country" value=country problem=problem required=true />
                <Field label="Region (e.g. CA), optional" parameter="rate.region" value=region problem=problem />
                <Field label="Rate (%)" parameter="rate.rate" value=rate problem=problem inputmode="decimal" required=true />
                <Field label="Name on receipts (e.g. TVA)" parameter="rate.name" value=rate_name problem=problem required=true />
                <button type="submit">"Add rate"</button>
            </form>

            <h2>"Shipping zones"</h2>
            <p class="hint">"A cart is offered the rates of the most specific zone covering its address; a zone without destinations covers everywhere else. Pickup rates are offered without an address."</p>
            <ul class="zones">
                {move || zones.get().into_iter().map(|zone| {
                    let zone_id = zone.id;
                    let where_ = if zone.regions.is_empty() { "everywhere else".to_owned() } else { zone.regions.join(", ") };
                    let rates = zone.rates.iter().map(|rate| {
                        let free = rate.free_over.as_ref().map(|m| format!(", free from {}", money(m))).unwrap_or_default();
                        let band = match (rate.min_weight_grams, rate.max_weight_grams) {
                            (None, None) => String::new(),
                            (min, max) => format!(", {}–{} g", min.unwrap_or(0), max.map_or("…".to_owned(), |m| m.to_string())),
                        };
                        format!("{}: {}{free}{band}", rate.name, money(&rate.price))
                    }).collect::<Vec<_>>().join(" · ");
                    let name = zone.name.clone();
                    view! {
                        <li>
                            <strong>{zone.name.clone()}</strong>{format!(" ({where_}) — {rates} ")}
                            <button class="quiet" aria-label=format!("Delete the zone {name}") on:click=move |_| delete_zone(zone_id)>"Delete"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="form" on:submit=add_zone aria-label="Add a shipping zone">
                <Field label="Zone name" parameter="name" value=zone_name problem=problem required=true />
                <Field label="Destinations (FR, BE, US-CA; empty: everywhere else)" parameter="regions" value=destinations problem=problem />
                <Field label="Rate name (e.g. Colissimo)" parameter="rates[0].name" value=rate_title problem=problem required=true />
                <SelectField label="Rate kind" parameter="rates[0].kind" value=kind options=kinds problem=problem />
                <Field label="Price" parameter="rates[0].price" value=price problem=problem inputmode="decimal" />
                <Field label="Free from (subtotal), optional" parameter="rates[0].freeOver" value=free_over problem=problem inputmode="decimal" />
                <Field label="From weight (g), for weight rates" parameter="rates[0].minWeightGrams" value=min_weight problem=problem inputmode="numeric" />
                <Field label="Up to weight (g), for weight rates" parameter="rates[0].maxWeightGrams" value=max_weight problem=problem inputmode="numeric" />
                <button type="submit">"Add zone"</button>
            </form>
        </section>
    }
}

/// What a discount does, in words.
fn describe(rule: &DiscountInput) -> String {
    let value = rule.value.map(percent).unwrap_or_default();
    match rule.kind {
        DiscountKind::Percentage => format!("{value} off"),
        DiscountKind::FixedAmount => format!(
            "{} off",
            rule.amount.as_ref().map(money).unwrap_or_default()
        ),
        DiscountKind::FreeShipping => "free shipping".to_owned(),
        DiscountKind::QuantityTier => {
            format!("{value} off from {} units", rule.min_quantity.unwrap_or(0))
        }
        DiscountKind::BuyXGetY => format!(
            "buy {} get {} at {value} off",
            rule.buy_quantity.unwrap_or(0),
            rule.get_quantity.unwrap_or(0)
        ),
    }
}

/// Discount codes and automatic rules.
#[component]
pub fn Discounts(session: SharedSession) -> impl IntoView {
    let (problem, set_problem) = signal(None::<Problem>);
    let currency = RwSignal::new(String::new());
    store_currency(session, currency);
    let discounts = RwSignal::new(Vec::<Discount>::new());
    let load = move || {
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().discounts().await {
                Ok(found) => discounts.set(found),
                Err(error) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        });
    };
    load();
    let name = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let kind = RwSignal::new("percentage".to_owned());
    let value = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let min_subtotal = RwSignal::new(String::new());
    let min_quantity = RwSignal::new(String::new());
    let buy = RwSignal::new(String::new());
    let get = RwSignal::new(String::new());
    let usage_limit = RwSignal::new(String::new());
    let per_customer = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let currency_now = currency.get_untracked();
        let kind_now = match kind.get_untracked().as_str() {
            "fixed_amount" => DiscountKind::FixedAmount,
            "free_shipping" => DiscountKind::FreeShipping,
            "quantity_tier" => DiscountKind::QuantityTier,
            "buy_x_get_y" => DiscountKind::BuyXGetY,
            _ => DiscountKind::Percentage,
        };
        let read = || -> Result<DiscountInput, Problem> {
            let percentage = match value.get_untracked().trim() {
                "" => None,
                typed => Some(basis_points(typed, "value")?),
            };
            Ok(DiscountInput {
                name: name.get_untracked(),
                code: Some(code.get_untracked().trim().to_owned()).filter(|c| !c.is_empty()),
                kind: kind_now,
                value: percentage,
                amount: optional_money(&amount.get_untracked(), &currency_now, "amount")?,
                min_subtotal: optional_money(
                    &min_subtotal.get_untracked(),
                    &currency_now,
                    "minSubtotal",
                )?,
                min_quantity: optional_count(&min_quantity.get_untracked(), "minQuantity")?,
                buy_quantity: optional_count(&buy.get_untracked(), "buyQuantity")?,
                get_quantity: optional_count(&get.get_untracked(), "getQuantity")?,
                product_ids: Vec::new(),
                category_ids: Vec::new(),
                starts_at: None,
                ends_at: None,
                usage_limit: optional_count(&usage_limit.get_untracked(), "usageLimit")?,
                per_customer_limit: optional_count(
                    &per_customer.get_untracked(),
                    "perCustomerLimit",
                )?,
                active: true,
            })
        };
        let input = match read() {
            Ok(input) => input,
            Err(refusal) => return set_problem.set(Some(refusal)),
        };
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().create_discount(&input).await {
                Ok(_) => {
                    set_problem.set(None);
                    for text in [
                        name,
                        code,
                        value,
                        amount,
                        min_subtotal,
                        min_quantity,
                        buy,
                        get,
                        usage_limit,
                        per_customer,
                    ] {
                        text.set(String::new());
                    }
                    load();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    let remove = move |discount_id| {
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().delete_discount(discount_id).await {
                Ok(_) => load(),
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    let kinds = Signal::derive(|| {
        [
            ("percentage", "Percentage off"),
            ("fixed_amount", "Fixed amount off"),
            ("free_shipping", "Free shipping"),
            ("quantity_tier", "Quantity tier (automatic)"),
            ("buy_x_get_y", "Buy X get Y (automatic)"),
        ]
        .map(|(value, label)| (value.to_owned(), label.to_owned()))
        .to_vec()
    });
    view! {
        <section aria-labelledby="discounts-title">
            <h1 id="discounts-title">"Discounts"</h1>
            <ProblemView problem=problem />
            <table>
                <thead><tr><th>"Name"</th><th>"Code"</th><th>"Does"</th><th class="number">"Used"</th><th></th></tr></thead>
                <tbody>
                    {move || discounts.get().into_iter().map(|discount| {
                        let id = discount.id;
                        let used = match discount.rule.usage_limit {
                            Some(limit) => format!("{} of {limit}", discount.times_used),
                            None => discount.times_used.to_string(),
                        };
                        let name = discount.rule.name.clone();
                        view! {
                            <tr>
                                <td>{discount.rule.name.clone()}</td>
                                <td>{discount.rule.code.clone().unwrap_or_else(|| "automatic".to_owned())}</td>
                                <td>{describe(&discount.rule)}</td>
                                <td class="number">{used}</td>
                                <td><button class="quiet" aria-label=format!("Delete {name}") on:click=move |_| remove(id)>"Delete"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h2>"New discount"</h2>
            <form class="form" on:submit=create aria-label="New discount">
                <Field label="Name (shown on carts and receipts)" parameter="name" value=name problem=problem required=true />
                <Field label="Code (empty: applies by itself)" parameter="code" value=code problem=problem />
                <SelectField label="Kind" parameter="kind" value=kind options=kinds problem=problem />
                <Field label="Percentage off" parameter="value" value=value problem=problem inputmode="decimal" />
                <Field label="Amount off" parameter="amount" value=amount problem=problem inputmode="decimal" />
                <Field label="Minimum subtotal, optional" parameter="minSubtotal" value=min_subtotal problem=problem inputmode="decimal" />
                <Field label="From units (quantity tier)" parameter="minQuantity" value=min_quantity problem=problem inputmode="numeric" />
                <Field label="Buy (units)" parameter="buyQuantity" value=buy problem=problem inputmode="numeric" />
                <Field label="Get (units)" parameter="getQuantity" value=get problem=problem inputmode="numeric" />
                <Field label="Uses in all, optional" parameter="usageLimit" value=usage_limit problem=problem inputmode="numeric" />
                <Field label="Uses per customer, optional" parameter="perCustomerLimit" value=per_customer problem=problem inputmode="numeric" />
                <button type="submit">"Create discount"</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_and_shown() {
        assert_eq!(basis_points("20", "r"), Ok(2000));
        assert_eq!(basis_points("8,25", "r"), Ok(825));
        assert!(basis_points("abc", "r").is_err());
        assert_eq!(percent(2000), "20 %");
        assert_eq!(percent(825), "8.25 %");
        assert_eq!(percent(750), "7.5 %");
    }
}
