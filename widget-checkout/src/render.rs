//! The checkout's markup, rebuilt from its state on every change; focus stays on the control
//! with the same `data-key`, and what the shopper typed is in the state.

use colmena_sdk::contract::{Address, AddressFormat, Money, Totals};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRoot};

use crate::countries;
use crate::dom::{append, button, el, notice, set, text};
use crate::i18n::{fill, Strings};
use crate::{Checkout, State};

/// The id of the details form, which the place-order button (after the discount code's own
/// form and the breakdown) submits.
const DETAILS_FORM: &str = "colmena-checkout-details";

/// Whether the API member `field` (from a refusal's `details.parameter`) has a control in the
/// form, beside which its refusal is shown.
pub fn is_form_member(field: &str) -> bool {
    matches!(field, "email" | "name" | "phone" | "shippingRateId")
        || field.starts_with("discountCodes")
        || field.starts_with("shippingAddress.")
        || field.starts_with("billingAddress.")
}

pub fn render(checkout: &Checkout) {
    let root = checkout.panel.get_root_node().dyn_into::<ShadowRoot>().ok();
    let focused = root
        .as_ref()
        .and_then(|root| root.active_element())
        .filter(|element| checkout.panel.contains(Some(element)))
        .and_then(|element| element.get_attribute("data-key"));
    let content = content(checkout);
    checkout.panel.replace_children_with_node_1(&content);
    let next = checkout.state.borrow_mut().focus_next.take();
    match (next, focused) {
        (Some(key), _) => focus_key(checkout, key),
        (None, Some(key)) => focus_key(checkout, &key),
        (None, None) => {}
    }
}

/// Focuses the control with `data-key="key"`, if the checkout shows one.
pub fn focus_key(checkout: &Checkout, key: &str) {
    let selector = ["[data-key=\"", key, "\"]"].concat();
    if let Ok(Some(element)) = checkout.panel.query_selector(&selector) {
        if let Ok(element) = element.dyn_into::<HtmlElement>() {
            let _ = element.focus();
        }
    }
}

/// Focuses the first field, where the shopper starts.
pub fn focus_first_field(checkout: &Checkout) {
    focus_key(checkout, "email");
}

fn content(checkout: &Checkout) -> Element {
    let strings = checkout.strings();
    let state = checkout.state.borrow();
    let locale = checkout.locale.as_str();
    let section = el("div", "checkout-body");
    let heading = text("h3", "checkout-title", strings.title);
    append(&section, &heading);
    if let Some(order) = &state.order {
        append(&section, &confirmation(order, strings, locale));
        return section;
    }
    if let Some(waiting) = &state.waiting {
        append(&section, &notice(waiting, false));
        append(
            &section,
            &button(
                "primary",
                strings.continue_shopping,
                "checkout-done",
                "checkout-done",
            ),
        );
        return section;
    }
    if let Some(error) = &state.error {
        append(&section, &notice(error, true));
    }
    if let Some(session) = &state.session {
        append(
            &section,
            &payment(&session.order, strings, locale, state.busy),
        );
        return section;
    }
    match &state.cart {
        Some(_) => append(&section, &form(&state, strings, locale)),
        None if state.error.is_some() => {
            append(&section, &back_button(strings));
        }
        // Still loading: the drawer's loading line stays until the cart is here.
        None => {}
    }
    section
}

fn back_button(strings: &Strings) -> Element {
    let back = button(
        "link back",
        &["\u{2190} ", strings.back].concat(),
        "checkout-back",
        "checkout-back",
    );
    set(&back, "aria-label", strings.back);
    back
}

