//! The compact JSON reader and writer of the clients: API answers, saved carts and JavaScript
//! arguments are read with [`decode`]; request bodies, saved carts and values handed to
//! JavaScript are written with [`encode`].
//!
//! serde's derive generates, for every type, visitors monomorphised for the format in use; over
//! the contract's types that was the largest part of the widget's WebAssembly. Here one
//! non-generic [`Reader`] walks the JSON text and a struct's [`Decode`] impl hands it one
//! `&mut dyn` [`Slot`] per member, so the code that decodes a type exists once; [`Encode`]
//! mirrors that with a table of `&dyn Encode` members. Both are derived
//! (`#[derive(Decode, Encode)]`) from the types' own serde attributes, so the server, which
//! uses serde, and the clients agree on every name. Decoding is strict JSON: structs from
//! objects, unknown members skipped (or refused with `deny_unknown_fields`), absent `Option`s
//! as `None`, integers range-checked, nesting bounded.
//!
//! The server's side and [`crate::contract::Attributes::parse`] (into any serde type) still use
//! serde.
//!
//! ```
//! use colmena_sdk::{json, Money};
//! let price: Money = json::decode(br#"{"amount": 1250, "currency": "EUR"}"#).unwrap();
//! assert_eq!(price.amount, 1250);
//! let error = json::decode::<Money>(br#"{"amount": 12.5, "currency": "EUR"}"#).unwrap_err();
//! assert_eq!(error.to_string(), "expected an integer, found 12.5 at amount (byte 11)");
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

mod encode;
pub use encode::{encode, Encode, Writer};

/// Derives [`Decode`] from a type's serde attributes (`rename_all`, `rename`, `default`,
/// `deny_unknown_fields`, `transparent`, `try_from`, `other`, …).
pub use colmena_sdk_derive::Decode;

/// Objects and arrays nested deeper than this are refused rather than risking the stack.
const MAX_DEPTH: u32 = 128;

/// A type read from JSON by [`decode`].
pub trait Decode: Sized {
    /// Reads one value at the reader's position.
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

/// Where a struct's member is decoded to: an `Option` of its type, `None` until read.
pub trait Slot {
    /// Decodes the member's value into the slot.
    fn fill(&mut self, json: &mut Reader<'_>) -> Result<(), DecodeError>;
}

impl<T: Decode> Slot for Option<T> {
    fn fill(&mut self, json: &mut Reader<'_>) -> Result<(), DecodeError> {
        *self = Some(T::decode(json)?);
        Ok(())
    }
}

/// Decodes a `T` from JSON bytes, which must hold exactly one value.
pub fn decode<T: Decode>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode_str(utf8(bytes)?)
}

/// Decodes a `T` from JSON text, which must hold exactly one value.
pub fn decode_str<T: Decode>(text: &str) -> Result<T, DecodeError> {
    // The generic part is only the call: the rest is shared by every type.
    let mut json = Reader::new(text);
    let value = T::decode(&mut json)?;
    json.finish()?;
    Ok(value)
}

/// Decodes a `T` from JSON text known to hold exactly one syntactically valid value (a
/// [`Reader::raw_range`] of a document already read): only the type is checked.
#[cfg(feature = "client")]
pub(crate) fn decode_value<T: Decode>(text: &str) -> Result<T, DecodeError> {
    T::decode(&mut Reader::new(text))
}

/// `bytes` as text, or the error that names where they stop being UTF-8.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(bytes).map_err(|error| DecodeError {
        message: "invalid UTF-8".into(),
        path: Vec::new(),
        at: error.valid_up_to(),
    })
}

/// Why JSON could not be decoded: what was wrong, where (member path and byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
    /// Member names and array indexes, innermost first.
    path: Vec<String>,
    at: usize,
}

