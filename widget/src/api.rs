//! `cart(store, api?)`: the cart the elements show, for the host page's own code (and the React
//! wrapper): read it, change it, open the drawer. Every change re-renders the elements and
//! dispatches `colmena:cart-change`, exactly as a click in the widget does.

use std::rc::Rc;

use colmena_sdk::cart::SyncReport;
use colmena_sdk::Error;
use js_sys::Promise;
use uuid::Uuid;
use wasm_bindgen::prelude::*;

use crate::shop::{shop, Shop};
use crate::views;

/// The shopper's cart of one store, shared with every Colmena element of that store.
#[wasm_bindgen]
pub struct ShopCart {
    shop: Rc<Shop>,
}

/// The cart of `store` on the API at `api` (default: the server the widget was loaded from).
#[wasm_bindgen(js_name = cart)]
pub fn shop_cart(store: String, api: Option<String>) -> Result<ShopCart, JsValue> {
    let api = api.unwrap_or_else(views::default_api);
    shop(&api, &store, None)
        .map(|shop| ShopCart { shop })
        .map_err(|e| colmena_wasm::to_js_error(&e))
}

fn variant(id: &str) -> Result<Uuid, JsValue> {
    colmena_sdk::json::parse_uuid(id).ok_or_else(|| {
        colmena_wasm::invalid_argument(format!("variantId \u{201c}{id}\u{201d} is not a UUID"))
    })
}

/// Settles a cart change: the elements re-render and hear about it; a refused change rejects
/// the promise with its typed error.
fn settle(shop: &Rc<Shop>, result: Result<SyncReport, Error>) -> Result<JsValue, JsValue> {
    let report = result.map_err(|e| colmena_wasm::to_js_error(&e))?;
    views::cart_synced(shop, &report);
    match report.rejected.first() {
        Some((_, error)) => Err(colmena_wasm::to_js_error(error)),
        None => Ok(JsValue::from(shop.cart.item_count())),
    }
}

#[wasm_bindgen]
impl ShopCart {
    /// Units in the cart.
    #[wasm_bindgen(getter, js_name = itemCount)]
    pub fn item_count(&self) -> u32 {
        self.shop.cart.item_count()
    }

    /// The lines: `{variantId, productId, productName, variantTitle, quantity, unitPrice,
    /// image?, available?}`.
    pub fn lines(&self) -> Result<JsValue, JsValue> {
        colmena_wasm::to_js(&self.shop.cart.lines())
    }

    /// The sum of the lines (`{amount, currency}` in minor units), or `null` when empty.
    pub fn subtotal(&self) -> Result<JsValue, JsValue> {
        match self.shop.cart.subtotal() {
            Ok(Some(total)) => colmena_wasm::to_js(&total),
            Ok(None) => Ok(JsValue::NULL),
            Err(error) => Err(colmena_wasm::to_js_error(&error)),
        }
    }

    /// Adds `quantity` (default 1) of `product` (id or slug), variant `variantId` (default its
    /// first); resolves to the new item count.
    pub fn add(
        &self,
        product: String,
        variant_id: Option<String>,
        quantity: Option<u32>,
    ) -> Promise {
        let shop = self.shop.clone();
        crate::dom::promise(async move {
            let variant = variant_id.as_deref().map(variant).transpose()?;
            let product = shop
                .client
                .product(&product)
                .await
                .map_err(|e| colmena_wasm::to_js_error(&e))?;
            let result = shop
                .cart
                .add(&product, variant, quantity.unwrap_or(1))
                .await;
            settle(&shop, result)
        })
    }

    /// Sets a line's quantity (0 removes it); resolves to the new item count.
    #[wasm_bindgen(js_name = setQuantity)]
    pub fn set_quantity(&self, variant_id: String, quantity: u32) -> Promise {
        let shop = self.shop.clone();
        crate::dom::promise(async move {
            let variant = variant(&variant_id)?;
            let result = shop.cart.set_quantity(variant, quantity).await;
            settle(&shop, result)
        })
    }

    /// Removes a line; resolves to the new item count.
    pub fn remove(&self, variant_id: String) -> Promise {
        let shop = self.shop.clone();
        crate::dom::promise(async move {
            let variant = variant(&variant_id)?;
            let result = shop.cart.remove(variant).await;
            settle(&shop, result)
        })
    }

    /// Opens the drawer of the page's `<colmena-cart>` (or `<colmena-checkout-button>`) of this
    /// store; false when there is none.
    pub fn open(&self) -> bool {
        match crate::cart::drawer_of(&self.shop) {
            Some(view) => {
                crate::cart::on_action(&view, "open", &view.host);
                true
            }
            None => false,
        }
    }
}
