//! The mounted elements ("views"): their state, loading, rendering and event routing.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use colmena_sdk::cart::{CartChange, SyncReport};
use colmena_sdk::contract::Store;
use colmena_sdk::Error;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, HtmlElement, KeyboardEvent, ShadowRoot};

use crate::dom::{self, dispatch, el, object, text};
use crate::i18n::{self, fill, Strings};
use crate::shop::{shop, Shop};
use crate::{cart, chat, product, products};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Products,
    Product,
    Cart,
    CheckoutButton,
    Chat,
}

impl Kind {
    pub fn from_tag(tag: &str) -> Option<Self> {
        Some(match tag {
            "colmena-products" => Self::Products,
            "colmena-product" => Self::Product,
            "colmena-cart" => Self::Cart,
            "colmena-checkout-button" => Self::CheckoutButton,
            "colmena-chat" => Self::Chat,
            _ => return None,
        })
    }
}

/// What a view shows; each kind uses its part.
#[derive(Default)]
pub struct State {
    pub locale: String,
    pub store: Option<Store>,
    /// Why the view could not load (shown with a retry button).
    pub failure: Option<Error>,
    pub products: products::State,
    pub detail: product::State,
    pub cart: cart::State,
    pub chat: chat::State,
}

pub struct View {
    pub host: HtmlElement,
    pub kind: Kind,
    pub shop: RefCell<Option<Rc<Shop>>>,
    pub state: RefCell<State>,
    /// Bumped by every load: an answer for an older load (attributes changed meanwhile) is
    /// dropped.
    generation: Cell<u32>,
}

pub type ViewRef = Rc<View>;

thread_local! {
    static VIEWS: RefCell<Vec<ViewRef>> = const { RefCell::new(Vec::new()) };
    /// Where elements without an `api` attribute find the API: the origin the widget script
    /// was loaded from (set by the loader).
    static DEFAULT_API: RefCell<String> = const { RefCell::new(String::new()) };
}

pub fn set_default_api(origin: String) {
    DEFAULT_API.with(|api| *api.borrow_mut() = origin);
}

pub fn default_api() -> String {
    DEFAULT_API.with(|api| api.borrow().clone())
}

pub fn find(host: &HtmlElement) -> Option<ViewRef> {
    VIEWS.with(|views| views.borrow().iter().find(|v| v.host == *host).cloned())
}

fn register(host: &HtmlElement, kind: Kind) -> ViewRef {
    find(host).unwrap_or_else(|| {
        let view = Rc::new(View {
            host: host.clone(),
            kind,
            shop: RefCell::new(None),
            state: RefCell::new(State::default()),
            generation: Cell::new(0),
        });
        VIEWS.with(|views| views.borrow_mut().push(view.clone()));
        view
    })
}

pub fn unregister(host: &HtmlElement) {
    if let Some(view) = find(host) {
        products::stop_observing(&view);
    }
    VIEWS.with(|views| views.borrow_mut().retain(|v| v.host != *host));
}

/// Every mounted view of `shop`.
pub fn of_shop(shop: &Rc<Shop>) -> Vec<ViewRef> {
    VIEWS.with(|views| {
        views
            .borrow()
            .iter()
            .filter(|v| v.shop.borrow().as_ref().is_some_and(|s| s.is(shop)))
            .cloned()
            .collect()
    })
}

pub fn attribute(host: &Element, name: &str) -> Option<String> {
    host.get_attribute(name)
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

impl View {
    pub fn shop(&self) -> Option<Rc<Shop>> {
        self.shop.borrow().clone()
    }

    pub fn strings(&self) -> &'static Strings {
        i18n::strings(&self.state.borrow().locale)
    }

    pub fn root(&self) -> ShadowRoot {
        dom::shadow_root(&self.host, handle_event)
    }

    pub fn is_current(&self, generation: u32) -> bool {
        self.generation.get() == generation
    }

    /// Replaces the shadow root's content with `content`, keeping focus on the element with the
    /// same `data-key` as the one focused before.
    /// What the shopper is typing in that element survives too.
    pub fn show(&self, content: &Element) {
        self.show_focusing(content, dom::focused_key(&self.root()));
    }

    /// [`Self::show`], focusing the element with the data-key `focused` (the one focused before
    /// `content` was built: building it moves the elements a view keeps, such as the filters'
    /// form, out of the shadow root, which takes their focus away).
    fn show_focusing(&self, content: &Element, focused: Option<String>) {
        let root = self.root();
        let typing = root
            .active_element()
            .filter(|e| matches!(e.get_attribute("type").as_deref(), Some("search" | "email")))
            .map(|e| dom::value_of(&e));
        // A carousel keeps its sideways scroll across renders (e.g. when a page is appended).
        let scrolled = root
            .query_selector(".products")
            .ok()
            .flatten()
            .map(|list| list.scroll_left());
        let _ = content.set_attribute("lang", i18n::language(&self.state.borrow().locale));
        root.replace_children_with_node_1(content);
        if let (Some(left), Ok(Some(list))) = (scrolled, root.query_selector(".products")) {
            list.set_scroll_left(left);
        }
        if let Some(key) = focused {
            if let Some(element) = dom::focus_key(&root, &key) {
                if let Some(value) = typing {
                    let _ = js_sys::Reflect::set(&element, &"value".into(), &value.into());
                }
            }
        }
    }

    /// Renders the view from its state.
    pub fn render(self: &Rc<Self>) {
        let focused = dom::focused_key(&self.root());
        let content = match self.kind {
            Kind::Products => products::render(self),
            Kind::Product => product::render_element(self),
            Kind::Cart | Kind::CheckoutButton => cart::render(self),
            Kind::Chat => chat::render(self),
        };
        self.show_focusing(&content, focused);
    }

    /// Reports a failure to the host page as a `colmena:error` event.
    pub fn report(&self, error: &Error) {
        dispatch(
            &self.host,
            "colmena:error",
            &colmena_wasm::to_js_error(error),
        );
    }
}

