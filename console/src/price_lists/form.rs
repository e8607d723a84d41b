//! The form of a price list: its name, kind, customer group, window (typed in the browser's
//! time zone, sent in UTC) and whether it is switched on; and its prices, one per variant of
//! the products picked from the store's catalog, typed in the store currency (`7.50`) or
//! filled from a percentage off the regular price, which shows beside each field.
//!
//! The prices are sent in the order they show, so the API's `prices[2].price.amount` is the
//! third field (`#field-prices-2-price`).

use std::collections::{HashMap, HashSet};

use colmena_sdk::contract::{
    AdminProduct, CustomerGroup, PriceList, PriceListInput, PriceListKind, VariantPrice,
};
use colmena_sdk::{format_money, Money, Page, ProductListQuery, Uuid};
use leptos::prelude::*;

use super::{focus_by_id, zone_words, Editing};
use crate::calls::call_api;
use crate::catalog::{amount_text, read_price};
use crate::field::{
    field_id, names_field, CheckField, Field, FieldError, FormProblem, SelectField,
};
use crate::pricing::{basis_points, money, percent};
use crate::storefront::draft::TimeInput;
use crate::storefront::editor::RadioGroup;
use crate::{Problem, SharedSession};

const KINDS: [(PriceListKind, &str); 2] = [
    (
        PriceListKind::Sale,
        "Sale: shoppers see the regular price struck through",
    ),
    (
        PriceListKind::Override,
        "Own prices: they replace the regular price (e.g. wholesale)",
    ),
];

/// Products shown at a time in the picker.
const PICKER_PAGE: u32 = 8;

/// Products read at a time when an existing list's variants are looked up (the API's most).
const LOOKUP_PAGE: u32 = 100;

/// The fields of the form other than the prices, by their API names.
const FIELDS: [&str; 6] = [
    "name",
    "customerGroupId",
    "startsAt",
    "endsAt",
    "active",
    "percentOff",
];

/// One variant the list prices, as typed.
#[derive(Debug, Clone)]
struct PriceRow {
    variant_id: Uuid,
    product_id: Uuid,
    product: String,
    /// The variant's title; none when it is its product's only variant.
    variant: Option<String>,
    /// Its regular price (none for a variant no longer in the catalog).
    regular: Option<Money>,
    text: RwSignal<String>,
}

/// A price's text, owned by the form (`owner`): it lives as long as the form, not as long as
/// the part of the page whose button made it (an event handler runs under the owner of the
/// view that has its element, such as a search result that the next search replaces).
fn in_form(owner: StoredValue<Owner>, text: String) -> RwSignal<String> {
    owner.with_value(|owner| owner.with(|| RwSignal::new(text)))
}

/// The rows of every variant of `product`, with no price typed yet; their texts are made by
/// `text`.
fn rows_of(product: &AdminProduct, text: impl Fn() -> RwSignal<String>) -> Vec<PriceRow> {
    let single = product.product.variants.len() == 1;
    product
        .product
        .variants
        .iter()
        .map(|variant| PriceRow {
            variant_id: variant.id,
            product_id: product.product.id,
            product: product.product.name.clone(),
            variant: (!single).then(|| variant.title.clone()),
            regular: Some(variant.price.clone()),
            text: text(),
        })
        .collect()
}

/// Adds `added` to `rows`, each variant once, after the rows of its product (a product's
/// variants stay together); returns the position of the first row added.
fn add_rows(rows: &mut Vec<PriceRow>, added: Vec<PriceRow>) -> Option<usize> {
    let mut first = None;
    for row in added {
        if rows.iter().any(|known| known.variant_id == row.variant_id) {
            continue;
        }
        let at = rows
            .iter()
            .rposition(|known| known.product_id == row.product_id)
            .map_or(rows.len(), |last| last + 1);
        rows.insert(at, row);
        first = Some(first.map_or(at, |first: usize| first.min(at)));
    }
    first
}

/// A product's rows: its id, its name, and each row with its position (its index in `prices`).
type ProductRows = (Uuid, String, Vec<(usize, PriceRow)>);