impl DecodeError {
    /// What was wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What was wrong and in which member, without the byte offset (for text the reader of
    /// the message never saw, e.g. a JavaScript argument turned into JSON).
    pub fn in_member(&self) -> String {
        let mut text = self.message.clone();
        if !self.path.is_empty() {
            text.push_str(" at ");
            for (i, segment) in self.path.iter().rev().enumerate() {
                if i > 0 && !segment.starts_with('[') {
                    text.push('.');
                }
                text.push_str(segment);
            }
        }
        text
    }

    fn within(mut self, segment: String) -> Self {
        self.path.push(segment);
        self
    }

    /// This error, from decoding the text of `member` found at `offset` in a larger text, as
    /// an error about the larger text.
    pub fn in_member_at(mut self, member: &str, offset: usize) -> Self {
        self.at += offset;
        self.within(member.to_owned())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (byte {})", self.in_member(), self.at)
    }
}

impl std::error::Error for DecodeError {}

/// A position in JSON text being decoded; [`Decode`] impls read their value through it.
#[derive(Debug)]
pub struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    fn new(text: &'a str) -> Self {
        Self {
            text,
            at: 0,
            depth: 0,
        }
    }

    /// Checks that nothing but whitespace follows the value read.
    #[inline(never)]
    fn finish(&mut self) -> Result<(), DecodeError> {
        match self.peek() {
            Some(_) => Err(self.error("trailing characters after the JSON value".into())),
            None => Ok(()),
        }
    }

    /// Reads an object, calling `member` with each key; `member` must read (or
    /// [`skip`](Self::skip)) the member's value.
    pub fn object(
        &mut self,
        member: &mut dyn FnMut(&mut Self, &str) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.open(b'{', "an object")?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            return self.close();
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.expected("a member name"));
            }
            let key = self.str()?;
            self.expect(b':')?;
            member(self, &key).map_err(|error| error.within(key.into_owned()))?;
            match self.next() {
                Some(b',') => {}
                Some(b'}') => return self.close(),
                _ => return Err(self.back_expected("`,` or `}`")),
            }
        }
    }

    /// Reads a struct's object into `slots`, one per name in `names` (at most 64). Members not
    /// in `names` are skipped, or refused when `deny_unknown`; a member whose bit is set in
    /// `required` must be present.
    pub fn members(
        &mut self,
        names: &[&str],
        required: u64,
        deny_unknown: bool,
        slots: &mut [&mut dyn Slot],
    ) -> Result<(), DecodeError> {
        let mut present = 0u64;
        self.object(
            &mut |json, key| match names.iter().position(|name| *name == key) {
                Some(index) => match slots.get_mut(index) {
                    Some(slot) => {
                        present |= 1u64.checked_shl(index as u32).unwrap_or(0);
                        slot.fill(json)
                    }
                    None => json.skip(),
                },
                None if deny_unknown => Err(json.error(format!(
                    "unknown member `{key}`, expected one of {}",
                    names.join(", ")
                ))),
                None => json.skip(),
            },
        )?;
        let missing = required & !present;
        match names.get(missing.trailing_zeros() as usize) {
            Some(name) if missing != 0 => Err(self.error(format!("missing member `{name}`"))),
            _ => Ok(()),
        }
    }

    /// Reads an array, calling `element` for each element, which it must read.
    pub fn array(
        &mut self,
        element: &mut dyn FnMut(&mut Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.open(b'[', "an array")?;
        if self.peek() == Some(b']') {
            self.at += 1;
            return self.close();
        }
        let mut index = 0usize;
        loop {
            element(self).map_err(|error| error.within(format!("[{index}]")))?;
            index += 1;
            match self.next() {
                Some(b',') => {}
                Some(b']') => return self.close(),
                _ => return Err(self.back_expected("`,` or `]`")),
            }
        }
    }

    /// Reads a string.
    pub fn string(&mut self) -> Result<String, DecodeError> {
        if self.peek() != Some(b'"') {
            return Err(self.expected("a string"));
        }
        self.str().map(Cow::into_owned)
    }

    /// Reads `true` or `false`.
    pub fn bool(&mut self) -> Result<bool, DecodeError> {
        if self.literal("true") {
            Ok(true)
        } else if self.literal("false") {
            Ok(false)
        } else {
            Err(self.expected("a boolean"))
        }
    }

    /// Reads an integer from `min` to `max` (no fraction or exponent), as its sign (`true`:
    /// negative) and magnitude; `type_name` is for the error.
    pub fn integer(
        &mut self,
        min: i64,
        max: u64,
        type_name: &str,
    ) -> Result<(bool, u64), DecodeError> {
        let start = self.at;
        let number = self.number().map_err(|_| self.expected("an integer"))?;
        let (negative, digits) = match number.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, number),
        };
        if digits.contains(['.', 'e', 'E']) {
            self.at = start;
            return Err(self.expected("an integer"));
        }
        // Digit by digit in u64: no 128-bit parsing or formatting in the WebAssembly builds.
        let magnitude = digits.bytes().try_fold(0u64, |value, digit| {
            value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
        });
        match magnitude {
            Some(magnitude)
                if (!negative && magnitude <= max)
                    || (negative
                        && magnitude <= min.unsigned_abs()
                        && (min < 0 || magnitude == 0)) =>
            {
                Ok((negative && magnitude != 0, magnitude))
            }
            _ => {
                self.at = start;
                Err(self.error(format!("{number} is out of range for {type_name}")))
            }
        }
    }

    /// Reads any number.
    pub fn float(&mut self) -> Result<f64, DecodeError> {
        let number = self.number()?;
        number
            .parse()
            .map_err(|_| self.error(format!("number {number} is out of range")))
    }

    /// Consumes `null` if it comes next.
    pub fn null(&mut self) -> bool {
        self.literal("null")
    }

    /// Skips one value of any kind, checking its syntax.
    pub fn skip(&mut self) -> Result<(), DecodeError> {
        match self.peek() {
            Some(b'{') => self.object(&mut |json, _| json.skip()),
            Some(b'[') => self.array(&mut |json| json.skip()),
            Some(b'"') => self.str().map(drop),
            Some(b't' | b'f') => self.bool().map(drop),
            Some(b'n') if self.null() => Ok(()),
            _ => self.number().map(drop),
        }
    }

    /// Skips one value and returns its JSON text.
    pub fn raw(&mut self) -> Result<&'a str, DecodeError> {
        let range = self.raw_range()?;
        Ok(&self.text[range])
    }

    /// Skips one value and returns where its JSON text is in the whole text.
    pub fn raw_range(&mut self) -> Result<std::ops::Range<usize>, DecodeError> {
        self.skip_whitespace();
        let start = self.at;
        self.skip()?;
        Ok(start..self.at)
    }

    /// The error for an enum value that names no variant.
    pub fn unknown_variant(&self, value: &str, expected: &[&str]) -> DecodeError {
        self.error(format!(
            "unknown value `{value}`, expected one of {}",
            expected.join(", ")
        ))
    }

    /// An error at the current position, e.g. from a conversion after decoding.
    pub fn invalid(&self, message: impl fmt::Display) -> DecodeError {
        self.error(message.to_string())
    }

    fn error(&self, message: String) -> DecodeError {
        DecodeError {
            message,
            path: Vec::new(),
            at: self.at,
        }
    }

    /// "expected …, found …" about the next value.
    fn expected(&mut self, what: &str) -> DecodeError {
        let found = match self.peek() {
            None => "the end".to_owned(),
            Some(b'{') => "an object".to_owned(),
            Some(b'[') => "an array".to_owned(),
            Some(b'"') => "a string".to_owned(),
            Some(_) => {
                let token: String = self.text[self.at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.'))
                    .take(24)
                    .collect();
                if token.is_empty() {
                    format!("`{}`", self.text[self.at..].chars().next().unwrap_or(' '))
                } else {
                    token
                }
            }
        };
        self.error(format!("expected {what}, found {found}"))
    }

    /// [`expected`](Self::expected) about the character just consumed.
    fn back_expected(&mut self, what: &str) -> DecodeError {
        self.at = self.at.saturating_sub(1);
        self.expected(what)
    }

    fn open(&mut self, bracket: u8, what: &str) -> Result<(), DecodeError> {
        if self.peek() != Some(bracket) {
            return Err(self.expected(what));
        }
        if self.depth == MAX_DEPTH {
            return Err(self.error("nested too deeply".into()));
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }

    fn close(&mut self) -> Result<(), DecodeError> {
        self.depth -= 1;
        Ok(())
    }

    fn skip_whitespace(&mut self) {
        let rest = &self.text.as_bytes()[self.at..];
        self.at += rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
    }

    /// The next significant byte, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.text.as_bytes().get(self.at).copied()
    }

    /// The next significant byte, consumed.
    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn expect(&mut self, byte: u8) -> Result<(), DecodeError> {
        if self.next() == Some(byte) {
            Ok(())
        } else {
            Err(self.back_expected(&format!("`{}`", byte as char)))
        }
    }

    fn literal(&mut self, word: &str) -> bool {
        self.skip_whitespace();
        let found = self.text[self.at..].starts_with(word);
        if found {
            self.at += word.len();
        }
        found
    }

    /// A number's text, checked against JSON's grammar.
    fn number(&mut self) -> Result<&'a str, DecodeError> {
        self.skip_whitespace();
        let bytes = self.text.as_bytes();
        let start = self.at;
        let digits = |at: usize| {
            bytes[at.min(bytes.len())..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let mut end = start + usize::from(bytes.get(start) == Some(&b'-'));
        let whole = digits(end);
        if whole == 0 || (whole > 1 && bytes[end] == b'0') {
            return Err(self.expected("a value"));
        }
        end += whole;
        if bytes.get(end) == Some(&b'.') {
            let fraction = digits(end + 1);
            if fraction == 0 {
                return Err(self.expected("a value"));
            }
            end += 1 + fraction;
        }
        if matches!(bytes.get(end), Some(b'e' | b'E')) {
            end += 1;
            if matches!(bytes.get(end), Some(b'+' | b'-')) {
                end += 1;
            }
            let exponent = digits(end);
            if exponent == 0 {
                return Err(self.expected("a value"));
            }
            end += exponent;
        }
        if end - start > 40 {
            return Err(self.error("number too long".into()));
        }
        self.at = end;
        Ok(&self.text[start..end])
    }

    /// A string at the position (which holds `"`), unescaped.
    fn str(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        self.at += 1;
        let bytes = self.text.as_bytes();
        let start = self.at;
        let plain = bytes[start..]
            .iter()
            .take_while(|&&b| b != b'"' && b != b'\\' && b >= 0x20)
            .count();
        self.at += plain;
        if bytes.get(self.at) == Some(&b'"') {
            self.at += 1;
            return Ok(Cow::Borrowed(&self.text[start..start + plain]));
        }
        let mut out = String::from(&self.text[start..start + plain]);
        loop {
            let Some(&byte) = bytes.get(self.at) else {
                return Err(self.error("unterminated string".into()));
            };
            match byte {
                b'"' => {
                    self.at += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                0..=0x1f => return Err(self.error("control character in string".into())),
                _ => {
                    // A whole UTF-8 character: the text is valid UTF-8 and `at` is on a
                    // character boundary here.
                    let c = self.text[self.at..].chars().next().unwrap_or('\u{fffd}');
                    out.push(c);
                    self.at += c.len_utf8();
                }
            }
        }
    }

    /// The character of an escape sequence, after its backslash.
    fn escape(&mut self) -> Result<char, DecodeError> {
        let Some(&byte) = self.text.as_bytes().get(self.at) else {
            return Err(self.error("unterminated string".into()));
        };
        if !byte.is_ascii() {
            return Err(self.error("invalid escape in string".into()));
        }
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    if !self.text[self.at..].starts_with("\\u") {
                        return Err(self.error("unpaired surrogate in string".into()));
                    }
                    self.at += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error("unpaired surrogate in string".into()));
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                char::from_u32(code)
                    .ok_or_else(|| self.error("unpaired surrogate in string".into()))?
            }
            _ => return Err(self.error("invalid escape in string".into())),
        })
    }

    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid \\u escape in string".into()))?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape".into()))
    }
}

