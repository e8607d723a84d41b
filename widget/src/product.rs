//! Product detail: `<colmena-product product="slug">`, and the dialog a product card opens.

use std::rc::Rc;

use colmena_sdk::cart::SyncReport;
use colmena_sdk::contract::{Product, ProductVariant};
use colmena_sdk::Error;
use futures_util::future::join;
use uuid::Uuid;
use web_sys::Element;

use crate::dom::{self, append, button, el, set, text};
use crate::i18n::fill;
use crate::shop::Shop;
use crate::views::{self, attribute, View, ViewRef};

/// Variants with at most this many units left say how many.
const LOW_STOCK: u32 = 5;

#[derive(Default)]
pub struct State {
    pub product: Option<Product>,
    pub variant: Option<Uuid>,
    pub quantity: u32,
    /// The last add-to-cart outcome: (is a failure, text).
    pub notice: Option<(bool, String)>,
    pub busy: bool,
}

pub async fn load(view: &ViewRef, shop: &Rc<Shop>, generation: u32) -> Result<(), Error> {
    let slug = attribute(&view.host, "product")
        .ok_or_else(|| Error::invalid("Colmena widget: the product attribute is required"))?;
    view.show(&views::loading(view.strings().loading));
    let (store, product) = join(shop.store(), shop.client.product(&slug)).await;
    if !view.is_current(generation) {
        return Ok(());
    }
    views::use_store(view, store?);
    select(view, product?);
    view.render();
    Ok(())
}

/// Shows `product` with its first variant in stock chosen.
pub fn select(view: &View, product: Product) {
    let mut state = view.state.borrow_mut();
    state.detail = State {
        variant: product
            .variants
            .iter()
            .find(|v| v.in_stock)
            .or(product.variants.first())
            .map(|v| v.id),
        quantity: 1,
        product: Some(product),
        ..State::default()
    };
}

pub fn render_element(view: &ViewRef) -> Element {
    let state = view.state.borrow();
    if let Some(error) = &state.failure {
        return views::failure(view, error);
    }
    if state.detail.product.is_none() {
        return views::loading(view.strings().loading);
    }
    drop(state);
    detail(view, "colmena-product-title")
}

fn chosen(state: &State) -> Option<&ProductVariant> {
    let product = state.product.as_ref()?;
    product
        .variants
        .iter()
        .find(|v| Some(v.id) == state.variant)
}

/// Units the shopper can still add of `variant` (`None`: stock not tracked).
fn stock_left(variant: &ProductVariant) -> Option<u32> {
    if variant.in_stock {
        variant.available
    } else {
        Some(0)
    }
}

/// The detail markup; `title_id` labels the dialog it may sit in.
pub fn detail(view: &View, title_id: &str) -> Element {
    let strings = view.strings();
    let state = view.state.borrow();
    let locale = state.locale.clone();
    let detail = &state.detail;
    let section = el("section", "detail");
    let Some(product) = detail.product.as_ref() else {
        return section;
    };
    let variant = chosen(detail);
    let media = el("div", "gallery");
    if let Some(image) = product.images.first() {
        let img = el("img", "image");
        set(&img, "src", &image.url);
        set(&img, "alt", &image.alt);
        set(&img, "width", "400");
        set(&img, "height", "300");
        append(&media, &img);
    }
    append(&section, &media);
    let info = el("div", "info");
    let title = text("h2", "title", &product.name);
    set(&title, "id", title_id);
    append(&info, &title);
    let price = variant.map_or(&product.price, |v| &v.price);
    let compare_at = variant.map_or(product.compare_at_price.as_ref(), |v| {
        v.compare_at_price.as_ref()
    });
    append(&info, &price_line(price, compare_at, &locale));
    if !product.description.is_empty() {
        append(&info, &text("p", "description", &product.description));
    }
    if product.variants.len() > 1 {
        let fieldset = el("fieldset", "variants");
        append(&fieldset, &text("legend", "legend", strings.options));
        for option in &product.variants {
            let label = el("label", "option");
            let radio = el("input", "");
            set(&radio, "type", "radio");
            set(&radio, "name", "variant");
            set(&radio, "value", &option.id.to_string());
            set(&radio, "data-action", "variant");
            set(&radio, "data-key", &format!("variant-{}", option.id));
            if Some(option.id) == detail.variant {
                set(&radio, "checked", "");
            }
            if !option.in_stock {
                set(&radio, "disabled", "");
            }
            append(&label, &radio);
            let caption = if option.in_stock {
                option.title.clone()
            } else {
                format!("{} ({})", option.title, strings.out_of_stock)
            };
            append(&label, &text("span", "", &caption));
            append(&fieldset, &label);
        }
        append(&info, &fieldset);
    }
    let left = variant.and_then(stock_left);
    let (class, stock) = match left {
        Some(0) => ("stock out", strings.out_of_stock.to_owned()),
        Some(n) if n <= LOW_STOCK => ("stock low", fill(strings.only_left, &n.to_string(), "", "")),
        _ => ("stock", strings.in_stock.to_owned()),
    };
    append(&info, &text("p", class, &stock));
    let buy = el("div", "buy");
    let quantity = el("input", "quantity");
    set(&quantity, "type", "number");
    set(&quantity, "inputmode", "numeric");
    set(&quantity, "min", "1");
    set(
        &quantity,
        "max",
        &left
            .unwrap_or(colmena_sdk::contract::MAX_LINE_QUANTITY)
            .to_string(),
    );
    set(&quantity, "value", &detail.quantity.max(1).to_string());
    set(&quantity, "data-action", "quantity");
    set(&quantity, "data-key", "quantity");
    append(&buy, &dom::labelled(strings.quantity, &quantity));
    let add = button("primary", strings.add_to_cart, "add", "add");
    if left == Some(0) || variant.is_none() {
        set(&add, "disabled", "");
    } else if detail.busy {
        // Not disabled while busy: that would drop keyboard focus; a second click waits.
        set(&add, "aria-busy", "true");
    }
    append(&buy, &add);
    append(&info, &buy);
    if let Some((alert, message)) = &detail.notice {
        append(&info, &dom::notice(message, *alert));
    }
    append(&section, &info);
    section
}

