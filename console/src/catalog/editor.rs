//! The product editor: a product's details (name, slug, description, category, type, whether
//! shoppers see it and whether it is featured) and its attributes as its type's form; its
//! variants, images and digital file; and deleting it.

use colmena_sdk::contract::{AdminProduct, ProductPatch, ProductType};
use colmena_sdk::Uuid;
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::attributes::{attribute_fields, read_attributes, AttributesForm};
use super::media::{DigitalFile, Images};
use super::variants::Variants;
use super::{chosen_id, CategoryTree, ConfirmButton};
use crate::calls::call_api;
use crate::field::{CheckField, Field, FormProblem, SelectField};
use crate::translations::ProductTranslations;
use crate::{Problem, ProblemView, SharedSession};

/// The product `product_id`, loaded with the store's categories and product types (for its
/// selects), then edited section by section: each saves on its own.
#[component]
pub fn ProductEditor(
    session: SharedSession,
    product_id: Uuid,
    /// The store's currency, in which prices are typed.
    currency: String,
    /// Back to the list (after a change, or the product's deletion).
    on_close: Callback<()>,
) -> impl IntoView {
    let product = RwSignal::new(None::<AdminProduct>);
    let categories = RwSignal::new(CategoryTree::default());
    let types = RwSignal::new(Vec::<ProductType>::new());
    let (problem, set_problem) = signal(None::<Problem>);
    call_api(
        session,
        set_problem,
        None,
        move |session| async move {
            let admin = session.admin();
            let found = admin.product(product_id).await?;
            Ok::<_, colmena_sdk::Error>((
                found,
                admin.categories().await?,
                admin.product_types().await?,
            ))
        },
        move |(found, found_categories, found_types)| {
            categories.set(CategoryTree::new(found_categories));
            types.set(found_types);
            product.set(Some(found));
        },
    );
    let currency = StoredValue::new(currency);
    let loaded = Memo::new(move |_| product.with(Option::is_some));
    let title = move || {
        product.with(|p| {
            p.as_ref()
                .map_or_else(|| "Product".to_owned(), |p| p.product.name.clone())
        })
    };
    let status = move || {
        product.with(|p| {
            p.as_ref().map(|p| {
                if p.active {
                    view! { <span class="status on-sale">"on sale"</span> }
                } else {
                    view! { <span class="status hidden-product">"hidden"</span> }
                }
            })
        })
    };
    view! {
        <section aria-labelledby="product-title" class="editor">
            <button class="quiet" on:click=move |_| on_close.run(())>"← All products"</button>
            <div class="row title-row">
                <h1 id="product-title">{title}</h1>
                {status}
            </div>
            <ProblemView problem=problem />
            {move || loaded.get().then(|| view! {
                <Details session=session product_id=product_id product=product categories=categories types=types />
                <Variants session=session product_id=product_id product=product currency=currency />
                <Images session=session product_id=product_id product=product />
                <DigitalFile session=session product_id=product_id product=product />
                {product.get_untracked().map(|p| view! { <ProductTranslations session=session product=p /> })}
                <DeleteProduct session=session product_id=product_id product=product on_deleted=on_close />
            })}
        </section>
    }
}

/// What the details form edits, as typed.
#[derive(Debug, Clone, Copy)]
struct DetailDrafts {
    name: RwSignal<String>,
    slug: RwSignal<String>,
    description: RwSignal<String>,
    /// The category's id, or empty.
    category: RwSignal<String>,
    /// The product type's id, or empty.
    product_type: RwSignal<String>,
    featured: RwSignal<bool>,
    active: RwSignal<bool>,
    tax_exempt: RwSignal<bool>,
    /// The attributes as saved: those the form does not show are kept as they are.
    saved_attributes: StoredValue<Map<String, Value>>,
}

/// The id of the product type whose slug is `slug` (products name their type by slug).
fn type_id(types: &[ProductType], slug: Option<&str>) -> Option<Uuid> {
    let slug = slug?;
    types.iter().find(|t| t.slug == slug).map(|t| t.id)
}

fn category_of(product: &AdminProduct) -> Option<Uuid> {
    product.product.category.as_ref().map(|c| c.id)
}

