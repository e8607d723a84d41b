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
    // The symbols above are ASCII letters or signs: an ASCII test keeps Unicode's letter
    // tables out of the WebAssembly builds.
    let (symbol, spaced) = match symbol {
        "" => (currency, true),
        s => (
            s,
            s.chars().all(|c| c.is_ascii_alphabetic() || c == '\u{a0}'),
        ),
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

/// Why an arithmetic operation on [`Money`] was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The two amounts are in different currencies.
    #[error("cannot combine {left} and {right}: different currencies")]
    CurrencyMismatch {
        /// Currency of the left operand.
        left: String,
        /// Currency of the right operand.
        right: String,
    },
    /// The result does not fit in 64-bit minor units.
    #[error("amount out of range")]
    Overflow,
}

impl Money {
    /// Zero in `currency`.
    pub fn zero(currency: impl Into<String>) -> Self {
        Self::new(0, currency)
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency.clone(),
                right: other.currency.clone(),
            })
        }
    }

    /// `self + other`, refusing mixed currencies and overflow.
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(amount, self.currency.clone()))
    }

    /// `self - other`, refusing mixed currencies and overflow.
    pub fn checked_sub(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(amount, self.currency.clone()))
    }

    /// `self × quantity` (a line total), refusing overflow.
    pub fn checked_mul(&self, quantity: u32) -> Result<Money, MoneyError> {
        let amount = self
            .amount
            .checked_mul(i64::from(quantity))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(amount, self.currency.clone()))
    }

    /// The sum of `amounts`, all in `currency` (zero when empty).
    pub fn sum<'a>(
        currency: &str,
        amounts: impl IntoIterator<Item = &'a Money>,
    ) -> Result<Money, MoneyError> {
        amounts
            .into_iter()
            .try_fold(Money::zero(currency), |total, amount| {
                total.checked_add(amount)
            })
    }

    /// `basis_points / 10 000` of this amount (e.g. 2 000 = 20 %), rounded half to even in
    /// minor units, as tax and discount rules require; no floats involved.
    pub fn percentage(&self, basis_points: u32) -> Result<Money, MoneyError> {
        let product = i128::from(self.amount) * i128::from(basis_points);
        let (quotient, remainder) = (product / 10_000, product % 10_000);
        let twice = remainder.abs() * 2;
        let rounded = if twice > 10_000 || (twice == 10_000 && quotient % 2 != 0) {
            quotient + product.signum()
        } else {
            quotient
        };
        let amount = i64::try_from(rounded).map_err(|_| MoneyError::Overflow)?;
        Ok(Money::new(amount, self.currency.clone()))
    }

    /// Splits this amount into `parts` shares that differ by at most one minor unit and add up
    /// exactly to it (the first shares get the remainder), e.g. for instalments.
    pub fn split(&self, parts: u32) -> Vec<Money> {
        if parts == 0 {
            return Vec::new();
        }
        let parts_i64 = i64::from(parts);
        let (base, remainder) = (
            self.amount.div_euclid(parts_i64),
            self.amount.rem_euclid(parts_i64),
        );
        (0..parts_i64)
            .map(|index| Money::new(base + i64::from(index < remainder), self.currency.clone()))
            .collect()
    }

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

/// `amount` minor units of `currency` as a person types them: `950` EUR is `9.50`, `5000` XOF
/// is `5000` (no grouping, no symbol: what [`parse_amount`] reads back).
pub fn amount_text(amount: i64, currency: &str) -> String {
    let exponent = currency_exponent(currency);
    let unit = 10u64.pow(exponent);
    let sign = if amount < 0 { "-" } else { "" };
    let amount = amount.unsigned_abs();
    if exponent == 0 {
        return format!("{sign}{amount}");
    }
    format!(
        "{sign}{}.{:0width$}",
        amount / unit,
        amount % unit,
        width = exponent as usize
    )
}