/// The rows by product, in order.
fn by_product(rows: &[PriceRow]) -> Vec<ProductRows> {
    let mut groups: Vec<ProductRows> = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        match groups.last_mut() {
            Some((product, _, entries)) if *product == row.product_id => {
                entries.push((index, row.clone()));
            }
            _ => groups.push((
                row.product_id,
                row.product.clone(),
                vec![(index, row.clone())],
            )),
        }
    }
    groups
}

/// `regular` less `basis_points` (2000: 20 %), rounded to the currency's minor unit (half up).
fn percent_off(regular: i64, basis_points: u32) -> i64 {
    let kept = i128::from(10_000u32.saturating_sub(basis_points));
    let amount = (i128::from(regular) * kept + 5_000).div_euclid(10_000);
    i64::try_from(amount).unwrap_or(regular)
}

/// The position of `prices[N]` in a refused parameter that names a price's part.
fn price_index(parameter: &str) -> Option<usize> {
    let (index, _) = parameter.strip_prefix("prices[")?.split_once(']')?;
    index.parse().ok()
}

/// Whether the form shows a refusal of `parameter` beside one of its fields.
fn form_shows(parameter: &str) -> bool {
    parameter == "prices"
        || price_index(parameter).is_some()
        || FIELDS.iter().any(|field| names_field(parameter, field))
}

/// The API's refusal as the form shows it: a variant refused (`prices[1].variantId`, priced
/// twice or not of this store) beside that variant's price.
fn refusal(error: colmena_sdk::Error) -> Problem {
    let mut problem = Problem::from(error);
    if let Some(index) = problem
        .field
        .as_deref()
        .filter(|field| field.ends_with("].variantId"))
        .and_then(price_index)
    {
        problem.field = Some(format!("prices[{index}].price"));
    }
    problem
}

/// Gives the focus to the field that shows a refusal of `parameter` (the field of the whole
/// when the API names a part: `prices[0].price.amount` is the field `prices[0].price`).
fn focus_refused(parameter: &str) {
    let mut name = parameter.to_owned();
    loop {
        if let Some(element) = document().get_element_by_id(&field_id(&name)) {
            if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element) {
                let _ = element.focus();
            }
            return;
        }
        match name.rfind(['.', '[']) {
            Some(at) => name.truncate(at),
            None => return,
        }
    }
}

/// Looks up the variants of `prices` in the catalog (their products' names and regular
/// prices), then shows them as rows holding the list's prices.
fn show_prices(
    session: SharedSession,
    prices: Vec<VariantPrice>,
    rows: RwSignal<Vec<PriceRow>>,
    owner: StoredValue<Owner>,
    problem: WriteSignal<Option<Problem>>,
    loading: RwSignal<bool>,
) {
    let wanted: HashSet<Uuid> = prices.iter().map(|price| price.variant_id).collect();
    call_api(
        session,
        problem,
        Some(loading),
        move |session| async move {
            let mut wanted = wanted;
            let mut found: HashMap<Uuid, PriceRow> = HashMap::new();
            let mut offset = 0;
            while !wanted.is_empty() {
                let query = ProductListQuery {
                    limit: Some(LOOKUP_PAGE),
                    offset: Some(offset),
                    ..ProductListQuery::default()
                };
                let page = session.admin().list_products(&query).await?;
                // Placeholders: the rows shown get texts of the form's own.
                let rows = page
                    .items
                    .iter()
                    .flat_map(|product| rows_of(product, RwSignal::default));
                for row in rows {
                    if wanted.remove(&row.variant_id) {
                        found.insert(row.variant_id, row);
                    }
                }
                if !page.pagination.has_more {
                    break;
                }
                offset += u64::from(LOOKUP_PAGE);
            }
            Ok::<_, colmena_sdk::Error>(found)
        },
        move |mut found| {
            let mut shown = Vec::new();
            for price in prices {
                let typed = amount_text(price.price.amount, &price.price.currency);
                let row = match found.remove(&price.variant_id) {
                    Some(row) => PriceRow {
                        text: in_form(owner, typed),
                        ..row
                    },
                    None => PriceRow {
                        variant_id: price.variant_id,
                        product_id: price.variant_id,
                        product: "A variant no longer in the catalog".to_owned(),
                        variant: None,
                        regular: None,
                        text: in_form(owner, typed),
                    },
                };
                add_rows(&mut shown, vec![row]);
            }
            rows.set(shown);
        },
    );
}

