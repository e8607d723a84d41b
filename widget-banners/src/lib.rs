//! `<colmena-banners store="…">`: a store's published banners and announcement, wherever the
//! merchant places the element, in a shadow root like the widget's other elements.
//!
//! A bundle of its own: the widget's loader fetches it when a page first renders the element,
//! so pages without banners never download it and the widget's first load stays within its
//! budget. It needs no client: one GET of `…/storefront` (with `?preview=` for a preview token),
//! read by the browser's JSON parser, and rendered with `textContent` and checked URLs only.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;

use colmena_sdk::contract::is_storefront_url;
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, HtmlElement, ShadowRoot};

// talc instead of dlmalloc, as in the widget: a smaller download.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The element's own rules. The loader adopts the widget's stylesheet before them (its
/// `--colmena-*` defaults, `.error`, focus rings) and the store's `theme.css` after.
const STYLES: &str = include_str!("banners.css");

thread_local! {
    /// Where elements without an `api` attribute find the API (the loader's origin).
    static DEFAULT_API: RefCell<String> = const { RefCell::new(String::new()) };
    /// The widget's `makeColmenaError`, so that `colmena:error` carries the same error classes
    /// as the other elements'.
    static MAKE_ERROR: RefCell<Option<Function>> = const { RefCell::new(None) };
    /// Storefront answers by URL, one request per page however many elements show them: a
    /// promise of `[status, body]`.
    static ANSWERS: RefCell<Vec<(String, Promise)>> = const { RefCell::new(Vec::new()) };
}

/// Readies the bundle: `default_api` is the loader's origin, `make_error` the widget's error
/// factory. Returns the element's stylesheet, which the loader adopts into each shadow root.
#[wasm_bindgen]
pub fn setup(default_api: String, make_error: Function) -> JsValue {
    DEFAULT_API.with(|api| *api.borrow_mut() = default_api);
    MAKE_ERROR.with(|make| *make.borrow_mut() = Some(make_error));
    JsValue::from_str(STYLES)
}

/// Renders `host` from the store's storefront; called by the loader on connect and whenever an
/// observed attribute changes. A failure dispatches `colmena:error` and rejects.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, _tag: String) -> Promise {
    let task: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> =
        Box::pin(async move { render(&host).await.map(|()| JsValue::UNDEFINED) });
    wasm_bindgen_futures::future_to_promise(task)
}

async fn render(host: &HtmlElement) -> Result<(), JsValue> {
    let root = shadow_root(host)?;
    let Some(url) = storefront_url(host) else {
        let error = error(
            "InvalidRequestError",
            "INVALID_REQUEST",
            0,
            "the store attribute is required",
        );
        return fail(host, &root, error, true);
    };
    let answer = JsFuture::from(answer(&url)).await;
    // The attributes changed while this answer was on its way: the newer render shows its own.
    if storefront_url(host).as_deref() != Some(url.as_str()) {
        return Ok(());
    }
    let (status, body) = match answer {
        Ok(answer) => {
            let answer = Array::from(&answer);
            // An HTTP status (`as` saturates; nothing else is there).
            let status = answer.get(0).as_f64().map_or(0, |status| status as u16);
            (status, answer.get(1))
        }
        Err(cause) => {
            let message = Reflect::get(&cause, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "the storefront could not be loaded".to_owned());
            return fail(
                host,
                &root,
                error("NetworkError", "NETWORK_ERROR", 0, &message),
                false,
            );
        }
    };
    if get(&body, "success").as_bool() != Some(true) {
        let failure = get(&body, "error");
        let code = text(&failure, "code").unwrap_or_else(|| "INTERNAL_ERROR".to_owned());
        let message = text(&failure, "message").unwrap_or_else(|| code.clone());
        // A refused preview token is the merchant's to see, in place; other failures (an
        // unknown store, an outage) leave shoppers an empty spot rather than a broken banner.
        let refused_preview = host.has_attribute("preview") && matches!(status, 401 | 403);
        let kind = match code.as_str() {
            "UNAUTHORIZED" => "UnauthorizedError",
            "FORBIDDEN" | "STORE_SUSPENDED" => "ForbiddenError",
            "STORE_NOT_FOUND" | "NOT_FOUND" => "NotFoundError",
            "VALIDATION_ERROR" => "ValidationError",
            "RATE_LIMITED" => "RateLimitedError",
            _ => "ApiError",
        };
        let shown = if refused_preview {
            // Joined without format!, whose machinery is 0.7 KB of this small bundle gzipped.
            ["preview token refused: ", &message].concat()
        } else {
            message
        };
        return fail(
            host,
            &root,
            error(kind, &code, status, &shown),
            refused_preview,
        );
    }
    let content = storefront(host, &get(&body, "data"));
    root.replace_children_with_node_1(&content);
    Ok(())
}

