//! `<colmena-cart>` and `<colmena-checkout-button>`: a button that opens the cart drawer (lines,
//! quantities, totals, removal), checkout with the store's payment provider, and the
//! confirmation with the order and its download links.

use std::rc::Rc;

use colmena_sdk::cart::{CartLine, SyncReport};
use colmena_sdk::contract::{CheckoutSession, Order, OrderStatus, TestPaymentOutcome};
use colmena_sdk::Error;
use uuid::Uuid;
use wasm_bindgen::JsValue;
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
    pub email: String,
    /// Checked out, waiting for the test provider's payment.
    pub session: Option<CheckoutSession>,
    /// Paid: the confirmation.
    pub order: Option<Order>,
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
                returned_from_payment(view, shop, order, token, paid);
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
    if let Some(order) = &cart.order {
        append(&drawer, &confirmation(order, strings, locale));
    } else if let Some(session) = &cart.session {
        append(&drawer, &payment(session, strings, locale, cart.busy));
    } else {
        append(&drawer, &lines(shop, strings, locale, cart));
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
    let form = el("form", "checkout");
    set(&form, "data-action", "checkout");
    let email = el("input", "email");
    set(&email, "type", "email");
    set(&email, "name", "email");
    set(&email, "required", "");
    set(&email, "autocomplete", "email");
    set(&email, "data-key", "email");
    set(&email, "value", &cart.email);
    append(&form, &dom::labelled(strings.email, &email));
    let label = match &subtotal {
        Some(total) => format!("{} \u{b7} {}", strings.checkout, total.format(locale)),
        None => strings.checkout.to_owned(),
    };
    let submit = text("button", "primary", &label);
    set(&submit, "type", "submit");
    set(&submit, "data-key", "submit-checkout");
    if cart.busy {
        set(&submit, "aria-busy", "true");
    }
    append(&form, &submit);
    append(&section, &form);
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

fn payment(session: &CheckoutSession, strings: &Strings, locale: &str, busy: bool) -> Element {
    let section = el("div", "payment");
    let order = &session.order;
    append(
        &section,
        &text(
            "p",
            "order-id",
            &fill(strings.order, &short(order.id), "", ""),
        ),
    );
    append(&section, &dom::notice(strings.test_mode, false));
    let pay = button(
        "primary",
        &fill(strings.pay, &order.total.format(locale), "", ""),
        "pay",
        "pay",
    );
    let cancel = button(
        "secondary",
        strings.cancel,
        "cancel-payment",
        "cancel-payment",
    );
    if busy {
        set(&pay, "aria-busy", "true");
    }
    append(&section, &pay);
    append(&section, &cancel);
    section
}

fn confirmation(order: &Order, strings: &Strings, locale: &str) -> Element {
    let section = el("div", "confirmation");
    let thanks = text("p", "thanks", strings.thanks);
    set(&thanks, "role", "status");
    append(&section, &thanks);
    let id = text(
        "p",
        "order-id",
        &fill(strings.order, &short(order.id), "", ""),
    );
    set(&id, "data-order-id", &order.id.to_string());
    append(&section, &id);
    let items = el("ul", "order-items");
    for item in &order.items {
        let row = text(
            "li",
            "order-item",
            &format!(
                "{} \u{d7} {}{} \u{2014} {}",
                item.quantity,
                item.product_name,
                variant_suffix(&item.variant_title),
                item.line_total.format(locale)
            ),
        );
        append(&items, &row);
    }
    append(&section, &items);
    let total = el("p", "subtotal");
    append(
        &total,
        &text("strong", "total", &order.total.format(locale)),
    );
    append(&section, &total);
    if !order.downloads.is_empty() {
        append(&section, &text("h3", "downloads-title", strings.downloads));
        let list = el("ul", "downloads");
        for download in &order.downloads {
            let row = el("li", "");
            let link = text("a", "download", &download.file_name);
            set(&link, "href", &download.url);
            set(&link, "download", &download.file_name);
            append(&row, &link);
            append(&list, &row);
        }
        append(&section, &list);
    }
    append(
        &section,
        &button("primary", strings.continue_shopping, "done", "done"),
    );
    section
}

/// Single-variant products have one variant titled "Default": not worth showing.
fn has_options(variant_title: &str) -> bool {
    !variant_title.is_empty() && variant_title != "Default"
}

fn variant_suffix(variant_title: &str) -> String {
    if has_options(variant_title) {
        format!(" ({variant_title})")
    } else {
        String::new()
    }
}

/// The first block of the order id, as customers quote it (hex digits: ASCII upper case keeps
/// Unicode's case tables, about 4 KB gzipped, out of the wasm).
fn short(id: Uuid) -> String {
    id.to_string()[..8].to_ascii_uppercase()
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
        "checkout" => {
            let email = target
                .query_selector("[name=email]")
                .ok()
                .flatten()
                .map(|input| dom::value_of(&input).trim().to_owned())
                .unwrap_or_default();
            view.state.borrow_mut().cart.email.clone_from(&email);
            checkout(view, &shop, email);
        }
        "pay" | "cancel-payment" => {
            let outcome = if action == "pay" {
                TestPaymentOutcome::Succeed
            } else {
                TestPaymentOutcome::Fail
            };
            pay(view, &shop, outcome);
        }
        "done" => {
            {
                let mut state = view.state.borrow_mut();
                state.cart.order = None;
                state.cart.error = None;
            }
            close(view);
        }
        _ => {}
    }
}

