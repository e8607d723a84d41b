//! `<colmena-cart>` and `<colmena-checkout-button>`: a button that opens the cart drawer (lines,
//! quantities, totals, removal) and, from it, the checkout. The checkout itself (details,
//! addresses, shipping, discount codes, payment, confirmation) is a bundle of its own
//! (`widget-checkout`), which the loader fetches when a shopper first starts one: the drawer
//! hands it a panel to render into and hears back from it through `colmena-checkout` events.

use std::rc::Rc;

use std::cell::RefCell;

use colmena_sdk::cart::{CartLine, SyncReport};
use colmena_sdk::Error;
use js_sys::{Function, Promise, Reflect};
use uuid::Uuid;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, KeyboardEvent};

use crate::dom::{self, append, button, el, set, text};
use crate::i18n::{fill, Strings};
use crate::shop::Shop;
use crate::views::{self, Kind, View, ViewRef};

#[derive(Default)]
pub struct State {
    pub open: bool,
    pub busy: bool,
    /// The last sync could not reach the API: changes wait on this device.
    pub offline: bool,
    /// What the last sync changed under the shopper (prices, stock).
    pub changes: Vec<String>,
    /// The last failure in the drawer.
    pub error: Option<String>,
    /// Checking out: the element the checkout bundle renders into. The drawer's renders move
    /// this same element, so the checkout keeps its state and what the shopper typed.
    pub checkout: Option<Element>,
}

