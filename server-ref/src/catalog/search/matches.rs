//! The one read of a search's matches: the store's active products that the search text and
//! the filters the database applies (category, featured, product type) choose, in the search's
//! order, each with its price and attributes. The price and attribute filters, the count, the
//! page and the facets are then worked out from these in memory (`tally`).

use crate::db::Conn;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use colmena_sdk::contract::{AttributeFilter, ProductSort, SearchQuery};
use serde_json::value::RawValue;
use uuid::Uuid;

use super::engine::Engine;
use super::tally::Match;
use super::words::{folded_words, Word};
use crate::catalog::{sort_order, Conditions};
use crate::db::{decode_error, uuid_column};
use crate::db::{Backend, Value};

/// Between the records of the matches: a control character, which JSON text (the last field of
/// a record) never holds.
const RECORD_SEPARATOR: char = '\u{1e}';

/// Most documents read to find the products whose name is exactly the search text.
const MAX_EXACT_CANDIDATES: i64 = 50;

/// A search, ready to become SQL.
pub(super) struct Plan<'a> {
    pub engine: Engine,
    pub store_id: Uuid,
    pub query: &'a SearchQuery,
    /// The search text's words; `None` when the filters alone choose.
    pub words: Option<Vec<Word>>,
    /// The languages of the documents searched (`''` is the store's own).
    pub locales: Vec<String>,
}

impl Plan<'_> {
    /// Whether the matches are ordered by relevance (a search text and no explicit sort).
    fn ranked(&self) -> bool {
        self.words.is_some() && self.query.sort.is_none()
    }

    /// The matches' SQL: one row, one column (`matches`), the records of the matches
    /// joined by [`RECORD_SEPARATOR`] (none: NULL); ordered by the query's sort (newest first
    /// by default), or, to be ordered by relevance, one per matching document with its score
    /// and whether it matches without typo corrections.
    fn sql(&self) -> (Conditions, String) {
        let mut conditions = Conditions::default();
        let store = conditions.bind(Value::Uuid(self.store_id));
        conditions.and(&format!("p.store_id = {store} AND p.is_active = TRUE"));
        let (prefix, from) = match &self.words {
            None => (String::new(), "products p"),
            Some(words) => {
                let hits =
                    self.engine
                        .hits(&mut conditions, &store, &self.locales, words, self.ranked());
                (hits, self.engine.hit_products())
            }
        };
        conditions.category_and_featured(
            &store,
            self.query.category.as_deref(),
            self.query.featured,
        );
        if let Some(product_type) = &self.query.product_type {
            let product_type = conditions.bind(Value::Text(product_type.clone()));
            conditions.and(&format!(
                "p.product_type_id IN (SELECT id FROM product_types \
                 WHERE store_id = {store} AND slug = {product_type})"
            ));
        }
        if self.engine.0 == Backend::Postgres {
            if let Some(prefilter) = attribute_prefilter(&mut conditions, &self.query.attributes) {
                conditions.and(&prefilter);
            }
        }
        // One record per row (see `Record`), all in one text: SQLite hands each row of a result
        // from its thread to the server's, and thousands of rows cost more than the query.
        let (record, order) = if self.ranked() {
            let score = self.engine.exact_text("h.score");
            (
                format!(
                    "p.id || ',' || p.price_amount || ',' || h.strict || ',' || {score} \
                     || ',' || p.attributes"
                ),
                None,
            )
        } else {
            let sort = self.query.sort.unwrap_or(ProductSort::Newest);
            (
                "p.id || ',' || p.price_amount || ',,,' || p.attributes".to_owned(),
                Some(sort_order(self.engine.0, sort)),
            )
        };
        let separator = conditions.bind(Value::Text(RECORD_SEPARATOR.to_string()));
        let joined = self.engine.joined(&record, &separator, order.as_deref());
        let sql = format!(
            "{prefix}SELECT {joined} AS matches FROM {from}{}",
            conditions.sql
        );
        (conditions, sql)
    }
}

