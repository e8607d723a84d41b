//! The filters' strings in the widget's five languages (English, French, Spanish, Portuguese,
//! Swahili), chosen as the widget chooses its own (see the widget's `i18n`): by the element's
//! locale, else the store's, falling back to English.

/// Every string the filters show, in one language.
pub struct Strings {
    pub filters: &'static str,
    pub price: &'static str,
    pub min_price: &'static str,
    pub max_price: &'static str,
    /// `{n}` and `{m}`: the lowest and highest price, formatted.
    pub price_range: &'static str,
    pub apply: &'static str,
    pub clear_filters: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
}

const EN: Strings = Strings {
    filters: "Filters",
    price: "Price",
    min_price: "Minimum",
    max_price: "Maximum",
    price_range: "From {n} to {m}",
    apply: "Apply",
    clear_filters: "Clear filters",
    yes: "Yes",
    no: "No",
};

const FR: Strings = Strings {
    filters: "Filtres",
    price: "Prix",
    min_price: "Minimum",
    max_price: "Maximum",
    price_range: "De {n} à {m}",
    apply: "Appliquer",
    clear_filters: "Effacer les filtres",
    yes: "Oui",
    no: "Non",
};

const ES: Strings = Strings {
    filters: "Filtros",
    price: "Precio",
    min_price: "Mínimo",
    max_price: "Máximo",
    price_range: "De {n} a {m}",
    apply: "Aplicar",
    clear_filters: "Borrar filtros",
    yes: "Sí",
    no: "No",
};

const PT: Strings = Strings {
    filters: "Filtros",
    price: "Preço",
    min_price: "Mínimo",
    max_price: "Máximo",
    price_range: "De {n} a {m}",
    apply: "Aplicar",
    clear_filters: "Limpar filtros",
    yes: "Sim",
    no: "Não",
};

const SW: Strings = Strings {
    filters: "Vichujio",
    price: "Bei",
    min_price: "Bei ya chini",
    max_price: "Bei ya juu",
    price_range: "Kuanzia {n} hadi {m}",
    apply: "Tumia",
    clear_filters: "Futa vichujio",
    yes: "Ndiyo",
    no: "Hapana",
};

/// The strings for `locale` (a BCP 47 tag such as `fr-SN`), English when the widget has none.
pub fn strings(locale: &str) -> &'static Strings {
    match locale.split(['-', '_']).next().unwrap_or("") {
        "fr" => &FR,
        "es" => &ES,
        "pt" => &PT,
        "sw" => &SW,
        _ => &EN,
    }
}

/// `template` with `{n}` and `{m}` replaced (the widget's `fill`, for the two this bundle uses).
pub fn fill(template: &str, n: &str, m: &str) -> String {
    let mut out = String::with_capacity(template.len() + n.len() + m.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let (value, placeholder) = if rest.starts_with("{n}") {
            (n, "{n}")
        } else if rest.starts_with("{m}") {
            (m, "{m}")
        } else {
            ("{", "{")
        };
        out.push_str(value);
        rest = &rest[placeholder.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_fills_the_price_range() {
        for locale in ["en", "fr-SN", "es-ES", "pt", "sw-KE", "de"] {
            let text = fill(strings(locale).price_range, "1 €", "9 €");
            assert!(
                text.contains("1 €") && text.contains("9 €"),
                "{locale}: {text}"
            );
        }
        assert_eq!(fill("{x} {n}", "1", "2"), "{x} 1");
    }
}
