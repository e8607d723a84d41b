//! Orders: checkout, the life cycle of an order, its shipments and refunds (`fulfilment`), the
//! expiry of unpaid orders, how an order reads back, and buyers' access to their orders by emailed link (`customer_access`).
//!
//! Stock is reserved by checkout: each tracked variant's `inventory` is decreased with a
//! conditional `UPDATE … WHERE inventory >= quantity`, which both engines apply atomically, so
//! concurrent checkouts can never sell more than there is. Cancelling or expiring an unpaid order
//! gives the units back. Status changes are compare-and-set on the current status, so two
//! concurrent changes cannot both apply.

mod checkout;
pub mod customer_access;
mod expiry;
pub mod fulfilment;
mod lifecycle;
mod read;

use std::time::Duration;

pub use checkout::checkout;
pub use expiry::{expire_unpaid_orders, spawn_expiry_sweeper};
pub use lifecycle::{change_status, change_status_in, ChangedBy};
pub use read::{load_order, load_orders, order_answer};

/// Time limits of payments and downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommerceConfig {
    /// An order unpaid this long after checkout is cancelled and its stock released.
    pub payment_ttl: Duration,
    /// A download link works this long after payment.
    pub download_ttl: Duration,
    /// A download link works this many times.
    pub max_downloads: u32,
    /// A buyer's emailed access link works this long (once).
    pub access_link_ttl: Duration,
    /// The buyer session an access link opens lasts this long.
    pub customer_session_ttl: Duration,
}

impl Default for CommerceConfig {
    fn default() -> Self {
        Self {
            payment_ttl: Duration::from_secs(30 * 60),
            download_ttl: Duration::from_secs(72 * 3600),
            max_downloads: 5,
            access_link_ttl: Duration::from_secs(30 * 60),
            customer_session_ttl: Duration::from_secs(60 * 60),
        }
    }
}
