#![doc = include_str!("../README.md")]

mod api;
mod cart;
mod chat;
mod dom;
mod i18n;
mod product;
mod products;
mod shop;
mod views;
mod widget;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

pub use api::{shop_cart, ShopCart};

// talc instead of the standard library's dlmalloc: about 1 KB less of the shopper's gzipped
// download, and faster (https://github.com/SFBdragon/talc/blob/master/BENCHMARKS_WASM.md).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
pub use widget::ColmenaWidget;

/// Renders the custom element `host` (`colmena-products`, `colmena-product`, `colmena-cart`,
/// `colmena-checkout-button` or `colmena-chat`, named by `tag`) from the live API into its shadow root; a failure
/// shows a readable message there and dispatches `colmena:error`.
///
/// Called by the JS loader on connect and whenever an observed attribute changes.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, tag: String) -> Promise {
    crate::dom::promise(async move {
        let kind = views::Kind::from_tag(&tag)
            .ok_or_else(|| JsValue::from_str("not a Colmena element"))?;
        views::mount(host, kind).await?;
        Ok(JsValue::UNDEFINED)
    })
}

/// Forgets `host` when it leaves the page.
#[wasm_bindgen]
pub fn unmount(host: HtmlElement) {
    views::unregister(&host);
}

/// Readies the bundle once its wasm is instantiated: `default_api` is the origin the loader was
/// served from, where elements without an `api` attribute find the API (the widget ships with
/// its API server); `open_checkout(panel, options)` is the loader's, which fetches the checkout
/// bundle on first use and renders the checkout into a drawer's panel; `search(options)` is the
/// loader's too, which fetches the search bundle on first use and searches with it; and
/// `chat(panel, options)`, which fetches the chat bundle when a shopper first opens a
/// `<colmena-chat>` and renders the chat into the launcher's panel. Returns the
/// widget's stylesheet, which the loader makes into one constructed
/// stylesheet (no `<style>` element, so no 'unsafe-inline' under a CSP) adopted into every
/// element's shadow root, followed by the store's `theme.css`, which so overrides its defaults.
#[wasm_bindgen]
pub fn setup(
    default_api: String,
    open_checkout: js_sys::Function,
    search: js_sys::Function,
    chat: js_sys::Function,
) -> JsValue {
    views::set_default_api(default_api);
    cart::set_checkout_opener(open_checkout);
    products::set_searcher(search);
    chat::set_chat_opener(chat);
    JsValue::from_str(dom::STYLES)
}
