//! Product and category content in the shopper's language: the languages they ask for, and
//! each product's best translation among those it has (BCP 47 fallback: `es-MX` takes `es`).
//! Content without a fitting translation stays in the store's own language.

use crate::db::{Conn, Row};
use std::collections::HashMap;

use colmena_sdk::contract::{Category, Product};
use fluent_langneg::{negotiate_languages, LanguageIdentifier, NegotiationStrategy};
use uuid::Uuid;

use crate::db::{optional_json_column, uuid_column};

/// The most languages of a request considered (a longer `Accept-Language` is cut).
const MAX_REQUESTED: usize = 6;

/// The languages a shopper asked for, most wanted first: `?locale=`, else `Accept-Language`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preference(Vec<LanguageIdentifier>);

impl Preference {
    /// From a request's `?locale=` (already checked) and `Accept-Language` header. A header
    /// that does not parse asks for nothing in particular: browsers and proxies send odd ones.
    pub fn new(locale: Option<&str>, accept_language: Option<&str>) -> Self {
        let mut languages = match locale {
            Some(locale) => fluent_langneg::parse_accepted_languages(locale),
            None => accept_language
                .map(fluent_langneg::parse_accepted_languages)
                .unwrap_or_default(),
        };
        languages.truncate(MAX_REQUESTED);
        Self(languages)
    }

    /// Whether no particular language was asked for.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A stable text of the preference, for cache keys.
    pub fn key(&self) -> String {
        self.0
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Every one of `available` (stored tags such as `pt-BR`) that fits: what a search looks
    /// in, since each product shows its own best fit among its translations.
    pub fn fitting<'a>(&self, available: &'a [String]) -> Vec<&'a str> {
        let tags = parse_tags(available);
        let chosen: Vec<String> =
            negotiate_languages(&self.0, &tags, None, NegotiationStrategy::Filtering)
                .into_iter()
                .map(ToString::to_string)
                .collect();
        available
            .iter()
            .map(String::as_str)
            .filter(|tag| chosen.iter().any(|c| c == tag))
            .collect()
    }

    /// Which of `available` (stored tags such as `pt-BR`) fits best, if any does.
    fn best<'a>(&self, available: &'a [String]) -> Option<&'a str> {
        let tags = parse_tags(available);
        let chosen = negotiate_languages(&self.0, &tags, None, NegotiationStrategy::Lookup);
        let chosen = chosen.first()?.to_string();
        available
            .iter()
            .map(String::as_str)
            .find(|tag| *tag == chosen)
    }
}

/// The language tags among `available` that parse (stored ones all do).
fn parse_tags(available: &[String]) -> Vec<LanguageIdentifier> {
    available
        .iter()
        .filter_map(|tag| tag.parse().ok())
        .collect()
}

/// Rows of a translation `table` for the records `ids` of a store, grouped by record id.
async fn rows_by_record(
    conn: &mut Conn,
    table: &str,
    key: &str,
    columns: &str,
    store_id: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Row>>, sqlx::Error> {
    let mut grouped: HashMap<Uuid, Vec<Row>> = HashMap::new();
    if ids.is_empty() {
        return Ok(grouped);
    }
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT {key}, locale, {columns} FROM {table} WHERE store_id = $1 AND {key} IN ({})",
        placeholders.join(", ")
    );
    let mut query = crate::db::query(&sql).bind(store_id);
    for id in ids {
        query = query.bind(id);
    }
    for row in query.fetch_all(conn).await? {
        grouped
            .entry(uuid_column(&row, key)?)
            .or_default()
            .push(row);
    }
    Ok(grouped)
}

