//! Catalog search: full-text matching ranked by relevance, filters by price and attributes,
//! and facet counts, on the search documents migration 0013 keeps in sync with the catalog
//! (SQLite FTS5; PostgreSQL tsvector with unaccent and pg_trgm).
//!
//! A search text becomes words, folded to lower case without diacritics as the indexes fold
//! them. Every word matches as a prefix (`hon` finds `Honey`), or as one of the store's indexed
//! words within a small edit distance (`wildflwer` finds `wildflower`): typo corrections come
//! from the index's vocabulary and strsim's Damerau-Levenshtein distance decides. Products
//! rank by, in order: a name equal to the search text, whether they match without
//! corrections, then the engine's relevance score (BM25 or ts_rank, the name weighing more
//! than the description). Documents searched are the store's own language and the
//! translations fitting the shopper's languages.
//!
//! Prices, activity, categories and attributes are read from `products` at query time, so a
//! price change (the product's listed price follows its variants') needs no reindexing.

use std::collections::BTreeMap;

use colmena_sdk::contract::{
    AdminProduct, AttributeFacet, FacetValue, Money, PriceRange, ProductSort, SearchFacets,
    SearchQuery,
};
use sqlx::{AnyConnection, Row};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use super::translations::Preference;
use super::{products_of_rows, sort_order, Bind, Conditions, PRODUCT_COLUMNS, PRODUCT_FROM};
use crate::db::{total_column, uuid_column, Backend};
use crate::urls::PublicUrls;

/// Most words of a search text that take part (the rest are ignored).
const MAX_WORDS: usize = 8;
/// Most typo corrections tried per word, the closest first.
const MAX_CORRECTIONS: usize = 4;
/// Most vocabulary words considered as corrections of one word.
const MAX_CANDIDATES: i64 = 1000;
/// Most documents read to find the products whose name is exactly the search text.
const MAX_EXACT_CANDIDATES: i64 = 50;
/// Most values answered per attribute facet.
const MAX_FACET_VALUES: usize = 20;

/// A small count as an SQL integer (lengths of words of at most 200 characters).
fn to_i64(count: usize) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// One page of a search, the number of matches, and the facets of every match.
#[derive(Debug)]
pub struct SearchOutcome {
    /// The page's products, in the search's order.
    pub products: Vec<AdminProduct>,
    /// Every matching product, over all pages.
    pub total: u64,
    /// The facets of every match.
    pub facets: SearchFacets,
}

