//! The countries of the address forms' country select, named in the shopper's language by the
//! browser (`Intl.DisplayNames`), so that no table of names ships in the bundle. The server
//! checks the code and knows each country's format (`GET /api/v1/address-formats/{country}`).

use std::cell::RefCell;

use js_sys::{Array, Function, JsString, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// ISO 3166-1 alpha-2 codes of the countries and territories an address may be in.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI \
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ \
GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN \
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS \
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT \
PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF \
TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM \
ZW";

/// Countries as `(code, name)`.
type Named = Vec<(&'static str, String)>;

thread_local! {
    /// The sorted list for the last locale asked (one per page in practice).
    static NAMED: RefCell<Option<(String, Named)>> = const { RefCell::new(None) };
}

/// Every country as `(code, name in locale)`, sorted by name as the locale sorts.
pub fn named(locale: &str) -> Named {
    if let Some(list) = NAMED.with(|named| {
        named
            .borrow()
            .as_ref()
            .filter(|(cached, _)| cached == locale)
            .map(|(_, list)| list.clone())
    }) {
        return list;
    }
    let locales = Array::new();
    if !locale.is_empty() {
        locales.push(&locale.into());
    }
    let names = display_names(&locales);
    let mut list: Named = COUNTRIES
        .split(' ')
        .map(|code| {
            let name = names
                .as_ref()
                .and_then(|(names, of)| of.call1(names, &code.into()).ok()?.as_string())
                .unwrap_or_else(|| code.to_owned());
            (code, name)
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

/// The country a locale such as `en-KE` or `pt_BR` names, if it names one and is one of ours.
pub fn of_locale(locale: &str) -> Option<&'static str> {
    let region = locale
        .split(['-', '_'])
        .skip(1)
        .find(|part| part.len() == 2 && part.bytes().all(|b| b.is_ascii_alphabetic()))?
        .to_ascii_uppercase();
    COUNTRIES.split(' ').find(|code| *code == region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_each_code_once() {
        let codes: Vec<&str> = COUNTRIES.split(' ').collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(codes.iter().all(|code| code.len() == 2));
    }

    #[test]
    fn a_locale_names_its_country() {
        assert_eq!(of_locale("en-KE"), Some("KE"));
        assert_eq!(of_locale("pt_br"), Some("BR"));
        assert_eq!(of_locale("sr-Latn-RS"), Some("RS"));
        assert_eq!(of_locale("fr"), None);
    }
}
