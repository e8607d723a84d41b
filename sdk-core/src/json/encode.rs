//! Writing JSON: the [`Encode`] half of the module, for request bodies, saved carts and values
//! handed to JavaScript.

use std::collections::BTreeMap;

/// Derives [`Encode`] from a type's serde attributes (`rename_all`, `rename`,
/// `skip_serializing_if`, `transparent`, `tag`, `flatten`, …), so that it writes what serde
/// would.
pub use colmena_sdk_derive::Encode;

/// A type written as JSON by [`encode`].
pub trait Encode {
    /// Writes the value.
    fn encode(&self, out: &mut Writer);

    /// Writes a struct's members into the object being written (serde's `flatten`); only
    /// structs with named fields have members.
    fn encode_members(&self, out: &mut Writer) {
        let _ = out;
    }
}

/// `value` as compact JSON text.
pub fn encode<T: Encode + ?Sized>(value: &T) -> String {
    let mut out = Writer {
        text: String::new(),
        first: true,
    };
    value.encode(&mut out);
    out.text
}

/// JSON text being written; [`Encode`] impls write their value through it.
#[derive(Debug)]
pub struct Writer {
    text: String,
    /// No member or element written yet in the innermost open object or array.
    first: bool,
}

impl Writer {
    /// Starts an object.
    pub fn open_object(&mut self) {
        self.text.push('{');
        self.first = true;
    }

    /// Ends the object.
    pub fn close_object(&mut self) {
        self.text.push('}');
        self.first = false;
    }

    /// Writes the members that are `Some` into the open object, in order.
    pub fn members(&mut self, members: &[(&str, Option<&dyn Encode>)]) {
        for (name, value) in members {
            if let Some(value) = value {
                self.key(name);
                value.encode(self);
            }
        }
    }

    /// Writes a member's name (and the comma before it); its value must follow.
    pub fn key(&mut self, name: &str) {
        self.separate();
        self.string(name);
        self.text.push(':');
    }

    /// Starts an array.
    pub fn open_array(&mut self) {
        self.text.push('[');
        self.first = true;
    }

    /// Before each element of the open array.
    pub fn element(&mut self) {
        self.separate();
    }

    /// Ends the array.
    pub fn close_array(&mut self) {
        self.text.push(']');
        self.first = false;
    }

    /// Writes a string, escaped.
    pub fn string(&mut self, value: &str) {
        self.text.push('"');
        let mut plain = 0;
        for (i, byte) in value.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            self.text.push_str(&value[plain..i]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.text.push_str("\\u00");
                self.text.push(char::from(HEX[usize::from(byte >> 4)]));
                self.text.push(char::from(HEX[usize::from(byte & 0xf)]));
            } else {
                self.text.push_str(escape);
            }
            plain = i + 1;
        }
        self.text.push_str(&value[plain..]);
        self.text.push('"');
    }

    /// Writes an integer.
    pub fn integer(&mut self, negative: bool, magnitude: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = magnitude;
        loop {
            at -= 1;
            // `rest % 10` is below 10.
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if negative && magnitude != 0 {
            self.text.push('-');
        }
        self.text
            .extend(digits[at..].iter().map(|&digit| char::from(digit)));
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.text.push_str(if value { "true" } else { "false" });
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.text.push_str("null");
    }

    /// Writes `json`, which must be one valid JSON value, as it is.
    pub fn raw(&mut self, json: &str) {
        self.text.push_str(json);
    }

    fn separate(&mut self) {
        if !self.first {
            self.text.push(',');
        }
        self.first = false;
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, out: &mut Writer) {
        (**self).encode(out);
    }

    fn encode_members(&self, out: &mut Writer) {
        (**self).encode_members(out);
    }
}

impl<T: Encode + ?Sized> Encode for Box<T> {
    fn encode(&self, out: &mut Writer) {
        (**self).encode(out);
    }
}

impl Encode for str {
    fn encode(&self, out: &mut Writer) {
        out.string(self);
    }
}

impl Encode for String {
    fn encode(&self, out: &mut Writer) {
        out.string(self);
    }
}

impl Encode for bool {
    fn encode(&self, out: &mut Writer) {
        out.bool(*self);
    }
}

/// `null`, as serde writes `()`: the result of calls that return nothing.
impl Encode for () {
    fn encode(&self, out: &mut Writer) {
        out.null();
    }
}

