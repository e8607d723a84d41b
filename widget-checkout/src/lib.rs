//! The widget's checkout: a WebAssembly bundle of its own, which the widget's loader fetches
//! when a shopper first starts a checkout (or comes back from a hosted payment page), so that
//! the widget's first load carries none of it: not the priced cart, address formats, orders
//! or checkout sessions, nor their decoders.
//!
//! The cart's drawer (in the widget) hands [`open`] a panel of its shadow root; the checkout
//! renders into it (contact, the shipping address built from the country's address format,
//! billing, shipping rates, discount codes, the breakdown, payment, the confirmation) and tells
//! the drawer what happened through `colmena-checkout` events on the panel: `ordered` (the
//! cart became an order), `awaiting-payment`, `restore` (a failed payment's lines go back into
//! the cart), `refresh` (the cart changed on the server), `back` and `done`. The host page
//! hears `colmena:checkout` and `colmena:error`, as before.

mod countries;
mod dom;
mod i18n;
mod render;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use colmena_sdk::cart::order_lines;
use colmena_sdk::contract::{
    Address, AddressFormat, Cart, CartUpdate, CheckoutRequest, CheckoutSession, Countries,
    ErrorCode, Order, OrderStatus, TestPaymentOutcome,
};
use colmena_sdk::transport::RetryPolicy;
use colmena_sdk::{Client, Error};
use js_sys::Promise;
use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement};

use crate::dom::string_of;
use crate::i18n::{fill, Strings};

// talc instead of dlmalloc, as in the widget: a smaller download.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The checkout's own rules. The loader adopts the widget's stylesheet before them (its
/// `--colmena-*` defaults, fields, buttons) and the store's `theme.css` after.
const STYLES: &str = include_str!("checkout.css");

/// The event the drawer listens to on the panel (the widget's `views::CHECKOUT_EVENT`).
const DRAWER_EVENT: &str = "colmena-checkout";

/// The members of an address, as the API names them (and address formats list them).
const ADDRESS_MEMBERS: [&str; 8] = [
    "name",
    "company",
    "line1",
    "line2",
    "city",
    "region",
    "postalCode",
    "country",
];

/// Readies the bundle once its wasm is instantiated. Returns the checkout's stylesheet, which
/// the loader adopts into the drawers' shadow roots.
#[wasm_bindgen]
pub fn setup() -> JsValue {
    JsValue::from_str(STYLES)
}

/// Renders a checkout into `panel` (an element of a cart drawer's shadow root). `options`:
/// `host` (the widget's element), `api`, `store`, `locale`, and either `cartId` (a new
/// checkout of that server cart) or `order`, `token` and `paid` (back from a hosted payment
/// page with that order).
#[wasm_bindgen]
pub fn open(panel: HtmlElement, options: JsValue) -> Result<Promise, JsValue> {
    let member = |name: &str| string_of(&options, name).unwrap_or_default();
    let host: HtmlElement = js_sys::Reflect::get(&options, &"host".into())?.dyn_into()?;
    let locale = member("locale");
    // The widget's client settings: a shopper waits on the page, so a few quick retries.
    let client = colmena_wasm::client(&member("api"), &member("store"))
        .map_err(|e| colmena_wasm::to_js_error(&e))?
        .with_retry_policy(RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(1),
            max_total_delay: Duration::from_secs(2),
            attempt_timeout: Duration::from_secs(10),
        })
        .accepting_language(if locale.is_empty() { "*" } else { &locale });
    let checkout = Rc::new(Checkout {
        panel: panel.clone().into(),
        host,
        client,
        locale,
        state: RefCell::new(State {
            billing_same: true,
            ..State::default()
        }),
    });
    listen(&checkout);
    let cart_id = colmena_sdk::json::parse_uuid(&member("cartId"));
    let returned = colmena_sdk::json::parse_uuid(&member("order"));
    let token = member("token");
    let paid = js_sys::Reflect::get(&options, &"paid".into()).is_ok_and(|paid| paid.is_truthy());
    let task: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> = Box::pin(async move {
        match (cart_id, returned) {
            (Some(cart_id), _) => start(&checkout, cart_id).await,
            (None, Some(order)) => returned_from_payment(&checkout, order, token, paid),
            (None, None) => return Err(JsValue::from_str("open: no cartId and no order")),
        }
        Ok(JsValue::UNDEFINED)
    });
    Ok(wasm_bindgen_futures::future_to_promise(task))
}