/// With filters on two or more attributes, a product holding none of their values counts
/// nowhere (the page needs every filter, each facet every filter but its own), so PostgreSQL's
/// GIN index on `attributes` drops it before the read: `attributes @> {name: value}` for each
/// form the value's text can take (a string; a number, which jsonb compares by value; a
/// boolean). The exact rules stay with the in-memory filters (`tally`); this only narrows.
fn attribute_prefilter(conditions: &mut Conditions, filters: &[AttributeFilter]) -> Option<String> {
    let names: std::collections::BTreeSet<&str> =
        filters.iter().map(|filter| filter.name.as_str()).collect();
    if names.len() < 2 {
        return None;
    }
    let mut contains = Vec::new();
    for filter in filters {
        let value = filter.value.as_str();
        let mut forms = vec![serde_json::Value::from(value)];
        if let Ok(number) = serde_json::from_str::<serde_json::Number>(value) {
            forms.push(number.into());
        }
        if let Ok(flag) = value.parse::<bool>() {
            forms.push(flag.into());
        }
        for form in forms {
            let document = serde_json::json!({ filter.name.as_str(): form });
            let bound = conditions.bind(Value::Json(document.to_string()));
            contains.push(format!("p.attributes @> {bound}"));
        }
    }
    Some(format!("({})", contains.join(" OR ")))
}

/// Where a match ranks by relevance.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Relevance {
    /// Its name is the search text.
    exact: bool,
    /// One of its documents matches without typo corrections (1, else 0).
    strict: i64,
    /// Its best document's score.
    score: f64,
}

impl Relevance {
    /// Another of the product's matching documents.
    fn add(&mut self, strict: i64, score: f64) {
        self.strict = self.strict.max(strict);
        self.score = self.score.max(score);
    }

    /// The more relevant first: an exact name, then a match without corrections, then the
    /// higher score (equal scores tie, as in SQL, `-0` and `0` included).
    fn order(&self, other: &Self) -> Ordering {
        other
            .exact
            .cmp(&self.exact)
            .then(other.strict.cmp(&self.strict))
            .then(
                other
                    .score
                    .partial_cmp(&self.score)
                    .unwrap_or(Ordering::Equal),
            )
    }
}

/// The products (of those matching) whose name in a searched language is the search text
/// itself, once folded: they rank first.
pub(super) async fn exact_names(
    conn: &mut Conn,
    plan: &Plan<'_>,
    words: &[Word],
) -> Result<Vec<Uuid>, sqlx::Error> {
    let engine = plan.engine;
    let mut conditions = Conditions::default();
    let store = conditions.bind(Value::Uuid(plan.store_id));
    let phrase = engine.phrase(&mut conditions, words);
    let locales: Vec<String> = plan
        .locales
        .iter()
        .map(|l| conditions.bind(Value::Text(l.clone())))
        .collect();
    let limit = conditions.bind(Value::Int(MAX_EXACT_CANDIDATES));
    let sql = format!(
        "SELECT d.product_id AS product_id, d.name AS name FROM {} \
         WHERE {} AND d.store_id = {store} AND d.locale IN ({}) LIMIT {limit}",
        engine.documents(),
        engine.matches(&phrase),
        locales.join(", ")
    );
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let mut exact = Vec::new();
    for row in conditions.fetch_all(conn, &sql).await? {
        let name: String = row.try_get("name")?;
        if folded_words(&name) == texts {
            exact.push(uuid_column(&row, "product_id")?);
        }
    }
    Ok(exact)
}