macro_rules! encode_unsigned {
    ($($type:ty),*) => {$(
        impl Encode for $type {
            fn encode(&self, out: &mut Writer) {
                out.integer(false, u64::from(*self));
            }
        }
    )*};
}
encode_unsigned!(u8, u16, u32, u64);

macro_rules! encode_signed {
    ($($type:ty),*) => {$(
        impl Encode for $type {
            fn encode(&self, out: &mut Writer) {
                out.integer(*self < 0, i64::from(*self).unsigned_abs());
            }
        }
    )*};
}
encode_signed!(i32, i64);

/// A finite number in its shortest exact form; `null` for NaN and the infinities, which JSON
/// cannot write.
impl Encode for f64 {
    fn encode(&self, out: &mut Writer) {
        if self.is_finite() {
            out.raw(&self.to_string());
        } else {
            out.null();
        }
    }
}

impl Encode for usize {
    fn encode(&self, out: &mut Writer) {
        // usize is at most 64 bits on every target Rust supports.
        out.integer(false, u64::try_from(*self).unwrap_or(u64::MAX));
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, out: &mut Writer) {
        match self {
            Some(value) => value.encode(out),
            None => out.null(),
        }
    }
}

impl<T: Encode> Encode for [T] {
    fn encode(&self, out: &mut Writer) {
        out.open_array();
        for item in self {
            out.element();
            item.encode(out);
        }
        out.close_array();
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, out: &mut Writer) {
        self.as_slice().encode(out);
    }
}

/// A pair, as a two-element array.
impl<A: Encode, B: Encode> Encode for (A, B) {
    fn encode(&self, out: &mut Writer) {
        out.open_array();
        out.element();
        self.0.encode(out);
        out.element();
        self.1.encode(out);
        out.close_array();
    }
}

impl<T: Encode> Encode for BTreeMap<String, T> {
    fn encode(&self, out: &mut Writer) {
        out.open_object();
        for (key, value) in self {
            out.key(key);
            value.encode(out);
        }
        out.close_object();
    }
}

impl Encode for uuid::Uuid {
    fn encode(&self, out: &mut Writer) {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        out.string(self.hyphenated().encode_lower(&mut text));
    }
}

/// Any JSON, through serde_json (admin payloads such as JSON schemas; the storefront never
/// writes one).
impl Encode for serde_json::Value {
    fn encode(&self, out: &mut Writer) {
        out.raw(&self.to_string());
    }
}

// Uses the local cart's tagged operations, which need the client.
#[cfg(all(test, feature = "client"))]
mod tests {
    use super::encode;
    use crate::cart::CartOperation;
    use crate::contract::{Money, OrderStatus, Product};
    use uuid::Uuid;

    #[test]
    fn writes_what_serde_writes() {
        fn same<T: super::Encode + serde::Serialize>(value: &T) {
            assert_eq!(encode(value), serde_json::to_string(value).unwrap());
        }
        same(&Money {
            amount: -1250,
            currency: "EUR".into(),
        });
        same(&vec![Some(i64::MIN), None, Some(i64::MAX)]);
        same(&OrderStatus::PendingPayment);
        same(&"quote \" backslash \\ newline \n tab \t bell \u{7} é 🐝 </script>");
        same(&CartOperation::SetQuantity {
            variant_id: Uuid::from_u128(7),
            quantity: 3,
        });
        same(&CartOperation::Remove {
            variant_id: Uuid::nil(),
        });
        let product: Product = crate::json::decode(
            br#"{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11","slug":"a","name":"A","description":"d",
            "price":{"amount":100,"currency":"EUR"},"featured":true,"images":[{"url":"u","alt":""}],
            "options":["Size"],"variants":[],"createdAt":"2026-01-01T00:00:00Z","attributes":{"tags":["x"]}}"#,
        )
        .unwrap();
        same(&product);
        same(&crate::contract::AdminProduct {
            product,
            active: false,
            tax_exempt: true,
            digital_file_name: None,
            updated_at: "t".into(),
        });
        same(&std::collections::BTreeMap::from([(
            "Size".to_owned(),
            "M".to_owned(),
        )]));
        same(&(Uuid::nil(), Uuid::from_u128(1)));
        same(&Vec::<u32>::new());
        same(&u64::MAX);
    }
}