/// One checkout, in one drawer's panel.
pub(crate) struct Checkout {
    pub panel: Element,
    /// The widget's element, where the host page hears `colmena:checkout` and `colmena:error`.
    pub host: HtmlElement,
    pub client: Client,
    pub locale: String,
    pub state: RefCell<State>,
}

#[derive(Default)]
pub(crate) struct State {
    /// The server's cart, priced with the choices made so far.
    pub cart: Option<Cart>,
    /// What the shopper typed or chose, by the API member it goes to (`email`,
    /// `shippingAddress.postalCode`, `discountCode`).
    pub fields: Vec<(String, String)>,
    /// The billing address is the shipping address (shipped carts only).
    pub billing_same: bool,
    /// The address formats fetched so far.
    pub formats: Vec<AddressFormat>,
    /// Every country (billing) and those the store ships to (shipping).
    pub countries: Option<Countries>,
    /// The API's refusals, beside the member it named.
    pub field_errors: Vec<(String, String)>,
    /// A failure that belongs to no field.
    pub error: Option<String>,
    /// A request is on its way: the controls' actions wait.
    pub busy: bool,
    /// Ordered, waiting for the payment.
    pub session: Option<CheckoutSession>,
    /// Paid: the confirmation.
    pub order: Option<Order>,
    /// Back from a payment page whose outcome the server does not know yet.
    pub waiting: Option<String>,
    /// The control the next render focuses (the next step's), instead of the one focused
    /// before, which that step replaced: focus never falls out of the dialog.
    pub focus_next: Option<&'static str>,
}

impl State {
    /// What the shopper entered for `field` (empty if nothing).
    pub fn field(&self, field: &str) -> &str {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .map_or("", |(_, value)| value.as_str())
    }

    fn set_field(&mut self, field: &str, value: String) {
        match self.fields.iter_mut().find(|(name, _)| name == field) {
            Some((_, slot)) => *slot = value,
            None => self.fields.push((field.to_owned(), value)),
        }
    }

    /// The format of `country`, once fetched.
    pub fn format(&self, country: &str) -> Option<&AddressFormat> {
        self.formats.iter().find(|f| f.country == country)
    }

    pub fn requires_shipping(&self) -> bool {
        self.cart
            .as_ref()
            .is_some_and(|cart| cart.requires_shipping)
    }

    /// The address entered under `prefix` (`shippingAddress`, `billingAddress`), if the
    /// shopper entered one: anything beyond the country.
    fn address(&self, prefix: &str) -> Option<Address> {
        let value = |member: &str| {
            self.field(&[prefix, ".", member].concat())
                .trim()
                .to_owned()
        };
        let optional = |member: &str| Some(value(member)).filter(|v| !v.is_empty());
        let given = ADDRESS_MEMBERS[..7]
            .iter()
            .any(|member| !value(member).is_empty());
        given.then(|| Address {
            name: value("name"),
            company: optional("company"),
            line1: value("line1"),
            line2: optional("line2"),
            city: value("city"),
            region: optional("region"),
            postal_code: optional("postalCode"),
            country: value("country"),
        })
    }

    /// The address under `prefix` once every member its country requires is filled in: then
    /// it is worth pricing the cart with (the server still checks it).
    fn complete_address(&self, prefix: &str) -> Option<Address> {
        let address = self.address(prefix)?;
        let format = self.format(&address.country)?;
        let filled = format.required.iter().all(|member| {
            !self
                .field(&[prefix, ".", member].concat())
                .trim()
                .is_empty()
        });
        filled.then_some(address)
    }