thread_local! {
    /// The loader's `openCheckout(panel, options)`: fetches the checkout bundle on first use
    /// and renders the checkout into `panel`.
    static OPEN_CHECKOUT: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Keeps the loader's `openCheckout` (see [`crate::setup`]).
pub fn set_checkout_opener(open_checkout: Function) {
    OPEN_CHECKOUT.with(|opener| *opener.borrow_mut() = Some(open_checkout));
}

pub async fn load(view: &ViewRef, shop: &Rc<Shop>, generation: u32) -> Result<(), Error> {
    view.render();
    let store = shop.store().await;
    if !view.is_current(generation) {
        return Ok(());
    }
    // The cart works from this device's copy even when the API is down: it only lacks the
    // store's locale and branding until the next load.
    match store {
        Ok(store) => views::use_store(view, store),
        Err(error) => {
            view.state.borrow_mut().cart.offline = error.is_transient();
            view.report(&error);
        }
    }
    view.render();
    // Back from a hosted payment page: show how it went (once per page).
    if shop.first_return() {
        if let Some((order, paid)) = dom::payment_return() {
            if let Some(token) = shop.take_awaited(order) {
                view.state.borrow_mut().cart.open = true;
                // The checkout bundle asks the server how the payment went and shows it.
                let returned = [
                    ("order", order.to_string().into()),
                    ("token", token.into()),
                    ("paid", paid.into()),
                ];
                start_checkout(view, shop, &returned);
            }
        }
    }
    // A cart from an earlier visit is checked against today's prices and stock (once per page).
    if shop.first_sync() && (shop.cart.pending() > 0 || shop.cart.cart_id().is_some()) {
        let shop = shop.clone();
        crate::dom::spawn(async move {
            let report = shop.cart.sync().await;
            views::cart_synced(&shop, &report);
        });
    }
    Ok(())
}

pub fn render(view: &ViewRef) -> Element {
    let strings = view.strings();
    let wrapper = el("div", "cart");
    let Some(shop) = view.shop() else {
        return wrapper;
    };
    let state = view.state.borrow();
    let count = shop.cart.item_count();
    let (label, class) = match view.kind {
        Kind::CheckoutButton => (strings.checkout, "primary toggle"),
        _ => (strings.cart, "toggle"),
    };
    // "Cart 3": the accessible name is exactly the visible text (WCAG 2.5.3, label in name).
    let toggle = button(class, &format!("{label} "), "open", "toggle");
    set(&toggle, "aria-haspopup", "dialog");
    set(
        &toggle,
        "aria-expanded",
        if state.cart.open { "true" } else { "false" },
    );
    append(&toggle, &text("span", "badge", &count.to_string()));
    set(&toggle, "aria-label", &format!("{label} {count}"));
    append(&wrapper, &toggle);
    if state.cart.open {
        drop(state);
        append(&wrapper, &drawer(view, &shop, strings));
    }
    wrapper
}

fn drawer(view: &View, shop: &Shop, strings: &Strings) -> Element {
    let state = view.state.borrow();
    let cart = &state.cart;
    let locale = state.locale.as_str();
    let layer = el("div", "layer");
    let backdrop = el("div", "backdrop");
    set(&backdrop, "data-action", "close");
    append(&layer, &backdrop);
    let drawer = el("aside", "drawer");
    set(&drawer, "role", "dialog");
    set(&drawer, "aria-modal", "true");
    set(&drawer, "aria-labelledby", "colmena-cart-title");
    let header = el("header", "drawer-header");
    let title = text("h2", "title", strings.cart);
    set(&title, "id", "colmena-cart-title");
    append(&header, &title);
    let close = button("close", "\u{d7}", "close", "close");
    set(&close, "aria-label", strings.close);
    append(&header, &close);
    append(&drawer, &header);
    if cart.offline {
        append(&drawer, &dom::notice(strings.offline, false));
        append(&drawer, &button("secondary", strings.retry, "sync", "sync"));
    }
    for change in &cart.changes {
        append(&drawer, &dom::notice(change, false));
    }
    if let Some(error) = &cart.error {
        append(&drawer, &dom::notice(error, true));
    }
    match &cart.checkout {
        Some(panel) => append(&drawer, panel),
        None => append(&drawer, &lines(shop, strings, locale, cart)),
    }
    append(&layer, &drawer);
    layer
}

fn lines(shop: &Shop, strings: &Strings, locale: &str, cart: &State) -> Element {
    let section = el("div", "lines");
    let lines = shop.cart.lines();
    if lines.is_empty() {
        append(&section, &text("p", "empty", strings.cart_empty));
        return section;
    }
    let list = el("ul", "line-list");
    for line in &lines {
        append(&list, &line_item(line, strings, locale));
    }
    append(&section, &list);
    let subtotal = shop.cart.subtotal().ok().flatten();
    if let Some(total) = &subtotal {
        let row = el("p", "subtotal");
        append(&row, &text("span", "", strings.subtotal));
        append(&row, &text("strong", "total", &total.format(locale)));
        append(&section, &row);
    }
    let label = match &subtotal {
        Some(total) => format!("{} \u{b7} {}", strings.checkout, total.format(locale)),
        None => strings.checkout.to_owned(),
    };
    let submit = button("primary checkout", &label, "checkout", "submit-checkout");
    if cart.busy {
        set(&submit, "aria-busy", "true");
    }
    append(&section, &submit);
    section
}

fn line_item(line: &CartLine, strings: &Strings, locale: &str) -> Element {
    let item = el("li", "line");
    let variant = line.variant_id.to_string();
    if let Some(image) = &line.image {
        let img = el("img", "thumb");
        set(&img, "src", &image.url);
        set(&img, "alt", "");
        set(&img, "width", "64");
        set(&img, "height", "48");
        append(&item, &img);
    }
    let about = el("div", "about");
    append(&about, &text("p", "line-name", &line.product_name));
    if has_options(&line.variant_title) {
        append(&about, &text("p", "variant", &line.variant_title));
    }
    append(&about, &text("p", "unit", &line.unit_price.format(locale)));
    append(&item, &about);
    let stepper = el("div", "stepper");
    let less = button(
        "step",
        "\u{2212}",
        "decrease",
        &format!("decrease-{variant}"),
    );
    set(
        &less,
        "aria-label",
        &format!("{}: {}", strings.decrease, line.product_name),
    );
    let quantity = el("input", "quantity");
    set(&quantity, "type", "number");
    set(&quantity, "inputmode", "numeric");
    set(&quantity, "min", "0");
    set(&quantity, "value", &line.quantity.to_string());
    set(&quantity, "data-action", "set-quantity");
    set(&quantity, "data-key", &format!("quantity-{variant}"));
    set(
        &quantity,
        "aria-label",
        &format!("{}: {}", strings.quantity, line.product_name),
    );
    let more = button("step", "+", "increase", &format!("increase-{variant}"));
    set(
        &more,
        "aria-label",
        &format!("{}: {}", strings.increase, line.product_name),
    );
    if line.available.is_some_and(|left| line.quantity >= left) {
        set(&more, "disabled", "");
    }
    // Busy controls are not disabled (that would drop keyboard focus); actions wait instead.
    for control in [&less, &quantity, &more] {
        set(control, "data-variant", &variant);
        append(&stepper, control);
    }
    append(&item, &stepper);
    let total = line
        .line_total()
        .map(|t| t.format(locale))
        .unwrap_or_default();
    append(&item, &text("p", "line-total", &total));
    let remove = button(
        "remove",
        strings.remove,
        "remove",
        &format!("remove-{variant}"),
    );
    set(&remove, "data-variant", &variant);
    set(
        &remove,
        "aria-label",
        &format!("{}: {}", strings.remove, line.product_name),
    );
    append(&item, &remove);
    item
}

/// Single-variant products have one variant titled "Default": not worth showing.
fn has_options(variant_title: &str) -> bool {
    !variant_title.is_empty() && variant_title != "Default"
}

pub fn on_action(view: &ViewRef, action: &str, target: &Element) {
    let Some(shop) = view.shop() else { return };
    let variant = target
        .get_attribute("data-variant")
        .and_then(|v| colmena_sdk::json::parse_uuid(&v));
    let line = variant.and_then(|id| shop.cart.lines().into_iter().find(|l| l.variant_id == id));
    let busy = view.state.borrow().cart.busy;
    if busy && !matches!(action, "open" | "close") {
        return;
    }
    match action {
        "open" => open(view),
        "close" => close(view),
        "decrease" | "increase" | "set-quantity" | "remove" => {
            let Some(line) = line else { return };
            let quantity = match action {
                "decrease" => line.quantity.saturating_sub(1),
                "increase" => line.quantity + 1,
                "set-quantity" => match dom::value_of(target).trim().parse::<u32>() {
                    Ok(quantity) => quantity,
                    Err(_) => return view.render(),
                },
                _ => 0,
            };
            change(view, &shop, line.variant_id, quantity);
        }
        "sync" => run(
            view,
            &shop,
            |shop, _| async move { Ok(shop.cart.sync().await) },
        ),
        "checkout" => start_checkout(view, &shop, &[]),
        _ => {}
    }
}

/// The view whose drawer shows `shop`'s cart: the page's `<colmena-cart>` or
/// `<colmena-checkout-button>`, if it has one.
pub fn drawer_of(shop: &Rc<Shop>) -> Option<ViewRef> {
    views::of_shop(shop)
        .into_iter()
        .find(|v| matches!(v.kind, Kind::Cart | Kind::CheckoutButton))
}

/// Opens the drawer of `shop`'s cart at its checkout (the chat's "Pay"); false when the page
/// shows no cart.
pub fn pay(shop: &Rc<Shop>) -> bool {
    let Some(view) = drawer_of(shop) else {
        return false;
    };
    open(&view);
    start_checkout(&view, shop, &[]);
    true
}

fn open(view: &ViewRef) {
    view.state.borrow_mut().cart.open = true;
    view.render();
    let root = view.root();
    let first = if view.kind == Kind::CheckoutButton {
        "submit-checkout"
    } else {
        "close"
    };
    if dom::focus_key(&root, first).is_none() {
        dom::focus_key(&root, "close");
    }
}

fn close(view: &ViewRef) {
    {
        let mut state = view.state.borrow_mut();
        state.cart.open = false;
        state.cart.changes.clear();
    }
    view.render();
    dom::focus_key(&view.root(), "toggle");
}

/// Escape closes the drawer; Tab stays inside it while it is open.
pub fn on_key(view: &ViewRef, event: &KeyboardEvent) {
    if !view.state.borrow().cart.open {
        return;
    }
    match event.key().as_str() {
        "Escape" => close(view),
        "Tab" => {
            let root = view.root();
            if let Ok(Some(drawer)) = root.query_selector(".drawer") {
                dom::trap_tab(&drawer, &root, event);
            }
        }
        _ => {}
    }
}

/// Runs a cart operation with the drawer busy, then re-renders every view of the shop.
fn run<F, Fut>(view: &ViewRef, shop: &Rc<Shop>, operation: F)
where
    F: FnOnce(Rc<Shop>, ViewRef) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<SyncReport, Error>> + 'static,
{
    // Boxed, so that everything around the operation exists once rather than once per kind of
    // operation (about 2 KB of wasm each).
    let operation = Box::pin(operation(shop.clone(), view.clone()));
    run_boxed(view, shop, operation);
}

fn run_boxed(
    view: &ViewRef,
    shop: &Rc<Shop>,
    operation: std::pin::Pin<Box<dyn std::future::Future<Output = Result<SyncReport, Error>>>>,
) {
    {
        let mut state = view.state.borrow_mut();
        state.cart.busy = true;
        state.cart.error = None;
        state.cart.changes.clear();
    }
    view.render();
    let (view, shop) = (view.clone(), shop.clone());
    crate::dom::spawn(async move {
        let result = operation.await;
        view.state.borrow_mut().cart.busy = false;
        let report = match result {
            Ok(report) => report,
            Err(error) => {
                view.state.borrow_mut().cart.error = Some(describe(&view, &error));
                view.report(&error);
                SyncReport::default()
            }
        };
        if let Some((_, error)) = report.rejected.first() {
            view.state.borrow_mut().cart.error = Some(describe(&view, error));
            view.report(error);
        }
        views::cart_synced(&shop, &report);
    });
}

fn change(view: &ViewRef, shop: &Rc<Shop>, variant: Uuid, quantity: u32) {
    run(view, shop, move |shop, _| async move {
        if quantity == 0 {
            shop.cart.remove(variant).await
        } else {
            shop.cart.set_quantity(variant, quantity).await
        }
    });
}

fn describe(view: &View, error: &Error) -> String {
    let strings = view.strings();
    match error {
        Error::InsufficientInventory { available, .. } => {
            fill(strings.insufficient, &available.to_string(), "", "")
        }
        error if error.is_transient() => strings.unreachable.to_owned(),
        error => fill(strings.failed, &error.message(), "", ""),
    }
}

/// Opens the checkout in the drawer: the cart's changes are sent first (the checkout prices
/// and buys the server's cart), then the loader fetches the checkout bundle (once) and renders
/// it into a panel of the drawer. `extra` are more options for the bundle: the order a hosted
/// payment page sent the shopper back with.
fn start_checkout(view: &ViewRef, shop: &Rc<Shop>, extra: &[(&'static str, JsValue)]) {
    let Some(open_checkout) = OPEN_CHECKOUT.with(|opener| opener.borrow().clone()) else {
        return;
    };
    let returning = !extra.is_empty();
    let mut options = vec![
        ("host", JsValue::from(view.host.clone())),
        ("api", shop.client.base_url().into()),
        ("store", shop.client.store_slug().into()),
        ("locale", view.state.borrow().locale.as_str().into()),
    ];
    options.extend(extra.iter().cloned());
    run(view, shop, move |shop, view| async move {
        let report = if returning {
            SyncReport::default()
        } else {
            let report = shop.cart.sync().await;
            if let Some(offline) = report.offline {
                return Err(offline);
            }
            match shop.cart.cart_id().filter(|_| shop.cart.item_count() > 0) {
                Some(cart) => options.push(("cartId", cart.to_string().into())),
                // Nothing left to buy (the sync took the last line away): the lines say so.
                None => return Ok(report),
            }
            report
        };
        let panel = el("div", "checkout-panel");
        append(&panel, &views::loading(view.strings().loading_checkout));
        view.state.borrow_mut().cart.checkout = Some(panel.clone());
        let opened = open_checkout.call2(&JsValue::NULL, &panel, &dom::object(&options));
        let opened = opened.map(Promise::from);
        crate::dom::spawn(async move {
            let opened = match opened {
                Ok(promise) => JsFuture::from(promise).await.map(drop),
                Err(error) => Err(error),
            };
            // The bundle could not be fetched: back to the lines, with the reason.
            if opened.is_err() {
                let mut state = view.state.borrow_mut();
                state.cart.checkout = None;
                state.cart.error = Some(view.strings().unreachable.to_owned());
                drop(state);
                view.render();
            }
        });
        Ok(report)
    });
}

/// What the checkout bundle tells the drawer (a `colmena-checkout` event from its panel, whose
/// `detail.kind` says what happened).
pub fn on_checkout_event(view: &ViewRef, detail: &JsValue) {
    let Some(shop) = view.shop() else { return };
    let member = |name: &str| {
        Reflect::get(detail, &name.into())
            .ok()
            .and_then(|value| value.as_string())
    };
    match member("kind").as_deref() {
        // The order exists: the cart it came from is gone.
        Some("ordered") => {
            let _ = shop.cart.clear();
            views::cart_synced(&shop, &SyncReport::default());
        }
        // Off to a hosted payment page: the page the shopper comes back to shows the order.
        Some("awaiting-payment") => {
            let order = member("order").and_then(|id| colmena_sdk::json::parse_uuid(&id));
            if let (Some(order), Some(token)) = (order, member("token")) {
                shop.await_payment(order, &token);
            }
        }
        // The payment failed or was cancelled: the order's lines go back into the cart, and
        // the drawer says why.
        Some("restore") => {
            let lines = member("lines")
                .and_then(|lines| colmena_sdk::json::decode_str::<Vec<CartLine>>(&lines).ok())
                .unwrap_or_default();
            let message = member("message");
            view.state.borrow_mut().cart.checkout = None;
            // Focus was in the panel, which is gone: it goes to the lines' checkout button.
            view.render();
            dom::focus_key(&view.root(), "submit-checkout");
            run(view, &shop, move |shop, view| async move {
                let report = shop.cart.add_lines(lines).await?;
                view.state.borrow_mut().cart.error = message;
                Ok(report)
            });
        }
        // The checkout found the cart changed on the server (prices, stock).
        Some("refresh") => {
            let shop = shop.clone();
            crate::dom::spawn(async move {
                let report = shop.cart.sync().await;
                views::cart_synced(&shop, &report);
            });
        }
        // Back to the lines, to change them.
        Some("back") => {
            view.state.borrow_mut().cart.checkout = None;
            view.render();
            dom::focus_key(&view.root(), "submit-checkout");
        }
        // The shopper has seen the confirmation.
        Some("done") => {
            view.state.borrow_mut().cart.checkout = None;
            close(view);
        }
        _ => {}
    }
}