fn open(view: &ViewRef) {
    view.state.borrow_mut().cart.open = true;
    view.render();
    let root = view.root();
    let first = if view.kind == Kind::CheckoutButton {
        "email"
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

fn checkout(view: &ViewRef, shop: &Rc<Shop>, email: String) {
    run(view, shop, move |shop, view| async move {
        let expected = shop.cart.subtotal()?;
        match shop
            .cart
            .checkout_returning_to(&email, expected, dom::return_url())
            .await
        {
            Ok(session) => {
                let order = &session.order;
                announce(&view, order);
                if let Some(url) = &order.payment.redirect_url {
                    // A hosted payment page (Stripe Checkout): the shopper pays there and
                    // comes back to this page, which then shows the order.
                    shop.await_payment(order.id, &session.order_token);
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().assign(url);
                    }
                }
                view.state.borrow_mut().cart.session = Some(session);
                Ok(SyncReport::default())
            }
            Err(Error::PriceChanged { failure, .. }) => {
                // Show the new prices before asking again.
                let report = shop.cart.sync().await;
                view.state.borrow_mut().cart.error = Some(failure.message);
                Ok(report)
            }
            Err(error) => Err(error),
        }
    });
}

/// Tells the host page about the order: `colmena:checkout` with its id, status and total.
fn announce(view: &View, order: &Order) {
    let detail = dom::object(&[
        ("orderId", order.id.to_string().into()),
        ("status", order.status.as_str().into()),
        (
            "total",
            colmena_wasm::to_js(&order.total).unwrap_or(JsValue::NULL),
        ),
    ]);
    dom::dispatch(&view.host, "colmena:checkout", &detail);
}

fn pay(view: &ViewRef, shop: &Rc<Shop>, outcome: TestPaymentOutcome) {
    let Some(session) = view.state.borrow().cart.session.clone() else {
        return;
    };
    run(view, shop, move |shop, view| async move {
        let reference = session.order.payment.reference.clone().unwrap_or_default();
        let settled = shop.client.settle_test_payment(&reference, outcome).await?;
        // The order as its customer sees it, with the download links once paid.
        let order = shop
            .client
            .order(settled.id, &session.order_token)
            .await
            .unwrap_or(settled);
        announce(&view, &order);
        view.state.borrow_mut().cart.session = None;
        show_settled(&shop, &view, order).await
    });
}

/// Shows a settled order: the confirmation when paid; otherwise a message, with the order's
/// lines back in the cart so that the shopper can try again.
async fn show_settled(shop: &Shop, view: &View, order: Order) -> Result<SyncReport, Error> {
    match order.status {
        OrderStatus::Paid | OrderStatus::Fulfilled => {
            view.state.borrow_mut().cart.order = Some(order);
            Ok(SyncReport::default())
        }
        _ => {
            let report = shop.cart.restore(&order).await?;
            view.state.borrow_mut().cart.error = Some(view.strings().payment_failed.to_owned());
            Ok(report)
        }
    }
}

/// The shopper is back from a hosted payment page: the order as the server now has it, in the
/// open drawer.
fn returned_from_payment(view: &ViewRef, shop: &Rc<Shop>, order: Uuid, token: String, paid: bool) {
    view.state.borrow_mut().cart.open = true;
    run(view, shop, move |shop, view| async move {
        let mut current = shop.client.order(order, &token).await?;
        // The provider's webhook may reach the server after the shopper: ask again a while.
        for wait in [500, 1_000, 2_000, 4_000, 8_000] {
            if !(paid && current.status == OrderStatus::PendingPayment) {
                break;
            }
            dom::sleep(wait).await;
            current = shop.client.order(order, &token).await?;
        }
        announce(&view, &current);
        if current.status == OrderStatus::PendingPayment && paid {
            // Not confirmed yet: keep it for the next load of this page.
            shop.await_payment(order, &token);
            let message = view.strings().payment_confirming.to_owned();
            view.state.borrow_mut().cart.error = Some(message);
            return Ok(SyncReport::default());
        }
        show_settled(&shop, &view, current).await
    });
    dom::focus_key(&view.root(), "close");
}
