//! What every public read needs to know of a store besides its catalog: the store itself, when
//! its prices next change by themselves, whether a sale for everyone is on, and the languages
//! its catalog is translated into. Read once per catalog generation (any committed change to
//! what shoppers see reads it again, on every server) and kept until the store's prices next
//! change, so a public read does not spend three statements on it.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use std::collections::HashMap;

use colmena_sdk::contract::{Store, StoreStatus};
use uuid::Uuid;

use super::store_by_slug;
use crate::http::ApiError;
use crate::pricing::price_lists::{public_best_prices, ListPrice};
use crate::AppState;

/// A store as public reads see it.
#[derive(Debug)]
pub struct StoreFacts {
    /// The store.
    pub store: Store,
    /// Whether it sells.
    pub status: StoreStatus,
    /// When every shopper's prices next change by themselves (a sale starting or ending).
    pub prices_change_at: Option<SystemTime>,
    /// Whether a price list for every shopper (not a customer group's) is in force now.
    pub public_prices_listed: bool,
    /// What every shopper pays now where such lists price a variant, by variant (empty
    /// without a list in force): a page is priced without a statement of its own.
    pub public_offers: HashMap<Uuid, ListPrice>,
    /// The languages its products and categories are translated into.
    pub translated: Vec<String>,
    /// How many products its listings hold, by filter (the catalog's own keys): pages of one
    /// listing share one count, read once per generation.
    pub listing_counts: moka::sync::Cache<String, u64>,
}

/// Facts of recently read stores, by generation and slug.
#[derive(Debug, Clone)]
pub struct FactsCache {
    entries: moka::sync::Cache<(u64, String), Arc<StoreFacts>>,
}

impl Default for FactsCache {
    fn default() -> Self {
        Self {
            // Entries of past generations are never asked for again: they age out.
            entries: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_idle(Duration::from_secs(300))
                .build(),
        }
    }
}

/// The facts of the store with this slug, or 404 `STORE_NOT_FOUND`.
pub async fn store_facts(state: &AppState, slug: &str) -> Result<Arc<StoreFacts>, ApiError> {
    let generation = state.cache.generation();
    let key = (generation, slug.to_owned());
    let trusted = state.cache.trusted();
    if let Some(facts) = trusted
        .then(|| state.store_facts.entries.get(&key))
        .flatten()
        .filter(|facts| {
            facts
                .prices_change_at
                .is_none_or(|at| SystemTime::now() < at)
        })
    {
        return Ok(facts);
    }
    let facts = Arc::new(read(state, slug).await?);
    if trusted {
        state.store_facts.entries.insert(key, Arc::clone(&facts));
    }
    Ok(facts)
}

async fn read(state: &AppState, slug: &str) -> Result<StoreFacts, ApiError> {
    let (store, status) = store_by_slug(&state.db, &state.urls, slug)
        .await?
        .ok_or_else(|| ApiError::store_not_found(slug))?;
    let now = crate::db::now();
    let prices = crate::db::query(
        "SELECT MIN(CASE WHEN starts_at > $2 THEN starts_at WHEN ends_at > $2 THEN ends_at END) \
           AS next, \
           COUNT(CASE WHEN (starts_at IS NULL OR starts_at <= $2) \
             AND (ends_at IS NULL OR ends_at > $2) THEN 1 END) AS in_force \
         FROM price_lists WHERE store_id = $1 AND active = TRUE AND customer_group_id IS NULL",
    )
    .bind(store.id)
    .bind(now)
    .fetch_one(&state.db.pool)
    .await?;
    let next: Option<String> = prices.try_get("next")?;
    let in_force: i64 = prices.try_get("in_force")?;
    let translated = crate::db::query_scalar(
        "SELECT locale FROM product_translations WHERE store_id = $1 \
         UNION SELECT locale FROM category_translations WHERE store_id = $1",
    )
    .bind(store.id)
    .fetch_all(&state.db.pool)
    .await?;
    let public_offers = if in_force > 0 {
        public_best_prices(&state.db.pool, store.id).await?
    } else {
        HashMap::new()
    };
    Ok(StoreFacts {
        public_offers,
        store,
        status,
        prices_change_at: next
            .as_deref()
            .and_then(crate::db::parse_timestamp)
            .map(SystemTime::from),
        public_prices_listed: in_force > 0,
        translated,
        listing_counts: moka::sync::Cache::new(1_000),
    })
}
