//! A product's variants in the editor: one card per variant (its option values, SKU, title,
//! price, former price and stock) saved on its own, deleted on its own (the API keeps at least
//! one, and says so), and a form that adds a variant.
//!
//! The variant routes name the variant's fields `variant.…` in a refusal; the editor shows them
//! as `variants[2].…` (or `newVariant.…`), so each card's fields have their own ids.

use colmena_sdk::contract::{
    AdminProduct, OptionValues, ProductVariant, VariantInput, VariantPatch,
};
use colmena_sdk::{Money, Uuid};
use leptos::prelude::*;

use super::{amount_text, count_text, read_count, read_optional_price, read_price, ConfirmButton};
use crate::calls::call_api;
use crate::field::{Field, FieldError, FormProblem};
use crate::{Problem, SharedSession};

/// Most options a product has (the API's limit).
pub const MAX_OPTIONS: usize = 3;

/// What a variant's fields hold, as typed.
#[derive(Debug, Clone, Copy)]
pub struct VariantDrafts {
    /// The product's option names.
    names: Signal<Vec<String>>,
    /// The value of each option, by position: a name being typed (a new product's options)
    /// keeps its value.
    values: [RwSignal<String>; MAX_OPTIONS],
    sku: RwSignal<String>,
    title: RwSignal<String>,
    price: RwSignal<String>,
    compare_at: RwSignal<String>,
    stock: RwSignal<String>,
    weight: RwSignal<String>,
}

/// A variant's fields, read: prices in minor units.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantValues {
    pub options: OptionValues,
    pub sku: String,
    pub title: String,
    pub price: i64,
    pub compare_at: Option<i64>,
    pub inventory: Option<u32>,
    pub weight_grams: Option<u32>,
}

impl VariantDrafts {
    /// Empty fields for a variant of a product with the options `names`.
    pub fn new(names: impl Into<Signal<Vec<String>>>) -> Self {
        let text = || RwSignal::new(String::new());
        Self {
            names: names.into(),
            values: [text(), text(), text()],
            sku: text(),
            title: text(),
            price: text(),
            compare_at: text(),
            stock: text(),
            weight: text(),
        }
    }

    /// Fields holding `variant`, as saved.
    fn of(variant: &ProductVariant, option_names: Vec<String>, currency: &str) -> Self {
        let drafts = Self::new(option_names);
        drafts.show(variant, currency);
        drafts
    }

    /// Shows `variant` as saved (after a save, the API's spelling: `9.5` reads back `9.50`).
    fn show(&self, variant: &ProductVariant, currency: &str) {
        for (name, value) in self.names.get_untracked().iter().zip(self.values) {
            value.set(variant.options.get(name).unwrap_or_default().to_owned());
        }
        self.sku.set(variant.sku.clone());
        self.title.set(variant.title.clone());
        self.price
            .set(amount_text(variant.price.amount, &variant.price.currency));
        self.compare_at.set(
            variant
                .compare_at_price
                .as_ref()
                .map(|money| amount_text(money.amount, currency))
                .unwrap_or_default(),
        );
        self.stock.set(count_text(variant.available));
        self.weight.set(count_text(variant.weight_grams));
    }

    /// Clears the fields (after adding a variant).
    pub fn clear(&self) {
        let texts = [
            self.sku,
            self.title,
            self.price,
            self.compare_at,
            self.stock,
            self.weight,
        ];
        for text in self.values.into_iter().chain(texts) {
            text.set(String::new());
        }
    }

    /// The fields read, or the first one refused, named under `prefix` (e.g. `variants[0]`).
    pub fn read(&self, prefix: &str, currency: &str) -> Result<VariantValues, Problem> {
        let names = self.names.get_untracked();
        if names.len() > MAX_OPTIONS {
            return Err(Problem::of_field(
                "options",
                format!("name at most {MAX_OPTIONS} options"),
            ));
        }
        let options = names
            .into_iter()
            .zip(self.values)
            .map(|(name, value)| {
                let value = value.get_untracked().trim().to_owned();
                if value.is_empty() {
                    Err(Problem::of_field(
                        format!("{prefix}.options"),
                        format!("give a value for {name}"),
                    ))
                } else {
                    Ok((name, value))
                }
            })
            .collect::<Result<OptionValues, Problem>>()?;
        Ok(VariantValues {
            options,
            sku: self.sku.get_untracked().trim().to_owned(),
            title: self.title.get_untracked().trim().to_owned(),
            price: read_price(
                &self.price.get_untracked(),
                currency,
                &format!("{prefix}.price"),
            )?,
            compare_at: read_optional_price(
                &self.compare_at.get_untracked(),
                currency,
                &format!("{prefix}.compareAtPrice"),
            )?,
            inventory: read_count(
                &self.stock.get_untracked(),
                &format!("{prefix}.inventory"),
                "units",
            )?,
            weight_grams: read_count(
                &self.weight.get_untracked(),
                &format!("{prefix}.weightGrams"),
                "grams",
            )?,
        })
    }
}

