//! Catalog search: full-text matching ranked by relevance, filters by price and attributes,
//! and facet counts, on the search documents migration 0013 keeps in sync with the catalog
//! (SQLite FTS5; PostgreSQL tsvector with unaccent and pg_trgm).
//!
//! A search text becomes words, folded to lower case without diacritics as the indexes fold
//! them (`words`). Every word matches as a prefix (`hon` finds `Honey`), or as one of the
//! store's indexed words within a small edit distance (`wildflwer` finds `wildflower`): typo
//! corrections come from the index's vocabulary and strsim's Damerau-Levenshtein distance
//! decides. Products rank by, in order: a name equal to the search text, whether they match
//! without corrections, then the engine's relevance score (BM25 or ts_rank, the name weighing
//! more than the description). Documents searched are the store's own language and the
//! translations fitting the shopper's languages. What differs between the engines is in
//! `engine`.
//!
//! Prices, activity, categories and attributes are read from `products` at query time, so a
//! price change (the product's listed price follows its variants') needs no reindexing. A
//! search reads its matches once, in its order, with their prices and attributes (`matches`);
//! the price and attribute filters, the number of matches, the page and the facets are worked
//! out from them in memory (`tally`); then the page's products are read in full.

mod engine;
mod matches;
mod tally;
mod words;

use crate::db::Conn;
use colmena_sdk::contract::{
    AdminProduct, Money, PriceRange, ProductSort, SearchFacets, SearchQuery,
};
use uuid::Uuid;

use super::translations::Preference;
use super::{products_by_ids, Visibility};
use crate::db::Backend;
use crate::urls::PublicUrls;
use engine::Engine;
use matches::Plan;
use tally::{Filters, Tally};
use words::{corrected, folded_words, MAX_WORDS};

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

/// Searches the store's active products.
#[allow(clippy::too_many_arguments)]
pub async fn search(
    conn: &mut Conn,
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
    let plan = Plan {
        engine,
        store_id,
        query,
        locales: searched_locales(conn, store_id, languages).await?,
        words,
    };
    let exact = match (&plan.words, query.sort) {
        (Some(words), None) => matches::exact_names(conn, &plan, words).await?,
        _ => Vec::new(),
    };
    let mut found = matches::read(conn, &plan, &exact).await?;
    on_sale(conn, store_id, query, &mut found).await?;
    let tally = Tally::of(&found, &Filters::of(query));
    let page = tally.page(query.effective_limit(), query.offset.unwrap_or(0));
    let products = products_by_ids(conn, backend, urls, store_id, page, Visibility::Public).await?;
    let price = tally.price.map(|(low, high)| PriceRange {
        min: Money::new(low, currency),
        max: Money::new(high, currency),
    });
    Ok(SearchOutcome {
        products,
        total: u64::try_from(tally.passing.len()).unwrap_or(u64::MAX),
        facets: SearchFacets {
            price,
            attributes: tally.attributes,
        },
    })
}

/// The matches at the prices every shopper sees: a product on sale (a price list in force for
/// everyone) is filtered, counted and, when the search sorts by price, ordered at its sale
/// price. A signed-in buyer's group prices show on the page's products but do not move them.
async fn on_sale(
    conn: &mut Conn,
    store_id: Uuid,
    query: &SearchQuery,
    found: &mut [tally::Match],
) -> Result<(), sqlx::Error> {
    let sale = crate::pricing::price_lists::lowest_public_prices(conn, store_id).await?;
    if sale.is_empty() {
        return Ok(());
    }
    for found in found.iter_mut() {
        if let Some(&price) = sale.get(&found.id) {
            found.price = found.price.min(price);
        }
    }
    // A stable sort keeps the database's order (by name, then id) among equal prices.
    match query.sort {
        Some(ProductSort::Price) => found.sort_by_key(|found| found.price),
        Some(ProductSort::PriceDesc) => found.sort_by_key(|found| std::cmp::Reverse(found.price)),
        _ => {}
    }
    Ok(())
}

/// The languages of the documents a search reads: the store's own (`''`) and those of its
/// translations that fit the shopper's languages.
async fn searched_locales(
    conn: &mut Conn,
    store_id: Uuid,
    languages: &Preference,
) -> Result<Vec<String>, sqlx::Error> {
    let mut locales = vec![String::new()];
    if languages.is_empty() {
        return Ok(locales);
    }
    let available: Vec<String> =
        crate::db::query("SELECT DISTINCT locale FROM product_translations WHERE store_id = $1")
            .bind(store_id)
            .fetch_all(conn)
            .await?
            .iter()
            .map(|row| row.try_get("locale"))
            .collect::<Result<_, _>>()?;
    locales.extend(languages.fitting(&available).into_iter().map(str::to_owned));
    Ok(locales)
}
