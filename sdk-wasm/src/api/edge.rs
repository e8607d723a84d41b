//! The conversions at the JS edge, shared by every class: arguments in (with a clear
//! `InvalidRequestError` when one does not fit), results out as plain JS objects, SDK errors
//! out as the JS error classes, futures as promises and paged streams as async iterators.
//!
//! Each class method is one row of [`js_methods!`]; what it does is one sdk-core call.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use colmena_sdk::json::{Decode, Encode};
use futures_util::lock::Mutex;
use futures_util::{Stream, StreamExt};
use js_sys::{Object, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::{invalid_argument, set, to_js, to_js_error};

#[wasm_bindgen(module = "/js/iterate.js")]
extern "C" {
    #[wasm_bindgen(js_name = asyncIterator)]
    fn async_iterator_over(next: &JsValue) -> JsValue;
}

/// A Rust value read from one JS argument.
pub(crate) trait Arg: Sized {
    /// Reads `value`, the argument called `name`; an `InvalidRequestError` naming it otherwise.
    fn from_arg(value: &JsValue, name: &str) -> Result<Self, JsValue>;
}

/// Contract types, ids (UUID strings), strings, numbers and options of them: through JSON text,
/// so that the decoder checks every field and names what is wrong (`undefined` reads as `null`, which
/// only an optional argument accepts).
impl<T: Decode> Arg for T {
    fn from_arg(value: &JsValue, name: &str) -> Result<Self, JsValue> {
        let json = if value.is_undefined() {
            Some("null".to_owned())
        } else {
            // Functions and symbols stringify to `undefined`; BigInts throw.
            js_sys::JSON::stringify(value)
                .ok()
                .and_then(|text| text.as_string())
        };
        let json = json.ok_or_else(|| invalid_argument(format!("{name} is not a JSON value")))?;
        colmena_sdk::json::decode(json.as_bytes()).map_err(|error| {
            if value.is_undefined() || value.is_null() {
                return invalid_argument(format!("{name} is required"));
            }
            // Without the byte offset in the JSON text, which the caller never saw.
            invalid_argument(format!("{name}: {}", error.in_member()))
        })
    }
}

/// File contents: a `Uint8Array` (a Node `Buffer` is one) or an `ArrayBuffer`.
pub(crate) struct Bytes(pub(crate) Vec<u8>);

impl Arg for Bytes {
    fn from_arg(value: &JsValue, name: &str) -> Result<Self, JsValue> {
        if value.is_instance_of::<Uint8Array>() || value.is_instance_of::<js_sys::ArrayBuffer>() {
            Ok(Self(Uint8Array::new(value).to_vec()))
        } else {
            Err(invalid_argument(format!(
                "{name} must be a Uint8Array or an ArrayBuffer"
            )))
        }
    }
}

/// A result as JS: contract types become plain objects (through JSON text).
pub(crate) trait IntoJs {
    /// The JS value.
    fn into_js(self) -> Result<JsValue, JsValue>;
}

impl<T: Encode> IntoJs for T {
    fn into_js(self) -> Result<JsValue, JsValue> {
        to_js(&self)
    }
}

/// A result already converted (byte arrays, error objects, class instances).
pub(crate) struct Raw(pub(crate) JsValue);

impl IntoJs for Raw {
    fn into_js(self) -> Result<JsValue, JsValue> {
        Ok(self.0)
    }
}

/// The promise of an sdk-core call: it resolves to the result as JS, or rejects with the
/// error's JS class.
pub(crate) fn promise<R: IntoJs>(
    call: impl Future<Output = colmena_sdk::Result<R>> + 'static,
) -> Promise {
    future_to_promise(async move { call.await.map_err(|e| to_js_error(&e))?.into_js() })
}

/// [`promise`] of `call(args)`, or a promise rejected with the arguments' error: a method that
/// returns a promise reports bad arguments through it too.
pub(crate) fn run<A, Fut, R>(args: Result<A, JsValue>, call: impl FnOnce(A) -> Fut) -> Promise
where
    Fut: Future<Output = colmena_sdk::Result<R>> + 'static,
    R: IntoJs,
{
    match args {
        Ok(args) => promise(call(args)),
        Err(error) => Promise::reject(&error),
    }
}

/// The result of `call`, made now, as JS (for the methods that do not wait for the server).
pub(crate) fn now<R: IntoJs>(
    call: impl FnOnce() -> colmena_sdk::Result<R>,
) -> Result<JsValue, JsValue> {
    call().map_err(|e| to_js_error(&e))?.into_js()
}

/// A JS async iterator (`for await … of`) over a paged sdk-core stream: each `next()` resolves
/// to `{done, value}`, fetching the next page when the current one is used up; an error
/// rejects that `next()` and ends the iteration.
pub(crate) fn async_iterator<T: Encode + 'static>(
    stream: impl Stream<Item = colmena_sdk::Result<T>> + 'static,
) -> JsValue {
    type Items = Pin<Box<dyn Stream<Item = Result<JsValue, JsValue>>>>;
    let items: Items =
        Box::pin(stream.map(|item| item.map_err(|e| to_js_error(&e)).and_then(|v| to_js(&v))));
    // An async lock: calls of `next()` made before the previous one settled queue up in order.
    let items = Rc::new(Mutex::new(items));
    let next = Closure::<dyn FnMut() -> Promise>::new(move || {
        let items = items.clone();
        future_to_promise(async move {
            let item = items.lock().await.next().await;
            let result = Object::new();
            set(&result, "done", JsValue::from_bool(item.is_none()));
            set(&result, "value", item.transpose()?.unwrap_or_default());
            Ok(result.into())
        })
    });
    async_iterator_over(&next.into_js_value())
}