/// Lower case without diacritics, as the indexes fold text (`Crème` is `creme`).
fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded words of `text`, as the indexes' tokenizers cut them (at anything but letters
/// and digits).
fn folded_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How many typos a word of this length forgives: none in short words, where one edit makes
/// another common word, one up to 7 letters, two beyond.
fn typos_allowed(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// A word of the search text and the indexed words it may be a typo of.
#[derive(Debug)]
struct Word {
    text: String,
    corrections: Vec<String>,
}

/// What the engine-specific SQL of a search is.
#[derive(Debug, Clone, Copy)]
struct Engine(Backend);

impl Engine {
    /// An SQL match expression, its values bound in `conditions`: every word (as a prefix, or
    /// as one of its corrections). On SQLite the bound FTS5 query text (words are letters and
    /// digits only, see `folded_words`, and quoted); on PostgreSQL a tsquery built from bound
    /// words by functions that take any text, so no input is ever read as tsquery syntax
    /// (unaccent alone turns `¼` into `1/4`).
    fn expression(
        self,
        conditions: &mut Conditions,
        words: &[Word],
        with_corrections: bool,
    ) -> String {
        let corrections = |word: &Word| -> Vec<String> {
            if with_corrections {
                word.corrections.clone()
            } else {
                Vec::new()
            }
        };
        match self.0 {
            Backend::Sqlite => {
                let text = words
                    .iter()
                    .map(|word| {
                        let mut alternatives = vec![format!("\"{}\"*", word.text)];
                        alternatives.extend(corrections(word).iter().map(|c| format!("\"{c}\"")));
                        format!("({})", alternatives.join(" OR "))
                    })
                    .collect::<Vec<_>>()
                    .join(" AND ");
                conditions.bind(Bind::Text(text))
            }
            Backend::Postgres => {
                let all: Vec<String> = words
                    .iter()
                    .map(|word| {
                        let prefix = conditions.bind(Bind::Text(word.text.clone()));
                        // The space keeps a word unaccent empties from making `'':*`, an error.
                        let mut alternatives = vec![format!(
                            "to_tsquery('simple', quote_literal(search_fold({prefix}) || ' ') || ':*')"
                        )];
                        for correction in corrections(word) {
                            let correction = conditions.bind(Bind::Text(correction));
                            alternatives.push(format!("plainto_tsquery('simple', {correction})"));
                        }
                        format!("({})", alternatives.join(" || "))
                    })
                    .collect();
                format!("({})", all.join(" && "))
            }
        }
    }

    /// An SQL match expression of names that hold the words as a phrase (at the start, on
    /// SQLite; the exact name is then checked on the few found).
    fn phrase(self, conditions: &mut Conditions, words: &[Word]) -> String {
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        match self.0 {
            Backend::Sqlite => {
                conditions.bind(Bind::Text(format!("name : ^\"{}\"", texts.join(" "))))
            }
            Backend::Postgres => {
                let phrase = conditions.bind(Bind::Text(texts.join(" ")));
                format!("phraseto_tsquery('simple', search_fold({phrase}))")
            }
        }
    }

    /// `WHERE`-able condition: the document `d` matches `expression` (from [`Self::expression`]).
    fn matches(self, expression: &str) -> String {
        match self.0 {
            Backend::Sqlite => format!("search_index MATCH {expression}"),
            Backend::Postgres => format!("d.document @@ {expression}"),
        }
    }

    /// The documents table, joined to the index where the engine has one apart.
    fn documents(self) -> &'static str {
        match self.0 {
            // CROSS JOIN keeps SQLite's join order: the index's matches first, then their
            // documents by id. The other order would run the full-text query once per document
            // of the store.
            Backend::Sqlite => {
                "search_index CROSS JOIN search_documents d ON d.id = search_index.rowid"
            }
            Backend::Postgres => "search_documents d",
        }
    }

    /// The indexed words that may be `word` mistyped, by at most `allowed` edits.
    fn candidates_sql(
        self,
        store_id: Uuid,
        word: &str,
        allowed: usize,
        conditions: &mut Conditions,
    ) -> String {
        match self.0 {
            // The FTS5 vocabulary is the whole index's, every store's: a word of another store
            // only widens the query with an alternative that matches none of this store's
            // documents, and corrections are never shown. Its terms are ordered, so only the
            // range of the word's first letter is read, of lengths within reach (a typo in the
            // first letter goes uncorrected).
            Backend::Sqlite => {
                let first: String = word.chars().take(1).collect();
                let next: String = first
                    .chars()
                    .map(|c| char::from_u32(u32::from(c) + 1).unwrap_or(c))
                    .collect();
                let length = word.chars().count();
                let first = conditions.bind(Bind::Text(first));
                let next = conditions.bind(Bind::Text(next));
                let shortest = conditions.bind(Bind::Int(to_i64(length.saturating_sub(allowed))));
                let longest = conditions.bind(Bind::Int(to_i64(length + allowed)));
                let limit = conditions.bind(Bind::Int(MAX_CANDIDATES));
                format!(
                    "SELECT DISTINCT term AS word FROM search_terms \
                     WHERE term >= {first} AND term < {next} \
                     AND length(term) BETWEEN {shortest} AND {longest} LIMIT {limit}"
                )
            }
            // The store's own words: those of the same first letter (as on SQLite) or similar
            // by pg_trgm's trigrams (which also catch a typo in the first letter), of lengths
            // within reach.
            Backend::Postgres => {
                let length = word.chars().count();
                let store = conditions.bind(Bind::Text(store_id.to_string()));
                let first = conditions.bind(Bind::Text(word.chars().take(1).collect()));
                let similar = conditions.bind(Bind::Text(word.to_owned()));
                let shortest = conditions.bind(Bind::Int(to_i64(length.saturating_sub(allowed))));
                let longest = conditions.bind(Bind::Int(to_i64(length + allowed)));
                let limit = conditions.bind(Bind::Int(MAX_CANDIDATES));
                format!(
                    "SELECT word FROM search_words WHERE store_id = {store} \
                     AND length(word) BETWEEN {shortest} AND {longest} \
                     AND (left(word, 1) = {first} OR word % {similar}) LIMIT {limit}"
                )
            }
        }
    }

    /// Condition: the product `p`'s attribute `name` is one of `values` (as text).
    fn attribute_matches(self, conditions: &mut Conditions, name: &str, values: &[&str]) -> String {
        let (attribute, text) = match self.0 {
            // Names are letters, digits, `_` and `-` (SearchQuery's rules): safe in a path.
            Backend::Sqlite => {
                let path = conditions.bind(Bind::Text(format!("$.\"{name}\"")));
                (
                    format!("json_type(p.attributes, {path}) IN ('text', 'integer', 'real', 'true', 'false')"),
                    format!(
                        "(CASE json_type(p.attributes, {path}) WHEN 'true' THEN 'true' \
                         WHEN 'false' THEN 'false' \
                         ELSE CAST(json_extract(p.attributes, {path}) AS TEXT) END)"
                    ),
                )
            }
            Backend::Postgres => {
                let name = conditions.bind(Bind::Text(name.to_owned()));
                (
                    format!(
                        "jsonb_typeof(p.attributes_document -> {name}) \
                         IN ('string', 'number', 'boolean')"
                    ),
                    format!("(p.attributes_document ->> {name})"),
                )
            }
        };
        let values: Vec<String> = values
            .iter()
            .map(|v| conditions.bind(Bind::Text((*v).to_owned())))
            .collect();
        format!("({attribute} AND {text} IN ({}))", values.join(", "))
    }

    /// `(set of key/value pairs of p.attributes, condition of scalar values, value as text)`.
    fn attribute_pairs(self) -> (&'static str, &'static str, &'static str) {
        match self.0 {
            Backend::Sqlite => (
                "json_each(p.attributes) a",
                "a.type IN ('text', 'integer', 'real', 'true', 'false')",
                "(CASE a.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
                 ELSE CAST(a.value AS TEXT) END)",
            ),
            Backend::Postgres => (
                "LATERAL jsonb_each(p.attributes_document) a",
                "jsonb_typeof(a.value) IN ('string', 'number', 'boolean')",
                "(a.value #>> '{}')",
            ),
        }
    }
}