/// `GET …/storefront` of the element's store (and preview token), or `None` without a store.
fn storefront_url(host: &Element) -> Option<String> {
    let store = attribute(host, "store")?;
    let api =
        attribute(host, "api").unwrap_or_else(|| DEFAULT_API.with(|api| api.borrow().clone()));
    let mut url = [
        api.trim_end_matches('/'),
        "/api/v1/stores/",
        &String::from(js_sys::encode_uri_component(&store)),
        "/storefront",
    ]
    .concat();
    if let Some(token) = attribute(host, "preview") {
        url.push_str("?preview=");
        url.push_str(&String::from(js_sys::encode_uri_component(&token)));
    }
    Some(url)
}

/// The answer for `url`: `[status, body]`, fetched once per page (a failed fetch is forgotten,
/// so that the next render asks again).
fn answer(url: &str) -> Promise {
    if let Some(known) = ANSWERS.with(|answers| {
        answers
            .borrow()
            .iter()
            .find(|(known, _)| known == url)
            .map(|(_, answer)| answer.clone())
    }) {
        return known;
    }
    let owned = url.to_owned();
    let task: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> = Box::pin(async move {
        let fetched = fetch(&owned).await;
        if fetched.is_err() {
            ANSWERS.with(|answers| answers.borrow_mut().retain(|(known, _)| *known != owned));
        }
        fetched
    });
    let promise = wasm_bindgen_futures::future_to_promise(task);
    ANSWERS.with(|answers| answers.borrow_mut().push((url.to_owned(), promise.clone())));
    promise
}

async fn fetch(url: &str) -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    // A plain GET with no custom header: no CORS preflight.
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await?
        .dyn_into()?;
    let body = JsFuture::from(response.json()?).await?;
    Ok(Array::of2(&response.status().into(), &body).into())
}

/// The rendered storefront: the announcement, then the banners, in a labelled region; nothing
/// when there is neither.
fn storefront(host: &Element, data: &JsValue) -> Element {
    let region = el("section", "storefront");
    let announcement = get(data, "announcement");
    if let Some(words) = text(&announcement, "text") {
        let line = el("p", "announcement");
        append(&line, &linked(&announcement, &words, "announcement-link"));
        append(&region, &line);
    }
    let banners = Array::from(&get(data, "banners"));
    if banners.length() > 0 {
        let list = el("ul", "banners");
        for banner in banners.iter() {
            let Some(title) = text(&banner, "title") else {
                continue;
            };
            let item = el("li", "banner");
            if let Some(src) = text(&banner, "imageUrl").filter(|url| is_storefront_url(url)) {
                let image = el("img", "image");
                set(&image, "src", &src);
                // Decorative: the title beside it says what the banner is (the contract has no
                // alternative text for banner images, and the title twice would be read twice).
                set(&image, "alt", "");
                set(&image, "loading", "lazy");
                append(&item, &image);
            }
            let body = el("div", "body");
            let heading = el("h2", "title");
            append(&heading, &linked(&banner, &title, "link"));
            append(&body, &heading);
            if let Some(words) = text(&banner, "text").filter(|t| !t.trim().is_empty()) {
                let paragraph = el("p", "text");
                paragraph.set_text_content(Some(&words));
                append(&body, &paragraph);
            }
            append(&item, &body);
            append(&list, &item);
        }
        append(&region, &list);
    }
    if region.child_element_count() == 0 {
        return el("div", "");
    }
    set(&region, "aria-label", region_label(host));
    region
}