/// Every match of `plan`, in its order: by relevance, `exact` (the products named exactly the
/// search text) first, then those matching without typo corrections, then by score, then by id
/// (the ids' text is canonical, in the order of the UUIDs).
pub(super) async fn read(
    conn: &mut Conn,
    plan: &Plan<'_>,
    exact: &[Uuid],
) -> Result<Vec<Match>, sqlx::Error> {
    let (conditions, sql) = plan.sql();
    let ranked = plan.ranked();
    let row = conditions
        .apply(crate::db::query(&sql))
        .fetch_one(&mut *conn)
        .await?;
    let joined: Option<String> = row.try_get("matches")?;
    // (id, price, attribute set) of each match, in the database's order.
    let mut found: Vec<(Uuid, i64, usize)> = Vec::new();
    let mut relevance: Vec<Relevance> = Vec::new();
    // By relevance, a product's documents each make a record: where its match is.
    let mut seen: HashMap<Uuid, usize> = HashMap::new();
    let mut sets = AttributeSets::default();
    for record in joined
        .as_deref()
        .into_iter()
        .flat_map(|j| j.split(RECORD_SEPARATOR))
    {
        let record = Record::parse(record).map_err(|source| sqlx::Error::ColumnDecode {
            index: "matches".into(),
            source,
        })?;
        if ranked {
            if let Some(&at) = seen.get(&record.id) {
                relevance[at].add(record.strict, record.score);
                continue;
            }
            seen.insert(record.id, found.len());
            relevance.push(Relevance {
                exact: exact.contains(&record.id),
                strict: record.strict,
                score: record.score,
            });
        }
        let set = sets
            .add(record.attributes)
            .map_err(|e| decode_error("attributes", e))?;
        found.push((record.id, record.price, set));
    }
    let sets = sets.written(conn, plan.engine).await?;
    let mut matches: Vec<Match> = found
        .into_iter()
        .map(|(id, price, set)| Match {
            id,
            price,
            attributes: Arc::clone(&sets[set]),
        })
        .collect();
    if ranked {
        let mut ranked: Vec<(Relevance, Match)> = relevance.into_iter().zip(matches).collect();
        ranked.sort_by(|(a, a_match), (b, b_match)| a.order(b).then(a_match.id.cmp(&b_match.id)));
        matches = ranked.into_iter().map(|(_, found)| found).collect();
    }
    Ok(matches)
}

/// The distinct attributes (JSON texts) of the matches, each read once: products share them.
#[derive(Debug, Default)]
struct AttributeSets<'a> {
    index: HashMap<&'a str, usize>,
    sets: Vec<Vec<(String, Scalar)>>,
}

impl<'a> AttributeSets<'a> {
    /// The set of these attributes, read if new.
    fn add(&mut self, json: &'a str) -> Result<usize, serde_json::Error> {
        if let Some(&at) = self.index.get(json) {
            return Ok(at);
        }
        self.sets.push(scalar_attributes(json)?);
        self.index.insert(json, self.sets.len() - 1);
        Ok(self.sets.len() - 1)
    }

    /// Every set, its values as text: the numbers only the engine writes, written by it (one
    /// query, when there are any).
    async fn written(
        self,
        conn: &mut Conn,
        engine: Engine,
    ) -> Result<Vec<Arc<[(String, String)]>>, sqlx::Error> {
        let numbers: Vec<&str> = self
            .sets
            .iter()
            .flatten()
            .filter_map(|(_, value)| match value {
                Scalar::Number(number) => Some(number.as_str()),
                Scalar::Text(_) => None,
            })
            .collect();
        let texts = if numbers.is_empty() {
            HashMap::new()
        } else {
            number_texts(conn, engine, numbers).await?
        };
        Ok(self
            .sets
            .into_iter()
            .map(|set| {
                set.into_iter()
                    .map(|(name, value)| match value {
                        Scalar::Text(text) => (name, text),
                        Scalar::Number(number) => {
                            let text = texts.get(&number).cloned().unwrap_or(number);
                            (name, text)
                        }
                    })
                    .collect()
            })
            .collect())
    }
}

/// A match as the database writes it: `id,price,strict,score,attributes` (strict and score
/// empty unless ordered by relevance; the attributes' JSON last, commas and all).
#[derive(Debug, PartialEq)]
struct Record<'a> {
    id: Uuid,
    price: i64,
    strict: i64,
    score: f64,
    attributes: &'a str,
}

impl<'a> Record<'a> {
    fn parse(text: &'a str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let mut fields = text.splitn(5, ',');
        let mut field = || fields.next().ok_or("a match's record is short");
        let id = Uuid::parse_str(field()?)?;
        let price = field()?.parse()?;
        let strict = match field()? {
            "" => 0,
            strict => strict.parse()?,
        };
        let score = match field()? {
            "" => 0.0,
            score => score.parse()?,
        };
        Ok(Self {
            id,
            price,
            strict,
            score,
            attributes: field()?,
        })
    }
}

/// A scalar attribute value read from a product's attributes.
#[derive(Debug, PartialEq)]
enum Scalar {
    /// Its text as both engines write it (a string, `true`, `false`, an integer).
    Text(String),
    /// A number only the engine can write as it always did (a fraction, an exponent, an
    /// integer beyond 64 bits): its JSON.
    Number(String),
}