/// Which filters a query leaves out: facets count without their own filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leave {
    Nothing,
    Price,
    Attributes,
}

/// A search, ready to become SQL.
struct Plan<'a> {
    engine: Engine,
    store_id: Uuid,
    query: &'a SearchQuery,
    /// The search text's words; `None` when the filters alone choose.
    words: Option<Vec<Word>>,
    /// The languages of the documents searched (`''` is the store's own).
    locales: Vec<String>,
    /// Attribute filters: each name's values.
    attributes: BTreeMap<&'a str, Vec<&'a str>>,
}

impl Plan<'_> {
    /// The conditions of the products matching, leaving out one filter, and the SQL before
    /// `SELECT` (the matching documents, when there is a search text) and after `FROM` (the
    /// products, with their matching documents).
    fn conditions(&self, leave: Leave, ranked: bool) -> (Conditions, String, &'static str) {
        let mut conditions = Conditions::default();
        let store = conditions.bind(Bind::Text(self.store_id.to_string()));
        conditions.and(&format!("p.store_id = {store} AND p.is_active = 1"));
        let (prefix, from) = match &self.words {
            None => (String::new(), "products p"),
            Some(words) => {
                let hits = self.hits(&mut conditions, &store, words, ranked);
                conditions.and("p.id = h.product_id");
                (hits, "hits h CROSS JOIN products p")
            }
        };
        conditions.category_and_featured(
            &store,
            self.query.category.as_deref(),
            self.query.featured,
        );
        if let Some(product_type) = &self.query.product_type {
            let product_type = conditions.bind(Bind::Text(product_type.clone()));
            conditions.and(&format!(
                "p.product_type_id IN (SELECT id FROM product_types \
                 WHERE store_id = {store} AND slug = {product_type})"
            ));
        }
        if leave != Leave::Price {
            if let Some(in_range) = self.price_condition(&mut conditions) {
                conditions.and(&in_range);
            }
        }
        if leave != Leave::Attributes {
            for (name, values) in &self.attributes {
                let matches = self.engine.attribute_matches(&mut conditions, name, values);
                conditions.and(&matches);
            }
        }
        (conditions, prefix, from)
    }

    /// The price filter as a condition, if the query has one.
    fn price_condition(&self, conditions: &mut Conditions) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(min) = self.query.min_price {
            parts.push(format!(
                "p.price_amount >= {}",
                conditions.bind(Bind::Int(min))
            ));
        }
        if let Some(max) = self.query.max_price {
            parts.push(format!(
                "p.price_amount <= {}",
                conditions.bind(Bind::Int(max))
            ));
        }
        (!parts.is_empty()).then(|| parts.join(" AND "))
    }

    /// `WITH … hits AS (…)`: the store's products with a matching document in a searched
    /// language; `ranked`, with their best document's score and whether a document matches
    /// without typo corrections (only the page's order needs them: scoring every match is
    /// most of a search's cost).
    fn hits(
        &self,
        conditions: &mut Conditions,
        store: &str,
        words: &[Word],
        ranked: bool,
    ) -> String {
        let engine = self.engine;
        let loose = engine.expression(conditions, words, true);
        let has_corrections = words.iter().any(|word| !word.corrections.is_empty());
        let locales: Vec<String> = self
            .locales
            .iter()
            .map(|l| conditions.bind(Bind::Text(l.clone())))
            .collect();
        let scope = format!(
            "d.store_id = {store} AND d.locale IN ({})",
            locales.join(", ")
        );
        let strict =
            (ranked && has_corrections).then(|| engine.expression(conditions, words, false));
        let (with, documents, matches, score, strict) = match engine.0 {
            Backend::Sqlite => {
                let strict_cte = strict.as_ref().map(|strict| {
                    format!(
                        "strict AS (SELECT rowid AS id FROM search_index \
                         WHERE search_index MATCH {strict}), "
                    )
                });
                (
                    strict_cte.unwrap_or_default(),
                    engine.documents(),
                    engine.matches(&loose),
                    // BM25 is lower for better matches; the name weighs ten times the description.
                    "-bm25(search_index, 10.0, 1.0)",
                    strict.map(|_| {
                        "CASE WHEN search_index.rowid IN (SELECT id FROM strict) THEN 1 ELSE 0 END"
                    }),
                )
            }
            // The queries the select list reads are made once, in a CTE: there PostgreSQL would
            // make them again for every document. The condition keeps its own copy, a constant
            // to the planner, which the GIN index then answers.
            Backend::Postgres => (
                if ranked {
                    format!(
                        "tsq AS MATERIALIZED (SELECT {loose} AS loose, {} AS strict), ",
                        strict.as_deref().unwrap_or("NULL::tsquery")
                    )
                } else {
                    String::new()
                },
                if ranked {
                    "tsq CROSS JOIN search_documents d"
                } else {
                    "search_documents d"
                },
                engine.matches(&loose),
                // The name's weight A counts 1.0, the description's B 0.4 (ts_rank's defaults).
                "ts_rank(d.document, tsq.loose)",
                strict.map(|_| "CASE WHEN d.document @@ tsq.strict THEN 1 ELSE 0 END"),
            ),
        };
        if !ranked {
            return format!(
                "WITH {with}hits AS (SELECT DISTINCT d.product_id AS product_id FROM {documents} \
                   WHERE {matches} AND {scope}) "
            );
        }
        // MATERIALIZED: FTS5's bm25() cannot be evaluated inside the aggregate below.
        format!(
            "WITH {with}matched AS MATERIALIZED (SELECT d.product_id AS product_id, \
               {score} AS score, {strict} AS strict FROM {documents} WHERE {matches} AND {scope}), \
             hits AS (SELECT product_id, MAX(score) AS score, MAX(strict) AS strict \
               FROM matched GROUP BY product_id) ",
            strict = strict.unwrap_or("1"),
        )
    }
}