fn form(state: &State, strings: &Strings, locale: &str) -> Element {
    let wrapper = el("div", "checkout-form");
    let Some(cart) = &state.cart else {
        return wrapper;
    };
    let shipped = cart.requires_shipping;
    let form = el("form", "details");
    set(&form, "id", DETAILS_FORM);
    set(&form, "data-action", "place-order");
    // The API checks every member and its refusal is shown beside the field it names; the
    // browser's own bubbles would say less, in the browser's language rather than the store's.
    set(&form, "novalidate", "");
    let note = text("p", "required-note", strings.required_note);
    append(&form, &note);

    let contact = fieldset("contact", strings.contact);
    append(
        &contact,
        &input(state, "email", strings.email, "email", "email", true),
    );
    append(
        &contact,
        &input(state, "name", strings.name, "text", "name", shipped),
    );
    append(
        &contact,
        &input(state, "phone", strings.phone, "tel", "tel", false),
    );
    append(&form, &contact);

    if shipped {
        let shipping = fieldset("address", strings.shipping_address);
        address_fields(&shipping, state, strings, locale, "shippingAddress", true);
        append(&form, &shipping);
    }
    let billing = fieldset(
        "address billing",
        if shipped {
            strings.billing_address
        } else {
            strings.billing_optional
        },
    );
    if shipped {
        let same = el("input", "");
        set(&same, "type", "checkbox");
        set(&same, "data-field", "billingSame");
        set(&same, "data-key", "billingSame");
        if state.billing_same {
            set(&same, "checked", "");
        }
        let label = el("label", "check");
        append(&label, &same);
        append(&label, &text("span", "", strings.same_as_shipping));
        append(&billing, &label);
    }
    if !shipped || !state.billing_same {
        // A digital-only cart needs no address; given one, its country decides the tax.
        address_fields(&billing, state, strings, locale, "billingAddress", shipped);
    }
    append(&form, &billing);

    if shipped {
        append(&form, &rates(state, strings, locale));
    }
    append(&wrapper, &back_button(strings));
    append(&wrapper, &form);
    append(&wrapper, &discount(state, strings));
    append(
        &wrapper,
        &breakdown(
            &cart.totals,
            shipping_row(state, strings, locale),
            strings,
            locale,
        ),
    );

    let place = text(
        "button",
        "primary place-order",
        &fill(strings.place_order, &cart.totals.total.format(locale)),
    );
    set(&place, "type", "submit");
    set(&place, "form", DETAILS_FORM);
    set(&place, "data-key", "place-order");
    if state.busy {
        set(&place, "aria-busy", "true");
    }
    append(&wrapper, &place);
    wrapper
}

fn fieldset(class: &str, legend: &str) -> Element {
    let fieldset = el("fieldset", class);
    append(&fieldset, &text("legend", "", legend));
    fieldset
}

/// A labelled control for the API member `field`, its required mark, and the API's refusal
/// of it beside it (announced, and tied to the control by `aria-describedby`).
fn labelled(state: &State, field: &str, label: &str, required: bool, control: &Element) -> Element {
    set(control, "data-field", field);
    set(control, "data-key", field);
    set(control, "name", field);
    if required {
        set(control, "required", "");
    }
    // Labelled by `for`, not by wrapping: a wrapped select's options would join its name.
    let id = ["colmena-field-", field].concat();
    set(control, "id", &id);
    let wrapper = el("div", "field-wrap");
    let label_element = text("label", "label", label);
    set(&label_element, "for", &id);
    if required {
        let mark = text("span", "required", " *");
        set(&mark, "aria-hidden", "true");
        append(&label_element, &mark);
    }
    append(&wrapper, &label_element);
    append(&wrapper, control);
    if let Some((_, message)) = state.field_errors.iter().find(|(name, _)| name == field) {
        let id = ["colmena-error-", field].concat();
        let error = text("p", "field-error", message);
        set(&error, "id", &id);
        set(&error, "role", "alert");
        set(control, "aria-invalid", "true");
        set(control, "aria-describedby", &id);
        append(&wrapper, &error);
    }
    wrapper
}

fn input(
    state: &State,
    field: &str,
    label: &str,
    kind: &str,
    autocomplete: &str,
    required: bool,
) -> Element {
    let control = el("input", "");
    set(&control, "type", kind);
    set(&control, "autocomplete", autocomplete);
    set(&control, "value", state.field(field));
    labelled(state, field, label, required, &control)
}

fn select(options: &[(&str, &str)], selected: &str) -> Element {
    let control = el("select", "");
    for (value, label) in options {
        let option = text("option", "", label);
        set(&option, "value", value);
        if *value == selected {
            set(&option, "selected", "");
        }
        append(&control, &option);
    }
    control
}

/// The address under `prefix`: the country, then the fields of the country's format in its
/// order, required as it requires them, the region as a select of its subdivisions.
fn address_fields(
    parent: &Element,
    state: &State,
    strings: &Strings,
    locale: &str,
    prefix: &str,
    country_required: bool,
) {
    let section = if prefix == "shippingAddress" {
        "shipping "
    } else {
        "billing "
    };
    let field = |member: &str| [prefix, ".", member].concat();
    let country_field = field("country");
    let country = state.field(&country_field);
    // Shipped goods go only where the store ships; a billing address may be anywhere.
    let (all, offered): (&[String], &[String]) = match &state.countries {
        Some(countries) if prefix == "shippingAddress" => (&countries.all, &countries.shipping),
        Some(countries) => (&countries.all, &countries.all),
        None => (&[], &[]),
    };
    let named = countries::named(locale, all);
    let mut options: Vec<(&str, &str)> = vec![("", strings.choose_country)];
    options.extend(
        named
            .iter()
            .filter(|(code, _)| offered.contains(code))
            .map(|(code, name)| (code.as_str(), name.as_str())),
    );
    let control = select(&options, country);
    set(&control, "autocomplete", &[section, "country"].concat());
    append(
        parent,
        &labelled(
            state,
            &country_field,
            strings.country,
            country_required,
            &control,
        ),
    );
    let Some(format) = state.format(country) else {
        return;
    };
    for line in &format.lines {
        let row = el("div", "address-line");
        for member in line {
            if let Some(control) = address_member(state, strings, format, prefix, section, member) {
                append(&row, &control);
            }
        }
        if row.child_element_count() > 0 {
            append(parent, &row);
        }
    }
}