fn attributes_of(product: &AdminProduct) -> Map<String, Value> {
    // The API only stores objects; a product without attributes has `{}`.
    product.product.attributes.parse().unwrap_or_default()
}

fn id_text(id: Option<Uuid>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

impl DetailDrafts {
    fn new() -> Self {
        Self {
            name: RwSignal::new(String::new()),
            slug: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            category: RwSignal::new(String::new()),
            product_type: RwSignal::new(String::new()),
            featured: RwSignal::new(false),
            active: RwSignal::new(false),
            tax_exempt: RwSignal::new(false),
            saved_attributes: StoredValue::new(Map::new()),
        }
    }

    /// Shows `product` as saved.
    fn show(&self, product: &AdminProduct, types: &[ProductType]) {
        self.name.set(product.product.name.clone());
        self.slug.set(product.product.slug.clone());
        self.description.set(product.product.description.clone());
        self.category.set(id_text(category_of(product)));
        self.product_type.set(id_text(type_id(
            types,
            product.product.product_type.as_deref(),
        )));
        self.featured.set(product.product.featured);
        self.active.set(product.active);
        self.tax_exempt.set(product.tax_exempt);
        self.saved_attributes.set_value(attributes_of(product));
    }
}

/// Name, slug, description, status, category, product type and attributes, saved together
/// (only what changed is sent).
#[component]
fn Details(
    session: SharedSession,
    product_id: Uuid,
    product: RwSignal<Option<AdminProduct>>,
    categories: RwSignal<CategoryTree>,
    types: RwSignal<Vec<ProductType>>,
) -> impl IntoView {
    let drafts = DetailDrafts::new();
    if let Some(current) = product.get_untracked() {
        types.with_untracked(|types| drafts.show(&current, types));
    }
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let chosen_type = Memo::new(move |_| {
        let chosen = chosen_id(&drafts.product_type.get());
        types.with(|types| types.iter().find(|t| Some(t.id) == chosen).cloned())
    });
    // The attribute fields of the chosen type, holding the saved values; made anew when
    // another type is chosen (the fields' signals go with the memo's previous run).
    let fields = Memo::new(move |_| {
        chosen_type.with(|chosen| {
            chosen
                .as_ref()
                .map(|t| {
                    drafts
                        .saved_attributes
                        .with_value(|saved| attribute_fields(&t.schema, saved))
                })
                .unwrap_or_default()
        })
    });
    let category_options =
        Signal::derive(move || categories.with(|tree| tree.options("No category", None)));
    let type_options = Signal::derive(move || {
        let mut options = vec![(String::new(), "No type (no attributes)".to_owned())];
        types.with(|types| {
            options.extend(types.iter().map(|t| (t.id.to_string(), t.name.clone())));
        });
        options
    });
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saved.set(false);
        let Some(before) = product.get_untracked() else {
            return;
        };
        let type_before =
            types.with_untracked(|types| type_id(types, before.product.product_type.as_deref()));
        let type_after = chosen_id(&drafts.product_type.get_untracked());
        let saved_attributes = attributes_of(&before);
        let attributes = match chosen_type.get_untracked() {
            // Attributes the schema does not describe stay while the type does; another type
            // starts from what its form holds.
            Some(_) => {
                let others = if type_after == type_before {
                    saved_attributes.clone()
                } else {
                    Map::new()
                };
                match read_attributes(&fields.get_untracked(), others) {
                    Ok(attributes) => attributes,
                    Err(refusal) => return set_problem.set(Some(refusal)),
                }
            }
            None => Map::new(),
        };
        let changed = |draft: RwSignal<String>, saved: &str| {
            let typed = draft.get_untracked();
            (typed != saved).then_some(typed)
        };
        let category = chosen_id(&drafts.category.get_untracked());
        let patch = ProductPatch {
            name: changed(drafts.name, &before.product.name),
            slug: changed(drafts.slug, &before.product.slug).map(|slug| slug.trim().to_owned()),
            description: changed(drafts.description, &before.product.description),
            category_id: (category != category_of(&before)).then_some(category),
            product_type_id: (type_after != type_before).then_some(type_after),
            attributes: (attributes != saved_attributes).then(|| attributes.into_iter().collect()),
            featured: Some(drafts.featured.get_untracked())
                .filter(|featured| *featured != before.product.featured),
            active: Some(drafts.active.get_untracked()).filter(|active| *active != before.active),
            tax_exempt: Some(drafts.tax_exempt.get_untracked())
                .filter(|exempt| *exempt != before.tax_exempt),
            options: None,
        };
        if patch == ProductPatch::default() {
            saved.set(true);
            return;
        }
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move { session.admin().update_product(product_id, &patch).await },
            move |answer| {
                types.with_untracked(|types| drafts.show(&answer, types));
                product.set(Some(answer));
                saved.set(true);
            },
        );
    };
    // The attributes' refusals have their fields only while a type is chosen.
    let placed = Signal::derive(move || {
        let mut placed: Vec<String> = [
            "name",
            "slug",
            "description",
            "active",
            "featured",
            "categoryId",
            "productTypeId",
        ]
        .map(str::to_owned)
        .to_vec();
        if chosen_type.with(Option::is_some) {
            placed.push("attributes".to_owned());
        }
        placed
    });
    let legend = move || {
        chosen_type
            .with(|chosen| {
                chosen
                    .as_ref()
                    .map(|t| format!("Attributes of a {}", t.name))
            })
            .unwrap_or_default()
    };
    view! {
        <form class="card details" novalidate on:submit=save aria-labelledby="details-title">
            <h2 id="details-title">"Details"</h2>
            <div class="columns">
                <div class="form-column">
                    <Field label="Name" parameter="name" value=drafts.name problem=problem required=true />
                    <Field label="Slug" parameter="slug" value=drafts.slug problem=problem
                        hint="In the product's web address: lower-case letters, digits and hyphens" />
                    <Field label="Description" parameter="description" value=drafts.description problem=problem multiline=true />
                    {move || chosen_type.with(Option::is_some).then(|| view! {
                        <AttributesForm legend=legend fields=fields problem=problem />
                    })}
                </div>
                <div class="form-column aside">
                    <CheckField label="On sale (shoppers see it)" parameter="active" checked=drafts.active problem=problem />
                    <CheckField label="Featured in the storefront" parameter="featured" checked=drafts.featured problem=problem />
                    <CheckField label="Sold without tax" parameter="taxExempt" checked=drafts.tax_exempt problem=problem />
                    <SelectField label="Category" parameter="categoryId" value=drafts.category options=category_options problem=problem />
                    <SelectField label="Product type" parameter="productTypeId" value=drafts.product_type options=type_options problem=problem />
                    <p class="hint">"A product type adds its own fields (attributes) to this form."</p>
                </div>
            </div>
            <FormProblem problem=problem placed=placed />
            <div class="row actions">
                <button type="submit" prop:disabled=move || busy.get()>"Save details"</button>
                <span role="status">{move || saved.get().then_some("Saved.")}</span>
            </div>
        </form>
    }
}

/// Deletes the product after a confirmation; orders keep their copy of it.
#[component]
fn DeleteProduct(
    session: SharedSession,
    product_id: Uuid,
    product: RwSignal<Option<AdminProduct>>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let (problem, set_problem) = signal(None::<Problem>);
    let name = product.with_untracked(|p| {
        p.as_ref()
            .map(|p| p.product.name.clone())
            .unwrap_or_default()
    });
    let delete = Callback::new(move |()| {
        call_api(
            session,
            set_problem,
            None,
            move |session| async move { session.admin().delete_product(product_id).await },
            move |_| on_deleted.run(()),
        );
    });
    view! {
        <section class="card danger-zone" aria-labelledby="delete-title">
            <h2 id="delete-title">"Delete this product"</h2>
            <p class="hint">"Past orders keep their copy of its name and price. Hiding it instead keeps it for later."</p>
            <ConfirmButton label="Delete product"
                question=format!("Delete {name} for good?") on_confirm=delete />
            <ProblemView problem=problem />
        </section>
    }
}