/// Searches the store's active products.
#[allow(clippy::too_many_arguments)]
pub async fn search(
    conn: &mut AnyConnection,
    backend: Backend,
    urls: &PublicUrls,
    store_id: Uuid,
    currency: &str,
    query: &SearchQuery,
    languages: &Preference,
) -> Result<SearchOutcome, sqlx::Error> {
    let engine = Engine(backend);
    let text = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let mut search_words: Vec<String> = text.map(folded_words).unwrap_or_default();
    search_words.truncate(MAX_WORDS);
    if text.is_some() && search_words.is_empty() {
        // Only punctuation: nothing can match it.
        return Ok(SearchOutcome {
            products: Vec::new(),
            total: 0,
            facets: SearchFacets::default(),
        });
    }
    let words = match text {
        None => None,
        Some(_) => Some(corrected(conn, engine, store_id, search_words).await?),
    };
    let mut attributes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for filter in &query.attributes {
        attributes
            .entry(filter.name.as_str())
            .or_default()
            .push(filter.value.as_str());
    }
    let plan = Plan {
        engine,
        store_id,
        query,
        locales: searched_locales(conn, store_id, languages).await?,
        words,
        attributes,
    };

    let (total, price) = total_and_price_range(conn, &plan, currency).await?;

    let (mut conditions, prefix, _) = plan.conditions(Leave::Nothing, true);
    let order = match (&plan.words, query.sort) {
        (Some(words), None) => {
            let exact = exact_names(conn, &plan, words).await?;
            let exact: Vec<String> = exact
                .iter()
                .map(|id| conditions.bind(Bind::Text(id.to_string())))
                .collect();
            let exact_first = if exact.is_empty() {
                String::new()
            } else {
                format!(
                    "CASE WHEN p.id IN ({}) THEN 0 ELSE 1 END, ",
                    exact.join(", ")
                )
            };
            format!("{exact_first}h.strict DESC, h.score DESC, p.id")
        }
        (_, sort) => sort_order(backend, sort.unwrap_or(ProductSort::Newest)),
    };
    let paging = conditions.paging(query.effective_limit(), query.offset)?;
    let source = match plan.words {
        None => PRODUCT_FROM.to_owned(),
        Some(_) => format!(
            "FROM hits h CROSS JOIN {}",
            PRODUCT_FROM.trim_start_matches("FROM ")
        ),
    };
    let sql = format!(
        "{prefix}SELECT {PRODUCT_COLUMNS} {source}{} ORDER BY {order}{paging}",
        conditions.sql
    );
    let products = products_of_rows(conn, urls, store_id, &conditions, &sql).await?;

    let facets = SearchFacets {
        price,
        attributes: attribute_facets(conn, &plan).await?,
    };
    Ok(SearchOutcome {
        products,
        total,
        facets,
    })
}