/// Mounts `host` as a view of `kind`: reads its attributes, loads what it shows, renders it.
pub async fn mount(host: HtmlElement, kind: Kind) -> Result<(), JsValue> {
    let view = register(&host, kind);
    let generation = view.generation.get() + 1;
    view.generation.set(generation);
    let Some(store) = attribute(&host, "store") else {
        return fail_setup(&view, "the store attribute is required");
    };
    let api = attribute(&host, "api").unwrap_or_else(default_api);
    let shop = match shop(&api, &store, attribute(&host, "locale").as_deref()) {
        Ok(shop) => shop,
        Err(error) => return fail_setup(&view, &error.to_string()),
    };
    *view.shop.borrow_mut() = Some(shop.clone());
    {
        let mut state = view.state.borrow_mut();
        // Until the store's locale is known, the host page's language is the best guess.
        state.locale = attribute(&host, "locale")
            .or_else(|| dom::document().document_element()?.get_attribute("lang"))
            .unwrap_or_default();
        state.failure = None;
    }
    let loaded = match kind {
        Kind::Products => products::load(&view, &shop, generation).await,
        Kind::Product => product::load(&view, &shop, generation).await,
        Kind::Cart | Kind::CheckoutButton => cart::load(&view, &shop, generation).await,
        Kind::Chat => chat::load(&view, &shop, generation).await,
    };
    if !view.is_current(generation) {
        return Ok(());
    }
    if let Err(error) = loaded {
        view.state.borrow_mut().failure = Some(error.clone());
        view.render();
        view.report(&error);
        return Err(colmena_wasm::to_js_error(&error));
    }
    Ok(())
}

/// Records the store profile on the view (locale for strings and money). Its colours reach the
/// view through the loader's `theme.css`, with the rest of the store's theme.
pub fn use_store(view: &View, store: Store) {
    let mut state = view.state.borrow_mut();
    if attribute(&view.host, "locale").is_none() {
        state.locale.clone_from(&store.locale);
    }
    state.store = Some(store);
}

/// A mistake in the element's markup, shown in English: it is for the site's developer.
fn fail_setup(view: &ViewRef, message: &str) -> Result<(), JsValue> {
    let message = format!("Colmena widget: {message}");
    view.show(&dom::notice(&message, true));
    let error = Error::InvalidRequest {
        message: message.clone(),
    };
    view.report(&error);
    Err(JsValue::from_str(&message))
}

/// The message and retry button shown when a view could not load.
pub fn failure(view: &View, error: &Error) -> Element {
    let strings = view.strings();
    let message = match (error, error.code()) {
        // A mistake in the markup: the site's developer needs the exact message, in English.
        (Error::InvalidRequest { message }, _) => message.clone(),
        (_, "STORE_NOT_FOUND") => fill(
            strings.store_missing,
            "",
            "",
            &attribute(&view.host, "store").unwrap_or_default(),
        ),
        (_, "NETWORK_ERROR" | "TIMEOUT" | "RATE_LIMITED") => strings.unreachable.to_owned(),
        _ => strings.load_failed.to_owned(),
    };
    let box_ = el("div", "failure");
    dom::append(&box_, &dom::notice(&message, true));
    // Trying again helps only when the cause may pass.
    if !matches!(error.code(), "STORE_NOT_FOUND" | "INVALID_REQUEST") {
        dom::append(
            &box_,
            &dom::button("secondary", strings.retry, "reload", "reload"),
        );
    }
    box_
}

