//! `ColmenaCart`: the shopper's cart on this device (sdk-core's `LocalCart`), kept in
//! `localStorage` so that it survives page loads, synced with a server cart.

use std::sync::Arc;

use colmena_sdk::cart::{CartOperation, CartStorage, LocalCart, MemoryCartStorage, SyncReport};
use colmena_sdk::contract::Product;
use colmena_sdk::json::Decode;
use colmena_sdk::Money;
use js_sys::{Array, Object};
use uuid::Uuid;
use wasm_bindgen::prelude::*;

use super::edge::{js_methods, Arg, Raw};
use super::Colmena;
use crate::{set, storage, to_js, to_js_error, LocalStorageCartStorage};

/// `ColmenaCart.open`'s options.
#[derive(Debug, Default, Decode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CartOptions {
    /// The `localStorage` key (default `colmena:cart:<api>:<store>`).
    key: Option<String>,
    /// Where the cart is kept.
    storage: Option<StorageKind>,
}

#[derive(Debug, Default, Decode)]
#[serde(rename_all = "lowercase")]
enum StorageKind {
    /// `localStorage` (browsers; Node with `--localstorage-file`).
    #[default]
    Local,
    /// This page's or process's memory only.
    Memory,
}

/// `{op, variantId, quantity}` (the cart's saved journal spells these fields its own way).
fn operation_to_js(operation: &CartOperation) -> JsValue {
    let (op, quantity) = match operation {
        CartOperation::Add { quantity, .. } => ("add", Some(*quantity)),
        CartOperation::SetQuantity { quantity, .. } => ("setQuantity", Some(*quantity)),
        CartOperation::Remove { .. } => ("remove", None),
    };
    let object = Object::new();
    set(&object, "op", op.into());
    set(
        &object,
        "variantId",
        operation.variant_id().to_string().into(),
    );
    if let Some(quantity) = quantity {
        set(&object, "quantity", quantity.into());
    }
    object.into()
}

/// A sync report as a plain object: `{changes, rejected: [{operation, error}], pending,
/// offline}`, the errors as instances of their `ColmenaError` classes.
fn report_to_js(report: SyncReport) -> Raw {
    // Serialising the SDK's own changes and operations cannot fail.
    let plain = |value: Result<JsValue, JsValue>| value.unwrap_or(JsValue::NULL);
    let object = Object::new();
    set(&object, "changes", plain(to_js(&report.changes)));
    let rejected = Array::new();
    for (operation, error) in &report.rejected {
        let entry = Object::new();
        set(&entry, "operation", operation_to_js(operation));
        set(&entry, "error", to_js_error(error));
        rejected.push(&entry);
    }
    set(&object, "rejected", rejected.into());
    #[allow(clippy::cast_precision_loss)] // a journal far below 2^53 entries
    set(&object, "pending", JsValue::from_f64(report.pending as f64));
    set(
        &object,
        "offline",
        report.offline.as_ref().map_or(JsValue::NULL, to_js_error),
    );
    Raw(object.into())
}

/// The shopper's cart on this device: every change applies at once, is saved (in
/// `localStorage` by default) and is sent to the server cart in order, also after the page is
/// reloaded or was offline. Each change resolves to a sync report saying what the server
/// changed (prices, stock) and what it refused.
///
/// ```js
/// const cart = ColmenaCart.open(colmena);          // Node: ColmenaCart.open(colmena, { storage: "memory" })
/// const report = await cart.add(product, null, 2);
/// console.log(cart.itemCount(), cart.subtotal(), report.changes);
/// const session = await cart.checkout("ana@example.com", cart.subtotal());
/// ```
#[wasm_bindgen]
pub struct ColmenaCart {
    cart: LocalCart,
}

