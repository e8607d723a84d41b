//! Small DOM helpers: building elements, events for the host page, focus handling.

use std::future::Future;
use std::pin::Pin;

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement, KeyboardEvent, ShadowRoot};

/// widget.css, minified by build.rs: the loader adopts it into every element's shadow root (see
/// [`crate::styles`]).
pub const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.css"));

/// Runs `task` in the background. Boxed: the executor's code for a task then exists once,
/// not once per kind of task (wasm size).
pub fn spawn(task: impl Future<Output = ()> + 'static) {
    wasm_bindgen_futures::spawn_local(Box::pin(task) as Pin<Box<dyn Future<Output = ()>>>);
}

/// A JS promise of `task`, boxed as in [`spawn`].
pub fn promise(task: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let task: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> = Box::pin(task);
    wasm_bindgen_futures::future_to_promise(task)
}

pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("no document")
}

/// A new `<tag class="class" part="class">`: every styled piece is also a `::part` the host
/// page can style, under each of its class names (`::part(primary)`, `::part(toggle)`).
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

/// A `<button type="button">` that triggers `action`; `key` identifies it across re-renders so
/// that focus stays on it.
pub fn button(class: &str, label: &str, action: &str, key: &str) -> Element {
    let element = text("button", class, label);
    set(&element, "type", "button");
    set(&element, "data-action", action);
    set(&element, "data-key", key);
    element
}

/// A labelled form control: `<label>label <control></label>`.
pub fn labelled(label: &str, control: &Element) -> Element {
    let wrapper = el("label", "field");
    append(&wrapper, &text("span", "label", label));
    append(&wrapper, control);
    wrapper
}

/// A status line: polite (`role="status"`) or, for failures, assertive (`role="alert"`).
pub fn notice(content: &str, alert: bool) -> Element {
    let element = text("p", if alert { "error" } else { "notice" }, content);
    set(&element, "role", if alert { "alert" } else { "status" });
    element
}

/// Dispatches a `CustomEvent` that bubbles out of the shadow root to the host page.
pub fn dispatch(target: &web_sys::EventTarget, name: &str, detail: &JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}

/// A plain JS object from key/value pairs, for event details.
pub fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// The element's shadow root, created on first use with one delegated listener per event type
/// that hands events to `handler`. The loader's `attachShadow` styles it.
pub fn shadow_root(host: &HtmlElement, handler: fn(&HtmlElement, &Event)) -> ShadowRoot {
    if let Some(root) = host.shadow_root() {
        return root;
    }
    let root = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .unwrap_throw();
    let owner = host.clone();
    // One closure per element, living as long as the page: the shadow root (and so the listener)
    // lives as long as the element, and elements are rarely created in bulk.
    let listener =
        Closure::<dyn Fn(Event)>::new(move |event: Event| handler(&owner, &event)).into_js_value();
    for kind in [
        "click",
        "change",
        "submit",
        "keydown",
        crate::views::CHECKOUT_EVENT,
        crate::views::SEARCH_EVENT,
        crate::views::CHAT_EVENT,
    ] {
        let _ = root.add_event_listener_with_callback(kind, listener.unchecked_ref());
    }
    root
}

/// The `data-key` of the focused element in `root`, to focus its successor after a re-render.
pub fn focused_key(root: &ShadowRoot) -> Option<String> {
    root.active_element()?.get_attribute("data-key")
}

/// Focuses the element with `data-key="key"` in `root` and returns it, if there is one.
pub fn focus_key(root: &ShadowRoot, key: &str) -> Option<HtmlElement> {
    let selector = format!("[data-key=\"{key}\"]");
    let element = root
        .query_selector(&selector)
        .ok()
        .flatten()?
        .dyn_into::<HtmlElement>()
        .ok()?;
    element.focus().ok()?;
    Some(element)
}

/// Keeps Tab and Shift+Tab inside `dialog` (a modal's focus trap).
pub fn trap_tab(dialog: &Element, root: &ShadowRoot, event: &KeyboardEvent) {
    let Ok(focusable) = dialog.query_selector_all(
        "button:not([disabled]), input:not([disabled]), select, a[href], [tabindex=\"0\"]",
    ) else {
        return;
    };
    let count = focusable.length();
    if count == 0 {
        return;
    }
    let first = focusable.get(0);
    let last = focusable.get(count - 1);
    let active: Option<web_sys::Node> = root.active_element().map(Into::into);
    let inside = active
        .as_ref()
        .is_some_and(|node| dialog.contains(Some(node)));
    let target = if event.shift_key() {
        (!inside || active == first).then_some(last)
    } else {
        (!inside || active == last).then_some(first)
    };
    if let Some(Some(node)) = target {
        event.prevent_default();
        if let Ok(element) = node.dyn_into::<HtmlElement>() {
            let _ = element.focus();
        }
    }
}

/// The element the event came from within the shadow root that carries `data-action`.
pub fn action_target(event: &Event) -> Option<Element> {
    event
        .composed_path()
        .get(0)
        .dyn_into::<Element>()
        .ok()?
        .closest("[data-action]")
        .ok()
        .flatten()
}

/// The `value` property of an input or select.
pub fn value_of(element: &Element) -> String {
    Reflect::get(element, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
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

/// On a page a payment page sent the shopper back to: the order's id and whether the shopper
/// paid (`succeeded`) or gave up (`cancelled`).
pub fn payment_return() -> Option<(uuid::Uuid, bool)> {
    let search = web_sys::window()?.location().search().ok()?;
    let value = |wanted: &str| {
        search
            .trim_start_matches('?')
            .split('&')
            .find_map(|pair| pair.strip_prefix(wanted)?.strip_prefix('='))
    };
    let order = colmena_sdk::json::parse_uuid(value("colmena_order")?)?;
    match value("colmena_payment")? {
        "succeeded" => Some((order, true)),
        "cancelled" => Some((order, false)),
        _ => None,
    }
}
