//! [`CartStorage`] on the host's `localStorage`, so a shopper's cart survives page loads.

use colmena_sdk::cart::CartStorage;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

/// Keeps a [`LocalCart`](colmena_sdk::cart::LocalCart) under one key of `localStorage`.
///
/// It looks `localStorage` up on every call (it holds no JS object, so it is `Send` where the
/// trait needs it) and fails with a message where there is none (Node without
/// `--localstorage-file`, or storage disabled by the browser's privacy settings).
#[derive(Debug, Clone)]
pub struct LocalStorageCartStorage {
    key: String,
}

impl LocalStorageCartStorage {
    /// Storage under `key`, e.g. `colmena:cart:<api>:<store>`.
    pub fn new(key: impl Into<String>) -> Self {
        Self { key: key.into() }
    }

    /// The key it uses.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// Why a cart cannot be kept where there is no `localStorage`.
pub(crate) const UNAVAILABLE: &str = "localStorage is not available here";

fn local_storage() -> Result<web_sys::Storage, String> {
    // Reading the property itself throws in some sandboxed iframes: treat that as "none".
    Reflect::get(&js_sys::global(), &JsValue::from_str("localStorage"))
        .ok()
        .filter(|value| value.is_object())
        .map(JsCast::unchecked_into)
        .ok_or_else(|| UNAVAILABLE.to_owned())
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map_or_else(|| "localStorage refused".to_owned(), |e| e.message().into())
}

impl CartStorage for LocalStorageCartStorage {
    fn load(&self) -> Result<Option<String>, String> {
        local_storage()?
            .get_item(&self.key)
            .map_err(|e| describe(&e))
    }

    fn save(&self, document: &str) -> Result<(), String> {
        // Fails when the quota is full; the cart stays usable in memory and says so.
        local_storage()?
            .set_item(&self.key, document)
            .map_err(|e| describe(&e))
    }
}