/// The words of the search text with their typo corrections from the index's vocabulary.
async fn corrected(
    conn: &mut AnyConnection,
    engine: Engine,
    store_id: Uuid,
    texts: Vec<String>,
) -> Result<Vec<Word>, sqlx::Error> {
    let mut words = Vec::with_capacity(texts.len());
    for text in texts {
        let allowed = typos_allowed(&text);
        let mut corrections = Vec::new();
        if allowed > 0 {
            let mut conditions = Conditions::default();
            let sql = engine.candidates_sql(store_id, &text, allowed, &mut conditions);
            let mut scored: Vec<(usize, String)> = Vec::new();
            for row in conditions.fetch_all(conn, &sql).await? {
                let candidate: String = row.try_get("word")?;
                // A word the prefix already matches needs no correction.
                if candidate.starts_with(&text) {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(&text, &candidate);
                if distance <= allowed {
                    scored.push((distance, candidate));
                }
            }
            scored.sort();
            corrections = scored
                .into_iter()
                .take(MAX_CORRECTIONS)
                .map(|(_, candidate)| candidate)
                .collect();
        }
        words.push(Word { text, corrections });
    }
    Ok(words)
}

/// The languages of the documents a search reads: the store's own (`''`) and those of its
/// translations that fit the shopper's languages.
async fn searched_locales(
    conn: &mut AnyConnection,
    store_id: Uuid,
    languages: &Preference,
) -> Result<Vec<String>, sqlx::Error> {
    let mut locales = vec![String::new()];
    if languages.is_empty() {
        return Ok(locales);
    }
    let available: Vec<String> =
        sqlx::query("SELECT DISTINCT locale FROM product_translations WHERE store_id = $1")
            .bind(store_id.to_string())
            .fetch_all(conn)
            .await?
            .iter()
            .map(|row| row.try_get("locale"))
            .collect::<Result<_, _>>()?;
    locales.extend(languages.fitting(&available).into_iter().map(str::to_owned));
    Ok(locales)
}

/// The products (of those matching) whose name in a searched language is the search text
/// itself, once folded: they rank first.
async fn exact_names(
    conn: &mut AnyConnection,
    plan: &Plan<'_>,
    words: &[Word],
) -> Result<Vec<Uuid>, sqlx::Error> {
    let engine = plan.engine;
    let mut conditions = Conditions::default();
    let store = conditions.bind(Bind::Text(plan.store_id.to_string()));
    let phrase = engine.phrase(&mut conditions, words);
    let locales: Vec<String> = plan
        .locales
        .iter()
        .map(|l| conditions.bind(Bind::Text(l.clone())))
        .collect();
    let limit = conditions.bind(Bind::Int(MAX_EXACT_CANDIDATES));
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

/// The number of matches, and their price range with the price filter left out: one query,
/// which counts the matches in the price range among those it reads.
async fn total_and_price_range(
    conn: &mut AnyConnection,
    plan: &Plan<'_>,
    currency: &str,
) -> Result<(u64, Option<PriceRange>), sqlx::Error> {
    let (mut conditions, prefix, from) = plan.conditions(Leave::Price, false);
    let in_range = plan
        .price_condition(&mut conditions)
        .unwrap_or_else(|| "1 = 1".to_owned());
    let sql = format!(
        "{prefix}SELECT COUNT(CASE WHEN {in_range} THEN 1 END) AS total, \
           MIN(p.price_amount) AS low, MAX(p.price_amount) AS high FROM {from}{}",
        conditions.sql
    );
    let row = conditions
        .apply(sqlx::query(&sql))
        .fetch_one(&mut *conn)
        .await?;
    let low: Option<i64> = row.try_get("low")?;
    let high: Option<i64> = row.try_get("high")?;
    let range = low.zip(high).map(|(low, high)| PriceRange {
        min: Money::new(low, currency),
        max: Money::new(high, currency),
    });
    Ok((total_column(&row, "total")?, range))
}

/// The attribute facets of the matches, in one query over the matches without attribute
/// filters: each (attribute, value) pair counts the products that pass every attribute filter
/// but the one on its own attribute.
async fn attribute_facets(
    conn: &mut AnyConnection,
    plan: &Plan<'_>,
) -> Result<Vec<AttributeFacet>, sqlx::Error> {
    let (mut conditions, prefix, from) = plan.conditions(Leave::Attributes, false);
    let mut others = Vec::new();
    for (name, values) in &plan.attributes {
        let key = conditions.bind(Bind::Text((*name).to_owned()));
        let matches = plan.engine.attribute_matches(&mut conditions, name, values);
        others.push(format!("(a.key = {key} OR {matches})"));
    }
    let counted = if others.is_empty() {
        "COUNT(*)".to_owned()
    } else {
        format!("COUNT(CASE WHEN {} THEN 1 END)", others.join(" AND "))
    };
    let (pairs, scalar, value) = plan.engine.attribute_pairs();
    let sql = format!(
        "{prefix}SELECT a.key AS name, {value} AS value, {counted} AS products \
         FROM {from}, {pairs}{} AND {scalar} \
         GROUP BY a.key, {value} HAVING {counted} > 0 ORDER BY a.key, products DESC, value",
        conditions.sql
    );
    let mut facets: Vec<AttributeFacet> = Vec::new();
    for row in conditions.fetch_all(conn, &sql).await? {
        let name: String = row.try_get("name")?;
        if facets.last().is_none_or(|facet| facet.name != name) {
            facets.push(AttributeFacet {
                name,
                values: Vec::new(),
            });
        }
        if let Some(facet) = facets
            .last_mut()
            .filter(|f| f.values.len() < MAX_FACET_VALUES)
        {
            facet.values.push(FacetValue {
                value: row.try_get("value")?,
                count: total_column(&row, "products")?,
            });
        }
    }
    Ok(facets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_as_the_indexes_fold_them() {
        assert_eq!(
            folded_words("Crème  Brûlée-Candle!"),
            ["creme", "brulee", "candle"]
        );
        assert_eq!(folded_words("ÉTÉ 2025"), ["ete", "2025"]);
        assert!(folded_words("?!").is_empty());
    }

    #[test]
    fn longer_words_forgive_more_typos() {
        assert_eq!(typos_allowed("hon"), 0);
        assert_eq!(typos_allowed("hony"), 1);
        assert_eq!(typos_allowed("wildflwer"), 2);
    }

    #[test]
    fn expressions_offer_prefixes_and_corrections() {
        let words = vec![
            Word {
                text: "wildflwer".into(),
                corrections: vec!["wildflower".into()],
            },
            Word {
                text: "hon".into(),
                corrections: Vec::new(),
            },
        ];
        let mut conditions = Conditions::default();
        let sqlite = Engine(Backend::Sqlite).expression(&mut conditions, &words, true);
        assert_eq!(sqlite, "$1");
        let postgres = Engine(Backend::Postgres).expression(&mut conditions, &words, false);
        assert_eq!(
            postgres,
            "((to_tsquery('simple', quote_literal(search_fold($2) || ' ') || ':*')) \
             && (to_tsquery('simple', quote_literal(search_fold($3) || ' ') || ':*')))"
        );
        let phrase = Engine(Backend::Sqlite).phrase(&mut conditions, &words);
        assert_eq!(phrase, "$4");
        assert!(matches!(
            &conditions.binds[..],
            [Bind::Text(fts), _, _, Bind::Text(start)]
                if fts == "(\"wildflwer\"* OR \"wildflower\") AND (\"hon\"*)"
                    && start == "name : ^\"wildflwer hon\""
        ));
    }
}