    /// The billing address to send: the shipping address when the shopper said so.
    fn billing_address(&self) -> Option<Address> {
        if self.requires_shipping() && self.billing_same {
            self.address("shippingAddress")
        } else {
            self.address("billingAddress")
        }
    }
}

impl State {
    /// The cart update that sets the address under `prefix`, when it is complete and not
    /// what the cart already has (the billing address goes with the shipping address when the
    /// shopper said they are the same).
    fn address_update(&self, prefix: &str) -> Option<CartUpdate> {
        let address = self.complete_address(prefix)?;
        let cart = self.cart.as_ref()?;
        if prefix == "shippingAddress" {
            let billing = (self.billing_same && cart.requires_shipping).then(|| address.clone());
            let unchanged = cart.shipping_address.as_ref() == Some(&address)
                && (billing.is_none() || cart.billing_address == billing);
            (!unchanged).then_some(CartUpdate {
                shipping_address: Some(address),
                billing_address: billing,
                ..CartUpdate::default()
            })
        } else {
            (cart.billing_address.as_ref() != Some(&address)).then_some(CartUpdate {
                billing_address: Some(address),
                ..CartUpdate::default()
            })
        }
    }
}

impl Checkout {
    pub fn strings(&self) -> &'static Strings {
        i18n::strings(&self.locale)
    }

    /// Tells the drawer what happened (`kind`, with `more` members).
    fn tell_drawer(&self, kind: &str, more: &[(&str, JsValue)]) {
        let mut detail = vec![("kind", JsValue::from_str(kind))];
        detail.extend(more.iter().cloned());
        dom::dispatch(&self.panel, DRAWER_EVENT, &dom::object(&detail), false);
    }

    /// Tells the host page about the order: `colmena:checkout` with its id, number, status
    /// and total.
    fn announce(&self, order: &Order) {
        let detail = dom::object(&[
            ("orderId", order.id.to_string().into()),
            ("number", order.number.into()),
            ("status", order.status.as_str().into()),
            (
                "total",
                colmena_wasm::to_js(&order.total).unwrap_or(JsValue::NULL),
            ),
        ]);
        dom::dispatch(&self.host, "colmena:checkout", &detail, true);
    }

    /// Shows `error` where it belongs: beside the field the API named, beside the discount
    /// code, or above the form; and reports it to the host page as `colmena:error`.
    fn show_error(&self, error: &Error) {
        dom::dispatch(
            &self.host,
            "colmena:error",
            &colmena_wasm::to_js_error(error),
            true,
        );
        let strings = self.strings();
        let mut state = self.state.borrow_mut();
        let discount = match error.failure().map(|f| f.code) {
            Some(ErrorCode::DiscountNotFound) => Some(strings.discount_not_found),
            Some(ErrorCode::DiscountExpired) => Some(strings.discount_expired),
            Some(ErrorCode::DiscountNotApplicable) => Some(strings.discount_not_applicable),
            Some(ErrorCode::DiscountUsageLimitReached) => Some(strings.discount_used_up),
            _ => None,
        };
        if let Some(message) = discount {
            state
                .field_errors
                .push(("discountCode".to_owned(), message.to_owned()));
            return;
        }
        match error {
            Error::Validation {
                field: Some(field), ..
            } if render::is_form_member(field) => {
                // The discount codes are entered one at a time, in one field.
                let field = if field.starts_with("discountCodes") {
                    "discountCode"
                } else {
                    field.as_str()
                };
                let message = if state.field(field).trim().is_empty() {
                    strings.field_required
                } else {
                    strings.field_invalid
                };
                state
                    .field_errors
                    .push((field.to_owned(), message.to_owned()));
            }
            Error::PriceChanged { current_total, .. } => {
                let total = current_total
                    .as_ref()
                    .map(|total| total.format(&self.locale))
                    .unwrap_or_default();
                state.error = Some(fill(strings.price_changed, &total));
            }
            Error::InsufficientInventory { available, .. } => {
                state.error = Some(fill(strings.insufficient, &available.to_string()));
            }
            error if error.is_transient() => state.error = Some(strings.unreachable.to_owned()),
            error => state.error = Some(fill(strings.failed, &error.message())),
        }
    }
}