/// `<p class="price">` with the price and, when discounted, the struck-through old price.
pub fn price_line(
    price: &colmena_sdk::Money,
    compare_at: Option<&colmena_sdk::Money>,
    locale: &str,
) -> Element {
    let line = el("p", "price");
    append(&line, &text("span", "amount", &price.format(locale)));
    if let Some(old) = compare_at {
        append(&line, &text("s", "compare-at", &old.format(locale)));
    }
    line
}

/// Handles the detail's controls (also inside the products element's dialog).
pub fn on_action(view: &ViewRef, action: &str, target: &Element) {
    match action {
        "variant" => {
            let mut state = view.state.borrow_mut();
            state.detail.variant = colmena_sdk::json::parse_uuid(&dom::value_of(target));
            state.detail.notice = None;
        }
        "quantity" => {
            let quantity = dom::value_of(target).trim().parse::<u32>().unwrap_or(1);
            view.state.borrow_mut().detail.quantity = quantity.max(1);
            return;
        }
        "add" => {
            let state = view.state.borrow();
            let Some(product) = state.detail.product.clone().filter(|_| !state.detail.busy) else {
                return;
            };
            let (variant, quantity) = (state.detail.variant, state.detail.quantity.max(1));
            drop(state);
            add_to_cart(view, product, variant, quantity, true);
            return;
        }
        _ => return,
    }
    view.render();
}

/// Adds to the shop's cart, then tells the shopper (in the detail, or in the grid's status line
/// for a card's quick add) and the host page (`colmena:add-to-cart`).
pub fn add_to_cart(
    view: &ViewRef,
    product: Product,
    variant: Option<Uuid>,
    quantity: u32,
    in_detail: bool,
) {
    let Some(shop) = view.shop() else { return };
    let Some(variant_id) = variant.or_else(|| product.variants.first().map(|v| v.id)) else {
        return;
    };
    view.state.borrow_mut().detail.busy = true;
    view.render();
    let view = view.clone();
    crate::dom::spawn(async move {
        let strings = view.strings();
        let result = shop.cart.add(&product, Some(variant_id), quantity).await;
        let refused = result.as_ref().map_or_else(
            |error| Some(error.clone()),
            |report| {
                report
                    .rejected
                    .iter()
                    .find(|(operation, _)| operation.variant_id() == variant_id)
                    .map(|(_, error)| error.clone())
            },
        );
        let notice = match &refused {
            Some(Error::InsufficientInventory { available, .. }) => (
                true,
                fill(strings.insufficient, &available.to_string(), "", ""),
            ),
            Some(error) => (true, fill(strings.failed, &error.message(), "", "")),
            None if result.as_ref().is_ok_and(|r| r.offline.is_some()) => {
                (false, strings.offline.to_owned())
            }
            None => (false, strings.added.to_owned()),
        };
        if let Some(error) = &refused {
            view.report(error);
        } else {
            let detail = dom::object(&[
                ("productId", product.id.to_string().into()),
                ("variantId", variant_id.to_string().into()),
                ("quantity", quantity.into()),
            ]);
            dom::dispatch(&view.host, "colmena:add-to-cart", &detail);
        }
        {
            let mut state = view.state.borrow_mut();
            state.detail.busy = false;
            if in_detail {
                state.detail.notice = Some(notice);
            } else {
                state.products.notice = Some(notice);
            }
        }
        views::cart_synced(&shop, &result.unwrap_or_else(|_| SyncReport::default()));
    });
}