fn address_member(
    state: &State,
    strings: &Strings,
    format: &AddressFormat,
    prefix: &str,
    section: &str,
    member: &str,
) -> Option<Element> {
    let (label, autocomplete) = match member {
        "name" => (strings.name, "name"),
        "company" => (strings.company, "organization"),
        "line1" => (strings.line1, "address-line1"),
        "line2" => (strings.line2, "address-line2"),
        "city" => (strings.city, "address-level2"),
        "region" => (strings.region, "address-level1"),
        "postalCode" => (strings.postal_code, "postal-code"),
        // The country has its select above the format's lines.
        _ => return None,
    };
    let field = [prefix, ".", member].concat();
    let required = format.required.iter().any(|r| r == member);
    let autocomplete = [section, autocomplete].concat();
    if member == "region" && !format.regions.is_empty() {
        let mut options: Vec<(&str, &str)> = vec![("", strings.choose_region)];
        options.extend(
            format
                .regions
                .iter()
                .map(|region| (region.code.as_str(), region.name.as_str())),
        );
        let control = select(&options, state.field(&field));
        set(&control, "autocomplete", &autocomplete);
        return Some(labelled(state, &field, label, required, &control));
    }
    Some(input(state, &field, label, "text", &autocomplete, required))
}

/// The shipping options for the cart and its address, as radio buttons with their prices.
fn rates(state: &State, strings: &Strings, locale: &str) -> Element {
    let fieldset = fieldset("rates", strings.shipping);
    let Some(cart) = &state.cart else {
        return fieldset;
    };
    if cart.shipping_options.is_empty() {
        append(
            &fieldset,
            &text("p", "hint", strings.shipping_needs_address),
        );
    }
    for option in &cart.shipping_options {
        let id = option.id.to_string();
        let radio = el("input", "");
        set(&radio, "type", "radio");
        set(&radio, "name", "shippingRateId");
        set(&radio, "value", &id);
        set(&radio, "data-field", "shippingRateId");
        set(&radio, "data-key", &["rate-", &id].concat());
        if cart.shipping_rate_id == Some(option.id) {
            set(&radio, "checked", "");
        }
        let label = el("label", "rate");
        append(&label, &radio);
        append(&label, &text("span", "rate-name", &option.name));
        append(
            &label,
            &text(
                "span",
                "rate-price",
                &price_or_free(&option.price, strings, locale),
            ),
        );
        append(&fieldset, &label);
    }
    if let Some((_, message)) = state
        .field_errors
        .iter()
        .find(|(name, _)| name == "shippingRateId")
    {
        let error = text("p", "field-error", message);
        set(&error, "role", "alert");
        append(&fieldset, &error);
    }
    fieldset
}

fn price_or_free(price: &Money, strings: &Strings, locale: &str) -> String {
    if price.amount == 0 {
        strings.free.to_owned()
    } else {
        price.format(locale)
    }
}

/// The discount code's own form: apply one, remove those applied; a refusal beside it.
fn discount(state: &State, strings: &Strings) -> Element {
    let form = el("form", "discount");
    set(&form, "data-action", "apply-discount");
    set(&form, "novalidate", "");
    let code = el("input", "");
    set(&code, "type", "text");
    set(&code, "autocomplete", "off");
    set(&code, "value", state.field("discountCode"));
    let row = el("div", "discount-row");
    append(
        &row,
        &labelled(state, "discountCode", strings.discount_code, false, &code),
    );
    let apply = text("button", "secondary", strings.apply);
    set(&apply, "type", "submit");
    set(&apply, "data-key", "apply-discount");
    append(&row, &apply);
    append(&form, &row);
    let codes = state
        .cart
        .as_ref()
        .map(|cart| cart.discount_codes.as_slice())
        .unwrap_or_default();
    if !codes.is_empty() {
        let list = el("ul", "codes");
        for code in codes {
            let item = el("li", "code");
            append(&item, &text("span", "code-name", code));
            let remove = button(
                "link",
                &fill(strings.remove_code, code),
                "remove-code",
                &["remove-code-", code].concat(),
            );
            set(&remove, "data-code", code);
            append(&item, &remove);
            append(&list, &item);
        }
        append(&form, &list);
    }
    form
}

/// The shipping row of the cart's breakdown: the chosen rate's price, or that none is chosen
/// yet; none for a cart that is not shipped.
fn shipping_row(state: &State, strings: &Strings, locale: &str) -> Option<String> {
    let cart = state.cart.as_ref().filter(|cart| cart.requires_shipping)?;
    Some(match cart.shipping_rate_id {
        Some(_) => price_or_free(&cart.totals.shipping, strings, locale),
        None => strings.shipping_pending.to_owned(),
    })
}