/// The API names of a variant's fields under `prefix`, for [`FormProblem`].
pub fn variant_parameters(prefix: &str) -> Vec<String> {
    [
        "options",
        "sku",
        "title",
        "price",
        "compareAtPrice",
        "inventory",
        "weightGrams",
    ]
    .iter()
    .map(|field| format!("{prefix}.{field}"))
    .collect()
}

/// The fields of a variant, under `prefix` (their ids and the refusals they show).
#[component]
pub fn VariantFields(
    #[prop(into)] prefix: String,
    drafts: VariantDrafts,
    currency: StoredValue<String>,
    problem: ReadSignal<Option<Problem>>,
    /// Hints for the SKU and title when the API derives them from what is left empty.
    #[prop(optional)]
    derived: bool,
    /// Per option, the id of a `<datalist>` of the values other variants have.
    #[prop(optional)]
    suggestions: Vec<String>,
) -> impl IntoView {
    let currency = currency.get_value();
    let option_prefix = prefix.clone();
    let option_fields = move || {
        drafts
            .names
            .get()
            .into_iter()
            .zip(drafts.values)
            .enumerate()
            .map(|(index, (name, value))| {
                let parameter = format!("{option_prefix}.options.{name}");
                let list = suggestions.get(index).cloned();
                view! {
                    <div class="field"><Field label=name parameter=parameter value=value problem=problem required=true list=list /></div>
                }
            })
            .collect_view()
    };
    let options_parameter = format!("{prefix}.options");
    // The options' own refusal takes a row of its own only while there is one.
    let options_refused = {
        let parameter = options_parameter.clone();
        move || {
            problem
                .with(|p| p.as_ref().and_then(|p| p.field.as_deref()) == Some(parameter.as_str()))
        }
    };
    let (sku_hint, title_hint) = if derived {
        (
            Some("Empty: made from the product and its options"),
            Some("Empty: the option values"),
        )
    } else {
        (None, Some("Shown to shoppers"))
    };
    view! {
        <div class="variant-fields">
            {option_fields}
            <div class="field wide" hidden=move || !options_refused()>
                <FieldError parameter=options_parameter problem=problem exact=true />
            </div>
            <div class="field"><Field label=format!("Price ({currency})") parameter=format!("{prefix}.price")
                value=drafts.price problem=problem inputmode="decimal" required=true /></div>
            <div class="field"><Field label=format!("Compare-at price ({currency})") parameter=format!("{prefix}.compareAtPrice")
                value=drafts.compare_at problem=problem inputmode="decimal" hint="Shown struck through" /></div>
            <div class="field"><Field label="Units in stock" parameter=format!("{prefix}.inventory")
                value=drafts.stock problem=problem inputmode="numeric" hint="Empty: not counted" /></div>
            <div class="field"><Field label="Shipping weight in grams" parameter=format!("{prefix}.weightGrams")
                value=drafts.weight problem=problem inputmode="numeric" hint="For weight-based shipping rates" /></div>
            <div class="field"><Field label="SKU" parameter=format!("{prefix}.sku") value=drafts.sku problem=problem
                hint=sku_hint.map(str::to_owned) /></div>
            <div class="field"><Field label="Title" parameter=format!("{prefix}.title") value=drafts.title problem=problem
                hint=title_hint.map(str::to_owned) /></div>
        </div>
    }
}

