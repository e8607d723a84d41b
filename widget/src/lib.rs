#![doc = include_str!("../README.md")]

use colmena_sdk::contract::{Product, ProductListQuery, ProductSort, Store};
use futures_util::future::join;
use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::{CssStyleSheet, Document, Element, HtmlElement, ShadowRoot};

// The headless client ships in the same bundle as the widget: one download for both.
// (the headless client is a separate package: sdk-wasm/pkg)

const STYLES: &str = include_str!("widget.css");

/// Settings read from a `<colmena-products>` element's attributes.
struct ProductsConfig {
    store: String,
    api: String,
    layout: String,
    query: ProductListQuery,
}

fn attribute(element: &Element, name: &str) -> Option<String> {
    element
        .get_attribute(name)
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

impl ProductsConfig {
    fn from_element(element: &Element) -> Result<Self, String> {
        let store = attribute(element, "store").ok_or("the store attribute is required")?;
        // Without an api attribute the widget talks to the server it was loaded from.
        let api = attribute(element, "api").unwrap_or_else(|| {
            web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default()
        });
        let layout = match attribute(element, "layout").as_deref() {
            None | Some("grid") => "grid",
            Some("list") => "list",
            Some(other) => return Err(format!("layout {other:?} is not grid or list")),
        }
        .to_owned();
        let limit = attribute(element, "limit")
            .map(|v| {
                v.parse::<u32>()
                    .map_err(|_| format!("limit {v:?} is not a number"))
            })
            .transpose()?;
        let featured = attribute(element, "featured")
            .map(|v| match v.as_str() {
                "true" | "" => Ok(true),
                "false" => Ok(false),
                other => Err(format!("featured {other:?} is not true or false")),
            })
            .transpose()?;
        let sort = attribute(element, "sort")
            .map(|v| {
                ProductListQuery::from_query_pairs(&[("sort", v.as_str())])
                    .ok()
                    .and_then(|q| q.sort)
                    .ok_or_else(|| {
                        format!(
                            "sort {v:?} is not one of {}",
                            ProductSort::VALUES.join(", ")
                        )
                    })
            })
            .transpose()?;
        let query = ProductListQuery {
            limit,
            offset: None,
            category: attribute(element, "category"),
            featured,
            q: attribute(element, "search"),
            sort,
        };
        query
            .validate()
            .map_err(|invalid| format!("{}: {}", invalid.parameter, invalid.message))?;
        Ok(Self {
            store,
            api,
            layout,
            query,
        })
    }
}

fn document() -> Result<Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))
}

/// The element's shadow root, created (open, styled) on first use.
fn shadow_root(host: &HtmlElement) -> Result<ShadowRoot, JsValue> {
    if let Some(root) = host.shadow_root() {
        return Ok(root);
    }
    let root = host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?;
    apply_styles(&root, None)?;
    Ok(root)
}