/// The text of a message telling the shopper what a sync changed in their cart.
pub fn change_message(view: &View, change: &CartChange) -> String {
    let strings = view.strings();
    let locale = view.state.borrow().locale.clone();
    let (variant, template, n) = match change {
        CartChange::PriceChanged {
            variant_id, now, ..
        } => (*variant_id, strings.price_changed, now.format(&locale)),
        CartChange::QuantityReduced {
            variant_id, now, ..
        } => (*variant_id, strings.stock_short, now.to_string()),
        CartChange::StockShort {
            variant_id,
            available,
            ..
        } => (*variant_id, strings.stock_short, available.to_string()),
        CartChange::Removed { variant_id, .. } => (*variant_id, strings.unavailable, String::new()),
    };
    let name = view
        .shop()
        .and_then(|shop| {
            shop.cart
                .lines()
                .into_iter()
                .find(|l| l.variant_id == variant)
                .map(|l| l.product_name)
        })
        .unwrap_or_default();
    fill(template, &n, "", &name)
}

/// After the cart changed (here or in a background sync): every view of the shop re-renders
/// and the host page hears `colmena:cart-change`.
pub fn cart_synced(shop: &Rc<Shop>, report: &SyncReport) {
    let views = of_shop(shop);
    for view in &views {
        if matches!(view.kind, Kind::Cart | Kind::CheckoutButton) {
            let messages: Vec<String> = report
                .changes
                .iter()
                .map(|c| change_message(view, c))
                .collect();
            let mut state = view.state.borrow_mut();
            state.cart.offline = report.offline.is_some();
            if !messages.is_empty() {
                state.cart.changes = messages;
            }
        }
        view.render();
    }
    let subtotal = shop
        .cart
        .subtotal()
        .ok()
        .flatten()
        .and_then(|m| colmena_wasm::to_js(&m).ok())
        .unwrap_or(JsValue::NULL);
    let detail = object(&[
        ("itemCount", shop.cart.item_count().into()),
        ("subtotal", subtotal),
        (
            "pending",
            u32::try_from(shop.cart.pending())
                .unwrap_or(u32::MAX)
                .into(),
        ),
        ("offline", report.offline.is_some().into()),
    ]);
    dispatch(&dom::document(), "colmena:cart-change", &detail);
    if report.offline.is_some() {
        shop.retry_pending();
    }
}

/// What the checkout bundle dispatches on its panel in a drawer (see [`cart::on_checkout_event`]).
pub const CHECKOUT_EVENT: &str = "colmena-checkout";

/// What a filters form of the search bundle dispatches (see [`products::on_search_event`]).
pub const SEARCH_EVENT: &str = "colmena-search";

/// What the chat bundle dispatches on its panel (see [`chat::on_chat_event`]).
pub const CHAT_EVENT: &str = "colmena-chat";

/// The one listener of every shadow root: routes clicks, changes, submits and keys to the view.
fn handle_event(host: &HtmlElement, event: &Event) {
    let Some(view) = find(host) else { return };
    // A bundle's event (`colmena-checkout`, `colmena-search`, `colmena-chat`): each comes
    // from the panel of one kind of view.
    if let Some(event) = event.dyn_ref::<web_sys::CustomEvent>() {
        let detail = event.detail();
        match view.kind {
            Kind::Products => products::on_search_event(&view, &detail),
            Kind::Cart | Kind::CheckoutButton => cart::on_checkout_event(&view, &detail),
            Kind::Chat => chat::on_chat_event(&view, &detail),
            Kind::Product => {}
        }
        return;
    }
    if event.type_() == "keydown" {
        if let Some(key) = event.dyn_ref::<KeyboardEvent>() {
            match view.kind {
                Kind::Products => products::on_key(&view, key),
                Kind::Cart | Kind::CheckoutButton => cart::on_key(&view, key),
                Kind::Chat => chat::on_key(&view, key),
                Kind::Product => {}
            }
        }
        return;
    }
    let Some(target) = dom::action_target(event) else {
        return;
    };
    let action = target.get_attribute("data-action").unwrap_or_default();
    // Each action answers one event type: clicks for buttons, change for inputs and selects,
    // submit for forms.
    let wanted = match target.tag_name().as_str() {
        "FORM" => "submit",
        "INPUT" | "SELECT" => "change",
        _ => "click",
    };
    if event.type_() != wanted {
        return;
    }
    if wanted == "submit" {
        event.prevent_default();
    }
    if action == "reload" {
        let host = view.host.clone();
        let kind = view.kind;
        crate::dom::spawn(async move {
            let _ = mount(host, kind).await;
        });
        return;
    }
    match view.kind {
        Kind::Products => products::on_action(&view, &action, &target),
        Kind::Product => product::on_action(&view, &action, &target),
        Kind::Cart | Kind::CheckoutButton => cart::on_action(&view, &action, &target),
        Kind::Chat => chat::on_action(&view, &action),
    }
}

/// A loading line saying `what` is loading.
pub fn loading(what: &str) -> Element {
    let line = text("p", "loading", what);
    dom::set(&line, "role", "status");
    line
}