/// The product's variants: a card for each, and the form that adds one.
#[component]
pub fn Variants(
    session: SharedSession,
    product_id: Uuid,
    product: RwSignal<Option<AdminProduct>>,
    currency: StoredValue<String>,
) -> impl IntoView {
    let option_names = Memo::new(move |_| {
        product.with(|p| {
            p.as_ref()
                .map(|p| p.product.options.clone())
                .unwrap_or_default()
        })
    });
    // Cards are made again when variants come or go (their positions change), not when one
    // is saved: the other cards keep what is being typed in them.
    let variant_ids = Memo::new(move |_| {
        product.with(|p| {
            p.as_ref()
                .map(|p| p.product.variants.iter().map(|v| v.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let cards = move || {
        // Read (not only tracked): a memo that is never read never runs, and so never
        // learns that the product changed.
        variant_ids.with(|_| ());
        let variants = product.with_untracked(|p| {
            p.as_ref()
                .map(|p| p.product.variants.clone())
                .unwrap_or_default()
        });
        let names = option_names.get_untracked();
        variants
            .into_iter()
            .enumerate()
            .map(|(index, variant)| {
                view! {
                    <VariantCard session=session product_id=product_id product=product index=index
                        variant=variant option_names=names.clone() currency=currency />
                }
            })
            .collect_view()
    };
    let summary = move || {
        let names = option_names.get();
        if names.is_empty() {
            "No options: the product is sold as it is. Options (such as Size or Colour) are chosen when a product is created.".to_owned()
        } else {
            format!(
                "Options: {}. Each variant has a value for each option.",
                names.join(", ")
            )
        }
    };
    view! {
        <section class="card" aria-labelledby="variants-title">
            <h2 id="variants-title" tabindex="-1">"Variants"</h2>
            <p class="hint">{summary}</p>
            {cards}
            <NewVariant session=session product_id=product_id product=product currency=currency />
        </section>
    }
}

/// One variant: its fields, saved on their own; deleted after a confirmation.
#[component]
fn VariantCard(
    session: SharedSession,
    product_id: Uuid,
    product: RwSignal<Option<AdminProduct>>,
    index: usize,
    variant: ProductVariant,
    option_names: Vec<String>,
    currency: StoredValue<String>,
) -> impl IntoView {
    let prefix = format!("variants[{index}]");
    let drafts = VariantDrafts::of(&variant, option_names, &currency.get_value());
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let variant_id = variant.id;
    let title = RwSignal::new(variant.title.clone());
    let stored_prefix = StoredValue::new(prefix.clone());
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saved.set(false);
        let Some(before) = product.with_untracked(|p| {
            p.as_ref().and_then(|p| {
                p.product
                    .variants
                    .iter()
                    .find(|v| v.id == variant_id)
                    .cloned()
            })
        }) else {
            return;
        };
        let currency = currency.get_value();
        let prefix = stored_prefix.get_value();
        let values = match drafts.read(&prefix, &currency) {
            Ok(values) => values,
            Err(refusal) => return set_problem.set(Some(refusal)),
        };
        let money = |amount| Money::new(amount, currency.clone());
        // Only what changed: another person's edit of the other fields stands.
        let patch = VariantPatch {
            sku: (values.sku != before.sku).then(|| values.sku.clone()),
            title: (values.title != before.title).then(|| values.title.clone()),
            options: (values.options != before.options).then(|| values.options.clone()),
            price: (values.price != before.price.amount).then(|| money(values.price)),
            compare_at_price: (values.compare_at
                != before.compare_at_price.as_ref().map(|m| m.amount))
            .then(|| values.compare_at.map(money)),
            inventory: (values.inventory != before.available).then_some(values.inventory),
            weight_grams: (values.weight_grams != before.weight_grams)
                .then_some(values.weight_grams),
        };
        if patch == VariantPatch::default() {
            saved.set(true);
            return;
        }
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move {
                session
                    .admin()
                    .update_variant(product_id, variant_id, &patch)
                    .await
                    .map_err(|error| Problem::from(error).renamed("variant", &prefix))
            },
            move |answer: AdminProduct| {
                if let Some(variant) = answer.product.variants.iter().find(|v| v.id == variant_id) {
                    drafts.show(variant, &currency);
                    title.set(variant.title.clone());
                }
                product.set(Some(answer));
                saved.set(true);
            },
        );
    };
    let delete = Callback::new(move |()| {
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move { session.admin().delete_variant(product_id, variant_id).await },
            move |answer| {
                product.set(Some(answer));
                // The card and its focused button are gone: keyboard users carry on from the
                // section's heading rather than from the top of the page.
                if let Some(heading) = document().get_element_by_id("variants-title") {
                    if let Some(heading) =
                        wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&heading)
                    {
                        let _ = heading.focus();
                    }
                }
            },
        );
    });
    let placed = variant_parameters(&prefix);
    view! {
        <form class="variant" novalidate on:submit=save aria-label=move || format!("Variant {}", title.get())>
            <h3>{move || title.get()}</h3>
            <VariantFields prefix=prefix drafts=drafts currency=currency problem=problem />
            <FormProblem problem=problem placed=placed />
            <div class="row actions">
                <button type="submit" prop:disabled=move || busy.get()>"Save variant"</button>
                <span role="status">{move || saved.get().then_some("Saved.")}</span>
                <ConfirmButton label="Delete" name=format!("Delete variant {}", variant.title)
                    question=format!("Delete the variant {}?", variant.title) on_confirm=delete />
            </div>
        </form>
    }
}

/// Adds a variant: a value for each option (the values other variants have are suggested),
/// its price and stock; the SKU and title follow from the options when left empty.
#[component]
fn NewVariant(
    session: SharedSession,
    product_id: Uuid,
    product: RwSignal<Option<AdminProduct>>,
    currency: StoredValue<String>,
) -> impl IntoView {
    let option_names = product.with_untracked(|p| {
        p.as_ref()
            .map(|p| p.product.options.clone())
            .unwrap_or_default()
    });
    let drafts = VariantDrafts::new(option_names.clone());
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let added = RwSignal::new(None::<String>);
    let suggestions: Vec<String> = (0..option_names.len())
        .map(|index| format!("option-values-{index}"))
        .collect();
    let names = StoredValue::new(option_names);
    let lists = StoredValue::new(suggestions.clone());
    // Each option's values among the variants, in order, once each.
    let datalists = move || {
        let values = product.with(|p| {
            names.with_value(|names| {
                names
                    .iter()
                    .map(|name| {
                        let mut values: Vec<String> = Vec::new();
                        let variants = p.iter().flat_map(|p| &p.product.variants);
                        for value in variants.filter_map(|variant| variant.options.get(name)) {
                            if !values.iter().any(|known| known == value) {
                                values.push(value.to_owned());
                            }
                        }
                        values
                    })
                    .collect::<Vec<_>>()
            })
        });
        values
            .into_iter()
            .zip(lists.get_value())
            .map(|(values, id)| {
                view! {
                    <datalist id=id>
                        {values.into_iter().map(|value| view! { <option value=value></option> }).collect_view()}
                    </datalist>
                }
            })
            .collect_view()
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        added.set(None);
        let currency = currency.get_value();
        let values = match drafts.read("newVariant", &currency) {
            Ok(values) => values,
            Err(refusal) => return set_problem.set(Some(refusal)),
        };
        let input = VariantInput {
            sku: Some(values.sku).filter(|sku| !sku.is_empty()),
            title: Some(values.title).filter(|title| !title.is_empty()),
            options: values.options,
            price: Money::new(values.price, currency.clone()),
            compare_at_price: values.compare_at.map(|amount| Money::new(amount, currency)),
            inventory: values.inventory,
            weight_grams: values.weight_grams,
        };
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move {
                session
                    .admin()
                    .add_variant(product_id, &input)
                    .await
                    .map_err(|error| Problem::from(error).renamed("variant", "newVariant"))
            },
            move |answer: AdminProduct| {
                let title = answer.product.variants.last().map(|v| v.title.clone());
                drafts.clear();
                product.set(Some(answer));
                added.set(title);
            },
        );
    };
    view! {
        <details class="new">
            <summary>"Add a variant"</summary>
            {datalists}
            <form class="variant" novalidate on:submit=submit aria-label="New variant">
                <VariantFields prefix="newVariant" drafts=drafts currency=currency problem=problem
                    derived=true suggestions=suggestions />
                <FormProblem problem=problem placed=variant_parameters("newVariant") />
                <div class="row actions">
                    <button type="submit" prop:disabled=move || busy.get()>"Add variant"</button>
                    <span role="status">{move || added.get().map(|title| format!("Variant {title} added."))}</span>
                </div>
            </form>
        </details>
    }
}