/// Generates a class's methods, one row each:
///
/// ```text
/// /// Docs.
/// name(required: RustType = "TsType"; optional?: RustType = "TsType") -> "Promise<TsType>" {
///     body using `field` (a clone of `self.field`) and the arguments, returning
///     colmena_sdk::Result<impl IntoJs>
/// }
/// /// Docs.
/// name(; query?: Query = "Query") -> stream "AsyncIterableIterator<TsType>" {
///     body returning an sdk-core stream of colmena_sdk::Result<impl Serialize>
/// }
/// /// Docs.
/// name(…) -> sync "TsType" { body returning colmena_sdk::Result<impl IntoJs> }
/// ```
///
/// A method returns a promise of its body's result, rejected with the arguments' error when one
/// does not fit; a `stream` method returns an async iterator over its body's stream, and a
/// `sync` one its body's result, both throwing that error. `impl Class(field) { … }` makes methods; `impl Class(static) { … }` static methods,
/// whose bodies use only the arguments. The JS names are the rows' (camelCase, as JS has them);
/// the TypeScript types are checked by the type-check test, not by Rust.
macro_rules! js_methods {
    (impl $class:ident(static) { $($rows:tt)* }) => {
        $crate::api::edge::js_methods!(@rows $class [] [] $($rows)*);
    };
    (impl $class:ident($field:ident) { $($rows:tt)* }) => {
        $crate::api::edge::js_methods!(
            @rows $class [&self,] [let $field = self.$field.clone();] $($rows)*
        );
    };
    // One `impl` block per row: the receiver and prelude repeat per row, not per argument.
    (@rows $class:ident $receiver:tt $prelude:tt $(
        $(#[doc = $doc:literal])*
        $name:ident $params:tt -> $($kind:ident)? $ret:literal $body:block
    )*) => {
        $(
            $crate::api::edge::js_methods!(
                @method $class $receiver $prelude [$(#[doc = $doc])*] [$($kind)?] $name $params $ret $body
            );
        )*
    };
    (@method $class:ident [$($receiver:tt)*] [$($prelude:tt)*] [$($doc:tt)*] $kind:tt $name:ident (
        $($arg:ident: $ty:ty = $ts:literal),*
        $(; $($opt:ident?: $oty:ty = $ots:literal),+)?
    ) $ret:literal $body:block) => {
        #[wasm_bindgen]
        // JS names; and the closure that collects the arguments' errors has no `?` to collect
        // in a method without arguments.
        #[allow(non_snake_case, clippy::redundant_closure_call)]
        impl $class {
            $($doc)*
            #[wasm_bindgen(unchecked_return_type = $ret)]
            pub fn $name(
                $($receiver)*
                $(#[wasm_bindgen(unchecked_param_type = $ts)] $arg: JsValue,)*
                $($(#[wasm_bindgen(unchecked_optional_param_type = $ots)] $opt: JsValue,)+)?
            ) -> Result<JsValue, JsValue> {
                $($prelude)*
                let args = (|| -> Result<_, JsValue> {
                    Ok((
                        $(<$ty as $crate::api::edge::Arg>::from_arg(&$arg, stringify!($arg))?,)*
                        $($(
                            <Option<$oty> as $crate::api::edge::Arg>::from_arg(&$opt, stringify!($opt))?,
                        )+)?
                    ))
                })();
                $crate::api::edge::js_methods!(@call $kind args ($($arg,)* $($($opt,)+)?) $body)
            }
        }
    };
    (@call [] $args:ident $params:tt $body:block) => {
        Ok($crate::api::edge::run($args, move |$params| async move $body).into())
    };
    (@call [stream] $args:ident $params:tt $body:block) => {
        $args.map(|$params| $crate::api::edge::async_iterator($body))
    };
    (@call [sync] $args:ident $params:tt $body:block) => {
        $args.and_then(|$params| $crate::api::edge::now(move || $body))
    };
}
pub(crate) use js_methods;