fn is_hex_colour(value: &str) -> bool {
    value.len() == 7 && value.starts_with('#') && value[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Styles the shadow root with constructed stylesheets (not `<style>` elements, so no
/// 'unsafe-inline' is needed under a CSP). The store's branding goes in a `:host` rule, which
/// the host page's own `--colmena-*` properties on the element override.
fn apply_styles(root: &ShadowRoot, store: Option<&Store>) -> Result<(), JsValue> {
    let base = CssStyleSheet::new()?;
    base.replace_sync(STYLES)?;
    let sheets = Array::of1(&base);
    if let Some(store) = store {
        let branding = &store.branding;
        if is_hex_colour(&branding.primary_color) && is_hex_colour(&branding.accent_color) {
            let brand = CssStyleSheet::new()?;
            brand.replace_sync(&format!(
                ":host{{--colmena-brand:{};--colmena-accent:{}}}",
                branding.primary_color, branding.accent_color
            ))?;
            sheets.push(&brand);
        }
    }
    Reflect::set(root, &"adoptedStyleSheets".into(), &sheets)?;
    Ok(())
}

fn element(doc: &Document, tag: &str, class: &str, part: &str) -> Result<Element, JsValue> {
    let el = doc.create_element(tag)?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    if !part.is_empty() {
        el.set_attribute("part", part)?;
    }
    Ok(el)
}

fn text_element(doc: &Document, tag: &str, class: &str, text: &str) -> Result<Element, JsValue> {
    let el = element(doc, tag, class, class)?;
    el.set_text_content(Some(text));
    Ok(el)
}

fn product_card(doc: &Document, product: &Product, locale: &str) -> Result<Element, JsValue> {
    let card = element(doc, "article", "card", "card")?;
    card.set_attribute("data-product-id", &product.id.to_string())?;
    card.set_attribute("data-product-slug", &product.slug)?;
    let figure = element(doc, "div", "media", "media")?;
    if let Some(image) = product.images.first() {
        let img = element(doc, "img", "", "image")?;
        img.set_attribute("src", &image.url)?;
        img.set_attribute("alt", &image.alt)?;
        img.set_attribute("loading", "lazy")?;
        img.set_attribute("decoding", "async")?;
        img.set_attribute("width", "400")?;
        img.set_attribute("height", "300")?;
        figure.append_child(&img)?;
    }
    card.append_child(&figure)?;
    let name = text_element(doc, "h3", "name", &product.name)?;
    card.append_child(&name)?;
    let price = element(doc, "p", "price", "price")?;
    let current = text_element(doc, "span", "amount", &product.price.format(locale))?;
    price.append_child(&current)?;
    if let Some(compare_at) = &product.compare_at_price {
        let old = text_element(doc, "s", "compare-at", &compare_at.format(locale))?;
        price.append_child(&old)?;
    }
    card.append_child(&price)?;
    Ok(card)
}

fn render_message(root: &ShadowRoot, class: &str, text: &str) -> Result<(), JsValue> {
    let doc = document()?;
    let message = text_element(&doc, "p", class, text)?;
    if class == "error" {
        message.set_attribute("role", "alert")?;
    } else {
        message.set_attribute("role", "status")?;
    }
    root.replace_children_with_node_1(&message);
    Ok(())
}

fn render_grid(
    root: &ShadowRoot,
    store: &Store,
    products: &[Product],
    layout: &str,
) -> Result<(), JsValue> {
    let doc = document()?;
    apply_styles(root, Some(store))?;
    let list = element(&doc, "div", &format!("products {layout}"), "products")?;
    list.set_attribute("role", "list")?;
    list.set_attribute("aria-label", &format!("{} products", store.name))?;
    for product in products {
        let card = product_card(&doc, product, &store.locale)?;
        card.set_attribute("role", "listitem")?;
        list.append_child(&card)?;
    }
    root.replace_children_with_node_1(&list);
    Ok(())
}

fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// Property of the element holding its current render generation.
const GENERATION_KEY: &str = "__colmenaGeneration";

/// Marks `host` with a new render generation and returns it. A render whose generation is no
/// longer current when its data arrives (attributes changed meanwhile) is dropped.
fn next_generation(host: &HtmlElement) -> f64 {
    let key = JsValue::from_str(GENERATION_KEY);
    let generation = Reflect::get(host, &key)
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
        + 1.0;
    let _ = Reflect::set(host, &key, &JsValue::from_f64(generation));
    generation
}

fn is_current(host: &HtmlElement, generation: f64) -> bool {
    Reflect::get(host, &JsValue::from_str(GENERATION_KEY))
        .ok()
        .and_then(|v| v.as_f64())
        == Some(generation)
}

async fn load_and_render(host: HtmlElement) -> Result<JsValue, JsValue> {
    let generation = next_generation(&host);
    let root = shadow_root(&host)?;
    let config = match ProductsConfig::from_element(&host) {
        Ok(config) => config,
        Err(message) => {
            render_message(&root, "error", &format!("Colmena widget: {message}"))?;
            return Err(JsValue::from_str(&message));
        }
    };
    render_message(&root, "loading", "Loading products…")?;
    let client = colmena_wasm::client(&config.api, &config.store)
        .map_err(|e| colmena_wasm::to_js_error(&e))?;
    // The store profile (locale, branding) and the first page load in parallel.
    let (store, page) = join(client.store(), client.list_products(&config.query)).await;
    if !is_current(&host, generation) {
        return Ok(JsValue::UNDEFINED);
    }
    match store.and_then(|store| page.map(|page| (store, page))) {
        Ok((store, page)) => {
            render_grid(&root, &store, &page.items, &config.layout)?;
            let detail = colmena_wasm::to_js(&page.pagination)?;
            dispatch(&host, "colmena:products-loaded", &detail);
            Ok(JsValue::UNDEFINED)
        }
        Err(error) => {
            let text = match error.code() {
                "STORE_NOT_FOUND" => {
                    format!("The store \u{201c}{}\u{201d} does not exist.", config.store)
                }
                "NETWORK_ERROR" => {
                    "The shop cannot be reached right now. Please try again later.".to_owned()
                }
                _ => "The products could not be loaded. Please try again later.".to_owned(),
            };
            render_message(&root, "error", &text)?;
            let js_error = colmena_wasm::to_js_error(&error);
            dispatch(&host, "colmena:error", &js_error);
            Err(js_error)
        }
    }
}

/// Renders the `<colmena-products>` element `host` from the live API: a product grid in its
/// shadow root, or a readable error there (and a `colmena:error` event) when loading fails.
///
/// Called by the JS shim on connect and whenever an observed attribute changes.
#[wasm_bindgen(js_name = renderProducts)]
pub fn render_products(host: HtmlElement) -> Promise {
    future_to_promise(load_and_render(host))
}