/// The scalar attributes of a product's attributes JSON (an object), by name; objects,
/// arrays and nulls are left out, as the attribute filters and facets leave them out.
fn scalar_attributes(json: &str) -> Result<Vec<(String, Scalar)>, serde_json::Error> {
    let object: BTreeMap<String, &RawValue> = serde_json::from_str(json)?;
    let mut scalars = Vec::with_capacity(object.len());
    for (name, raw) in object {
        let raw = raw.get().trim();
        let value = match raw.as_bytes().first() {
            Some(b'"') => Scalar::Text(serde_json::from_str(raw)?),
            Some(b't' | b'f') => Scalar::Text(raw.to_owned()),
            Some(b'n' | b'[' | b'{') | None => continue,
            Some(_) => match raw.parse::<i64>() {
                Ok(integer) => Scalar::Text(integer.to_string()),
                Err(_) => Scalar::Number(raw.to_owned()),
            },
        };
        scalars.push((name, value));
    }
    Ok(scalars)
}

/// The text the engine writes for each of these JSON numbers, in one query.
async fn number_texts(
    conn: &mut Conn,
    engine: Engine,
    mut distinct: Vec<&str>,
) -> Result<HashMap<String, String>, sqlx::Error> {
    distinct.sort_unstable();
    distinct.dedup();
    let array = format!("[{}]", distinct.join(","));
    let rows = crate::db::query(engine.number_texts_sql())
        .bind(array)
        .fetch_all(conn)
        .await?;
    distinct
        .iter()
        .zip(&rows)
        .map(|(number, row)| Ok(((*number).to_owned(), row.try_get("text")?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevance_puts_exact_names_then_strict_matches_then_scores_first() {
        let rank = |exact, strict, score| Relevance {
            exact,
            strict,
            score,
        };
        let mut best = rank(false, 0, 1.0);
        best.add(1, 0.5);
        assert_eq!(best, rank(false, 1, 1.0));
        assert_eq!(rank(true, 0, 0.1).order(&best), Ordering::Less);
        assert_eq!(best.order(&rank(false, 0, 9.0)), Ordering::Less);
        assert_eq!(rank(false, 1, 2.0).order(&best), Ordering::Less);
        assert_eq!(
            rank(false, 1, 0.0).order(&rank(false, 1, -0.0)),
            Ordering::Equal
        );
    }

    #[test]
    fn records_are_read_field_by_field() {
        let id = "0b4e7bb0-4a7e-4bd2-9a8e-4f2b1d9f6b21";
        let ranked = format!("{id},1250,1,2.6250354031999623,{{\"a\":\"x,y\"}}");
        let sorted = format!("{id},0,,,{{}}");
        let record = Record::parse(&ranked).unwrap();
        assert_eq!(
            record,
            Record {
                id: Uuid::parse_str(id).unwrap(),
                price: 1250,
                strict: 1,
                score: 2.625_035_403_199_962_3,
                attributes: r#"{"a":"x,y"}"#,
            }
        );
        let sorted = Record::parse(&sorted).unwrap();
        assert_eq!(
            (sorted.strict, sorted.score, sorted.attributes),
            (0, 0.0, "{}")
        );
        assert!(Record::parse(&format!("{id},12")).is_err());
        assert!(Record::parse("x,1,,,{}").is_err());
    }

    #[test]
    fn scalar_attributes_are_read_as_the_engines_write_them() {
        let json = r#"{"origin":"Espa\u00f1a","organic":true,"vegan":false,"weightGrams":750,
            "below":-3,"litres":1.50,"big":18446744073709551616,"tags":["a"],"box":{"a":1},
            "note":null}"#;
        let text = |t: &str| Scalar::Text(t.to_owned());
        assert_eq!(
            scalar_attributes(json).unwrap(),
            [
                ("below".to_owned(), text("-3")),
                (
                    "big".to_owned(),
                    Scalar::Number("18446744073709551616".to_owned())
                ),
                ("litres".to_owned(), Scalar::Number("1.50".to_owned())),
                ("organic".to_owned(), text("true")),
                ("origin".to_owned(), text("España")),
                ("vegan".to_owned(), text("false")),
                ("weightGrams".to_owned(), text("750")),
            ]
        );
        assert!(scalar_attributes("{}").unwrap().is_empty());
        assert!(scalar_attributes("[1]").is_err());
    }
}