impl Decode for String {
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
        json.string()
    }
}

impl Decode for bool {
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
        json.bool()
    }
}

impl Decode for f64 {
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
        json.float()
    }
}

macro_rules! decode_integers {
    ($($type:ty),*) => {$(
        impl Decode for $type {
            // `integer` has checked the range, so the casts below are exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
            fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
                let (negative, magnitude) =
                    json.integer(Self::MIN as i64, Self::MAX as u64, stringify!($type))?;
                Ok(if negative {
                    (magnitude as i64).wrapping_neg() as Self
                } else {
                    magnitude as Self
                })
            }
        }
    )*};
}
decode_integers!(u8, u16, u32, u64, i32, i64, usize);

impl<T: Decode> Decode for Option<T> {
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
        if json.null() {
            Ok(None)
        } else {
            T::decode(json).map(Some)
        }
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
        T::decode(json).map(Box::new)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut items = Vec::new();
        json.array(&mut |json| {
            items.push(T::decode(json)?);
            Ok(())
        })?;
        Ok(items)
    }
}

/// A pair, written as a two-element array.
impl<A: Decode, B: Decode> Decode for (A, B) {
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let (mut first, mut second) = (None, None);
        json.array(&mut |json| {
            if first.is_none() {
                first = Some(A::decode(json)?);
            } else if second.is_none() {
                second = Some(B::decode(json)?);
            } else {
                return Err(json.error("expected 2 elements, found more".into()));
            }
            Ok(())
        })?;
        match (first, second) {
            (Some(first), Some(second)) => Ok((first, second)),
            _ => Err(json.error("expected 2 elements, found fewer".into())),
        }
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut map = BTreeMap::new();
        json.object(&mut |json, key| {
            map.insert(key.to_owned(), T::decode(json)?);
            Ok(())
        })?;
        Ok(map)
    }
}

