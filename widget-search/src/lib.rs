//! The widget's catalog search and its filters: a WebAssembly bundle of its own, which the
//! widget's loader fetches when a shopper first searches or opens the filters of a
//! `<colmena-products>`, so that the widget's first load carries none of it: not the search
//! query's rules, the search answer's and facets' decoders, nor the filters' form and strings.
//!
//! The widget calls [`search`] (through the loader) for every page of a search. This bundle
//! asks the API's search (relevance, prefixes and typos forgiven, price and attribute filters)
//! and answers the page's products as JSON text (the widget decodes them with its own product
//! decoder), their total, how many filters apply, and a new filters form built from the facets:
//! the price range of the matches in the store's currency and each attribute's values with how
//! many matches have them. The widget shows that form in its filters panel and keeps the
//! filters as query pairs it does not read: when the shopper changes one, the form dispatches a
//! `colmena-search` event with the new pairs and their count, and the widget searches again
//! with them.

mod i18n;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use colmena_sdk::contract::{attribute_label, AttributeFilter, SearchFacets, SearchQuery};
use colmena_sdk::transport::RetryPolicy;
use colmena_sdk::{amount_text, parse_amount, Client, Error};
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

// talc instead of dlmalloc, as in the widget: a smaller download.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The filters' own rules. The loader adopts the widget's stylesheet before them (its
/// `--colmena-*` defaults, fields, buttons) and the store's `theme.css` after.
const STYLES: &str = include_str!("search.css");

/// The event the widget listens to on its shadow root (its `views::SEARCH_EVENT`).
const WIDGET_EVENT: &str = "colmena-search";

thread_local! {
    /// One client per API, store and content language, made on first use.
    static CLIENTS: RefCell<Vec<(String, Client)>> = const { RefCell::new(Vec::new()) };
    /// The one listener of every filters form (a form per search: one closure for all).
    static LISTENER: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Readies the bundle once its wasm is instantiated. Returns the filters' stylesheet, which
/// the loader adopts into the elements' shadow roots.
#[wasm_bindgen]
pub fn setup() -> JsValue {
    JsValue::from_str(STYLES)
}

/// One page of a search. `options`: `api` and `store` (the widget's client's), `language` (the
/// content language it asks for, `*` for the store's own), `locale` (of the strings and
/// money), `currency` (the store's), `query` (the widget's query pairs, `[[name, value], …]`:
/// text, category, sort, page) and `filters` (pairs from a form's `colmena-search` event, or
/// null). Resolves to `{products, total, count, form}`: the page's products as JSON text, the
/// number of matches, the number of filters that apply, and the filters form (a `<form>`) of
/// this search's facets. Rejects with the client's error (a `ColmenaError`).
#[wasm_bindgen]
pub fn search(options: JsValue) -> Promise {
    let task: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> = Box::pin(async move {
        let member = |name: &str| Reflect::get(&options, &name.into()).unwrap_or_default();
        let text = |name: &str| member(name).as_string().unwrap_or_default();
        let mut pairs = pairs_of(&member("query"));
        pairs.extend(pairs_of(&member("filters")));
        // The API's own rules, as the client would apply them before sending.
        let query = SearchQuery::from_query_pairs(&pairs).map_err(|invalid| {
            failure(&Error::invalid(format!(
                "{}: {}",
                invalid.parameter, invalid.message
            )))
        })?;
        let client = client(&text("api"), &text("store"), &text("language"));
        let page = client
            .map_err(|e| failure(&e))?
            .search(&query)
            .await
            .map_err(|e| failure(&e))?;
        // The currency of the prices found; the store's when nothing matches.
        let currency = page
            .facets
            .price
            .as_ref()
            .map_or_else(|| text("currency"), |range| range.min.currency.clone());
        let form = render(&query, &page.facets, &text("locale"), &currency);
        #[allow(clippy::cast_precision_loss)] // counts far below 2^53
        Ok(object(&[
            ("products", colmena_sdk::json::encode(&page.products).into()),
            ("total", JsValue::from_f64(page.pagination.total as f64)),
            ("count", JsValue::from_f64(query.filter_count() as f64)),
            ("form", form.into()),
        ]))
    });
    wasm_bindgen_futures::future_to_promise(task)
}

fn failure(error: &Error) -> JsValue {
    colmena_wasm::to_js_error(error)
}

/// The widget's client settings: a shopper waits on the page, so a few quick retries.
fn client(api: &str, store: &str, language: &str) -> Result<Client, Error> {
    let key = format!("{api}|{store}|{language}");
    let known = CLIENTS.with(|clients| {
        clients
            .borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, client)| client.clone())
    });
    if let Some(client) = known {
        return Ok(client);
    }
    let client = colmena_wasm::client(api, store)?
        .with_retry_policy(RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(1),
            max_total_delay: Duration::from_secs(2),
            attempt_timeout: Duration::from_secs(10),
        })
        .accepting_language(if language.is_empty() { "*" } else { language });
    CLIENTS.with(|clients| clients.borrow_mut().push((key, client.clone())));
    Ok(client)
}

