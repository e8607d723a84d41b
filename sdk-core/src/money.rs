//! Money in integer minor units, and its formatting by locale and currency without floats.
//!
//! The tables here are a deliberate, small subset of CLDR (the currencies and locales Colmena's
//! stores use): a full ICU data set would add hundreds of kilobytes to the WebAssembly widget.

use crate::contract::Money;

/// Number of minor-unit digits of an ISO 4217 currency (2 for EUR, 0 for XOF and JPY, 3 for KWD).
pub fn currency_exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// Whether `code` looks like an ISO 4217 alphabetic code (three ASCII capitals).
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn currency_symbol(currency: &str, language: &str) -> &'static str {
    match (currency, language) {
        ("EUR", _) => "€",
        ("GBP", _) => "£",
        ("USD", "en") => "$",
        ("USD", _) => "US$",
        ("JPY", _) => "¥",
        ("XOF", _) => "F\u{a0}CFA",
        ("XAF", _) => "FCFA",
        ("KES", _) => "Ksh",
        ("TZS", _) => "TSh",
        ("NGN", _) => "₦",
        ("BRL", _) => "R$",
        ("MXN", "es") => "$",
        _ => "",
    }
}

/// How a locale writes an amount of money.
struct NumberStyle {
    group_separator: &'static str,
    decimal_separator: &'static str,
    /// Amounts below 10 000 are written without grouping (Spanish, Polish…).
    group_from_five_digits: bool,
    symbol_first: bool,
}

fn number_style(locale: &str) -> NumberStyle {
    let mut parts = locale.split(['-', '_']);
    let language = parts.next().unwrap_or("en");
    let region = parts.next().unwrap_or("");
    let (group_separator, decimal_separator, group_from_five_digits, symbol_first) =
        match (language, region) {
            ("fr", _) => ("\u{202f}", ",", false, false),
            ("es", "") | ("es", "ES") => (".", ",", true, false),
            ("es", _) => (",", ".", false, true),
            ("pt", "PT") => ("\u{a0}", ",", false, false),
            ("pt", _) => (".", ",", false, true),
            ("de" | "it" | "nl", _) => (".", ",", false, false),
            _ => (",", ".", false, true),
        };
    NumberStyle {
        group_separator,
        decimal_separator,
        group_from_five_digits,
        symbol_first,
    }
}

fn group_digits(digits: &str, separator: &str, from_five_digits: bool) -> String {
    if digits.len() <= 3 || (from_five_digits && digits.len() <= 4) {
        return digits.to_owned();
    }
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push_str(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// Formats `amount` minor units of `currency` the way `locale` writes money.
///
/// ```
/// use colmena_sdk::format_money;
/// assert_eq!(format_money(1250, "EUR", "en-IE"), "€12.50");
/// assert_eq!(format_money(123450, "EUR", "es-ES"), "1234,50\u{a0}€");
/// assert_eq!(format_money(12500, "XOF", "fr-SN"), "12\u{202f}500\u{a0}F\u{a0}CFA");
/// assert_eq!(format_money(1500, "JPY", "en-US"), "¥1,500");
/// assert_eq!(format_money(1234, "KWD", "en"), "KWD\u{a0}1.234");
/// ```
pub fn format_money(amount: i64, currency: &str, locale: &str) -> String {
    let language = locale.split(['-', '_']).next().unwrap_or("en");
    let style = number_style(locale);
    let exponent = currency_exponent(currency);
    let magnitude = amount.unsigned_abs();
    let scale = 10u64.pow(exponent);
    let whole = group_digits(
        &(magnitude / scale).to_string(),
        style.group_separator,
        style.group_from_five_digits,
    );
    let number = if exponent == 0 {
        whole
    } else {
        format!(
            "{whole}{}{:0width$}",
            style.decimal_separator,
            magnitude % scale,
            width = exponent as usize
        )
    };
    let symbol = currency_symbol(currency, language);
    // An alphabetic symbol (or the bare code) needs a space to stay readable next to digits.
    let (symbol, spaced) = match symbol {
        "" => (currency, true),
        s => (s, s.chars().all(|c| c.is_alphabetic() || c == '\u{a0}')),
    };
    let sign = if amount < 0 { "-" } else { "" };
    if style.symbol_first {
        let gap = if spaced || language != "en" {
            "\u{a0}"
        } else {
            ""
        };
        format!("{sign}{symbol}{gap}{number}")
    } else {
        format!("{sign}{number}\u{a0}{symbol}")
    }
}

impl Money {
    /// A money value of `amount` minor units of `currency`.
    pub fn new(amount: i64, currency: impl Into<String>) -> Self {
        Self {
            amount,
            currency: currency.into(),
        }
    }

    /// This amount formatted for `locale`; see [`format_money`].
    pub fn format(&self, locale: &str) -> String {
        format_money(self.amount, &self.currency, locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_currency() {
        assert_eq!(format_money(5, "EUR", "en"), "€0.05");
        assert_eq!(format_money(5, "KWD", "en"), "KWD\u{a0}0.005");
        assert_eq!(format_money(5, "JPY", "en"), "¥5");
        assert_eq!(
            format_money(1_234_567, "XOF", "en"),
            "F\u{a0}CFA\u{a0}1,234,567"
        );
    }

    #[test]
    fn separators_and_symbol_follow_the_locale() {
        assert_eq!(format_money(1_234_567, "EUR", "de-DE"), "12.345,67\u{a0}€");
        assert_eq!(format_money(1_234_567, "EUR", "es-ES"), "12.345,67\u{a0}€");
        assert_eq!(
            format_money(999_999, "EUR", "fr-FR"),
            "9\u{202f}999,99\u{a0}€"
        );
        assert_eq!(format_money(1050, "BRL", "pt-BR"), "R$\u{a0}10,50");
        assert_eq!(format_money(100_000, "KES", "sw-KE"), "Ksh\u{a0}1,000.00");
        assert_eq!(format_money(-250, "USD", "en-US"), "-$2.50");
    }

    #[test]
    fn extremes_do_not_overflow() {
        assert_eq!(
            format_money(i64::MIN, "JPY", "en"),
            "-¥9,223,372,036,854,775,808"
        );
    }
}