impl Decode for uuid::Uuid {
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let text = json.string()?;
        parse_uuid(&text).ok_or_else(|| json.error(format!("invalid UUID `{text}`")))
    }
}

/// A UUID written as 32 hex digits, hyphenated (`8-4-4-4-12`) or not, in either case: the
/// forms the API and its clients use.
///
/// The `uuid` crate's parser also reads braced and URN forms and explains what is wrong with
/// a bad one; this one only says yes or no, which keeps about 2 KB of error analysis out of the
/// WebAssembly builds (the caller names the bad value itself).
pub fn parse_uuid(text: &str) -> Option<uuid::Uuid> {
    let bytes = text.as_bytes();
    let hyphenated = bytes.len() == 36;
    if !hyphenated && bytes.len() != 32 {
        return None;
    }
    let mut value = 0u128;
    for (i, &byte) in bytes.iter().enumerate() {
        if hyphenated && matches!(i, 8 | 13 | 18 | 23) {
            if byte != b'-' {
                return None;
            }
            continue;
        }
        let digit = char::from(byte).to_digit(16)?;
        value = value << 4 | u128::from(digit);
    }
    Some(uuid::Uuid::from_u128(value))
}

/// Any JSON, through serde_json (admin payloads such as JSON schemas; the storefront never
/// reads one).
impl Decode for serde_json::Value {
    fn decode(json: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let text = json.raw()?;
        serde_json::from_str(text).map_err(|error| json.invalid(error))
    }
}

