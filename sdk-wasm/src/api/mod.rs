//! The headless client's JS surface: what `import { Colmena } from "colmena"` gives.

use colmena_sdk::{Client, ProductListQuery};
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::{client, from_js, invalid_argument, to_js, to_js_error};

/// The headless Colmena client for one store.
///
/// ```js
/// const colmena = new Colmena("https://api.example.com", "demo");
/// const { items, pagination } = await colmena.listProducts({ limit: 12, sort: "price" });
/// ```
#[wasm_bindgen]
pub struct Colmena {
    client: Client,
}

#[wasm_bindgen]
impl Colmena {
    /// A client for `store` on the Colmena server at `api` (its base URL).
    #[wasm_bindgen(constructor)]
    pub fn new(api: &str, store: &str) -> Result<Colmena, JsValue> {
        client(api, store)
            .map(|client| Self { client })
            .map_err(|e| to_js_error(&e))
    }

    /// The store's profile: `{id, slug, name, currency, locale, branding}`.
    pub fn store(&self) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let store = client.store().await.map_err(|e| to_js_error(&e))?;
            to_js(&store)
        })
    }

    /// One page of products: `{items, pagination}`. `query` may hold `limit`, `offset`,
    /// `category`, `featured`, `q` and `sort` (`name`, `price`, `-price`, `newest`).
    #[wasm_bindgen(js_name = listProducts)]
    pub fn list_products(&self, query: JsValue) -> Promise {
        let client = self.client.clone();
        let query: Result<ProductListQuery, _> = if query.is_undefined() || query.is_null() {
            Ok(ProductListQuery::default())
        } else {
            from_js(&query)
        };
        future_to_promise(async move {
            let query = query.map_err(|e| invalid_argument(format!("query: {e}")))?;
            let page = client
                .list_products(&query)
                .await
                .map_err(|e| to_js_error(&e))?;
            let result = Object::new();
            Reflect::set(&result, &"items".into(), &to_js(&page.items)?)?;
            Reflect::set(&result, &"pagination".into(), &to_js(&page.pagination)?)?;
            Ok(result.into())
        })
    }

    /// One product by id or slug.
    pub fn product(&self, id_or_slug: String) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let product = client
                .product(&id_or_slug)
                .await
                .map_err(|e| to_js_error(&e))?;
            to_js(&product)
        })
    }

    /// The store's categories.
    pub fn categories(&self) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let categories = client.categories().await.map_err(|e| to_js_error(&e))?;
            to_js(&categories)
        })
    }
}

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
pub fn verify_webhook_signature(
    secret: &str,
    header: &str,
    body: JsValue,
    now_seconds: Option<f64>,
    tolerance_seconds: Option<f64>,
) -> Result<(), JsValue> {
    let body = match body.as_string() {
        Some(text) => text.into_bytes(),
        None => js_sys::Uint8Array::new(&body).to_vec(),
    };
    // Seconds as JS numbers: whole and far inside i64, or the call is refused as malformed.
    #[allow(clippy::cast_possible_truncation)]
    let now = now_seconds
        .unwrap_or_else(|| js_sys::Date::now() / 1000.0)
        .floor() as i64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let tolerance = tolerance_seconds.map_or(colmena_sdk::webhook::DEFAULT_TOLERANCE, |s| {
        std::time::Duration::from_secs(s.max(0.0) as u64)
    });
    colmena_sdk::webhook::verify(secret, header, &body, now, tolerance).map_err(|error| {
        let js_error = js_sys::Error::new(&error.to_string());
        js_error.set_name("ColmenaWebhookError");
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&js_error, &"code".into(), &error.code().into());
        js_error.into()
    })
}