#[wasm_bindgen]
#[allow(non_snake_case)] // the argument names are the JS ones
impl ColmenaCart {
    /// The cart saved for `colmena`'s server and store (an empty one when nothing is saved).
    /// `options.key` is the `localStorage` key (default `colmena:cart:<api>:<store>`);
    /// `options.storage: "memory"` keeps it in memory only (Node has no `localStorage`).
    /// Throws `StorageError` when the storage cannot be read.
    pub fn open(
        colmena: &Colmena,
        #[wasm_bindgen(unchecked_optional_param_type = "CartOptions")] options: JsValue,
    ) -> Result<ColmenaCart, JsValue> {
        let options = Option::<CartOptions>::from_arg(&options, "options")?.unwrap_or_default();
        let client = colmena.client().clone();
        let storage: Arc<dyn CartStorage> = match options.storage.unwrap_or_default() {
            StorageKind::Memory => Arc::new(MemoryCartStorage::default()),
            StorageKind::Local => {
                Arc::new(LocalStorageCartStorage::new(options.key.unwrap_or_else(
                    || format!("colmena:cart:{}:{}", client.base_url(), client.store_slug()),
                )))
            }
        };
        LocalCart::open(client, storage)
            .map(|cart| Self { cart })
            .map_err(|error| match error {
                colmena_sdk::Error::Storage { message } if message == storage::UNAVAILABLE => {
                    colmena_sdk::Error::Storage {
                        message: format!(
                            "{message}: in Node, open the cart with {{ storage: \"memory\" }}"
                        ),
                    }
                }
                other => other,
            })
            .map_err(|e| to_js_error(&e))
    }
}

js_methods! {
    impl ColmenaCart(cart) {
        /// The lines, as the shopper sees them.
        lines() -> sync "CartLine[]" { Ok(cart.lines()) }

        /// Units in the cart.
        itemCount() -> sync "number" { Ok(cart.item_count()) }

        /// The sum of the lines, `null` for an empty cart.
        subtotal() -> sync "Money | null" { cart.subtotal() }

        /// Changes waiting for the server.
        pending() -> sync "number" { Ok(cart.pending()) }

        /// The server cart's id, `null` until one exists.
        cartId() -> sync "string | null" { Ok(cart.cart_id()) }

        /// Empties the cart on this device and forgets its server cart.
        clear() -> sync "undefined" { cart.clear().map(|()| Raw(JsValue::UNDEFINED)) }

        /// Adds `quantity` (default 1) units of `product`'s variant `variantId` (default: its
        /// first), then syncs. The change is kept when the server cannot be reached: the report's
        /// `offline` says why, and the next change or `sync()` sends it.
        add(product: Product = "Product"; variantId?: Uuid = "string | null", quantity?: u32 = "number") -> "Promise<SyncReport>" {
            cart.add(&product, variantId, quantity.unwrap_or(1)).await.map(report_to_js)
        }

        /// Sets the quantity of a variant's line (0 removes it), then syncs.
        setQuantity(variantId: Uuid = "string", quantity: u32 = "number") -> "Promise<SyncReport>" {
            cart.set_quantity(variantId, quantity).await.map(report_to_js)
        }

        /// Removes a variant's line, then syncs.
        remove(variantId: Uuid = "string") -> "Promise<SyncReport>" {
            cart.remove(variantId).await.map(report_to_js)
        }

        /// Sends the pending changes, then takes the server's prices and quantities. Never
        /// rejects: an unreachable server leaves the changes pending (`offline`).
        sync() -> "Promise<SyncReport>" { Ok(report_to_js(cart.sync().await)) }

        /// Takes `cartId` as this cart's server cart, changed elsewhere for the same shopper
        /// (the store's chat: `sendChatMessage`'s `reply.cartId`), then syncs: its lines become
        /// the shopper's. What was taken out there is not reported as a change; price changes
        /// and stock shortages are.
        adopt(cartId: Uuid = "string") -> "Promise<SyncReport>" {
            Ok(report_to_js(cart.adopt(cartId).await))
        }

        /// Syncs, then checks the server cart out. With `expectedTotal` (the total the shopper
        /// was shown) a moved price fails with `PriceChangedError` and nothing is ordered. On
        /// success the cart on this device is emptied.
        checkout(email: String = "string"; expectedTotal?: Money = "Money | null") -> "Promise<CheckoutSession>" {
            cart.checkout(&email, expectedTotal).await
        }
    }
}
