//! The public API: what shoppers and storefronts call. Store-scoped routes pass the store's
//! publishable-key check; the others (health, downloads) are reached without a store.

pub mod carts;
pub mod catalog;
pub mod checkout;
pub mod downloads;
pub mod orders;
pub mod payment_notices;
pub mod system;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// The routes under `/api/v1/stores/{store}/…`.
pub fn store_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(catalog::router())
        .merge(carts::router())
        .merge(checkout::router())
        .merge(orders::router())
}

/// The public routes reached without a store in the path.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(system::router())
        .merge(downloads::router())
        .merge(payment_notices::router())
}
