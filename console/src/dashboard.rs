//! The dashboard: revenue, orders, paid orders, average order value and the top products over a
//! chosen period (seed 004), with a bar chart of the top products' revenue.

use colmena_sdk::contract::{AnalyticsQuery, AnalyticsSummary};
use colmena_sdk::format_money;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::SharedSession;
use crate::{Problem, ProblemView};

/// The periods the dashboard offers, in days.
const PERIODS: [(u32, &str); 4] = [
    (7, "Last 7 days"),
    (30, "Last 30 days"),
    (90, "Last 90 days"),
    (365, "Last year"),
];

/// `days` ago as a date the API reads (`YYYY-MM-DD`, UTC).
pub(crate) fn days_ago(days: u32) -> String {
    let then = js_sys::Date::now() - f64::from(days) * 86_400_000.0;
    let date = js_sys::Date::new(&then.into());
    // toISOString is `YYYY-MM-DDTHH:MM:SS.sssZ`; the date part is what the API takes.
    let iso = String::from(date.to_iso_string());
    iso.get(..10).unwrap_or(&iso).to_owned()
}

#[component]
pub fn Dashboard(session: SharedSession) -> impl IntoView {
    let days = RwSignal::new(30u32);
    let summary = RwSignal::new(None::<AnalyticsSummary>);
    let (problem, set_problem) = signal(None::<Problem>);
    let load = move || {
        let session = session.get_value();
        let query = AnalyticsQuery {
            from: Some(days_ago(days.get_untracked())),
            to: None,
        };
        spawn_local(async move {
            match session.admin().analytics(&query).await {
                Ok(figures) => {
                    set_problem.set(None);
                    summary.set(Some(figures));
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        });
    };
    load();
    view! {
        <section aria-labelledby="dashboard-title">
            <div class="row">
                <h1 id="dashboard-title">"Dashboard"</h1>
                <label>"Period "
                    <select on:change=move |ev| {
                        if let Ok(value) = event_target_value(&ev).parse() {
                            days.set(value);
                            load();
                        }
                    }>
                        {PERIODS.iter().map(|(value, label)| view! {
                            <option value=value.to_string() selected=*value == 30>{*label}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <ProblemView problem=problem />
            {move || summary.get().map(|figures| figures_view(&figures))}
        </section>
    }
}

fn figures_view(figures: &AnalyticsSummary) -> impl IntoView {
    let money = |amount: &colmena_sdk::Money| format_money(amount.amount, &amount.currency, "en");
    let best = figures
        .top_products
        .iter()
        .map(|product| product.revenue.amount)
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = figures
        .top_products
        .iter()
        .enumerate()
        .map(|(index, product)| {
            // Integer arithmetic on minor units; the bar's width is a share of the best seller's.
            let width = product.revenue.amount.saturating_mul(100) / best;
            let y = index * 28;
            view! {
                <g>
                    <text x="0" y=y + 16>{product.name.clone()}</text>
                    <rect x="200" y=y + 4 height="18" width=format!("{}", width * 3) rx="3"></rect>
                    <text x=format!("{}", 210 + width * 3) y=y + 17>
                        {format!("{} · {} units", money(&product.revenue), product.units)}
                    </text>
                </g>
            }
        })
        .collect_view();
    let chart_height = figures.top_products.len().max(1) * 28;
    view! {
        <div class="cards">
            <article><h2>"Revenue"</h2><p class="figure">{money(&figures.revenue)}</p></article>
            <article><h2>"Orders"</h2><p class="figure">{figures.orders}</p></article>
            <article><h2>"Paid orders"</h2><p class="figure">{figures.paid_orders}</p></article>
            <article><h2>"Average order value"</h2><p class="figure">{money(&figures.average_order_value)}</p></article>
        </div>
        <h2>"Top products"</h2>
        {if figures.top_products.is_empty() {
            view! { <p>"No paid orders in this period."</p> }.into_any()
        } else {
            view! {
                <svg class="chart" role="img" aria-label="Revenue of the top products"
                    viewBox=format!("0 0 700 {chart_height}") height=chart_height>
                    {bars}
                </svg>
            }.into_any()
        }}
    }
}
