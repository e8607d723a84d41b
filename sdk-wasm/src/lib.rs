#![doc = include_str!("../README.md")]

use colmena_sdk::json::{Decode, Encode};
use colmena_sdk::Client;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

#[cfg(feature = "api")]
mod api;
#[cfg(target_arch = "wasm32")]
mod fetch;
mod storage;

#[cfg(feature = "api")]
pub use api::*;
pub use storage::LocalStorageCartStorage;

#[cfg(target_arch = "wasm32")]
pub use fetch::FetchTransport;

/// A client for `store` on the server at `api`, over the host's `fetch`.
#[cfg(target_arch = "wasm32")]
pub fn client(api: &str, store: &str) -> colmena_sdk::Result<Client> {
    // FetchTransport holds no state; the Arc is what Client stores transports in.
    #[allow(clippy::arc_with_non_send_sync)]
    Client::with_transport(api, store, std::sync::Arc::new(FetchTransport))
}

/// A client for `store` on the server at `api` (native builds, for checks and tests: reqwest).
#[cfg(not(target_arch = "wasm32"))]
pub fn client(api: &str, store: &str) -> colmena_sdk::Result<Client> {
    Client::new(api, store)
}

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeColmenaError)]
    fn make_colmena_error(kind: &str, message: &str, fields: &Object) -> JsValue;
}

/// Sets `key` on a plain object; cannot fail on an `Object::new()`.
pub(crate) fn set(object: &Object, key: &str, value: JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), &value);
}

fn money_to_js(money: &colmena_sdk::Money) -> JsValue {
    let object = Object::new();
    #[allow(clippy::cast_precision_loss)] // minor units far below 2^53
    set(&object, "amount", JsValue::from_f64(money.amount as f64));
    set(&object, "currency", JsValue::from_str(&money.currency));
    object.into()
}

/// Converts an SDK error into an instance of the JS error class of its kind (`NotFoundError`,
/// `InsufficientInventoryError`, … all extending `ColmenaError`, see `js/errors.js`), carrying
/// `code`, `status`, `requestId`, `details` and the kind's own fields.
pub fn to_js_error(error: &colmena_sdk::Error) -> JsValue {
    use colmena_sdk::Error as E;
    let fields = Object::new();
    set(&fields, "code", JsValue::from_str(error.code()));
    if let Some(status) = error.status() {
        set(&fields, "status", JsValue::from_f64(f64::from(status)));
    }
    if let Some(id) = error.request_id() {
        set(&fields, "requestId", JsValue::from_str(id));
    }
    if let Some(details) = error.failure().and_then(|f| f.details.as_deref()) {
        set(&fields, "details", to_js(details).unwrap_or(JsValue::NULL));
    }
    let kind = match error {
        E::NotFound(_) => "NotFoundError",
        E::InsufficientInventory {
            available,
            variant_id,
            ..
        } => {
            set(
                &fields,
                "available",
                JsValue::from_f64(f64::from(*available)),
            );
            if let Some(id) = variant_id {
                set(&fields, "variantId", JsValue::from_str(&id.to_string()));
            }
            "InsufficientInventoryError"
        }
        E::PriceChanged { current_total, .. } => {
            if let Some(total) = current_total {
                set(&fields, "currentTotal", money_to_js(total));
            }
            "PriceChangedError"
        }
        E::RateLimited { retry_after, .. } => {
            if let Some(wait) = retry_after {
                set(&fields, "retryAfter", JsValue::from_f64(wait.as_secs_f64()));
            }
            "RateLimitedError"
        }
        E::Unauthorized(_) => "UnauthorizedError",
        E::Forbidden(_) => "ForbiddenError",
        E::Validation { field, .. } => {
            if let Some(field) = field {
                set(&fields, "field", JsValue::from_str(field));
            }
            "ValidationError"
        }
        E::Conflict(_) => "ConflictError",
        E::Server(_) => "ServerError",
        E::Network { .. } => "NetworkError",
        E::Timeout { .. } => "TimeoutError",
        E::Decode { .. } => "DecodeError",
        E::InvalidRequest { .. } => "InvalidRequestError",
        E::Storage { .. } => "StorageError",
        _ => "ApiError",
    };
    make_colmena_error(kind, &error.to_string(), &fields)
}

/// Writes a contract value as a plain JS object, through JSON text and `JSON.parse` (sdk-core's
/// encoder already exists in the bundle; a JS-object writer would be a second one).
pub fn to_js<T: Encode + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&colmena_sdk::json::encode(value))
}

/// Reads a contract value from a plain JS object (the inverse of [`to_js`]).
pub fn from_js<T: Decode>(value: &JsValue) -> Result<T, String> {
    let json = js_sys::JSON::stringify(value).map_err(|_| "not JSON-serialisable".to_owned())?;
    colmena_sdk::json::decode(String::from(json).as_bytes()).map_err(|e| e.in_member())
}

/// An `InvalidRequestError` for a bad argument from JS.
pub fn invalid_argument(message: String) -> JsValue {
    to_js_error(&colmena_sdk::Error::InvalidRequest { message })
}