/// Subtotal, each discount, shipping, tax (included in the prices, or added) and total.
fn breakdown(
    totals: &Totals,
    shipping: Option<String>,
    strings: &Strings,
    locale: &str,
) -> Element {
    let list = el("dl", "breakdown");
    let row = |class: &str, term: &str, value: &str| {
        let item = el("div", class);
        append(&item, &text("dt", "", term));
        append(&item, &text("dd", "", value));
        append(&list, &item);
    };
    row("row", strings.subtotal, &totals.subtotal.format(locale));
    for discount in &totals.discounts {
        let name = match &discount.code {
            Some(code) if *code != discount.name => [&discount.name, " (", code, ")"].concat(),
            _ => discount.name.clone(),
        };
        row(
            "row discount",
            &name,
            &["\u{2212}", &discount.amount.format(locale)].concat(),
        );
    }
    if let Some(shipping) = shipping {
        row("row", strings.shipping, &shipping);
    }
    if totals.tax.amount != 0 {
        let term = if totals.tax_included {
            strings.tax_included
        } else {
            strings.tax
        };
        row("row tax", term, &totals.tax.format(locale));
    }
    row("row total", strings.total, &totals.total.format(locale));
    list
}

/// "Order #1001", as the shop and its emails number orders.
fn order_number(order: &colmena_sdk::contract::Order, strings: &Strings) -> Element {
    text(
        "p",
        "order-id",
        &fill(strings.order, &["#", &order.number.to_string()].concat()),
    )
}

fn payment(
    order: &colmena_sdk::contract::Order,
    strings: &Strings,
    locale: &str,
    busy: bool,
) -> Element {
    let section = el("div", "payment");
    append(&section, &order_number(order, strings));
    if order.payment.redirect_url.is_some() {
        // On its way to the hosted payment page.
        return section;
    }
    append(&section, &notice(strings.test_mode, false));
    let pay = button(
        "primary",
        &fill(strings.pay, &order.total.format(locale)),
        "pay-test",
        "pay-test",
    );
    if busy {
        set(&pay, "aria-busy", "true");
    }
    append(&section, &pay);
    append(
        &section,
        &button("secondary", strings.cancel, "cancel-test", "cancel-test"),
    );
    section
}

fn confirmation(order: &colmena_sdk::contract::Order, strings: &Strings, locale: &str) -> Element {
    let section = el("div", "confirmation");
    let thanks = text("p", "thanks", strings.thanks);
    set(&thanks, "role", "status");
    append(&section, &thanks);
    // The order's id, for the host page's scripts (and tests): only once it is confirmed.
    let number = order_number(order, strings);
    set(&number, "data-order-id", &order.id.to_string());
    append(&section, &number);
    let items = el("ul", "order-items");
    for item in &order.items {
        let variant = if item.variant_title.is_empty() || item.variant_title == "Default" {
            String::new()
        } else {
            [" (", &item.variant_title, ")"].concat()
        };
        let row = text(
            "li",
            "order-item",
            &[
                &item.quantity.to_string(),
                " \u{d7} ",
                &item.product_name,
                &variant,
                " \u{2014} ",
                &item.line_total.format(locale),
            ]
            .concat(),
        );
        append(&items, &row);
    }
    append(&section, &items);
    let shipping = order.shipping_method.as_ref().map(|method| {
        [
            method.as_str(),
            " \u{b7} ",
            &price_or_free(&order.totals.shipping, strings, locale),
        ]
        .concat()
    });
    append(
        &section,
        &breakdown(&order.totals, shipping, strings, locale),
    );
    if let Some(address) = &order.shipping_address {
        append(&section, &address_block(address, strings.shipping_address));
    }
    if !order.downloads.is_empty() {
        append(&section, &text("h4", "downloads-title", strings.downloads));
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
        &button(
            "primary",
            strings.continue_shopping,
            "checkout-done",
            "checkout-done",
        ),
    );
    section
}

/// Where the order goes, as the shopper wrote it.
fn address_block(address: &Address, title: &str) -> Element {
    let block = el("div", "ship-to");
    append(&block, &text("h4", "", title));
    let postal = match &address.postal_code {
        Some(code) => [code.as_str(), " ", &address.city].concat(),
        None => address.city.clone(),
    };
    let lines = [
        Some(address.name.as_str()),
        address.company.as_deref(),
        Some(address.line1.as_str()),
        address.line2.as_deref(),
        Some(postal.as_str()),
        address.region.as_deref(),
        Some(address.country.as_str()),
    ];
    for line in lines.into_iter().flatten() {
        append(&block, &text("p", "", line));
    }
    block
}