/// An amount a person typed (`9.50`, `9,50`, `1250`) in `currency`'s minor units, read without
/// floats: one decimal separator (`.` or `,`), at most as many decimals as the currency has, no
/// sign, no grouping. `None` when the text is not such an amount or does not fit.
pub fn parse_amount(text: &str, currency: &str) -> Option<i64> {
    let exponent = currency_exponent(currency);
    let text = text.trim();
    let (whole, fraction) = match text.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > exponent as usize
    {
        return None;
    }
    let padded = format!("{fraction:0<width$}", width = exponent as usize);
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = if padded.is_empty() {
        0
    } else {
        padded.parse().ok()?
    };
    whole
        .checked_mul(10i64.checked_pow(exponent)?)?
        .checked_add(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_as_typed_and_read_back() {
        assert_eq!(amount_text(950, "EUR"), "9.50");
        assert_eq!(amount_text(5, "EUR"), "0.05");
        assert_eq!(amount_text(-1250, "EUR"), "-12.50");
        assert_eq!(amount_text(5000, "XOF"), "5000");
        assert_eq!(amount_text(1234, "KWD"), "1.234");
        for (amount, currency) in [(950, "EUR"), (5000, "XOF"), (1234, "KWD"), (0, "EUR")] {
            assert_eq!(
                parse_amount(&amount_text(amount, currency), currency),
                Some(amount)
            );
        }
    }

    #[test]
    fn typed_amounts_read_as_minor_units() {
        assert_eq!(parse_amount("9.50", "EUR"), Some(950));
        assert_eq!(parse_amount("9,5", "EUR"), Some(950));
        assert_eq!(parse_amount(" 12 ", "EUR"), Some(1200));
        assert_eq!(parse_amount("1250", "XOF"), Some(1250));
        assert_eq!(parse_amount("1.234", "KWD"), Some(1234));
        for bad in [
            "",
            "9.999",
            "-1",
            "1,000.50",
            "abc",
            "1.5",
            "9999999999999999999",
        ] {
            let currency = if bad == "1.5" { "XOF" } else { "EUR" };
            assert_eq!(parse_amount(bad, currency), None, "{bad}");
        }
    }

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
    fn arithmetic_stays_in_minor_units_and_one_currency() {
        let price = Money::new(1_250, "EUR");
        let line = price.checked_mul(3).unwrap();
        assert_eq!(line, Money::new(3_750, "EUR"));
        let total = Money::sum("EUR", [&line, &Money::new(450, "EUR")]).unwrap();
        assert_eq!(total.amount, 4_200);
        assert_eq!(
            total.checked_sub(&Money::new(200, "EUR")).unwrap().amount,
            4_000
        );
        assert_eq!(
            price.checked_add(&Money::new(1, "XOF")),
            Err(MoneyError::CurrencyMismatch {
                left: "EUR".into(),
                right: "XOF".into()
            })
        );
        assert_eq!(
            Money::new(i64::MAX, "EUR").checked_mul(2),
            Err(MoneyError::Overflow)
        );
        assert_eq!(Money::sum("JPY", []).unwrap(), Money::zero("JPY"));
    }

    #[test]
    fn percentages_round_half_to_even() {
        let amount = |a: i64, bp: u32| Money::new(a, "EUR").percentage(bp).unwrap().amount;
        assert_eq!(amount(1_000, 2_000), 200); // 20 % of €10.00
        assert_eq!(amount(25, 5_000), 12); // 12.5 → 12 (even)
        assert_eq!(amount(35, 5_000), 18); // 17.5 → 18 (even)
        assert_eq!(amount(-35, 5_000), -18);
        assert_eq!(amount(1_999, 2_100), 420); // 419.79 → 420
        assert_eq!(
            Money::new(i64::MAX, "EUR").percentage(20_000),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn splits_add_up_exactly() {
        let shares = Money::new(1_000, "EUR").split(3);
        let amounts: Vec<i64> = shares.iter().map(|m| m.amount).collect();
        assert_eq!(amounts, [334, 333, 333]);
        assert_eq!(Money::sum("EUR", &shares).unwrap().amount, 1_000);
        assert_eq!(
            Money::new(-5, "EUR")
                .split(2)
                .iter()
                .map(|m| m.amount)
                .sum::<i64>(),
            -5
        );
        assert!(Money::new(5, "EUR").split(0).is_empty());
    }

    #[test]
    fn extremes_do_not_overflow() {
        assert_eq!(
            format_money(i64::MIN, "JPY", "en"),
            "-¥9,223,372,036,854,775,808"
        );
    }
}
