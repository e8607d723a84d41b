//! Orders: a table with server-side paging, a status filter and an email search; an order's
//! detail with its lines, payment and status history; fulfil, cancel and refund.

use colmena_sdk::contract::{Order, OrderEvent, OrderListQuery, OrderStatus};
use colmena_sdk::{format_money, Money, Page, Uuid};
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

/// `2026-12-06T19:25:38.181Z` as `2026-12-06 19:25`.
#[component]
pub fn Orders(session: SharedSession) -> impl IntoView {
    let status = RwSignal::new(None::<OrderStatus>);
    let email = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let page = RwSignal::new(None::<Page<Order>>);
    let opened = RwSignal::new(None::<Uuid>);
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
                                {order.id.simple().to_string()[..8].to_uppercase()}
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
                view! {
                    <h1 id="order-title">{format!("Order {}", order.id.simple().to_string()[..8].to_uppercase())}</h1>
                    <p>
                        <span class=format!("status {}", status.as_str())>{status.as_str()}</span>
                        {format!(" · {} · placed {} · payment {}", order.email, short_time(order.created_at.as_str()), order.payment.status.as_str())}
                    </p>
                    <table>
                        <thead><tr><th>"Item"</th><th class="number">"Qty"</th><th class="number">"Price"</th><th class="number">"Total"</th></tr></thead>
                        <tbody>{lines}</tbody>
                        <tfoot><tr><td colspan="3">"Total"</td><td class="number">{money(&order.total)}</td></tr></tfoot>
                    </table>
                    <div class="row actions">
                        {(status == OrderStatus::Paid).then(|| view! { <button on:click=fulfil>"Mark fulfilled"</button> })}
                        {(status == OrderStatus::PendingPayment).then(|| view! { <button on:click=cancel>"Cancel order"</button> })}
                        {matches!(status, OrderStatus::Paid | OrderStatus::Fulfilled).then(|| view! { <button class="danger" on:click=refund>"Refund"</button> })}
                    </div>
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
