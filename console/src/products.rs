//! Products: the store's catalog as staff see it (hidden ones too), searched and paged by the
//! server; showing or hiding a product; and a new product with one variant.

use colmena_sdk::contract::{AdminProduct, ProductInput, ProductPatch, VariantInput};
use colmena_sdk::{format_money, parse_amount, Money, Page, ProductListQuery};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::field::Field;
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
    let (problem, set_problem) = signal(None::<Problem>);
    // New prices are in the store's currency.
    let currency = RwSignal::new(None::<String>);
    spawn_local({
        let session = session.get_value();
        async move {
            match session.admin().public_client().store().await {
                Ok(store) => currency.set(Some(store.currency)),
                Err(error) => set_problem.set(Some(error.into())),
            }
        }
    });
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
        let session = session.get_value();
        spawn_local(async move {
            let patch = ProductPatch {
                active: Some(!active),
                ..ProductPatch::default()
            };
            match session.admin().update_product(product_id, &patch).await {
                Ok(_) => load(),
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    view! {
        <section aria-labelledby="products-title">
            <h1 id="products-title">"Products"</h1>
            {move || currency.get().map(|currency| view! { <NewProduct session=session currency=currency on_created=load /> })}
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
                    view! {
                        <tr>
                            <td>{product.product.name.clone()}</td>
                            <td class="number">{format_money(price.amount, &price.currency, "en")}</td>
                            <td class="number">{stock(&product)}</td>
                            <td>{if active { "on sale" } else { "hidden" }}</td>
                            <td><button on:click=move |_| toggle(id, active)>
                                {if active { "Hide" } else { "Show" }}
                            </button></td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <table>
                        <thead><tr><th>"Name"</th><th class="number">"Price"</th><th class="number">"Stock"</th><th>"Status"</th><th><span class="visually-hidden">"Action"</span></th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <p>{format!("{total} products")}</p>
                }
            })}
            <Pager offset=offset page=page reload=load />
        </section>
    }
}

/// A new product: name, price and stock of its one variant, shown to shoppers at once.
#[component]
fn NewProduct(
    session: SharedSession,
    currency: String,
    on_created: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let inventory = RwSignal::new(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let currency = StoredValue::new(currency);
    let refuse = move |field: &str, message: &str| {
        set_problem.set(Some(Problem {
            message: message.to_owned(),
            field: Some(field.to_owned()),
        }));
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let currency = currency.get_value();
        let Some(amount) = parse_amount(&price.get(), &currency) else {
            refuse("variants[0].price", "enter a price such as 9.50");
            return;
        };
        let units_in_stock = match inventory.get().trim() {
            "" => None,
            units => match units.parse::<u32>() {
                Ok(units) => Some(units),
                Err(_) => {
                    refuse(
                        "variants[0].inventory",
                        "enter a whole number of units, or leave it empty",
                    );
                    return;
                }
            },
        };
        let input = ProductInput {
            name: name.get(),
            slug: None,
            description: String::new(),
            category_id: None,
            product_type_id: None,
            attributes: Default::default(),
            featured: false,
            active: true,
            options: Vec::new(),
            variants: vec![VariantInput {
                sku: None,
                title: None,
                options: Default::default(),
                price: Money::new(amount, &currency),
                compare_at_price: None,
                inventory: units_in_stock,
            }],
        };
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().create_product(&input).await {
                Ok(_) => {
                    set_problem.set(None);
                    name.set(String::new());
                    price.set(String::new());
                    inventory.set(String::new());
                    on_created();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        });
    };
    view! {
        <details class="new">
            <summary>"New product"</summary>
            <form class="form" on:submit=submit>
                <Field label="Name" parameter="name" value=name problem=problem />
                <Field label=format!("Price ({})", currency.get_value()) parameter="variants[0].price" value=price problem=problem />
                <Field label="Units in stock (empty: not counted)" parameter="variants[0].inventory" value=inventory problem=problem />
                {move || problem.get().filter(|p| p.field.is_none()).map(|_| view! { <ProblemView problem=problem /> })}
                <button type="submit">"Create product"</button>
            </form>
        </details>
    }
}
