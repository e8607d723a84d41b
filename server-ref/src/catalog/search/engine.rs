//! What differs between the engines in a search's SQL: SQLite's FTS5 and PostgreSQL's tsvector
//! match expressions, their documents, their vocabularies, and how they write a JSON number as
//! text.

use uuid::Uuid;

use super::words::Word;
use crate::catalog::Conditions;
use crate::db::Backend;
use crate::db::Value;

/// Most vocabulary words considered as corrections of one word.
const MAX_CANDIDATES: i64 = 1000;

/// A small count as an SQL integer (lengths of words of at most 200 characters).
fn to_i64(count: usize) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// What the engine-specific SQL of a search is.
#[derive(Debug, Clone, Copy)]
pub(super) struct Engine(pub(super) Backend);

impl Engine {
    /// An SQL match expression, its values bound in `conditions`: every word (as a prefix, or
    /// as one of its corrections). On SQLite the bound FTS5 query text (words are letters and
    /// digits only, see `folded_words`, and quoted); on PostgreSQL a tsquery built from bound
    /// words by functions that take any text, so no input is ever read as tsquery syntax
    /// (unaccent alone turns `¼` into `1/4`).
    pub(super) fn expression(
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
                conditions.bind(Value::Text(text))
            }
            Backend::Postgres => {
                let all: Vec<String> = words
                    .iter()
                    .map(|word| {
                        let prefix = conditions.bind(Value::Text(word.text.clone()));
                        // The space keeps a word unaccent empties from making `'':*`, an error.
                        let mut alternatives = vec![format!(
                            "to_tsquery('simple', quote_literal(search_fold({prefix}) || ' ') || ':*')"
                        )];
                        for correction in corrections(word) {
                            let correction = conditions.bind(Value::Text(correction));
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
    pub(super) fn phrase(self, conditions: &mut Conditions, words: &[Word]) -> String {
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        match self.0 {
            Backend::Sqlite => {
                conditions.bind(Value::Text(format!("name : ^\"{}\"", texts.join(" "))))
            }
            Backend::Postgres => {
                let phrase = conditions.bind(Value::Text(texts.join(" ")));
                format!("phraseto_tsquery('simple', search_fold({phrase}))")
            }
        }
    }

    /// `WHERE`-able condition: the document `d` matches `expression` (from [`Self::expression`]).
    pub(super) fn matches(self, expression: &str) -> String {
        match self.0 {
            Backend::Sqlite => format!("search_index MATCH {expression}"),
            Backend::Postgres => format!("d.document @@ {expression}"),
        }
    }

    /// The documents table, joined to the index where the engine has one apart.
    pub(super) fn documents(self) -> &'static str {
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

    /// The products of the hits (`h`, see [`Self::hits`]) as `p`, each read by its primary key.
    pub(super) fn hit_products(self) -> &'static str {
        match self.0 {
            // CROSS JOIN keeps SQLite's join order: the hits first.
            Backend::Sqlite => "hits h CROSS JOIN products p ON p.id = h.product_id",
            // OFFSET 0 keeps the subquery apart: one primary key lookup per hit. Left to
            // itself, the planner joined by hash, reading every product of the store, or, with
            // the statistics of a freshly loaded catalog, read every hit once per product
            // (over a second for a broad word).
            Backend::Postgres => {
                "hits h CROSS JOIN LATERAL \
                 (SELECT * FROM products WHERE id = h.product_id OFFSET 0) p"
            }
        }
    }

    /// The indexed words that may be `word` mistyped, by at most `allowed` edits.
    pub(super) fn candidates_sql(
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
                let first = conditions.bind(Value::Text(first));
                let next = conditions.bind(Value::Text(next));
                let shortest = conditions.bind(Value::Int(to_i64(length.saturating_sub(allowed))));
                let longest = conditions.bind(Value::Int(to_i64(length + allowed)));
                let limit = conditions.bind(Value::Int(MAX_CANDIDATES));
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
                let store = conditions.bind(Value::Uuid(store_id));
                let first = conditions.bind(Value::Text(word.chars().take(1).collect()));
                let similar = conditions.bind(Value::Text(word.to_owned()));
                let shortest = conditions.bind(Value::Int(to_i64(length.saturating_sub(allowed))));
                let longest = conditions.bind(Value::Int(to_i64(length + allowed)));
                let limit = conditions.bind(Value::Int(MAX_CANDIDATES));
                format!(
                    "SELECT word FROM search_words WHERE store_id = {store} \
                     AND length(word) BETWEEN {shortest} AND {longest} \
                     AND (left(word, 1) = {first} OR word % {similar}) LIMIT {limit}"
                )
            }
        }
    }

    /// `WITH … hits AS (…) `: the products of the store (bound as `store`) with a document in
    /// one of `locales` that matches `words` (`product_id`), once each; `ranked`, once per
    /// matching document instead, with the document's score and whether it matches without
    /// typo corrections (`score`, `strict`: only an order by relevance needs them, and scoring
    /// every match is most of a search's cost).
    pub(super) fn hits(
        self,
        conditions: &mut Conditions,
        store: &str,
        locales: &[String],
        words: &[Word],
        ranked: bool,
    ) -> String {
        let engine = self;
        let loose = engine.expression(conditions, words, true);
        let has_corrections = words.iter().any(|word| !word.corrections.is_empty());
        let locales: Vec<String> = locales
            .iter()
            .map(|l| conditions.bind(Value::Text(l.clone())))
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
                // As float8, which the Any driver reads as f64 (exactly: float4 widens).
                "ts_rank(d.document, tsq.loose)::float8",
                strict.map(|_| "CASE WHEN d.document @@ tsq.strict THEN 1 ELSE 0 END"),
            ),
        };
        if !ranked {
            return format!(
                "WITH {with}hits AS (SELECT DISTINCT d.product_id AS product_id FROM {documents} \
                   WHERE {matches} AND {scope}) "
            );
        }
        // MATERIALIZED: FTS5's bm25() cannot be evaluated inside the aggregate that reads the
        // matches (see `joined`).
        format!(
            "WITH {with}hits AS MATERIALIZED (SELECT d.product_id AS product_id, \
               {score} AS score, {strict} AS strict FROM {documents} WHERE {matches} AND {scope}) ",
            strict = strict.unwrap_or("1"),
        )
    }

    /// An aggregate of the text `record` of every row, joined by the bound `separator`, in
    /// `order` if given; NULL without rows.
    pub(super) fn joined(self, record: &str, separator: &str, order: Option<&str>) -> String {
        let order = order
            .map(|order| format!(" ORDER BY {order}"))
            .unwrap_or_default();
        match self.0 {
            Backend::Sqlite => format!("group_concat({record}, {separator}{order})"),
            Backend::Postgres => format!("string_agg({record}, {separator}{order})"),
        }
    }

    /// The REAL (float8) `expression` as text that reads back as the same f64: SQLite's
    /// printf writes 17 significant digits with `!` (16 at most without); PostgreSQL writes
    /// the shortest exact text when `extra_float_digits` is positive, as sqlx sets it.
    pub(super) fn exact_text(self, expression: &str) -> String {
        match self.0 {
            Backend::Sqlite => format!("printf('%!.17g', {expression})"),
            Backend::Postgres => format!("({expression})::text"),
        }
    }

    /// A query answering, in order, the text each number of a bound JSON array becomes as an
    /// attribute value (`text` column): `1.50` is `1.5` to SQLite (a REAL) but `1.50` to
    /// PostgreSQL (a numeric), as the attribute filters and facets always compared them.
    pub(super) fn number_texts_sql(self) -> &'static str {
        match self.0 {
            Backend::Sqlite => {
                "SELECT CAST(a.value AS TEXT) AS text FROM json_each($1) a ORDER BY a.key"
            }
            Backend::Postgres => {
                "SELECT a.value #>> '{}' AS text \
                 FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY a(value, position) \
                 ORDER BY a.position"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            [Value::Text(fts), _, _, Value::Text(start)]
                if fts == "(\"wildflwer\"* OR \"wildflower\") AND (\"hon\"*)"
                    && start == "name : ^\"wildflwer hon\""
        ));
    }
}
