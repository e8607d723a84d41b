//! The conversations' analytics over a period (the last 30 days at first): conversations, those
//! that reached an order, messages, checkout links and how often buyers' messages were
//! understood, per intent and per language; and the period's events as a CSV file, fetched
//! through the admin API with the session's token (a plain link would carry none).

use colmena_sdk::contract::{
    AnalyticsQuery, ConversationAnalytics, ConversationEventQuery, IntentSuccess,
};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::{intent_words, language_words, percent};
use crate::calls::call_api;
use crate::dashboard::days_ago;
use crate::{Problem, ProblemView, SharedSession};

/// The day after `date` (`YYYY-MM-DD`): the API's `to` is exclusive, the form's "To" is not.
fn day_after(date: &str) -> Option<String> {
    let start = js_sys::Date::parse(&format!("{date}T00:00:00Z"));
    if start.is_nan() {
        return None;
    }
    let next = js_sys::Date::new(&JsValue::from_f64(start + 86_400_000.0));
    let iso = String::from(next.to_iso_string());
    iso.get(..10).map(str::to_owned)
}

/// Offers `text` to the browser as a download named `name`.
fn download(name: &str, text: &str) -> Result<(), JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has started from the link; the blob is let go a little later.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

#[component]
pub fn Analytics(session: SharedSession) -> impl IntoView {
    let from = RwSignal::new(days_ago(30));
    let to = RwSignal::new(days_ago(0));
    let figures = RwSignal::new(None::<ConversationAnalytics>);
    let (problem, set_problem) = signal(None::<Problem>);
    let exporting = RwSignal::new(false);
    let exported = RwSignal::new(None::<String>);
    let period = move || {
        let from = Some(from.get_untracked()).filter(|d| !d.is_empty());
        let to = day_after(&to.get_untracked());
        (from, to)
    };
    let load = move || {
        let (from, to) = period();
        let query = AnalyticsQuery { from, to };
        call_api(
            session,
            set_problem,
            None,
            move |session| async move { session.admin().conversation_analytics(&query).await },
            move |found| figures.set(Some(found)),
        );
    };
    load();
    let export = move |_| {
        exported.set(None);
        let (from, to) = period();
        let query = ConversationEventQuery {
            from,
            to,
            ..ConversationEventQuery::default()
        };
        let name = format!(
            "{}-conversation-events.csv",
            session.with_value(|s| s.store_slug())
        );
        call_api(
            session,
            set_problem,
            Some(exporting),
            move |session| async move { session.admin().conversation_events_csv(&query).await },
            move |csv| {
                let events = csv.lines().count().saturating_sub(1);
                match download(&name, &csv) {
                    Ok(()) => exported.set(Some(format!(
                        "Downloaded {name}: {events} event{}.",
                        if events == 1 { "" } else { "s" }
                    ))),
                    Err(_) => {
                        set_problem.set(Some(Problem::new("The browser refused the download.")))
                    }
                }
            },
        );
    };
    view! {
        <form class="row period" aria-label="Period" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            load();
        }>
            <div class="row">
                <label>"From " <input type="date" prop:value=move || from.get()
                    on:input=move |ev| from.set(event_target_value(&ev)) /></label>
                <label>"To " <input type="date" prop:value=move || to.get()
                    on:input=move |ev| to.set(event_target_value(&ev)) /></label>
                <button type="submit">"Show"</button>
            </div>
            <button type="button" on:click=export prop:disabled=move || exporting.get()>"Export events (CSV)"</button>
        </form>
        <p role="status" class="hint">{move || exported.get()}</p>
        <ProblemView problem=problem />
        {move || figures.get().map(|found| figures_view(&found))}
    }
}

fn figures_view(figures: &ConversationAnalytics) -> impl IntoView {
    let cards = [
        ("Conversations", figures.conversations.to_string()),
        ("With an order", figures.conversations_with_order.to_string()),
        ("Conversion rate", percent(figures.conversion_rate)),
        ("Messages received", figures.messages_received.to_string()),
        ("Messages sent", figures.messages_sent.to_string()),
        ("Checkout links sent", figures.checkout_links_sent.to_string()),
        ("Messages understood", percent(figures.intent_success_rate)),
    ]
    .into_iter()
    .map(|(label, figure)| view! { <article><h2>{label}</h2><p class="figure">{figure}</p></article> })
    .collect_view();
    let by_intent = success_table(
        "Understood per intent",
        "Intent",
        &figures.by_intent,
        |row| intent_words(row.intent).to_owned(),
    );
    let by_language = success_table(
        "Understood per language",
        "Language",
        &figures.by_language,
        |row| {
            row.language
                .as_deref()
                .map_or_else(|| "Unknown".to_owned(), language_words)
        },
    );
    view! {
        <div class="cards">{cards}</div>
        <div class="success-tables">
            {by_intent}
            {by_language}
        </div>
    }
}

/// A table of how often messages were understood, one row per intent or language.
fn success_table(
    title: &'static str,
    what: &'static str,
    rows: &[IntentSuccess],
    name: fn(&IntentSuccess) -> String,
) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <p class="hint">"No buyer messages in this period."</p> }.into_any()
    } else {
        let rows = rows
            .iter()
            .map(|row| {
                view! {
                    <tr>
                        <td>{name(row)}</td>
                        <td class="number">{row.recognized}</td>
                        <td class="number">{row.failed}</td>
                        <td class="number">{percent(row.success_rate)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table>
                <thead><tr>
                    <th>{what}</th>
                    <th class="number">"Understood"</th>
                    <th class="number">"Not understood"</th>
                    <th class="number">"Success"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <div>
            <h2>{title}</h2>
            {body}
        </div>
    }
}