/// `words` as a link to the item's `linkUrl` when that is a web link or a path, else as text.
fn linked(item: &JsValue, words: &str, class: &str) -> Element {
    let Some(href) = text(item, "linkUrl").filter(|url| is_storefront_url(url)) else {
        let span = el("span", "");
        span.set_text_content(Some(words));
        return span;
    };
    let link = el("a", class);
    set(&link, "href", &href);
    link.set_text_content(Some(words));
    link
}

/// The region's name in the element's language (its `locale`, else the page's).
fn region_label(host: &Element) -> &'static str {
    let locale = attribute(host, "locale")
        .or_else(|| document().document_element()?.get_attribute("lang"))
        .unwrap_or_default();
    match locale.split(['-', '_']).next().unwrap_or_default() {
        "es" => "Promociones",
        "fr" => "Promotions",
        "pt" => "Promoções",
        "sw" => "Matangazo",
        _ => "Promotions",
    }
}

/// Reports `error` as `colmena:error` on the element; a mistake the page's developer or the
/// merchant must see (`shown`) also replaces the element's content with its message.
fn fail(host: &HtmlElement, root: &ShadowRoot, error: JsValue, shown: bool) -> Result<(), JsValue> {
    let message = text(&error, "message").unwrap_or_default();
    if shown {
        let notice = el("p", "error");
        set(&notice, "role", "alert");
        notice.set_text_content(Some(&["Colmena widget: ", &message].concat()));
        root.replace_children_with_node_1(&notice);
    } else {
        root.replace_children_with_node_1(&el("div", ""));
    }
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&error);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("colmena:error", &init) {
        let _ = host.dispatch_event(&event);
    }
    Err(error)
}

/// An error of the widget's classes (`NotFoundError`, …) with its `code` and HTTP `status`.
fn error(kind: &str, code: &str, status: u16, message: &str) -> JsValue {
    let fields = js_sys::Object::new();
    let _ = Reflect::set(&fields, &"code".into(), &code.into());
    if status > 0 {
        let _ = Reflect::set(&fields, &"status".into(), &status.into());
    }
    let made = MAKE_ERROR.with(|make| {
        make.borrow()
            .as_ref()?
            .call3(&JsValue::NULL, &kind.into(), &message.into(), &fields)
            .ok()
    });
    made.unwrap_or_else(|| js_sys::Error::new(message).into())
}

fn shadow_root(host: &HtmlElement) -> Result<ShadowRoot, JsValue> {
    match host.shadow_root() {
        Some(root) => Ok(root),
        None => host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)),
    }
}

fn document() -> Document {
    web_sys::window()
        .and_then(|window| window.document())
        .expect_throw("no document")
}

/// A new `<tag class="class" part="class">`: each styled piece is a `::part` for the page too.
fn el(tag: &str, class: &str) -> Element {
    let element = document().create_element(tag).unwrap_throw();
    if !class.is_empty() {
        element.set_class_name(class);
        set(&element, "part", class);
    }
    element
}

/// Sets an attribute (the names here are all valid, so this cannot fail).
fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

fn attribute(host: &Element, name: &str) -> Option<String> {
    host.get_attribute(name)
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A string member of a JSON object, if it is one and not empty.
fn text(object: &JsValue, key: &str) -> Option<String> {
    get(object, key).as_string().filter(|text| !text.is_empty())
}