#[cfg(test)]
mod tests {
    use super::{decode, Decode};
    use crate::contract::{ErrorCode, Money, OrderStatus, Product};
    use std::collections::BTreeMap;

    #[test]
    fn structs_at_any_depth_and_their_errors_name_the_member() {
        let money: Money = decode(br#" {"amount": 950, "currency": "EUR"} "#).unwrap();
        assert_eq!((money.amount, money.currency.as_str()), (950, "EUR"));
        let nested: Vec<Option<Money>> =
            decode(br#"[null, {"amount": -1, "currency": "XOF", "extra": [1, {"a": null}]}]"#)
                .unwrap();
        assert_eq!(nested[1].as_ref().map(|m| m.amount), Some(-1));
        let error = decode::<Vec<Money>>(br#"[{"amount": 1, "currency": "EUR"}, {"amount": "1"}]"#)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected an integer, found a string at [1].amount (byte 46)"
        );
        let error = decode::<Money>(br#"{"amount": 1}"#).unwrap_err();
        assert_eq!(error.message(), "missing member `currency`");
        assert!(decode::<Money>(br#"[950, "EUR"]"#).is_err());
        assert!(decode::<Money>(br#"{"amount": 1, "currency": "EUR"} x"#).is_err());
    }

    #[test]
    fn strict_json_syntax() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "1e",
            "tru",
            "\"a",
            "\"\\x\"",
            "\"\\ud800\"",
            "{\"a\" 1}",
            "[1 2]",
            "nul",
            "\"\u{1}\"",
        ] {
            assert!(
                decode::<serde_json::Value>(bad.as_bytes()).is_err(),
                "{bad:?}"
            );
            let mut reader = super::Reader::new(bad);
            assert!(reader.skip().is_err() || reader.peek().is_some(), "{bad:?}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        let error = decode::<Vec<serde_json::Value>>(deep.as_bytes()).unwrap_err();
        assert_eq!(error.message(), "nested too deeply");
    }

    #[test]
    fn strings_unescape_like_json() {
        let text: String =
            decode("\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\udc1d é\"".as_bytes()).unwrap();
        assert_eq!(text, "a\"b\\c/d\né🐝 é");
    }

    #[test]
    fn uuids_parse_as_the_uuid_crate_reads_the_same_forms() {
        let id = uuid::Uuid::from_u128(0x6f1c_2a56_3b8e_4c1e_9f4e_0a4f_6f2b_7c11);
        for text in [
            id.hyphenated().to_string(),
            id.simple().to_string(),
            id.hyphenated().to_string().to_uppercase(),
        ] {
            assert_eq!(super::parse_uuid(&text), Some(id), "{text}");
        }
        for bad in [
            "",
            "nope",
            "6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c1",
            "6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c1g",
            "6f1c2a563b8e-4c1e-9f4e-0a4f6f2b7c11-",
            "+f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11",
            "6f1c2a56_3b8e_4c1e_9f4e_0a4f6f2b7c11",
            "6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11é",
        ] {
            assert_eq!(super::parse_uuid(bad), None, "{bad}");
            assert!(uuid::Uuid::try_parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn integers_are_range_checked() {
        assert_eq!(decode::<u32>(b"4294967295").unwrap(), u32::MAX);
        assert!(decode::<u32>(b"4294967296").is_err());
        assert!(decode::<u32>(b"-1").is_err());
        assert_eq!(decode::<i64>(b"-9223372036854775808").unwrap(), i64::MIN);
        assert!(decode::<i64>(b"1e3").is_err());
        assert!(decode::<u64>(b"123456789012345678901234567890").is_err());
        assert_eq!(decode::<f64>(b"-2.5e1").unwrap(), -25.0);
    }

    #[test]
    fn enums_maps_and_raw_attributes() {
        assert_eq!(
            decode::<ErrorCode>(br#""STORE_NOT_FOUND""#).unwrap(),
            ErrorCode::StoreNotFound
        );
        assert_eq!(
            decode::<ErrorCode>(br#""NEW_CODE""#).unwrap(),
            ErrorCode::Unknown
        );
        assert_eq!(
            decode::<OrderStatus>(br#""pending_payment""#).unwrap(),
            OrderStatus::PendingPayment
        );
        let error = decode::<OrderStatus>(br#""lost""#).unwrap_err();
        assert!(
            error.message().starts_with("unknown value `lost`"),
            "{error}"
        );
        let map: BTreeMap<String, String> = decode(br#"{"Size": "M", "Colour": "Amber"}"#).unwrap();
        assert_eq!(map["Size"], "M");
        let product: Product = decode(
            br#"{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11","slug":"a","name":"A","description":"",
            "price":{"amount":100,"currency":"EUR"},"featured":false,"images":[],"createdAt":"2026-01-01T00:00:00Z",
            "attributes": {"weightGrams":500,"tags":["x"]} }"#,
        )
        .unwrap();
        assert_eq!(
            product.attributes.json(),
            r#"{"weightGrams":500,"tags":["x"]}"#
        );
        assert!(product.variants.is_empty() && product.category.is_none());
        let error = decode::<Product>(br#"{"id":"nope"}"#).unwrap_err();
        assert_eq!(error.to_string(), "invalid UUID `nope` at id (byte 12)");
    }

    /// Thousands of corruptions of real answers: the reader never panics, accepts exactly the
    /// documents serde_json accepts (but for invalid UTF-8) and reads the same values, which
    /// the writer writes back exactly as serde_json does.
    #[test]
    fn corrupted_documents_fail_cleanly_and_agree_with_serde() {
        use crate::contract::{ApiResponse, Cart, Order};
        const PRODUCT: &str = r#"{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11","slug":"wild-honey","name":"Wild \"flower\" honey \u00e9","description":"Raw.\nUnfiltered.","price":{"amount":1250,"currency":"EUR"},"compareAtPrice":null,"category":{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c12","slug":"honey","name":"Honey"},"featured":true,"images":[{"url":"https://x/a.svg","alt":"jar"}],"options":["Size"],"variants":[{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c13","sku":"WH-S","title":"S","options":{"Size":"S"},"price":{"amount":950,"currency":"EUR"},"available":3,"inStock":true}],"digital":false,"attributes":{"origin":"Spain","tags":["raw",1,true,null]},"createdAt":"2026-01-01T00:00:00Z"}"#;
        const ORDER: &str = r#"{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c21","number":1001,"status":"pending_payment","email":"a@b.c","shippingAddress":{"name":"A","line1":"1 rue","city":"Paris","postalCode":"75011","country":"FR"},"shippingMethod":"Colissimo","totals":{"subtotal":{"amount":1900,"currency":"EUR"},"discounts":[{"code":"TEN","name":"Ten","amount":{"amount":190,"currency":"EUR"}}],"discountTotal":{"amount":190,"currency":"EUR"},"shipping":{"amount":490,"currency":"EUR"},"tax":{"amount":367,"currency":"EUR"},"taxIncluded":true,"total":{"amount":2200,"currency":"EUR"}},"items":[{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c22","productId":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11","productName":"Honey","variantId":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c13","variantTitle":"S","sku":"WH-S","quantity":2,"unitPrice":{"amount":950,"currency":"EUR"},"lineTotal":{"amount":1900,"currency":"EUR"},"digital":false}],"itemCount":2,"subtotal":{"amount":1900,"currency":"EUR"},"total":{"amount":1900,"currency":"EUR"},"payment":{"provider":"test","status":"pending","expiresAt":"2026-01-01T00:00:00Z"},"downloads":[],"shipments":[{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c41","carrier":"Colissimo","trackingNumber":"6A1","items":[{"orderItemId":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c22","quantity":1}],"createdAt":"2026-01-01T00:00:00Z"}],"refunds":[{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c51","amount":{"amount":500,"currency":"EUR"},"items":[],"restocked":false,"createdAt":"2026-01-01T00:00:00Z"}],"refunded":{"amount":500,"currency":"EUR"},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}"#;
        const CART: &str = r#"{"success":true,"data":{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c31","status":"open","currency":"EUR","items":[],"itemCount":0,"subtotal":{"amount":0,"currency":"EUR"},"total":{"amount":0,"currency":"EUR"},"totals":{"subtotal":{"amount":0,"currency":"EUR"},"discounts":[{"code":"TEN","name":"Ten","amount":{"amount":0,"currency":"EUR"}}],"discountTotal":{"amount":0,"currency":"EUR"},"shipping":{"amount":0,"currency":"EUR"},"tax":{"amount":0,"currency":"EUR"},"taxIncluded":true,"total":{"amount":0,"currency":"EUR"}},"requiresShipping":false,"shippingOptions":[],"discountCodes":[],"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"},"meta":{"requestId":"r","timestamp":"2026-01-01T00:00:00Z","version":"v1"}}"#;

        fn check<T>(document: &[u8]) -> bool
        where
            T: Decode + super::Encode + serde::de::DeserializeOwned + serde::Serialize,
            T: PartialEq + std::fmt::Debug,
        {
            let ours = decode::<T>(document);
            let theirs = serde_json::from_slice::<T>(document);
            if let (Ok(ours), Ok(theirs)) = (&ours, &theirs) {
                assert_eq!(ours, theirs, "{}", String::from_utf8_lossy(document));
                // And written back, byte for byte as serde_json writes it.
                assert_eq!(
                    super::encode(ours),
                    serde_json::to_string(ours).unwrap_or_default()
                );
            }
            // The same documents are accepted, except that this reader refuses invalid UTF-8
            // anywhere, where serde_json lets it pass inside a value it skips.
            let utf8 = std::str::from_utf8(document).is_ok();
            assert_eq!(
                ours.is_ok(),
                theirs.is_ok() && utf8,
                "{ours:?} / {theirs:?}: {}",
                String::from_utf8_lossy(document)
            );
            ours.is_ok()
        }
        // xorshift: reproducible without a dependency.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut random = move |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % below as u64).unwrap_or(0)
        };
        let interesting = b"{}[],:\"\\0123456789-+.eEntfu \x00\xc3\xff";
        let mut accepted = 0;
        for original in [PRODUCT, ORDER, CART] {
            assert!(check::<Product>(PRODUCT.as_bytes()) && check::<Order>(ORDER.as_bytes()));
            for _ in 0..10_000 {
                let mut document = original.as_bytes().to_vec();
                for _ in 0..=random(3) {
                    let at = random(document.len());
                    match random(4) {
                        0 => document[at] = interesting[random(interesting.len())],
                        1 => {
                            document.remove(at);
                        }
                        2 => document.insert(at, interesting[random(interesting.len())]),
                        _ => document.truncate(at),
                    }
                    if document.is_empty() {
                        break;
                    }
                }
                let ok = match original {
                    PRODUCT => check::<Product>(&document),
                    ORDER => check::<Order>(&document),
                    _ => check::<ApiResponse<Cart>>(&document),
                };
                accepted += usize::from(ok);
            }
        }
        // Some corruptions still make valid documents (a digit for a digit, a space added).
        assert!(accepted > 100, "{accepted}");
    }

    #[test]
    fn serde_and_decode_agree_on_the_contract() {
        fn both<T>(json: &str) -> (T, T)
        where
            T: Decode + serde::de::DeserializeOwned,
        {
            (
                decode(json.as_bytes()).unwrap(),
                serde_json::from_str(json).unwrap(),
            )
        }
        let (ours, serdes) = both::<crate::contract::ApiResponse<Vec<crate::contract::Category>>>(
            r#"{"success":true,"data":[{"id":"6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11","slug":"honey",
            "name":"Honey","productCount":3}],"pagination":{"total":1,"limit":20,"offset":0,
            "hasMore":false},"meta":{"requestId":"r","timestamp":"2026-01-01T00:00:00Z","version":"v1"}}"#,
        );
        assert_eq!(ours, serdes);
        let (ours, serdes) =
            both::<crate::contract::ProductPatch>(r#"{"categoryId": null, "name": "x"}"#);
        assert_eq!(ours, serdes);
        assert_eq!(ours.category_id, Some(None));
        assert!(decode::<crate::contract::ProductPatch>(br#"{"stock": 1}"#).is_err());
    }
}