/// A price list's fields and prices; creates the list, or replaces the one being edited.
#[component]
pub fn ListForm(
    session: SharedSession,
    editing: Editing,
    groups: RwSignal<Vec<CustomerGroup>>,
    currency: RwSignal<String>,
    /// Runs with the list's name once it is saved.
    on_saved: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let existing: Option<PriceList> = match editing {
        Editing::New => None,
        Editing::Existing(list) => Some(*list),
    };
    let list_id = existing.as_ref().map(|list| list.id);
    let input = existing.map(|list| list.list);
    let name = RwSignal::new(input.as_ref().map(|l| l.name.clone()).unwrap_or_default());
    let kind = RwSignal::new(input.as_ref().map_or(PriceListKind::Sale, |l| l.kind));
    let group = RwSignal::new(
        input
            .as_ref()
            .and_then(|l| l.customer_group_id)
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let starts = TimeInput::new(input.as_ref().and_then(|l| l.starts_at.as_ref()));
    let ends = TimeInput::new(input.as_ref().and_then(|l| l.ends_at.as_ref()));
    let active = RwSignal::new(input.as_ref().is_none_or(|l| l.active));
    let rows = RwSignal::new(Vec::<PriceRow>::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let owner = StoredValue::new(Owner::current().unwrap_or_default());
    if let Some(list) = &input {
        show_prices(
            session,
            list.prices.clone(),
            rows,
            owner,
            set_problem,
            loading,
        );
    }
    // A refused field takes the focus, once the refusal shows beside it.
    Effect::new(move || {
        if let Some(field) = problem.with(|p| p.as_ref().and_then(|p| p.field.clone())) {
            request_animation_frame(move || focus_refused(&field));
        }
    });
    let group_options = Signal::derive(move || {
        let mut options = vec![(String::new(), "Every shopper".to_owned())];
        options.extend(
            groups
                .get()
                .into_iter()
                .map(|group| (group.id.to_string(), group.name)),
        );
        options
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let currency_now = currency.get_untracked();
        let read = || -> Result<PriceListInput, Problem> {
            let name_now = name.get_untracked();
            let customer_group_id = Uuid::parse_str(&group.get_untracked()).ok();
            let starts_at = starts.value(|| "startsAt".to_owned())?;
            let ends_at = ends.value(|| "endsAt".to_owned())?;
            let prices = rows
                .get_untracked()
                .iter()
                .enumerate()
                .map(|(index, row)| {
                    let field = format!("prices[{index}].price");
                    let typed = row.text.get_untracked();
                    if typed.trim().is_empty() {
                        let example = amount_text(750, &currency_now);
                        return Err(Problem::of_field(
                            field,
                            format!("enter a price such as {example}, or leave the variant out"),
                        ));
                    }
                    let amount = read_price(&typed, &currency_now, &field)?;
                    Ok(VariantPrice {
                        variant_id: row.variant_id,
                        price: Money::new(amount, currency_now.as_str()),
                    })
                })
                .collect::<Result<Vec<_>, Problem>>()?;
            Ok(PriceListInput {
                name: name_now,
                kind: kind.get_untracked(),
                customer_group_id,
                starts_at,
                ends_at,
                active: active.get_untracked(),
                prices,
            })
        };
        let input = match read() {
            Ok(input) => input,
            Err(refused) => return set_problem.set(Some(refused)),
        };
        let saved_name = input.name.trim().to_owned();
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move {
                let admin = session.admin();
                let saved = match list_id {
                    None => admin.create_price_list(&input).await,
                    Some(id) => admin.replace_price_list(id, &input).await,
                };
                saved.map_err(refusal)
            },
            move |_| on_saved.run(saved_name),
        );
    };

    // "x % off every chosen variant": fills the prices from the regular ones.
    let percent_text = RwSignal::new(String::new());
    let filled = RwSignal::new(None::<String>);
    let fill = move |_| {
        filled.set(None);
        let points = basis_points(&percent_text.get_untracked(), "percentOff").and_then(|points| {
            if points <= 10_000 {
                Ok(points)
            } else {
                Err(Problem::of_field(
                    "percentOff",
                    "enter a percentage from 0 to 100",
                ))
            }
        });
        let points = match points {
            Ok(points) => points,
            Err(refused) => return set_problem.set(Some(refused)),
        };
        set_problem.set(None);
        let mut count = 0;
        for row in rows.get_untracked() {
            if let Some(regular) = &row.regular {
                let amount = percent_off(regular.amount, points);
                row.text.set(amount_text(amount, &regular.currency));
                count += 1;
            }
        }
        filled.set(Some(if count == 0 {
            "Add products first: there is no price to fill.".to_owned()
        } else {
            format!(
                "Filled {count} {} at {} off.",
                if count == 1 { "price" } else { "prices" },
                percent(points)
            )
        }));
    };

    let chosen = move || {
        let currency_now = currency.get();
        let all = rows.get();
        if all.is_empty() {
            let words = if loading.get() {
                "Loading the list's products…"
            } else {
                "No variants yet: add products above."
            };
            return view! { <p class="hint">{words}</p> }.into_any();
        }
        by_product(&all)
            .into_iter()
            .map(|(product_id, product, entries)| {
                let fields = entries
                    .into_iter()
                    .map(|(index, row)| price_field(index, row, &currency_now, problem, rows))
                    .collect_view();
                view! {
                    <fieldset class="priced">
                        <legend>{product.clone()}</legend>
                        <div class="variant-fields">{fields}</div>
                        <div class="actions">
                            <button type="button" class="quiet" aria-label=format!("Remove product {product}")
                                on:click=move |_| {
                                    rows.update(|rows| rows.retain(|row| row.product_id != product_id));
                                    focus_by_id("prices-title");
                                }>"Remove product"</button>
                        </div>
                    </fieldset>
                }
            })
            .collect_view()
            .into_any()
    };

    let (title, button) = match (&input, list_id) {
        (Some(list), Some(_)) => (format!("Edit {}", list.name), "Save price list"),
        _ => ("New price list".to_owned(), "Create price list"),
    };
    let zone = zone_words();
    let shown_beside: fn(&str) -> bool = form_shows;
    view! {
        <form class="card list-form" novalidate on:submit=submit aria-labelledby="list-form-title">
            <h2 id="list-form-title" tabindex="-1">{title}</h2>
            <div class="columns">
                <div class="form-column">
                    <Field label="Name (for staff, e.g. Summer sale)" parameter="name" value=name problem=problem required=true />
                    <RadioGroup legend="Kind" name="price-list-kind" options=&KINDS value=kind />
                    <SelectField label="For" parameter="customerGroupId" value=group options=group_options problem=problem />
                    <span class="hint">{move || if groups.with(Vec::is_empty) {
                        "Every shopper, or a customer group (create groups below)."
                    } else {
                        "Every shopper, or only the members of a customer group."
                    }}</span>
                </div>
                <div class="form-column aside">
                    <Field label="Starts (empty: now)" parameter="startsAt" value=starts.text problem=problem kind="datetime-local" />
                    <Field label="Ends (empty: no end)" parameter="endsAt" value=ends.text problem=problem kind="datetime-local" />
                    <p class="hint">{format!("Times are in {zone}.")}</p>
                    <CheckField label="Switched on" parameter="active" checked=active problem=problem />
                </div>
            </div>
            <fieldset class="prices">
                <legend id="prices-title" tabindex="-1">"Prices"</legend>
                <ProductPicker session=session rows=rows owner=owner problem=set_problem currency=currency />
                <div class="fill">
                    <div class="field">
                        <Field label="Percent off the regular price" parameter="percentOff" value=percent_text problem=problem
                            inputmode="decimal" hint="Fills every chosen variant's price, rounded to the currency's smallest unit." />
                    </div>
                    <button type="button" on:click=fill>"Fill the prices"</button>
                    <span role="status">{move || filled.get()}</span>
                </div>
                {chosen}
                <FieldError parameter="prices" problem=problem exact=true />
            </fieldset>
            <FormProblem problem=problem placed=shown_beside />
            <div class="row actions">
                <button type="submit" prop:disabled=move || busy.get() || loading.get()>{button}</button>
                <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// The price field of the row at `index`, with the regular price under it and, for one of
/// several variants, a button that leaves it out.
fn price_field(
    index: usize,
    row: PriceRow,
    currency: &str,
    problem: ReadSignal<Option<Problem>>,
    rows: RwSignal<Vec<PriceRow>>,
) -> impl IntoView {
    let label = match &row.variant {
        Some(title) => format!("{title} ({currency})"),
        None => format!("List price ({currency})"),
    };
    let hint = row.regular.as_ref().map_or_else(
        || "Regular price unknown".to_owned(),
        |regular| format!("Regular price {}", money(regular)),
    );
    let variant_id = row.variant_id;
    let leave_out = row.variant.clone().map(|title| {
        view! {
            <button type="button" class="quiet leave-out" aria-label=format!("Leave out {} {title}", row.product)
                on:click=move |_| {
                    rows.update(|rows| rows.retain(|row| row.variant_id != variant_id));
                    focus_by_id("prices-title");
                }>"Leave out"</button>
        }
    });
    view! {
        <div class="field">
            <Field label=label parameter=format!("prices[{index}].price") value=row.text problem=problem
                inputmode="decimal" required=true hint=hint />
            {leave_out}
        </div>
    }
}

/// Finds products (by name, or the newest first) and adds their variants to the list.
#[component]
fn ProductPicker(
    session: SharedSession,
    rows: RwSignal<Vec<PriceRow>>,
    /// The form's owner, which owns the prices' texts.
    owner: StoredValue<Owner>,
    problem: WriteSignal<Option<Problem>>,
    currency: RwSignal<String>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let found = RwSignal::new(None::<Page<AdminProduct>>);
    // Only the latest search's answer shows (an earlier one may arrive after it).
    let searches = StoredValue::new(0u32);
    let search = move || {
        searches.update_value(|n| *n += 1);
        let this = searches.get_value();
        let query = ProductListQuery {
            q: Some(query.get_untracked()).filter(|q| !q.trim().is_empty()),
            limit: Some(PICKER_PAGE),
            offset: Some(offset.get_untracked()),
            ..ProductListQuery::default()
        };
        call_api(
            session,
            problem,
            None,
            move |session| async move { session.admin().list_products(&query).await },
            move |page| {
                if searches.get_value() == this {
                    found.set(Some(page));
                }
            },
        );
    };
    search();
    let add = move |product: &AdminProduct| {
        let mut first = None;
        let added = rows_of(product, || in_form(owner, String::new()));
        rows.update(|rows| first = add_rows(rows, added));
        if let Some(first) = first {
            // The first new price field takes the focus (the pressed button is now disabled).
            let id = field_id(&format!("prices[{first}].price"));
            request_animation_frame(move || {
                if let Some(element) = document().get_element_by_id(&id) {
                    if let Ok(element) =
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
                    {
                        let _ = element.focus();
                    }
                }
            });
        }
    };
    let results = move || {
        found.get().map(|page| {
            if page.items.is_empty() {
                return view! { <p class="hint">"No product matches."</p> }.into_any();
            }
            let items = page
                .items
                .into_iter()
                .map(|product| {
                    let name = product.product.name.clone();
                    let ids: Vec<Uuid> = product.product.variants.iter().map(|v| v.id).collect();
                    let count = ids.len();
                    let lowest = product.product.variants.iter().map(|v| &v.price).min_by_key(|p| p.amount);
                    let price = lowest
                        .map(|price| format_money(price.amount, &price.currency, "en"))
                        .unwrap_or_default();
                    let summary = if count == 1 {
                        price
                    } else {
                        format!("{count} variants, from {price}")
                    };
                    let ids = StoredValue::new(ids);
                    let all_in = move || {
                        rows.with(|rows| {
                            ids.with_value(|ids| {
                                ids.iter().all(|id| rows.iter().any(|row| row.variant_id == *id))
                            })
                        })
                    };
                    let product = StoredValue::new(product);
                    let label = name.clone();
                    view! {
                        <li>
                            <span class="picker-name">{name}</span>
                            <span class="hint">{summary}</span>
                            <button type="button" prop:disabled=all_in
                                aria-label=move || if all_in() { format!("{label} added") } else { format!("Add {label}") }
                                on:click=move |_| product.with_value(add)>
                                {move || if all_in() { "Added" } else { "Add" }}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="picker-results">{items}</ul> }.into_any()
        })
    };
    let has_more = move || found.with(|p| p.as_ref().is_some_and(|p| p.pagination.has_more));
    view! {
        <div class="picker" role="search" aria-label="Products to price">
            <div class="picker-search">
                <div class="field">
                    <label for="picker-query" class="field-label">"Find products"</label>
                    <input id="picker-query" type="search" prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            // Enter searches, rather than submitting the price list.
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                offset.set(0);
                                search();
                            }
                        } />
                </div>
                <button type="button" on:click=move |_| {
                    offset.set(0);
                    search();
                }>"Search"</button>
            </div>
            <p class="hint">{move || format!("Each product added brings all its variants; prices are in {}.", currency.get())}</p>
            {results}
            <div class="row">
                <button type="button" prop:disabled=move || offset.get() == 0 on:click=move |_| {
                    offset.update(|o| *o = o.saturating_sub(u64::from(PICKER_PAGE)));
                    search();
                }>"Previous products"</button>
                <button type="button" prop:disabled=move || !has_more() on:click=move |_| {
                    offset.update(|o| *o += u64::from(PICKER_PAGE));
                    search();
                }>"Next products"</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(variant: u128, product: u128) -> PriceRow {
        PriceRow {
            variant_id: Uuid::from_u128(variant),
            product_id: Uuid::from_u128(product),
            product: format!("Product {product}"),
            variant: None,
            regular: None,
            text: RwSignal::new(String::new()),
        }
    }

    #[test]
    fn percent_off_rounds_to_the_minor_unit() {
        assert_eq!(percent_off(1250, 2000), 1000);
        assert_eq!(percent_off(990, 2000), 792);
        // 999 × 0.85 = 849.15; 995 × 0.85 = 845.75 rounds up.
        assert_eq!(percent_off(999, 1500), 849);
        assert_eq!(percent_off(995, 1500), 846);
        assert_eq!(percent_off(1490, 0), 1490);
        assert_eq!(percent_off(1490, 10_000), 0);
        assert_eq!(percent_off(5000, 3333), 3334);
    }

    #[test]
    fn a_products_variants_stay_together() {
        let mut rows = vec![row(1, 10), row(2, 20)];
        assert_eq!(add_rows(&mut rows, vec![row(3, 10), row(1, 10)]), Some(1));
        assert_eq!(add_rows(&mut rows, vec![row(2, 20)]), None);
        assert_eq!(add_rows(&mut rows, vec![row(4, 30)]), Some(3));
        let order: Vec<u128> = rows.iter().map(|r| r.variant_id.as_u128()).collect();
        assert_eq!(order, [1, 3, 2, 4]);
        let grouped: Vec<(u128, Vec<usize>)> = by_product(&rows)
            .into_iter()
            .map(|(product, _, entries)| {
                (product.as_u128(), entries.iter().map(|(i, _)| *i).collect())
            })
            .collect();
        assert_eq!(grouped, [(10, vec![0, 1]), (20, vec![2]), (30, vec![3])]);
    }

    #[test]
    fn refusals_of_prices_are_placed() {
        assert_eq!(price_index("prices[12].price.amount"), Some(12));
        assert_eq!(price_index("prices"), None);
        assert!(form_shows("prices[0].price.amount"));
        assert!(form_shows("endsAt"));
        assert!(form_shows("prices"));
        assert!(!form_shows("kind"));
        assert!(!form_shows("pricesX"));
    }
}
