//! The public API: what shoppers and storefronts call. Store-scoped routes pass the store's
//! publishable-key check; the others (health, downloads) are reached without a store.

pub mod address_formats;
pub mod carts;
pub mod catalog;
pub mod chat;
pub mod checkout;
pub mod customer;
pub mod downloads;
pub mod orders;
pub mod payment_notices;
pub mod storefront;
pub mod system;
mod theme_css;

use std::sync::Arc;
use std::time::SystemTime;

use colmena_sdk::contract::Pagination;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;

use crate::cache::CachedAnswer;
use crate::http::{ApiError, CachedJson};
use crate::AppState;

/// The routes under `/api/v1/stores/{store}/…`.
pub fn store_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(catalog::router())
        .merge(carts::router())
        .merge(chat::router())
        .merge(checkout::router())
        .merge(orders::router())
        .merge(customer::router())
        .merge(storefront::router())
}

/// The public routes reached without a store in the path.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(system::router())
        .merge(address_formats::router())
        .merge(downloads::router())
        .merge(payment_notices::router())
}

/// A public answer: from the cache when there, else `load`ed and cached. `key` must identify
/// the answer (the request's path and query).
pub(crate) async fn cached<T, F>(
    state: &AppState,
    key: String,
    load: F,
) -> Result<CachedJson, ApiError>
where
    T: Serialize,
    F: std::future::Future<Output = Result<(T, Option<Pagination>), ApiError>>,
{
    cached_until(state, key, async {
        let (data, pagination) = load.await?;
        Ok((data, pagination, None))
    })
    .await
}

/// [`cached`] for answers that change with time by themselves (a scheduled publication, a
/// banner's end): `load` also says until when its answer holds.
pub(crate) async fn cached_until<T, F>(
    state: &AppState,
    key: String,
    load: F,
) -> Result<CachedJson, ApiError>
where
    T: Serialize,
    F: std::future::Future<Output = Result<(T, Option<Pagination>, Option<SystemTime>), ApiError>>,
{
    Ok(CachedJson(cached_answer(state, key, load).await?))
}

/// The cached answer itself, for routes that answer it other than as the JSON envelope.
pub(crate) async fn cached_answer<T, F>(
    state: &AppState,
    key: String,
    load: F,
) -> Result<Arc<CachedAnswer>, ApiError>
where
    T: Serialize,
    F: std::future::Future<Output = Result<(T, Option<Pagination>, Option<SystemTime>), ApiError>>,
{
    if let Some(hit) = state.cache.get(&key) {
        return Ok(hit);
    }
    // Taken before reading, so that a change committed meanwhile outdates this entry.
    let generation = state.cache.generation();
    let (data, pagination, fresh_until) = load.await?;
    state
        .cache
        .put_until(generation, key, &data, pagination, fresh_until)
        .map_err(|error| ApiError::internal(format!("cannot serialise a public answer: {error}")))
}