/// One listener on the panel for its controls (the drawer's own listener on the shadow root
/// sees these events too, and ignores actions that are not its own).
fn listen(checkout: &Rc<Checkout>) {
    let owner = checkout.clone();
    // Lives as long as the panel: the drawer drops the panel when the checkout ends.
    let listener =
        Closure::<dyn Fn(Event)>::new(move |event: Event| handle(&owner, &event)).into_js_value();
    for kind in ["click", "change", "submit", "input"] {
        let _ = checkout
            .panel
            .add_event_listener_with_callback(kind, listener.unchecked_ref());
    }
}

fn handle(checkout: &Rc<Checkout>, event: &Event) {
    let Some(target) = event.composed_path().get(0).dyn_into::<Element>().ok() else {
        return;
    };
    let field = target.get_attribute("data-field");
    match event.type_().as_str() {
        // What the shopper types is kept as they type: renders rebuild the form from it.
        "input" => {
            if let Some(field) = field {
                let value = dom::value_of(&target);
                checkout.state.borrow_mut().set_field(&field, value);
            }
        }
        "change" => {
            let Some(field) = field else { return };
            let value = if target.get_attribute("type").as_deref() == Some("checkbox") {
                // A ticked box reads "1", an unticked one "".
                let checked = js_sys::Reflect::get(&target, &"checked".into())
                    .is_ok_and(|checked| checked.is_truthy());
                if checked { "1" } else { "" }.to_owned()
            } else {
                dom::value_of(&target)
            };
            changed(checkout, &field, value);
        }
        "submit" => {
            event.prevent_default();
            match target.get_attribute("data-action").as_deref() {
                Some("place-order") => place_order(checkout),
                Some("apply-discount") => apply_discount(checkout),
                _ => {}
            }
        }
        "click" => {
            let Some(control) = target.closest("button[data-action]").ok().flatten() else {
                return;
            };
            let action = control.get_attribute("data-action").unwrap_or_default();
            clicked(checkout, &action, &control);
        }
        _ => {}
    }
}

/// A field was changed (left, chosen, ticked).
fn changed(checkout: &Rc<Checkout>, field: &str, value: String) {
    let busy = {
        let mut state = checkout.state.borrow_mut();
        state.set_field(field, value.clone());
        state.field_errors.retain(|(name, _)| name != field);
        state.busy
    };
    if field == "billingSame" {
        let same = !value.is_empty();
        checkout.state.borrow_mut().billing_same = same;
        render::render(checkout);
        return;
    }
    if field == "name" {
        suggest_recipient(checkout, &value);
        return;
    }
    if busy && !field.ends_with(".country") {
        return;
    }
    if field == "shippingRateId" {
        let Some(rate) = colmena_sdk::json::parse_uuid(&value) else {
            return;
        };
        let update = CartUpdate {
            shipping_rate_id: Some(rate),
            ..CartUpdate::default()
        };
        return update_cart(checkout, update);
    }
    let Some((prefix, member)) = field.split_once('.') else {
        return;
    };
    if member == "country" {
        // Another country, another form: its regions and postal codes differ.
        let region = [prefix, ".region"].concat();
        checkout
            .state
            .borrow_mut()
            .set_field(&region, String::new());
        let checkout = checkout.clone();
        let prefix = prefix.to_owned();
        run(&checkout.clone(), async move {
            load_format(&checkout, &value).await?;
            save_address(&checkout, &prefix).await
        });
    } else {
        // Nothing to show until the address is complete: no render under the shopper's typing.
        let update = checkout.state.borrow().address_update(prefix);
        if let Some(update) = update {
            update_cart(checkout, update);
        }
    }
}

