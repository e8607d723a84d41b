//! `<colmena-chat>`: a launcher that opens the store's chat beside the page. The chat itself
//! (messages, the buyer's input, replies, the "Pay" button) is a bundle of its own
//! (`widget-chat`), which the loader fetches when a shopper first opens it: the launcher hands
//! it a panel to render into and hears back from it through `colmena-chat` events. The chat
//! drives this shop's cart: each message carries the cart's id (the panel's `data-cart`), the
//! conversation's cart becomes the cart after each reply, and "Pay" opens the checkout in the
//! drawer of the page's `<colmena-cart>`.

use std::cell::RefCell;
use std::rc::Rc;

use colmena_sdk::Error;
use js_sys::{Function, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{Element, KeyboardEvent};

use crate::dom::{self, append, button, el, set};
use crate::shop::Shop;
use crate::views::{self, ViewRef};

#[derive(Default)]
pub struct State {
    pub open: bool,
    /// The element the chat bundle renders into, made on first opening: the launcher's renders
    /// move this same element, so the conversation and what the shopper typed stay.
    pub panel: Option<Element>,
}

thread_local! {
    /// The loader's `chat(panel, options)`: fetches the chat bundle on first use and renders
    /// the chat into `panel`.
    static OPEN_CHAT: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Keeps the loader's `chat` (see [`crate::setup`]).
pub fn set_chat_opener(open_chat: Function) {
    OPEN_CHAT.with(|opener| *opener.borrow_mut() = Some(open_chat));
}

pub async fn load(view: &ViewRef, shop: &Rc<Shop>, generation: u32) -> Result<(), Error> {
    view.render();
    // The store's locale and name; without them the chat still works, in the page's language.
    if let Ok(store) = shop.store().await {
        if view.is_current(generation) {
            views::use_store(view, store);
            view.render();
        }
    }
    Ok(())
}

pub fn render(view: &ViewRef) -> Element {
    let strings = view.strings();
    let wrapper = el("div", "chat");
    let state = view.state.borrow();
    let launcher = button("primary launcher", strings.chat, "chat", "launcher");
    set(&launcher, "aria-haspopup", "dialog");
    set(
        &launcher,
        "aria-expanded",
        if state.chat.open { "true" } else { "false" },
    );
    append(&wrapper, &launcher);
    if let (true, Some(panel)) = (state.chat.open, &state.chat.panel) {
        let cart = view
            .shop()
            .and_then(|shop| shop.cart.cart_id())
            .map(|id| id.to_string())
            .unwrap_or_default();
        set(panel, "data-cart", &cart);
        append(&wrapper, panel);
    }
    wrapper
}

pub fn on_action(view: &ViewRef, action: &str) {
    match action {
        "chat" if !view.state.borrow().chat.open => open(view),
        "chat" | "close" => close(view),
        _ => {}
    }
}

fn open(view: &ViewRef) {
    let Some(shop) = view.shop() else { return };
    let existing = view.state.borrow().chat.panel.clone();
    if existing.is_none() {
        let Some(open_chat) = OPEN_CHAT.with(|opener| opener.borrow().clone()) else {
            return;
        };
        let panel = el("div", "chat-panel");
        set(&panel, "role", "dialog");
        set(&panel, "aria-label", view.strings().chat);
        append(&panel, &views::loading("\u{2026}"));
        let (locale, name) = {
            let state = view.state.borrow();
            let name = state.store.as_ref().map(|s| s.name.clone());
            (state.locale.clone(), name.unwrap_or_default())
        };
        let options = dom::object(&[
            ("host", view.host.clone().into()),
            ("api", shop.client.base_url().into()),
            ("store", shop.client.store_slug().into()),
            ("locale", locale.into()),
            // The buyer's language, when the page says it: otherwise the chat reads it from
            // each message.
            (
                "language",
                views::attribute(&view.host, "locale").map_or(JsValue::NULL, JsValue::from),
            ),
            ("name", name.into()),
        ]);
        view.state.borrow_mut().chat.panel = Some(panel.clone());
        let opened = open_chat.call2(&JsValue::NULL, &panel, &options);
        let view = view.clone();
        crate::dom::spawn(async move {
            let opened = match opened {
                Ok(promise) => wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise))
                    .await
                    .map(drop),
                Err(error) => Err(error),
            };
            // The bundle could not be fetched: the next click tries again.
            if opened.is_err() {
                let mut state = view.state.borrow_mut();
                state.chat.panel = None;
                state.chat.open = false;
                drop(state);
                view.render();
            }
        });
    }
    view.state.borrow_mut().chat.open = true;
    view.render();
    dom::focus_key(&view.root(), "chat-input");
}

fn close(view: &ViewRef) {
    view.state.borrow_mut().chat.open = false;
    view.render();
    dom::focus_key(&view.root(), "launcher");
}

/// Escape closes the chat.
pub fn on_key(view: &ViewRef, event: &KeyboardEvent) {
    if event.key() == "Escape" && view.state.borrow().chat.open {
        close(view);
    }
}

/// What the chat bundle tells the launcher (a `colmena-chat` event from its panel, whose
/// `detail.kind` says what happened).
pub fn on_chat_event(view: &ViewRef, detail: &JsValue) {
    let Some(shop) = view.shop() else { return };
    let member = |name: &str| {
        Reflect::get(detail, &name.into())
            .ok()
            .and_then(|value| value.as_string())
    };
    match member("kind").as_deref() {
        // A reply: the conversation's cart is this shop's cart, as the server now has it.
        Some("reply") => {
            if let Some(cart) = member("cartId").and_then(|id| colmena_sdk::json::parse_uuid(&id)) {
                crate::dom::spawn(async move {
                    let report = shop.cart.adopt(cart).await;
                    views::cart_synced(&shop, &report);
                });
            }
        }
        // "Pay": the checkout opens in the drawer of the page's cart, with this same cart. The
        // bundle goes to the hosted checkout page when there is none (`opened` stays unset).
        Some("pay") => {
            let opened = crate::cart::pay(&shop);
            if opened {
                let _ = Reflect::set(detail, &"opened".into(), &JsValue::TRUE);
                view.state.borrow_mut().chat.open = false;
                view.render();
            }
        }
        _ => {}
    }
}
