//! The countries of the address forms' country select, named in the shopper's language by the
//! browser (`Intl.DisplayNames`), so that no table of names ships in the bundle. The server
//! says which countries there are and which the store ships to (`GET …/countries`), checks
//! the code, and knows each country's format (`GET /api/v1/address-formats/{country}`).

use std::cell::RefCell;

use js_sys::{Array, Function, JsString, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Countries as `(code, name)`.
type Named = Vec<(String, String)>;

thread_local! {
    /// The sorted list for the last locale asked (one per page in practice).
    static NAMED: RefCell<Option<(String, Named)>> = const { RefCell::new(None) };
}

/// `codes` (every country the server knows, `GET …/countries`) as `(code, name in locale)`,
/// sorted by name as the locale sorts.
pub fn named(locale: &str, codes: &[String]) -> Named {
    if let Some(list) = NAMED.with(|named| {
        named
            .borrow()
            .as_ref()
            .filter(|(cached, list)| cached == locale && list.len() == codes.len())
            .map(|(_, list)| list.clone())
    }) {
        return list;
    }
    let locales = Array::new();
    if !locale.is_empty() {
        locales.push(&locale.into());
    }
    let names = display_names(&locales);
    let mut list: Named = codes
        .iter()
        .map(|code| {
            let name = names
                .as_ref()
                .and_then(|(names, of)| of.call1(names, &code.into()).ok()?.as_string())
                .unwrap_or_else(|| code.clone());
            (code.clone(), name)
        })
        .collect();
    list.sort_by(|(_, a), (_, b)| {
        JsString::from(a.as_str())
            .locale_compare(b, &locales, &Object::new())
            .cmp(&0)
    });
    NAMED.with(|named| *named.borrow_mut() = Some((locale.to_owned(), list.clone())));
    list
}

/// `new Intl.DisplayNames(locales, {type: "region"})` and its `of`; `None` in a browser
/// without it (or for a locale it refuses), where codes stand for names.
fn display_names(locales: &Array) -> Option<(JsValue, Function)> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: Function = Reflect::get(&intl, &"DisplayNames".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = Object::new();
    Reflect::set(&options, &"type".into(), &"region".into()).ok()?;
    let names = Reflect::construct(&constructor, &Array::of2(locales, &options)).ok()?;
    let of = Reflect::get(&names, &"of".into()).ok()?.dyn_into().ok()?;
    Some((names, of))
}

/// The country a locale such as `en-KE` or `pt_BR` names, if it names one of `codes`.
pub fn of_locale(locale: &str, codes: &[String]) -> Option<String> {
    let region = locale
        .split(['-', '_'])
        .skip(1)
        .find(|part| part.len() == 2 && part.bytes().all(|b| b.is_ascii_alphabetic()))?
        .to_ascii_uppercase();
    codes.iter().find(|code| **code == region).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locale_names_its_country_when_it_is_offered() {
        let codes: Vec<String> = ["BR", "KE", "RS"].map(str::to_owned).to_vec();
        assert_eq!(of_locale("en-KE", &codes).as_deref(), Some("KE"));
        assert_eq!(of_locale("pt_br", &codes).as_deref(), Some("BR"));
        assert_eq!(of_locale("sr-Latn-RS", &codes).as_deref(), Some("RS"));
        assert_eq!(of_locale("fr", &codes), None);
        assert_eq!(of_locale("fr-FR", &codes), None);
    }
}
