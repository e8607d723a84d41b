//! The customer's cart on the device (`colmena_sdk::cart::LocalCart`) for Kotlin and Swift:
//! saved to a file in the app's directory, usable offline, synced and reconciled with the
//! server.

use std::sync::Arc;

use colmena_sdk::cart::{self, FileCartStorage, LocalCart, MemoryCartStorage};
use colmena_sdk::contract::{CheckoutSession, Money, Product};
use colmena_sdk::Uuid;

use crate::{ColmenaClient, ColmenaError};

/// One line of the cart, as the customer sees it (the device's cart: not a contract type).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CartLine {
    /// Variant id.
    pub variant_id: Uuid,
    /// Product id.
    pub product_id: Uuid,
    /// Product name.
    pub product_name: String,
    /// Variant title.
    pub variant_title: String,
    /// Units.
    pub quantity: u32,
    /// Price of one unit, as last confirmed by the server.
    pub unit_price: Money,
    /// `unit_price × quantity`.
    pub line_total: Money,
    /// The product's first image.
    pub image_url: Option<String>,
    /// Units left in stock, when tracked and known.
    pub available: Option<u32>,
}

/// What a sync changed in the customer's cart.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum CartChange {
    /// The unit price is not the one the customer saw.
    PriceChanged {
        /// The variant.
        variant_id: Uuid,
        /// The price the customer saw.
        was: Money,
        /// The price now.
        now: Money,
    },
    /// Fewer units than asked for are in the cart.
    QuantityReduced {
        /// The variant.
        variant_id: Uuid,
        /// Units asked for.
        requested: u32,
        /// Units now.
        now: u32,
    },
    /// The line holds more units than are in stock; checkout fails until it is lowered.
    StockShort {
        /// The variant.
        variant_id: Uuid,
        /// Units in the cart.
        quantity: u32,
        /// Units left.
        available: u32,
    },
    /// The line is gone.
    Removed {
        /// The variant.
        variant_id: Uuid,
        /// Units asked for.
        requested: u32,
    },
}

/// A change the server refused, with why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RejectedCartChange {
    /// The variant concerned.
    pub variant_id: Uuid,
    /// The stable error code, e.g. `INSUFFICIENT_INVENTORY`.
    pub code: String,
    /// The server's explanation.
    pub reason: String,
}

/// The outcome of a change or a sync.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CartSyncReport {
    /// What changed in the customer's lines to match the server.
    pub changes: Vec<CartChange>,
    /// Changes the server refused.
    pub rejected: Vec<RejectedCartChange>,
    /// Changes still waiting for the server (kept on the device).
    pub pending: u64,
    /// Why the server could not be reached (`NETWORK_ERROR`, `TIMEOUT`…), when changes wait.
    pub offline_code: Option<String>,
}

impl From<cart::SyncReport> for CartSyncReport {
    fn from(report: cart::SyncReport) -> Self {
        Self {
            changes: report
                .changes
                .into_iter()
                .map(|change| match change {
                    cart::CartChange::PriceChanged {
                        variant_id,
                        was,
                        now,
                    } => CartChange::PriceChanged {
                        variant_id,
                        was,
                        now,
                    },
                    cart::CartChange::QuantityReduced {
                        variant_id,
                        requested,
                        now,
                    } => CartChange::QuantityReduced {
                        variant_id,
                        requested,
                        now,
                    },
                    cart::CartChange::StockShort {
                        variant_id,
                        quantity,
                        available,
                    } => CartChange::StockShort {
                        variant_id,
                        quantity,
                        available,
                    },
                    cart::CartChange::Removed {
                        variant_id,
                        requested,
                    } => CartChange::Removed {
                        variant_id,
                        requested,
                    },
                })
                .collect(),
            rejected: report
                .rejected
                .into_iter()
                .map(|(operation, error)| RejectedCartChange {
                    variant_id: operation.variant_id(),
                    code: error.code().to_owned(),
                    reason: error.message(),
                })
                .collect(),
            // usize fits u64 on every platform Rust targets.
            pending: report.pending as u64,
            offline_code: report.offline.map(|error| error.code().to_owned()),
        }
    }
}

/// The customer's cart on this device. Changes apply at once and are saved; they reach the
/// server now or, offline, at the next change or `sync()`, never twice.
#[derive(Debug, uniffi::Object)]
pub struct ColmenaCart {
    inner: LocalCart,
}

