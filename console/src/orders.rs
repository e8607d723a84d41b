//! Orders: a table with server-side paging, a status filter and an email search; an order's
//! detail with its customer, addresses, lines, totals breakdown, parcels, refunds, payment and
//! status history; ship a parcel, fulfil, cancel, refund an amount or the whole order.

use colmena_sdk::contract::{
    Address, Order, OrderEvent, OrderListQuery, OrderStatus, RefundInput, ShipmentInput,
};
use colmena_sdk::{format_money, parse_amount, Money, Page, Uuid};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::paging::{load_page, Pager, PAGE_SIZE};
use crate::session::Session;
use crate::SharedSession;
use crate::{short_time, Problem, ProblemView};

const STATUSES: [OrderStatus; 5] = [
    OrderStatus::PendingPayment,
    OrderStatus::Paid,
    OrderStatus::Fulfilled,
    OrderStatus::Cancelled,
    OrderStatus::Refunded,
];

fn money(amount: &Money) -> String {
    format_money(amount.amount, &amount.currency, "en")
}

/// An order as people name it everywhere (the shop, its emails): `#1001`.
fn order_label(order: &Order) -> String {
    format!("#{}", order.number)
}

/// An address as lines: recipient, street, town, country.
fn address_lines(address: &Address) -> String {
    let town = [
        address.postal_code.as_deref(),
        Some(address.city.as_str()),
        address.region.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    [
        Some(address.name.as_str()),
        address.company.as_deref(),
        Some(address.line1.as_str()),
        address.line2.as_deref(),
        Some(town.as_str()),
        Some(address.country.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}

#[component]
pub fn Orders(session: SharedSession) -> impl IntoView {
    let status = RwSignal::new(None::<OrderStatus>);
    let email = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let page = RwSignal::new(None::<Page<Order>>);
    // An order another page links to (a conversation's) opens at once.
    let opened = RwSignal::new(crate::Navigation::take_order());
    let (problem, set_problem) = signal(None::<Problem>);
    let load = move || {
        let query = OrderListQuery {
            status: status.get_untracked(),
            email: Some(email.get_untracked()).filter(|e| !e.trim().is_empty()),
            limit: Some(PAGE_SIZE),
            offset: Some(offset.get_untracked()),
            ..OrderListQuery::default()
        };
        load_page(session, page, set_problem, move |session| async move {
            session.admin().list_orders(&query).await
        });
    };
    load();
    let (filter, search) = (load, load);
    view! {
        {move || match opened.get() {
            Some(order_id) => view! {
                <OrderDetail session=session order_id=order_id on_close=move || opened.set(None) />
            }.into_any(),
            None => ().into_any(),
        }}
        <section aria-labelledby="orders-title" class:hidden=move || opened.get().is_some()>
            <h1 id="orders-title">"Orders"</h1>
            <form class="row" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                offset.set(0);
                search();
            }>
                <label>"Status "
                    <select on:change=move |ev| {
                        let value = event_target_value(&ev);
                        status.set(STATUSES.into_iter().find(|s| s.as_str() == value));
                        offset.set(0);
                        filter();
                    }>
                        <option value="">"All"</option>
                        {STATUSES.iter().map(|s| view! { <option value=s.as_str()>{s.as_str()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Customer email "
                    <input type="search" prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev)) />
                </label>
                <button type="submit">"Search"</button>
            </form>
            <ProblemView problem=problem />
            {move || page.get().map(|found| {
                let pagination = found.pagination;
                let rows = found.items.into_iter().map(|order| {
                    let id = order.id;
                    view! {
                        <tr>
                            <td><button class="link" on:click=move |_| opened.set(Some(id))>
                                {order_label(&order)}
                            </button></td>
                            <td>{short_time(order.created_at.as_str())}</td>
                            <td>{order.email.clone()}</td>
                            <td><span class=format!("status {}", order.status.as_str())>{order.status.as_str()}</span></td>
                            <td class="number">{money(&order.total)}</td>
                        </tr>
                    }
                }).collect_view();
                let shown_to = pagination.offset + u64::from(pagination.limit).min(pagination.total.saturating_sub(pagination.offset));
                view! {
                    <table>
                        <thead><tr><th>"Order"</th><th>"Placed"</th><th>"Customer"</th><th>"Status"</th><th class="number">"Total"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <p class="row">
                        {format!("{}–{} of {}", (pagination.offset + 1).min(pagination.total), shown_to, pagination.total)}
                    </p>
                }
            })}
            <Pager offset=offset page=page reload=load />
        </section>
    }
}

#[component]
fn OrderDetail(
    session: SharedSession,
    order_id: Uuid,
    on_close: impl Fn() + 'static,
) -> impl IntoView {
    let order = RwSignal::new(None::<Order>);
    let history = RwSignal::new(Vec::<OrderEvent>::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let load = move || {
        let session = session.get_value();
        spawn_local(async move {
            let admin = session.admin();
            match (
                admin.order(order_id).await,
                admin.order_events(order_id).await,
            ) {
                (Ok(found), Ok(events)) => {
                    order.set(Some(found));
                    history.set(events);
                }
                (Err(error), _) | (_, Err(error)) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        });
    };
    load();
    // Each action, then the order and its history again.
    let act = move |action: fn(&Session, Uuid) -> ActionFuture| {
        move |_| {
            let session = session.get_value();
            spawn_local(async move {
                match action(&session, order_id).await {
                    Ok(_) => {
                        set_problem.set(None);
                        session.save().await;
                        load();
                    }
                    Err(error) => set_problem.set(Some(error.into())),
                }
            });
        }
    };
    let (fulfil, cancel, refund) = (act(fulfil), act(cancel), act(refund));
    let carrier = RwSignal::new(String::new());
    let tracking = RwSignal::new(String::new());
    let refund_amount = RwSignal::new(String::new());
    let refund_reason = RwSignal::new(String::new());
    // A parcel of everything not shipped yet.
    let ship = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let session = session.get_value();
        let input = ShipmentInput {
            carrier: carrier.get_untracked(),
            tracking_number: Some(tracking.get_untracked()).filter(|t| !t.trim().is_empty()),
            ..ShipmentInput::default()
        };
        spawn_local(async move {
            match session.admin().ship_order(order_id, &input).await {
                Ok(_) => {
                    set_problem.set(None);
                    carrier.set(String::new());
                    tracking.set(String::new());
                    session.save().await;
                    load();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    let refund_part = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(currency) = order.with_untracked(|o| o.as_ref().map(|o| o.total.currency.clone()))
        else {
            return;
        };
        let Some(amount) = parse_amount(&refund_amount.get_untracked(), &currency) else {
            set_problem.set(Some(Problem::of_field(
                "amount",
                "enter an amount, e.g. 5.00",
            )));
            return;
        };
        let input = RefundInput {
            items: Vec::new(),
            amount: Some(Money::new(amount, currency)),
            restock: false,
            reason: Some(refund_reason.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().refund_order_partly(order_id, &input).await {
                Ok(_) => {
                    set_problem.set(None);
                    refund_amount.set(String::new());
                    refund_reason.set(String::new());
                    session.save().await;
                    load();
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    view! {
        <section aria-labelledby="order-title">
            <button class="quiet" on:click=move |_| on_close()>"← All orders"</button>
            <ProblemView problem=problem />
            {move || order.get().map(|order| {
                let status = order.status;
                let lines = order.items.iter().map(|item| view! {
                    <tr>
                        <td>{format!("{} {}", item.product_name, item.variant_title)}</td>
                        <td class="number">{item.quantity}</td>
                        <td class="number">{money(&item.unit_price)}</td>
                        <td class="number">{money(&item.line_total)}</td>
                    </tr>
                }).collect_view();
                let totals = &order.totals;
                let mut breakdown = vec![("Subtotal".to_owned(), money(&totals.subtotal))];
                for discount in &totals.discounts {
                    let label = match &discount.code {
                        Some(code) => format!("{} ({code})", discount.name),
                        None => discount.name.clone(),
                    };
                    breakdown.push((label, format!("\u{2212}{}", money(&discount.amount))));
                }
                if order.shipping_method.is_some() || totals.shipping.amount > 0 {
                    let label = order.shipping_method.as_ref().map_or("Shipping".to_owned(), |m| format!("Shipping ({m})"));
                    breakdown.push((label, money(&totals.shipping)));
                }
                if totals.tax.amount > 0 {
                    let label = if totals.tax_included { "Tax included" } else { "Tax" };
                    breakdown.push((label.to_owned(), money(&totals.tax)));
                }
                breakdown.push(("Total".to_owned(), money(&totals.total)));
                if order.refunded.amount > 0 {
                    breakdown.push(("Refunded".to_owned(), format!("\u{2212}{}", money(&order.refunded))));
                }
                let breakdown = breakdown.into_iter().map(|(label, amount)| view! {
                    <tr><td colspan="3">{label}</td><td class="number">{amount}</td></tr>
                }).collect_view();
                let customer = [order.customer_name.clone(), Some(order.email.clone()), order.phone.clone()]
                    .into_iter().flatten().collect::<Vec<_>>().join(" · ");
                let shipping_to = order.shipping_address.as_ref().map(|a| view! {
                    <p><strong>"Ship to: "</strong>{address_lines(a)}</p>
                });
                let billing_to = order.billing_address.as_ref().map(|a| view! {
                    <p><strong>"Bill to: "</strong>{address_lines(a)}</p>
                });
                let parcels = (!order.shipments.is_empty()).then(|| {
                    let rows = order.shipments.iter().map(|shipment| {
                        let units: u32 = shipment.items.iter().map(|i| i.quantity).sum();
                        view! {
                            <li>
                                <time>{short_time(shipment.created_at.as_str())}</time>
                                {format!(" {} · {} · {units} unit(s)", shipment.carrier, shipment.tracking_number.as_deref().unwrap_or("no tracking number"))}
                            </li>
                        }
                    }).collect_view();
                    view! { <h2>"Parcels"</h2><ul class="parcels">{rows}</ul> }
                });
                let refunds = (!order.refunds.is_empty()).then(|| {
                    let rows = order.refunds.iter().map(|refund| view! {
                        <li>
                            <time>{short_time(refund.created_at.as_str())}</time>
                            {format!(" {}{}", money(&refund.amount), refund.reason.as_deref().map(|r| format!(" · {r}")).unwrap_or_default())}
                        </li>
                    }).collect_view();
                    view! { <h2>"Refunds"</h2><ul class="refunds">{rows}</ul> }
                });
                let paid = matches!(status, OrderStatus::Paid | OrderStatus::Fulfilled);
                view! {
                    <h1 id="order-title">{format!("Order {}", order_label(&order))}</h1>
                    <p>
                        <span class=format!("status {}", status.as_str())>{status.as_str()}</span>
                        {format!(" · {customer} · placed {} · payment {}", short_time(order.created_at.as_str()), order.payment.status.as_str())}
                    </p>
                    {shipping_to}
                    {billing_to}
                    <table>
                        <thead><tr><th>"Item"</th><th class="number">"Qty"</th><th class="number">"Price"</th><th class="number">"Total"</th></tr></thead>
                        <tbody>{lines}</tbody>
                        <tfoot>{breakdown}</tfoot>
                    </table>
                    {parcels}
                    {refunds}
                    <div class="row actions">
                        {(status == OrderStatus::Paid).then(|| view! { <button on:click=fulfil>"Mark fulfilled"</button> })}
                        {(status == OrderStatus::PendingPayment).then(|| view! { <button on:click=cancel>"Cancel order"</button> })}
                        {paid.then(|| view! { <button class="danger" on:click=refund>"Refund"</button> })}
                    </div>
                    {(status == OrderStatus::Paid && order.shipping_address.is_some()).then(|| view! {
                        <form class="row" on:submit=ship aria-label="Ship a parcel">
                            <label>"Carrier " <input required prop:value=move || carrier.get() on:input=move |ev| carrier.set(event_target_value(&ev)) /></label>
                            <label>"Tracking number " <input prop:value=move || tracking.get() on:input=move |ev| tracking.set(event_target_value(&ev)) /></label>
                            <button type="submit">"Ship what is left"</button>
                        </form>
                    })}
                    {paid.then(|| view! {
                        <form class="row" on:submit=refund_part aria-label="Refund part">
                            <label>{format!("Amount ({}) ", order.total.currency)} <input inputmode="decimal" required prop:value=move || refund_amount.get() on:input=move |ev| refund_amount.set(event_target_value(&ev)) /></label>
                            <label>"Reason " <input prop:value=move || refund_reason.get() on:input=move |ev| refund_reason.set(event_target_value(&ev)) /></label>
                            <button type="submit">"Refund this amount"</button>
                        </form>
                    })}
                }
            })}
            <h2>"History"</h2>
            <ol class="history">
                {move || history.get().into_iter().map(|event| view! {
                    <li>
                        <time>{short_time(event.created_at.as_str())}</time>
                        {format!(" {} → ", event.from_status.map_or("new", OrderStatus::as_str))}
                        <strong>{event.status.as_str()}</strong>
                        {format!(" by {} ({})", event.actor.label, event.actor.kind)}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

type ActionFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = colmena_sdk::Result<Order>>>>;

fn fulfil(session: &Session, order_id: Uuid) -> ActionFuture {
    let admin = session.admin().clone();
    Box::pin(async move { admin.fulfil_order(order_id).await })
}

fn cancel(session: &Session, order_id: Uuid) -> ActionFuture {
    let admin = session.admin().clone();
    Box::pin(async move { admin.cancel_order(order_id).await })
}

fn refund(session: &Session, order_id: Uuid) -> ActionFuture {
    let admin = session.admin().clone();
    Box::pin(async move { admin.refund_order(order_id).await })
}
