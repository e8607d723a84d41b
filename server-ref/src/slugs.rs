//! URL identifiers (slugs) of stores, products and categories.

/// A URL identifier made from a display name: lower-case ASCII letters and digits joined by
/// single hyphens, accents folded.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        let c = match c {
            'à' | 'â' | 'á' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' => 'e',
            'î' | 'í' => 'i',
            'ô' | 'ó' | 'õ' | 'ö' => 'o',
            'û' | 'ú' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// Whether `slug` is a well-formed URL identifier (what [`slugify`] makes), 1 to 100 bytes.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 100
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert!(valid_slug(&slugify("Ação Ñandú Größe")));
        assert!(!valid_slug("Bad Slug"));
        assert!(!valid_slug("-x"));
        assert_eq!(slugify("Wax imprimé 6 yards"), "wax-imprime-6-yards");
        assert_eq!(slugify("Tea Lights (12)"), "tea-lights-12");
        assert_eq!(slugify("Smoker, Stainless"), "smoker-stainless");
    }
}