/// The row of `rows` whose language fits `preference` best.
fn best_row<'a>(preference: &Preference, rows: &'a [Row]) -> Result<Option<&'a Row>, sqlx::Error> {
    let tags = rows
        .iter()
        .map(|row| row.try_get::<String, _>("locale"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(preference
        .best(&tags)
        .and_then(|tag| tags.iter().position(|t| t == tag))
        .map(|at| &rows[at]))
}

/// Puts `products` (and their category names) into the language `preference` asks for, where
/// they have a translation. Two queries, whatever the number of products.
pub async fn localise_products(
    conn: &mut Conn,
    store_id: Uuid,
    preference: &Preference,
    products: &mut [Product],
) -> Result<(), sqlx::Error> {
    if preference.is_empty() || products.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = products.iter().map(|p| p.id).collect();
    let translations = rows_by_record(
        conn,
        "product_translations",
        "product_id",
        "name, description, option_names",
        store_id,
        &ids,
    )
    .await?;
    let category_ids: Vec<Uuid> = products
        .iter()
        .filter_map(|p| p.category.as_ref().map(|c| c.id))
        .collect();
    let category_names = category_names(conn, store_id, preference, &category_ids).await?;
    for product in products {
        if let Some(category) = &mut product.category {
            if let Some(name) = category_names.get(&category.id) {
                category.name.clone_from(name);
            }
        }
        let Some(rows) = translations.get(&product.id) else {
            continue;
        };
        let Some(row) = best_row(preference, rows)? else {
            continue;
        };
        product.name = row.try_get("name")?;
        if let Some(description) = row.try_get::<Option<String>, _>("description")? {
            product.description = description;
        }
        if let Some(option_names) = optional_json_column::<Vec<String>>(row, "option_names")? {
            // Only a full set, in the product's order: anything else would misname options.
            if option_names.len() == product.options.len() {
                product.options = option_names;
            }
        }
    }
    Ok(())
}

/// The names of `category_ids` in the language `preference` asks for, where translated.
async fn category_names(
    conn: &mut Conn,
    store_id: Uuid,
    preference: &Preference,
    category_ids: &[Uuid],
) -> Result<HashMap<Uuid, String>, sqlx::Error> {
    let mut unique = category_ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let rows = rows_by_record(
        conn,
        "category_translations",
        "category_id",
        "name",
        store_id,
        &unique,
    )
    .await?;
    let mut names = HashMap::new();
    for (id, rows) in &rows {
        if let Some(row) = best_row(preference, rows)? {
            names.insert(*id, row.try_get("name")?);
        }
    }
    Ok(names)
}

/// Puts `categories` into the language `preference` asks for, where translated.
pub async fn localise_categories(
    conn: &mut Conn,
    store_id: Uuid,
    preference: &Preference,
    categories: &mut [Category],
) -> Result<(), sqlx::Error> {
    if preference.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = categories.iter().map(|c| c.id).collect();
    let names = category_names(conn, store_id, preference, &ids).await?;
    for category in categories {
        if let Some(name) = names.get(&category.id) {
            category.name.clone_from(name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(locale: Option<&str>, header: Option<&str>, available: &[&str]) -> Option<String> {
        let available: Vec<String> = available.iter().map(|s| (*s).to_owned()).collect();
        Preference::new(locale, header)
            .best(&available)
            .map(str::to_owned)
    }

    #[test]
    fn the_closest_translation_is_chosen() {
        let available = ["es", "fr", "pt-BR"];
        assert_eq!(best(Some("es-MX"), None, &available).as_deref(), Some("es"));
        assert_eq!(best(Some("pt"), None, &available).as_deref(), Some("pt-BR"));
        assert_eq!(
            best(None, Some("de-DE,fr;q=0.8,en;q=0.5"), &available).as_deref(),
            Some("fr")
        );
        // `?locale=` wins over the header; nothing fitting leaves the store's own content.
        assert_eq!(
            best(Some("fr"), Some("es"), &available).as_deref(),
            Some("fr")
        );
        assert_eq!(best(Some("de"), None, &available), None);
        assert_eq!(best(None, Some("*"), &available), None);
        assert_eq!(best(None, Some("not a language!!"), &available), None);
    }
}