/// The buyer's name is most often the recipient's: it fills the shipping address's name while
/// that is empty. In place, without a render, so that the field the shopper moved to stays as
/// it is.
fn suggest_recipient(checkout: &Checkout, name: &str) {
    const RECIPIENT: &str = "shippingAddress.name";
    if !checkout.state.borrow().field(RECIPIENT).is_empty() {
        return;
    }
    checkout
        .state
        .borrow_mut()
        .set_field(RECIPIENT, name.trim().to_owned());
    if let Ok(Some(input)) = checkout
        .panel
        .query_selector(&["[data-field=\"", RECIPIENT, "\"]"].concat())
    {
        let _ = js_sys::Reflect::set(&input, &"value".into(), &name.trim().into());
    }
}

fn clicked(checkout: &Rc<Checkout>, action: &str, control: &Element) {
    if checkout.state.borrow().busy {
        return;
    }
    match action {
        "checkout-back" => checkout.tell_drawer("back", &[]),
        "checkout-done" => checkout.tell_drawer("done", &[]),
        "remove-code" => {
            let code = control.get_attribute("data-code").unwrap_or_default();
            let codes = checkout
                .state
                .borrow()
                .cart
                .as_ref()
                .map(|cart| cart.discount_codes.clone())
                .unwrap_or_default();
            let update = CartUpdate {
                discount_codes: Some(codes.into_iter().filter(|c| *c != code).collect()),
                ..CartUpdate::default()
            };
            update_cart(checkout, update);
        }
        "pay-test" => pay(checkout, TestPaymentOutcome::Succeed),
        "cancel-test" => pay(checkout, TestPaymentOutcome::Fail),
        _ => {}
    }
}

/// Runs a request with the checkout busy, then renders what it left.
fn run(checkout: &Rc<Checkout>, task: impl Future<Output = Result<(), Error>> + 'static) {
    // Boxed: the code around the task then exists once, not once per kind of task.
    let task: Pin<Box<dyn Future<Output = Result<(), Error>>>> = Box::pin(task);
    {
        let mut state = checkout.state.borrow_mut();
        state.busy = true;
        state.error = None;
    }
    render::render(checkout);
    let checkout = checkout.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = task.await;
        checkout.state.borrow_mut().busy = false;
        if let Err(error) = result {
            checkout.show_error(&error);
        }
        render::render(&checkout);
    });
}

/// A new checkout: the cart as the server prices it, and the format of the country the
/// shopper most likely ships to.
async fn start(checkout: &Rc<Checkout>, cart_id: Uuid) {
    let loaded = async {
        let cart = checkout.client.cart(cart_id).await?;
        Ok::<_, Error>((cart, checkout.client.countries().await?))
    };
    let (cart, countries) = match loaded.await {
        Ok(loaded) => loaded,
        Err(error) => {
            checkout.show_error(&error);
            render::render(checkout);
            return;
        }
    };
    let country = {
        let mut state = checkout.state.borrow_mut();
        // Choices already made on this cart (an earlier visit to the checkout) are kept.
        for (prefix, address) in [
            ("shippingAddress", &cart.shipping_address),
            ("billingAddress", &cart.billing_address),
        ] {
            if let Some(address) = address {
                fill_address(&mut state, prefix, address);
            }
        }
        if cart.shipping_address.is_some() && cart.billing_address.is_some() {
            state.billing_same = cart.shipping_address == cart.billing_address;
        }
        let country = cart
            .shipping_address
            .as_ref()
            .map(|address| address.country.clone())
            .or_else(|| countries::of_locale(&checkout.locale, &countries.shipping));
        state.countries = Some(countries);
        if let Some(country) = &country {
            if cart.requires_shipping && state.field("shippingAddress.country").is_empty() {
                state.set_field("shippingAddress.country", country.clone());
            }
        }
        state.cart = Some(cart);
        country.filter(|_| state.requires_shipping())
    };
    let billing = checkout
        .state
        .borrow()
        .cart
        .as_ref()
        .and_then(|cart| cart.billing_address.as_ref().map(|a| a.country.clone()));
    for country in [country, billing].into_iter().flatten() {
        if let Err(error) = load_format(checkout, &country).await {
            checkout.show_error(&error);
        }
    }
    render::render(checkout);
    render::focus_first_field(checkout);
}

