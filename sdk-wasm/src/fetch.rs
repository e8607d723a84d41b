//! A [`Transport`] on the host's `fetch` and `setTimeout` (browsers, workers and Node alike).
//!
//! It replaces reqwest's wasm backend, which with `url` costs about 95 KB gzipped.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use colmena_sdk::transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
use js_sys::{Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    // Bound on globalThis, so that they exist in windows, workers and Node.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &web_sys::RequestInit) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, milliseconds: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Where the widget's loader leaves the catalog reads it started while the wasm was still
/// downloading: URL → the `fetch` promise.
const PREFETCHED: &str = "__colmenaPrefetched";

/// The answer to a GET of exactly `url` that the page started earlier, taken once.
fn prefetched(url: &str) -> Option<Promise> {
    let started: js_sys::Map = js_sys::Reflect::get(&js_sys::global(), &PREFETCHED.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let key = JsValue::from_str(url);
    let pending = started.get(&key).dyn_into::<Promise>().ok()?;
    started.delete(&key);
    Some(pending)
}

fn milliseconds(duration: Duration) -> i32 {
    i32::try_from(duration.as_millis()).unwrap_or(i32::MAX)
}

fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "fetch failed".to_owned())
}

/// The transport the JavaScript client and the widget use.
#[derive(Debug, Default, Clone, Copy)]
pub struct FetchTransport;

impl FetchTransport {
    async fn fetch(
        request: &HttpRequest,
        abort: &web_sys::AbortController,
    ) -> Result<HttpResponse, JsValue> {
        let init = web_sys::RequestInit::new();
        init.set_method(request.method.as_str());
        let headers = web_sys::Headers::new()?;
        // A cross-origin GET with only safelisted headers needs no CORS preflight, which saves a
        // round trip per URL on a first visit. The server makes up the request id instead and
        // echoes it, and the client reads it from the answer.
        let simple = request.method == Method::Get;
        for (name, value) in &request.headers {
            if !(simple && name == "x-request-id") {
                headers.set(name, value)?;
            }
        }
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&Uint8Array::from(body.as_slice()));
        }
        init.set_signal(Some(&abort.signal()));
        let pending = simple
            .then(|| prefetched(&request.url))
            .flatten()
            .unwrap_or_else(|| global_fetch(&request.url, &init));
        let response: web_sys::Response = JsFuture::from(pending).await?.dyn_into()?;
        // Cross-origin, only the headers the server exposes (the first two) and the safelisted
        // ones (content-type, of downloads) are readable.
        let mut headers = Vec::new();
        for name in ["x-request-id", "retry-after", "content-type"] {
            if let Some(value) = response.headers().get(name)? {
                headers.push((name.to_owned(), value));
            }
        }
        let body = JsFuture::from(response.array_buffer()?).await?;
        Ok(HttpResponse {
            status: response.status(),
            headers,
            body: Uint8Array::new(&body).to_vec(),
        })
    }
}

#[async_trait::async_trait(?Send)]
impl Transport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let abort =
            web_sys::AbortController::new().map_err(|e| TransportError::Other(describe(&e)))?;
        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let (abort, timed_out) = (abort.clone(), timed_out.clone());
            Closure::once(move || {
                timed_out.set(true);
                abort.abort();
            })
        };
        let timer = set_timeout(
            on_timeout.as_ref().unchecked_ref(),
            milliseconds(request.timeout),
        );
        let result = Self::fetch(&request, &abort).await;
        clear_timeout(&timer);
        drop(on_timeout);
        result.map_err(|error| {
            if timed_out.get() {
                TransportError::Timeout
            } else {
                // fetch rejects with a TypeError for refused connections and CORS refusals.
                TransportError::Connect(describe(&error))
            }
        })
    }

    async fn sleep(&self, duration: Duration) {
        let delay = Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, milliseconds(duration));
        });
        let _ = JsFuture::from(delay).await;
    }
}
