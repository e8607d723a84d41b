//! Products: the store's catalog as staff see it (hidden ones too), searched and paged by the
//! server; showing or hiding a product; a new product (with its options and first variant);
//! and the editor of the product opened from the list.

use colmena_sdk::contract::{AdminProduct, ProductInput, ProductPatch, VariantInput};
use colmena_sdk::{format_money, Money, Page, ProductListQuery, Uuid};
use leptos::prelude::*;

use super::editor::ProductEditor;
use super::variants::{variant_parameters, VariantDrafts, VariantFields};
use crate::calls::call_api;
use crate::field::{Field, FormProblem};
use crate::paging::{load_page, Pager, PAGE_SIZE};
use crate::{Problem, ProblemView, SharedSession};

/// Units on sale across a product's variants, or "untracked" when any variant does not count.
fn stock(product: &AdminProduct) -> String {
    product
        .product
        .variants
        .iter()
        .try_fold(0u64, |sum, variant| {
            variant.available.map(|units| sum + u64::from(units))
        })
        .map_or_else(|| "untracked".to_owned(), |units| units.to_string())
}

#[component]
pub fn Products(session: SharedSession) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let page = RwSignal::new(None::<Page<AdminProduct>>);
    let opened = RwSignal::new(None::<Uuid>);
    let (problem, set_problem) = signal(None::<Problem>);
    // Prices are typed in the store's currency.
    let currency = RwSignal::new(None::<String>);
    call_api(
        session,
        set_problem,
        None,
        |session| async move { session.admin().public_client().store().await },
        move |store| currency.set(Some(store.currency)),
    );
    let load = move || {
        let query = ProductListQuery {
            q: Some(search.get_untracked()).filter(|q| !q.trim().is_empty()),
            limit: Some(PAGE_SIZE),
            offset: Some(offset.get_untracked()),
            ..ProductListQuery::default()
        };
        load_page(session, page, set_problem, move |session| async move {
            session.admin().list_products(&query).await
        });
    };
    load();
    let toggle = move |product_id, active: bool| {
        let patch = ProductPatch {
            active: Some(!active),
            ..ProductPatch::default()
        };
        call_api(
            session,
            set_problem,
            None,
            move |session| async move { session.admin().update_product(product_id, &patch).await },
            move |_| load(),
        );
    };
    let close = Callback::new(move |()| {
        opened.set(None);
        load();
    });
    let open = Callback::new(move |product_id| opened.set(Some(product_id)));
    let list = move || {
        view! {
        <section aria-labelledby="products-title">
            <h1 id="products-title">"Products"</h1>
            {move || currency.get().map(|currency| view! { <NewProduct session=session currency=currency on_created=load on_open=open /> })}
            <form class="row" role="search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                offset.set(0);
                load();
            }>
                <label>"Search "
                    <input type="search" prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev)) />
                </label>
                <button type="submit">"Search"</button>
            </form>
            <ProblemView problem=problem />
            {move || page.get().map(|found| {
                let total = found.pagination.total;
                let rows = found.items.into_iter().map(|product| {
                    let (id, active) = (product.product.id, product.active);
                    let price = &product.product.price;
                    // Decorative (the name follows); an empty square keeps names aligned.
                    let thumbnail = match product.product.images.first() {
                        Some(image) => view! {
                            <img src=image.url.clone() alt="" width="40" height="40" loading="lazy" />
                        }.into_any(),
                        None => view! { <span class="no-image" aria-hidden="true"></span> }.into_any(),
                    };
                    view! {
                        <tr>
                            <td>
                                <span class="product-cell">
                                    {thumbnail}
                                    <button class="link" on:click=move |_| open.run(id)>{product.product.name.clone()}</button>
                                </span>
                            </td>
                            <td class="number">{format_money(price.amount, &price.currency, "en")}</td>
                            <td class="number">{stock(&product)}</td>
                            <td>{if active {
                                view! { <span class="status on-sale">"on sale"</span> }
                            } else {
                                view! { <span class="status hidden-product">"hidden"</span> }
                            }}</td>
                            <td><button on:click=move |_| toggle(id, active)>
                                {if active { "Hide" } else { "Show" }}
                            </button></td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <table class="products">
                        <thead><tr><th>"Name"</th><th class="number">"Price"</th><th class="number">"Stock"</th><th>"Status"</th><th><span class="visually-hidden">"Action"</span></th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <p>{if total == 1 { "1 product".to_owned() } else { format!("{total} products") }}</p>
                }
            })}
            <Pager offset=offset page=page reload=load />
        </section>
        }
    };
    // The editor replaces the list (their forms share field names, so they never share the
    // page); the list's search and page are kept for the way back.
    move || match opened.get().zip(currency.get()) {
        Some((product_id, currency)) => view! {
            <ProductEditor session=session product_id=product_id currency=currency on_close=close />
        }
        .into_any(),
        None => list().into_any(),
    }
}

/// Option names as typed: `Size, Colour`.
fn option_names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A new product: its name, the options its variants will differ by (they are set here, once:
/// the API does not change a product's options while it has variants), and its first variant.
#[component]
fn NewProduct(
    session: SharedSession,
    currency: String,
    on_created: impl Fn() + Copy + 'static,
    /// Opens the product created in the editor.
    on_open: Callback<Uuid>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let options = RwSignal::new(String::new());
    let names = Signal::derive(move || option_names(&options.get()));
    let drafts = VariantDrafts::new(names);
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let created = RwSignal::new(None::<(Uuid, String)>);
    let currency = StoredValue::new(currency);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        created.set(None);
        let currency = currency.get_value();
        let first = match drafts.read("variants[0]", &currency) {
            Ok(first) => first,
            Err(refusal) => return set_problem.set(Some(refusal)),
        };
        let input = ProductInput {
            name: name.get_untracked(),
            slug: None,
            description: String::new(),
            category_id: None,
            product_type_id: None,
            attributes: Default::default(),
            featured: false,
            active: true,
            tax_exempt: false,
            options: names.get_untracked(),
            variants: vec![VariantInput {
                sku: Some(first.sku).filter(|sku| !sku.is_empty()),
                title: Some(first.title).filter(|title| !title.is_empty()),
                options: first.options,
                price: Money::new(first.price, currency.clone()),
                compare_at_price: first.compare_at.map(|amount| Money::new(amount, currency)),
                inventory: first.inventory,
                weight_grams: first.weight_grams,
            }],
        };
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move { session.admin().create_product(&input).await },
            move |product| {
                name.set(String::new());
                options.set(String::new());
                drafts.clear();
                created.set(Some((product.product.id, product.product.name)));
                on_created();
            },
        );
    };
    let mut placed = variant_parameters("variants[0]");
    placed.extend(["name".to_owned(), "options".to_owned()]);
    view! {
        <details class="new">
            <summary>"New product"</summary>
            <form class="form wide-form" novalidate on:submit=submit>
                <Field label="Name" parameter="name" value=name problem=problem required=true />
                <Field label="Options" parameter="options" value=options problem=problem
                    hint="Optional: what the variants differ by, e.g. Size, Colour (up to 3, set once)" />
                <VariantFields prefix="variants[0]" drafts=drafts currency=currency problem=problem derived=true />
                <FormProblem problem=problem placed=placed />
                <div class="row actions">
                    <button type="submit" prop:disabled=move || busy.get()>"Create product"</button>
                    {move || created.get().map(|(id, name)| view! {
                        <span role="status">
                            {format!("Created {name}. ")}
                            <button type="button" class="link" on:click=move |_| on_open.run(id)>"Edit it"</button>
                        </span>
                    })}
                </div>
            </form>
        </details>
    }
}