fn fill_address(state: &mut State, prefix: &str, address: &Address) {
    let members = [
        ("name", Some(&address.name)),
        ("company", address.company.as_ref()),
        ("line1", Some(&address.line1)),
        ("line2", address.line2.as_ref()),
        ("city", Some(&address.city)),
        ("region", address.region.as_ref()),
        ("postalCode", address.postal_code.as_ref()),
        ("country", Some(&address.country)),
    ];
    for (member, value) in members {
        if let Some(value) = value {
            state.set_field(&[prefix, ".", member].concat(), value.clone());
        }
    }
}

/// Fetches `country`'s address format, once.
async fn load_format(checkout: &Checkout, country: &str) -> Result<(), Error> {
    if country.is_empty() || checkout.state.borrow().format(country).is_some() {
        return Ok(());
    }
    let format = checkout.client.address_format(country).await?;
    checkout.state.borrow_mut().formats.push(format);
    Ok(())
}

/// Prices the cart with the address under `prefix` once it is complete: the shipping rates
/// and the tax follow the address.
async fn save_address(checkout: &Checkout, prefix: &str) -> Result<(), Error> {
    let update = checkout.state.borrow().address_update(prefix);
    match update {
        Some(update) => send_update(checkout, &update).await,
        None => Ok(()),
    }
}

async fn send_update(checkout: &Checkout, update: &CartUpdate) -> Result<(), Error> {
    let Some(cart_id) = checkout.state.borrow().cart.as_ref().map(|cart| cart.id) else {
        return Ok(());
    };
    let cart = checkout.client.update_cart(cart_id, update).await?;
    let mut state = checkout.state.borrow_mut();
    // The server took these choices: their earlier refusals no longer stand.
    state.field_errors.retain(|(field, _)| {
        !(update.shipping_address.is_some() && field.starts_with("shippingAddress")
            || update.billing_address.is_some() && field.starts_with("billingAddress")
            || update.shipping_rate_id.is_some() && field == "shippingRateId"
            || update.discount_codes.is_some() && field == "discountCode")
    });
    state.cart = Some(cart);
    Ok(())
}

fn update_cart(checkout: &Rc<Checkout>, update: CartUpdate) {
    let checkout = checkout.clone();
    run(&checkout.clone(), async move {
        send_update(&checkout, &update).await
    });
}

fn apply_discount(checkout: &Rc<Checkout>) {
    let (code, codes) = {
        let mut state = checkout.state.borrow_mut();
        if state.busy {
            return;
        }
        state
            .field_errors
            .retain(|(field, _)| field != "discountCode");
        let code = state.field("discountCode").trim().to_owned();
        let codes = state
            .cart
            .as_ref()
            .map(|cart| cart.discount_codes.clone())
            .unwrap_or_default();
        (code, codes)
    };
    if code.is_empty() {
        return;
    }
    let update = CartUpdate {
        discount_codes: Some(codes.into_iter().chain([code]).collect()),
        ..CartUpdate::default()
    };
    let checkout = checkout.clone();
    run(&checkout.clone(), async move {
        send_update(&checkout, &update).await?;
        // Applied: the field is free for another code.
        checkout
            .state
            .borrow_mut()
            .set_field("discountCode", String::new());
        Ok(())
    });
}