/// `[[name, value], …]` from JS; anything else is no pairs.
fn pairs_of(value: &JsValue) -> Vec<(String, String)> {
    if !Array::is_array(value) {
        return Vec::new();
    }
    Array::from(value)
        .iter()
        .filter_map(|pair| {
            let pair = Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// The filters form: the price range of the matches (typed in the major unit of the store's
/// currency, sent in minor units) and each attribute's values with how many matches have
/// them, the shopper's choices filled in. Enter or "Apply" applies the prices; a checkbox
/// applies at once; "Clear filters" removes them all.
fn render(query: &SearchQuery, facets: &SearchFacets, locale: &str, currency: &str) -> Element {
    let strings = i18n::strings(locale);
    let form = el("form", "filters");
    set(&form, "id", "colmena-filters");
    set(&form, "aria-label", strings.filters);
    set(&form, "data-currency", currency);
    listen(&form);
    let price = el("fieldset", "facet");
    append(&price, &text("legend", "legend", strings.price));
    let range = facets.price.as_ref();
    if let Some(range) = range {
        let hint = text(
            "p",
            "hint",
            &i18n::fill(
                strings.price_range,
                &range.min.format(locale),
                &range.max.format(locale),
            ),
        );
        set(&hint, "id", "colmena-price-range");
        append(&price, &hint);
    }
    let step = amount_text(1, currency);
    for (name, label, value, bound) in [
        (
            "min",
            strings.min_price,
            query.min_price,
            range.map(|r| &r.min),
        ),
        (
            "max",
            strings.max_price,
            query.max_price,
            range.map(|r| &r.max),
        ),
    ] {
        let input = el("input", "bound");
        set(&input, "type", "number");
        set(&input, "name", name);
        set(&input, "min", "0");
        set(&input, "step", &step);
        set(&input, "inputmode", "decimal");
        set(&input, "data-key", &format!("price-{name}"));
        if let Some(value) = value {
            set(&input, "value", &amount_text(value, currency));
        }
        if let Some(bound) = bound {
            set(&input, "placeholder", &amount_text(bound.amount, currency));
            set(&input, "aria-describedby", "colmena-price-range");
        }
        let field = el("label", "field");
        append(&field, &text("span", "label", label));
        append(&field, &input);
        append(&price, &field);
    }
    let apply = text("button", "secondary", strings.apply);
    set(&apply, "type", "submit");
    set(&apply, "data-key", "apply-filters");
    append(&price, &apply);
    append(&form, &price);
    for facet in &facets.attributes {
        let group = el("fieldset", "facet");
        append(
            &group,
            &text("legend", "legend", &attribute_label(&facet.name)),
        );
        for value in &facet.values {
            let filter = format!("{}:{}", facet.name, value.value);
            let option = el("label", "option");
            let check = el("input", "");
            set(&check, "type", "checkbox");
            set(&check, "name", "attribute");
            set(&check, "value", &filter);
            set(&check, "data-key", &format!("attribute-{filter}"));
            if query.has_attribute(&facet.name, &value.value) {
                set(&check, "checked", "");
            }
            append(&option, &check);
            let shown = match value.value.as_str() {
                "true" => strings.yes,
                "false" => strings.no,
                other => other,
            };
            append(&option, &text("span", "", shown));
            append(
                &option,
                &text("span", "count", &format!("({})", value.count)),
            );
            append(&group, &option);
        }
        append(&form, &group);
    }
    let clear = text("button", "secondary clear", strings.clear_filters);
    set(&clear, "type", "button");
    set(&clear, "data-filter", "clear");
    set(&clear, "data-key", "clear-filters");
    append(&form, &clear);
    form
}

/// Hands the form's submits, checkbox changes and "Clear filters" clicks to [`changed`].
fn listen(form: &Element) {
    let listener = LISTENER.with(|listener| {
        listener
            .borrow_mut()
            .get_or_insert_with(|| Closure::<dyn Fn(Event)>::new(changed).into_js_value())
            .clone()
    });
    for kind in ["change", "submit", "click"] {
        let _ = form.add_event_listener_with_callback(kind, listener.unchecked_ref());
    }
}

/// A filter changed: the form's `colmena-search` event tells the widget the new filters (their
/// query pairs, or null for none) and their count.
fn changed(event: Event) {
    let element = |target: Option<web_sys::EventTarget>| target?.dyn_into::<Element>().ok();
    let (Some(form), Some(target)) = (element(event.current_target()), element(event.target()))
    else {
        return;
    };
    let filters = match event.type_().as_str() {
        "submit" => {
            event.prevent_default();
            read(&form)
        }
        "change" if target.get_attribute("name").as_deref() == Some("attribute") => read(&form),
        "click" if target.get_attribute("data-filter").as_deref() == Some("clear") => {
            SearchQuery::default()
        }
        _ => return,
    };
    let pairs = filters.filter_pairs();
    let pairs: JsValue = if pairs.is_empty() {
        JsValue::NULL
    } else {
        pairs
            .into_iter()
            .map(|(name, value)| Array::of2(&name.into(), &value.into()))
            .collect::<Array>()
            .into()
    };
    #[allow(clippy::cast_precision_loss)] // at most 11 filters
    let detail = object(&[
        ("filters", pairs),
        ("count", JsValue::from_f64(filters.filter_count() as f64)),
    ]);
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(WIDGET_EVENT, &init) {
        let _ = form.dispatch_event(&event);
    }
}

/// The filters the form shows: its prices (a price that does not read as an amount is no
/// bound) and its ticked values.
fn read(form: &Element) -> SearchQuery {
    let currency = form.get_attribute("data-currency").unwrap_or_default();
    let amount = |name: &str| {
        let input = form.query_selector(&format!("[name={name}]")).ok()??;
        parse_amount(&value_of(&input), &currency)
    };
    let mut query = SearchQuery::default();
    query.set_price_range(amount("min"), amount("max"));
    if let Ok(checked) = form.query_selector_all("[name=attribute]:checked") {
        for index in 0..checked.length() {
            let Some(input) = checked.get(index) else {
                continue;
            };
            let filter = value_of(input.unchecked_ref());
            if let Some((name, value)) = filter.split_once(':') {
                if query.attributes.len() < SearchQuery::MAX_ATTRIBUTE_FILTERS {
                    query.attributes.push(AttributeFilter {
                        name: name.to_owned(),
                        value: value.to_owned(),
                    });
                }
            }
        }
    }
    query
}

// The widget's element conventions (a `part` per class, `data-key` for focus across renders),
// in this bundle's own copy: the widget's code is in the other bundle.

fn el(tag: &str, class: &str) -> Element {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("no document")
        .create_element(tag)
        .unwrap_throw();
    if !class.is_empty() {
        element.set_class_name(class);
        set(&element, "part", class);
    }
    element
}

fn text(tag: &str, class: &str, content: &str) -> Element {
    let element = el(tag, class);
    element.set_text_content(Some(content));
    element
}

fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

fn value_of(element: &Element) -> String {
    Reflect::get(element, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}
