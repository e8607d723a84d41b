//! Building the checkout's elements: the widget's conventions (a `part` per class, `data-key`
//! for focus across renders, `data-action` for what a control does), in this bundle's own copy
//! because the widget's code is in the other bundle.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, EventTarget};

pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("no document")
}

/// A new `<tag class="class" part="class">`: every styled piece is also a `::part` the host
/// page can style.
pub fn el(tag: &str, class: &str) -> Element {
    let element = document().create_element(tag).unwrap_throw();
    if !class.is_empty() {
        element.set_class_name(class);
        set(&element, "part", class);
    }
    element
}

/// [`el`] with text content.
pub fn text(tag: &str, class: &str, content: &str) -> Element {
    let element = el(tag, class);
    element.set_text_content(Some(content));
    element
}

/// Sets an attribute (names here are all valid, so this cannot fail).
pub fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// A `<button type="button">` that triggers `action`; `key` keeps focus on it across renders.
pub fn button(class: &str, label: &str, action: &str, key: &str) -> Element {
    let element = text("button", class, label);
    set(&element, "type", "button");
    set(&element, "data-action", action);
    set(&element, "data-key", key);
    element
}

/// A status line: polite (`role="status"`) or, for failures, assertive (`role="alert"`).
pub fn notice(content: &str, alert: bool) -> Element {
    let element = text("p", if alert { "error" } else { "notice" }, content);
    set(&element, "role", if alert { "alert" } else { "status" });
    element
}

/// A plain JS object from key/value pairs, for event details.
pub fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// Dispatches a `CustomEvent` named `name` with `detail`: out of the shadow root to the host
/// page when `composed`, else only up to the drawer that holds the checkout.
pub fn dispatch(target: &EventTarget, name: &str, detail: &JsValue, composed: bool) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(composed);
    init.set_detail(detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}

/// A JS object's string member.
pub fn string_of(object: &JsValue, name: &str) -> Option<String> {
    Reflect::get(object, &name.into()).ok()?.as_string()
}

/// The `value` of an input or select.
pub fn value_of(element: &Element) -> String {
    string_of(element, "value").unwrap_or_default()
}

/// Resolves after `milliseconds`.
pub async fn sleep(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Query parameters the server adds to the return URL of a hosted payment page.
const RETURN_PARAMETERS: [&str; 2] = ["colmena_order", "colmena_payment"];

/// This page's address without the return parameters of an earlier payment: where a hosted
/// payment page should send the shopper back.
pub fn return_url() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    let (before_fragment, fragment) = match href.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (href.as_str(), None),
    };
    let (path, query) = before_fragment
        .split_once('?')
        .unwrap_or((before_fragment, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && !RETURN_PARAMETERS.contains(&name)
        })
        .collect();
    let mut url = path.to_owned();
    if !kept.is_empty() {
        url.push('?');
        url.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
    Some(url)
}