fn place_order(checkout: &Rc<Checkout>) {
    let request = {
        let mut state = checkout.state.borrow_mut();
        if state.busy {
            return;
        }
        state.field_errors.clear();
        let Some(cart) = state.cart.as_ref() else {
            return;
        };
        let optional =
            |field: &str| Some(state.field(field).trim().to_owned()).filter(|v| !v.is_empty());
        let shipped = cart.requires_shipping;
        CheckoutRequest {
            cart_id: cart.id,
            email: state.field("email").trim().to_owned(),
            name: optional("name"),
            phone: optional("phone"),
            shipping_address: shipped.then(|| state.address("shippingAddress")).flatten(),
            billing_address: state.billing_address(),
            shipping_rate_id: cart.shipping_rate_id,
            // Exactly the total the shopper was shown, or nothing is ordered.
            expected_total: Some(cart.totals.total.clone()),
            return_url: dom::return_url(),
            ..CheckoutRequest::default()
        }
    };
    let checkout = checkout.clone();
    run(&checkout.clone(), async move {
        let session = match checkout.client.checkout(&request).await {
            Ok(session) => session,
            Err(error @ (Error::PriceChanged { .. } | Error::InsufficientInventory { .. })) => {
                // Show the new prices (here and in the drawer's lines) before asking again.
                if let Ok(cart) = checkout.client.cart(request.cart_id).await {
                    checkout.state.borrow_mut().cart = Some(cart);
                }
                checkout.tell_drawer("refresh", &[]);
                return Err(error);
            }
            Err(error) => return Err(error),
        };
        let order = &session.order;
        checkout.tell_drawer("ordered", &[]);
        checkout.announce(order);
        if let Some(url) = &order.payment.redirect_url {
            // A hosted payment page (Stripe Checkout): the shopper pays there and comes back
            // to this page, which then shows the order.
            checkout.tell_drawer(
                "awaiting-payment",
                &[
                    ("order", order.id.to_string().into()),
                    ("token", session.order_token.as_str().into()),
                ],
            );
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign(url);
            }
        }
        checkout.state.borrow_mut().session = Some(session);
        checkout.state.borrow_mut().focus_next = Some("pay-test");
        Ok(())
    });
}

fn pay(checkout: &Rc<Checkout>, outcome: TestPaymentOutcome) {
    let Some(session) = checkout.state.borrow().session.clone() else {
        return;
    };
    let checkout = checkout.clone();
    run(&checkout.clone(), async move {
        let reference = session.order.payment.reference.clone().unwrap_or_default();
        let settled = checkout
            .client
            .settle_test_payment(&reference, outcome)
            .await?;
        // The order as its customer sees it, with the download links once paid.
        let order = checkout
            .client
            .order(settled.id, &session.order_token)
            .await
            .unwrap_or(settled);
        checkout.announce(&order);
        checkout.state.borrow_mut().session = None;
        show_settled(&checkout, order);
        Ok(())
    });
}

/// Shows a settled order: the confirmation when paid; otherwise the drawer takes the order's
/// lines back into the cart and says why, so that the shopper can try again.
fn show_settled(checkout: &Checkout, order: Order) {
    match order.status {
        OrderStatus::Paid | OrderStatus::Fulfilled => {
            checkout.state.borrow_mut().order = Some(order);
            checkout.state.borrow_mut().focus_next = Some("checkout-done");
        }
        _ => {
            let lines = colmena_sdk::json::encode(&order_lines(&order));
            checkout.tell_drawer(
                "restore",
                &[
                    ("lines", lines.into()),
                    ("message", checkout.strings().payment_failed.into()),
                ],
            );
        }
    }
}

/// The shopper is back from a hosted payment page: the order as the server now has it.
fn returned_from_payment(checkout: &Rc<Checkout>, order: Uuid, token: String, paid: bool) {
    let checkout = checkout.clone();
    run(&checkout.clone(), async move {
        let client = &checkout.client;
        let mut current = client.order(order, &token).await?;
        // The provider's webhook may reach the server after the shopper: ask again a while.
        for wait in [500, 1_000, 2_000, 4_000, 8_000] {
            if !(paid && current.status == OrderStatus::PendingPayment) {
                break;
            }
            dom::sleep(wait).await;
            current = client.order(order, &token).await?;
        }
        checkout.announce(&current);
        if current.status == OrderStatus::PendingPayment && paid {
            // Not confirmed yet: kept for the next load of this page.
            checkout.tell_drawer(
                "awaiting-payment",
                &[("order", order.to_string().into()), ("token", token.into())],
            );
            checkout.state.borrow_mut().waiting =
                Some(checkout.strings().payment_confirming.to_owned());
            return Ok(());
        }
        show_settled(&checkout, current);
        Ok(())
    });
}