#[uniffi::export(async_runtime = "tokio")]
impl ColmenaCart {
    /// The cart saved in the file at `path` (e.g. in the app's files directory; created on the
    /// first change), for `client`'s store.
    #[uniffi::constructor]
    pub fn open(client: Arc<ColmenaClient>, path: String) -> Result<Arc<Self>, ColmenaError> {
        let storage = Arc::new(FileCartStorage::new(path));
        Ok(Arc::new(Self {
            inner: LocalCart::open(client.inner().clone(), storage)?,
        }))
    }

    /// A cart kept in memory only.
    #[uniffi::constructor]
    pub fn in_memory(client: Arc<ColmenaClient>) -> Result<Arc<Self>, ColmenaError> {
        let storage = Arc::new(MemoryCartStorage::default());
        Ok(Arc::new(Self {
            inner: LocalCart::open(client.inner().clone(), storage)?,
        }))
    }

    /// The lines.
    pub fn lines(&self) -> Result<Vec<CartLine>, ColmenaError> {
        self.inner
            .lines()
            .into_iter()
            .map(|line| {
                Ok(CartLine {
                    line_total: line.line_total()?,
                    variant_id: line.variant_id,
                    product_id: line.product_id,
                    product_name: line.product_name,
                    variant_title: line.variant_title,
                    quantity: line.quantity,
                    unit_price: line.unit_price,
                    image_url: line.image.map(|i| i.url),
                    available: line.available,
                })
            })
            .collect()
    }

    /// Units in the cart.
    pub fn item_count(&self) -> u32 {
        self.inner.item_count()
    }

    /// The sum of the lines (`null` for an empty cart).
    pub fn subtotal(&self) -> Result<Option<Money>, ColmenaError> {
        Ok(self.inner.subtotal()?)
    }

    /// The server cart's id, once one exists: for `ColmenaClient.updateCart` (addresses,
    /// shipping, discount codes) and `checkoutWith`.
    pub fn cart_id(&self) -> Option<Uuid> {
        self.inner.cart_id()
    }

    /// Changes waiting for the server.
    pub fn pending(&self) -> u64 {
        // usize fits u64 on every platform Rust targets.
        self.inner.pending() as u64
    }

    /// Adds `quantity` units of `product`'s variant `variant_id` (or its first one).
    pub async fn add(
        &self,
        product: Product,
        variant_id: Option<Uuid>,
        quantity: u32,
    ) -> Result<CartSyncReport, ColmenaError> {
        let variant = match variant_id {
            Some(id) => product.variants.iter().find(|v| v.id == id),
            None => product.variants.first(),
        }
        .ok_or_else(|| ColmenaError::invalid(format!("{} has no such variant", product.slug)))?;
        let line = cart::CartLine {
            variant_id: variant.id,
            product_id: product.id,
            product_name: product.name.clone(),
            variant_title: variant.title.clone(),
            quantity,
            unit_price: variant.price.clone(),
            image: product.images.first().cloned(),
            available: variant.available,
        };
        Ok(self.inner.add_line(line).await?.into())
    }

    /// Sets a line's quantity (0 removes it).
    pub async fn set_quantity(
        &self,
        variant_id: Uuid,
        quantity: u32,
    ) -> Result<CartSyncReport, ColmenaError> {
        Ok(self.inner.set_quantity(variant_id, quantity).await?.into())
    }

    /// Removes a line.
    pub async fn remove(&self, variant_id: Uuid) -> Result<CartSyncReport, ColmenaError> {
        Ok(self.inner.remove(variant_id).await?.into())
    }

    /// Takes `cart_id` as this cart's server cart, changed elsewhere for the same buyer (the
    /// store's chat: `send_chat_message`'s `reply.cart_id`), then syncs: its lines become the
    /// buyer's. What was taken out there is not reported as a change; price changes and stock
    /// shortages are.
    pub async fn adopt(&self, cart_id: Uuid) -> CartSyncReport {
        self.inner.adopt(cart_id).await.into()
    }

    /// Sends pending changes and takes the server's prices and stock.
    pub async fn sync(&self) -> CartSyncReport {
        self.inner.sync().await.into()
    }

    /// Syncs, then checks out with the total the customer was shown; empties the cart on
    /// success.
    pub async fn checkout(
        &self,
        email: String,
        expected_total: Option<Money>,
    ) -> Result<CheckoutSession, ColmenaError> {
        Ok(self.inner.checkout(&email, expected_total).await?)
    }

    /// Empties the cart on this device.
    pub fn clear(&self) -> Result<(), ColmenaError> {
        Ok(self.inner.clear()?)
    }
}
