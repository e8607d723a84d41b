//! The headless client's JS surface: what `import { Colmena } from "@colmena/sdk"` gives.
//!
//! [`Colmena`] (the public API), [`ColmenaCart`] (the shopper's cart on the device) and
//! [`ColmenaAdmin`] (the admin API) wrap sdk-core's `Client`, `LocalCart` and `AdminClient`
//! method for method; `edge` holds the conversions they share. The TypeScript types of the
//! contract are generated from the server's OpenAPI document into `api-types.d.ts`, and the
//! client's own types (cart lines, sync reports, error classes) are declared in
//! `js/client-types.d.ts`, included in `colmena.d.ts` below.

use wasm_bindgen::prelude::*;

use crate::invalid_argument;

mod admin;
mod cart;
mod edge;
mod platform;
mod public;

pub use admin::ColmenaAdmin;
pub use cart::ColmenaCart;
pub use platform::ColmenaPlatform;
pub use public::Colmena;

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TYPES: &str = include_str!("../../js/client-types.d.ts");

/// Re-exports the JS error classes from the package's entry module, so that callers can test
/// `error instanceof NotFoundError`. They are imported as functions (which JS classes are) and
/// never called: wasm-bindgen re-exports imports of either kind, but lets only functions leave
/// out its TypeScript (`unknown`); the classes are declared in `js/client-types.d.ts`.
macro_rules! reexport_error_classes {
    ($($class:ident),*) => {
        #[wasm_bindgen(module = "/js/errors.js")]
        #[allow(dead_code, non_snake_case)]
        extern "C" {
            $(
                #[wasm_bindgen(reexport, skip_typescript)]
                fn $class();
            )*
        }
    };
}
reexport_error_classes!(
    ColmenaError,
    NotFoundError,
    InsufficientInventoryError,
    PriceChangedError,
    RateLimitedError,
    UnauthorizedError,
    ForbiddenError,
    ValidationError,
    ConflictError,
    ServerError,
    ApiError,
    NetworkError,
    TimeoutError,
    DecodeError,
    InvalidRequestError,
    StorageError
);

/// Formats minor units of `currency` for `locale`, e.g. `formatMoney(1250, "EUR", "es-ES")`.
#[wasm_bindgen(js_name = formatMoney)]
pub fn format_money(amount: f64, currency: &str, locale: &str) -> Result<String, JsValue> {
    // JS numbers are exact integers up to 2^53; anything else is not an amount of minor units.
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if amount.fract() != 0.0 || amount.abs() > MAX_SAFE {
        return Err(invalid_argument(format!(
            "amount must be an integer number of minor units, got {amount}"
        )));
    }
    #[allow(clippy::cast_possible_truncation)]
    Ok(colmena_sdk::format_money(amount as i64, currency, locale))
}

/// Checks the `Colmena-Signature` header of a webhook delivery against its raw body (a string or
/// a `Uint8Array`), at Unix time `nowSeconds` (default: now), allowing `toleranceSeconds` of
/// clock difference (default 300). Throws an `Error` named `ColmenaWebhookError` whose `code` is
/// `MALFORMED_HEADER`, `NO_SIGNATURE`, `TIMESTAMP_OUT_OF_TOLERANCE` or `SIGNATURE_MISMATCH`.
///
/// ```js
/// verifyWebhookSignature(secret, request.headers["colmena-signature"], rawBody);
/// ```
#[cfg(feature = "webhooks")]
#[wasm_bindgen(js_name = verifyWebhookSignature)]
#[allow(non_snake_case)] // the argument names are the JS ones
pub fn verify_webhook_signature(
    secret: &str,
    header: &str,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] rawBody: JsValue,
    nowSeconds: Option<f64>,
    toleranceSeconds: Option<f64>,
) -> Result<(), JsValue> {
    let body = match rawBody.as_string() {
        Some(text) => text.into_bytes(),
        None => js_sys::Uint8Array::new(&rawBody).to_vec(),
    };
    // Seconds as JS numbers: whole and far inside i64, or the call is refused as malformed.
    #[allow(clippy::cast_possible_truncation)]
    let now = nowSeconds
        .unwrap_or_else(|| js_sys::Date::now() / 1000.0)
        .floor() as i64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let tolerance = toleranceSeconds.map_or(colmena_sdk::webhook::DEFAULT_TOLERANCE, |s| {
        std::time::Duration::from_secs(s.max(0.0) as u64)
    });
    colmena_sdk::webhook::verify(secret, header, &body, now, tolerance).map_err(|error| {
        let js_error = js_sys::Error::new(&error.to_string());
        js_error.set_name("ColmenaWebhookError");
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&js_error, &"code".into(), &error.code().into());
        js_error.into()
    })
}
