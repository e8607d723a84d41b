//! The local cart: the customer's cart on the device, usable offline, synced with the server.
//!
//! Every change applies locally at once, is saved through a [`CartStorage`], and is recorded in
//! a journal with its own idempotency key. [`LocalCart::sync`] replays the journal against the
//! server cart in order; a change that reached the server before a connection broke is not
//! applied twice, because its repeat carries the same key. After replaying, the local lines
//! take the server's prices and quantities, and the [`SyncReport`] says what changed, so the
//! customer can be told before paying.

use std::fmt::Debug;
use std::sync::{Arc, Mutex, PoisonError};

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::client::{Client, IdempotencyKey};
use crate::contract::{
    validate_quantity, AddCartItemRequest, CartItem, CheckoutRequest, CheckoutSession,
    CreateCartRequest, Money, Order, Product, ProductImage, MAX_LINE_QUANTITY,
};
use crate::error::{Error, Result};
use crate::transport::MaybeSendSync;

/// Where a [`LocalCart`] keeps its state between runs: one JSON document.
///
/// [`MemoryCartStorage`] keeps it for the process's life, [`FileCartStorage`] in a file; the
/// WebAssembly facade adds `localStorage`. Implement it for any other place.
pub trait CartStorage: MaybeSendSync + Debug {
    /// The saved document, if any.
    fn load(&self) -> std::result::Result<Option<String>, String>;
    /// Replaces the saved document.
    fn save(&self, document: &str) -> std::result::Result<(), String>;
}

/// Keeps the cart in memory only.
#[derive(Debug, Default)]
pub struct MemoryCartStorage(Mutex<Option<String>>);

impl CartStorage for MemoryCartStorage {
    fn load(&self) -> std::result::Result<Option<String>, String> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone())
    }

    fn save(&self, document: &str) -> std::result::Result<(), String> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(document.to_owned());
        Ok(())
    }
}

/// Keeps the cart in a file (e.g. in an app's data directory). Saves write a temporary file
/// beside it and rename it over the old one, so a crash never leaves half a cart.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
pub struct FileCartStorage {
    path: std::path::PathBuf,
}

#[cfg(not(target_arch = "wasm32"))]
impl FileCartStorage {
    /// Storage in the file at `path` (created on the first save; its directory must exist).
    pub fn new(path: impl Into<std::path::PathBuf>) -> Self {
        Self { path: path.into() }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl CartStorage for FileCartStorage {
    fn load(&self) -> std::result::Result<Option<String>, String> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => Ok(Some(text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(format!("{}: {error}", self.path.display())),
        }
    }

    fn save(&self, document: &str) -> std::result::Result<(), String> {
        let temporary = self.path.with_extension("tmp");
        std::fs::write(&temporary, document)
            .and_then(|()| std::fs::rename(&temporary, &self.path))
            .map_err(|error| format!("{}: {error}", self.path.display()))
    }
}

/// One line of the local cart, as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
pub struct CartLine {
    /// The variant bought.
    pub variant_id: Uuid,
    /// Its product.
    pub product_id: Uuid,
    /// Product name, for display.
    pub product_name: String,
    /// Variant title, e.g. `M / Amber`.
    pub variant_title: String,
    /// Units.
    pub quantity: u32,
    /// Price of one unit, as last confirmed by the server (or as listed, before any sync).
    pub unit_price: Money,
    /// The product's first image, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ProductImage>,
    /// Units left in stock when the server last said (`None`: not tracked or unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<u32>,
}

impl CartLine {
    /// `unit_price × quantity`.
    pub fn line_total(&self) -> Result<Money> {
        self.unit_price
            .checked_mul(self.quantity)
            .map_err(|e| Error::invalid(e.to_string()))
    }
}

/// A change made to the cart while it was being used, waiting to reach the server.
///
/// Saved as `{"op": "add" | "setQuantity" | "remove", "variant_id", "quantity"?}`; read back
/// through a flat struct, because serde's decoder for internally tagged enums buffers the whole
/// object and costs about 10 KB of WebAssembly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", tag = "op", try_from = "SavedOperation")]
pub enum CartOperation {
    /// Add units of a variant.
    Add {
        /// The variant.
        variant_id: Uuid,
        /// Units added.
        quantity: u32,
    },
    /// Set a variant's line to a quantity.
    SetQuantity {
        /// The variant.
        variant_id: Uuid,
        /// The new quantity.
        quantity: u32,
    },
    /// Remove a variant's line.
    Remove {
        /// The variant.
        variant_id: Uuid,
    },
}

/// Field names as the derived `Serialize` writes them (`variant_id`: `rename_all` on an enum
/// renames its variants, not their fields).
#[derive(Deserialize, Decode)]
struct SavedOperation {
    op: String,
    variant_id: Uuid,
    #[serde(default)]
    quantity: Option<u32>,
}

impl TryFrom<SavedOperation> for CartOperation {
    type Error = String;

    fn try_from(saved: SavedOperation) -> std::result::Result<Self, String> {
        let variant_id = saved.variant_id;
        let quantity = || {
            saved
                .quantity
                .ok_or_else(|| format!("{} without quantity", saved.op))
        };
        Ok(match saved.op.as_str() {
            "add" => Self::Add {
                variant_id,
                quantity: quantity()?,
            },
            "setQuantity" => Self::SetQuantity {
                variant_id,
                quantity: quantity()?,
            },
            "remove" => Self::Remove { variant_id },
            other => return Err(format!("unknown cart operation {other}")),
        })
    }
}

impl CartOperation {
    /// The variant this change is about.
    pub fn variant_id(&self) -> Uuid {
        match self {
            Self::Add { variant_id, .. }
            | Self::SetQuantity { variant_id, .. }
            | Self::Remove { variant_id } => *variant_id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
struct JournalEntry {
    operation: CartOperation,
    key: IdempotencyKey,
}

/// What a sync changed in the customer's cart, line by line.
///
/// As JSON (the JavaScript client's sync reports): an object tagged by `kind`, e.g.
/// `{"kind": "priceChanged", "variantId": "…", "was": {…}, "now": {…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum CartChange {
    /// The unit price is no longer the one the customer saw.
    PriceChanged {
        /// The variant.
        variant_id: Uuid,
        /// The price the customer saw.
        was: Money,
        /// The price now.
        now: Money,
    },
    /// Fewer units than asked for are in the cart (stock ran short).
    QuantityReduced {
        /// The variant.
        variant_id: Uuid,
        /// Units asked for.
        requested: u32,
        /// Units in the cart now.
        now: u32,
    },
    /// The line holds more units than are left in stock: checkout would fail until the
    /// quantity is lowered to `available`.
    StockShort {
        /// The variant.
        variant_id: Uuid,
        /// Units in the cart.
        quantity: u32,
        /// Units left.
        available: u32,
    },
    /// The line is gone: the variant sold out, was withdrawn, or the change was refused.
    Removed {
        /// The variant.
        variant_id: Uuid,
        /// Units the customer had asked for.
        requested: u32,
    },
}

/// The outcome of [`LocalCart::sync`] (and of every change, which syncs).
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// What changed in the customer's lines to match the server.
    pub changes: Vec<CartChange>,
    /// Changes the server refused, with why (e.g. [`Error::InsufficientInventory`]).
    pub rejected: Vec<(CartOperation, Error)>,
    /// Changes still waiting for the server.
    pub pending: usize,
    /// Why the server could not be reached, when changes are still pending.
    pub offline: Option<Error>,
}

impl SyncReport {
    /// Whether the cart matches the server's and nothing changed under the customer.
    pub fn is_clean(&self) -> bool {
        self.changes.is_empty() && self.rejected.is_empty() && self.pending == 0
    }
}

/// What the local cart reads of a server cart: its id and lines. The rest of a
/// [`crate::contract::Cart`] (totals, addresses, shipping options) is not decoded, so that builds
/// which only sync carry none of its decoders (the widget's first load).
#[derive(Decode)]
struct CartLines {
    id: Uuid,
    items: Vec<CartItem>,
}

/// The whole persisted state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
struct CartState {
    /// The server cart these lines mirror, once created.
    cart_id: Option<Uuid>,
    lines: Vec<CartLine>,
    journal: Vec<JournalEntry>,
    /// Server line ids by variant, from the last server answer.
    item_ids: Vec<(Uuid, Uuid)>,
}

impl CartState {
    fn line_mut(&mut self, variant_id: Uuid) -> Option<&mut CartLine> {
        self.lines.iter_mut().find(|l| l.variant_id == variant_id)
    }

    fn item_id(&self, variant_id: Uuid) -> Option<Uuid> {
        self.item_ids
            .iter()
            .find(|(variant, _)| *variant == variant_id)
            .map(|(_, item)| *item)
    }
}

/// An order's lines as cart lines (at the order's prices, without images or stock), to put
/// them back into a cart with [`LocalCart::add_lines`].
pub fn order_lines(order: &Order) -> Vec<CartLine> {
    order
        .items
        .iter()
        .map(|item| CartLine {
            variant_id: item.variant_id,
            product_id: item.product_id,
            product_name: item.product_name.clone(),
            variant_title: item.variant_title.clone(),
            quantity: item.quantity,
            unit_price: item.unit_price.clone(),
            image: None,
            available: None,
        })
        .collect()
}

/// The customer's cart on this device, synced with a server cart.
///
/// ```no_run
/// # async fn run(client: colmena_sdk::Client) -> colmena_sdk::Result<()> {
/// use std::sync::Arc;
/// use colmena_sdk::cart::{FileCartStorage, LocalCart};
/// let cart = LocalCart::open(client.clone(), Arc::new(FileCartStorage::new("cart.json")))?;
/// let product = client.product("hive-tool").await?;
/// let report = cart.add(&product, None, 2).await?;
/// if let Some(offline) = report.offline {
///     println!("saved on this device; will send when back online ({offline})");
/// }
/// println!("{} items, {:?}", cart.item_count(), cart.subtotal()?);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct LocalCart {
    client: Client,
    storage: Arc<dyn CartStorage>,
    state: Arc<Mutex<CartState>>,
    /// Serialises syncs: the journal is replayed by one sync at a time, in order.
    syncing: Arc<futures_util::lock::Mutex<()>>,
}

impl LocalCart {
    /// The cart saved in `storage` (an empty one if nothing is saved), for `client`'s store.
    pub fn open(client: Client, storage: Arc<dyn CartStorage>) -> Result<Self> {
        let state = match storage.load().map_err(storage_error)? {
            // From bytes, like every API answer: one JSON reader type in WebAssembly builds.
            Some(document) => {
                crate::json::decode(document.as_bytes()).map_err(|e| Error::Storage {
                    message: format!("saved cart is unreadable: {e}"),
                })?
            }
            None => CartState::default(),
        };
        Ok(Self {
            client,
            storage,
            state: Arc::new(Mutex::new(state)),
            syncing: Arc::new(futures_util::lock::Mutex::new(())),
        })
    }

    /// The lines, as the customer sees them.
    pub fn lines(&self) -> Vec<CartLine> {
        self.read(|state| state.lines.clone())
    }

    /// Units in the cart.
    pub fn item_count(&self) -> u32 {
        self.read(|state| state.lines.iter().map(|l| l.quantity).sum())
    }

    /// The sum of the lines (`None` for an empty cart, whose currency is unknown).
    pub fn subtotal(&self) -> Result<Option<Money>> {
        let lines = self.lines();
        let Some(first) = lines.first() else {
            return Ok(None);
        };
        let totals = lines
            .iter()
            .map(CartLine::line_total)
            .collect::<Result<Vec<_>>>()?;
        Money::sum(&first.unit_price.currency, &totals)
            .map(Some)
            .map_err(|e| Error::invalid(e.to_string()))
    }

    /// Changes waiting for the server.
    pub fn pending(&self) -> usize {
        self.read(|state| state.journal.len())
    }

    /// The server cart's id, once one exists.
    pub fn cart_id(&self) -> Option<Uuid> {
        self.read(|state| state.cart_id)
    }

    /// Adds `quantity` units of `product`'s variant `variant_id` (or its first variant), then
    /// syncs. The change is kept even when the server cannot be reached.
    pub async fn add(
        &self,
        product: &Product,
        variant_id: Option<Uuid>,
        quantity: u32,
    ) -> Result<SyncReport> {
        let variant = match variant_id {
            Some(id) => product.variants.iter().find(|v| v.id == id),
            None => product.variants.first(),
        }
        .ok_or_else(|| Error::invalid(format!("product {} has no such variant", product.slug)))?;
        self.add_line(CartLine {
            variant_id: variant.id,
            product_id: product.id,
            product_name: product.name.clone(),
            variant_title: variant.title.clone(),
            quantity,
            unit_price: variant.price.clone(),
            image: product.images.first().cloned(),
            available: variant.available,
        })
        .await
    }

    /// Adds `line.quantity` units of the line's variant, described by `line` for display until
    /// the server answers (what [`LocalCart::add`] does for a whole product; facades that keep
    /// their own product records call this). Then syncs.
    pub async fn add_line(&self, line: CartLine) -> Result<SyncReport> {
        self.change_all([line])?;
        Ok(self.sync().await)
    }

    /// Adds each line's units (merging into a line of the same variant) as one saved change:
    /// all of them, or none if one is refused.
    fn change_all(&self, lines: impl IntoIterator<Item = CartLine>) -> Result<()> {
        let document = self.write(|state| {
            let mut next = state.clone();
            for line in lines {
                let (variant_id, quantity) = (line.variant_id, line.quantity);
                validate_quantity(quantity).map_err(|m| Error::invalid(format!("quantity {m}")))?;
                if let Some(existing) = next.line_mut(variant_id) {
                    let total = existing.quantity.saturating_add(quantity);
                    if total > MAX_LINE_QUANTITY {
                        return Err(Error::invalid(format!(
                            "a line holds at most {MAX_LINE_QUANTITY} units"
                        )));
                    }
                    existing.quantity = total;
                } else {
                    next.lines.push(line);
                }
                next.journal.push(JournalEntry {
                    operation: CartOperation::Add {
                        variant_id,
                        quantity,
                    },
                    key: IdempotencyKey::new(),
                });
            }
            let document = crate::json::encode(&next);
            *state = next;
            Ok(document)
        })?;
        self.storage.save(&document).map_err(storage_error)
    }

    /// Sets the quantity of a variant's line (0 removes it), then syncs.
    pub async fn set_quantity(&self, variant_id: Uuid, quantity: u32) -> Result<SyncReport> {
        if quantity == 0 {
            return self.remove(variant_id).await;
        }
        validate_quantity(quantity).map_err(|m| Error::invalid(format!("quantity {m}")))?;
        self.change(|state| {
            let line = state.line_mut(variant_id).ok_or_else(|| {
                Error::invalid(format!("variant {variant_id} is not in the cart"))
            })?;
            line.quantity = quantity;
            Ok(CartOperation::SetQuantity {
                variant_id,
                quantity,
            })
        })?;
        Ok(self.sync().await)
    }

    /// Removes a variant's line, then syncs.
    pub async fn remove(&self, variant_id: Uuid) -> Result<SyncReport> {
        self.change(|state| {
            let before = state.lines.len();
            state.lines.retain(|l| l.variant_id != variant_id);
            if state.lines.len() == before {
                return Err(Error::invalid(format!(
                    "variant {variant_id} is not in the cart"
                )));
            }
            Ok(CartOperation::Remove { variant_id })
        })?;
        Ok(self.sync().await)
    }

    /// Puts an unpaid order's lines back into the cart (after its payment failed or the
    /// customer cancelled it on a hosted payment page), at the order's prices until the sync
    /// that follows confirms or corrects them. Lines already in the cart are added to.
    pub async fn restore(&self, order: &Order) -> Result<SyncReport> {
        self.add_lines(order_lines(order)).await
    }

    /// Adds each line's units as one saved change (all of them, or none if one is refused),
    /// then syncs: [`LocalCart::restore`] for a facade that holds the order's lines rather
    /// than the order (the widget's cart, given them by its checkout bundle).
    pub async fn add_lines(&self, lines: Vec<CartLine>) -> Result<SyncReport> {
        self.change_all(lines)?;
        Ok(self.sync().await)
    }

    /// Empties the cart on this device and forgets its server cart.
    pub fn clear(&self) -> Result<()> {
        let document = self.write(|state| {
            *state = CartState::default();
            crate::json::encode(state)
        });
        self.storage.save(&document).map_err(storage_error)
    }

    /// Takes `cart_id` as this cart's server cart, changed elsewhere for the same customer (the
    /// store's chat, which keeps the conversation's cart on the server), then syncs: pending
    /// changes go to that cart, and its lines become the customer's. What was taken out or
    /// reduced there is not reported, since the customer asked for it; price changes and stock
    /// shortages are, as by [`LocalCart::sync`]. With the cart it already has, this is a sync.
    pub async fn adopt(&self, cart_id: Uuid) -> SyncReport {
        self.write(|state| {
            if state.cart_id != Some(cart_id) {
                state.cart_id = Some(cart_id);
                state.item_ids.clear();
            }
        });
        let mut report = self.sync().await;
        report.changes.retain(|change| {
            matches!(
                change,
                CartChange::PriceChanged { .. } | CartChange::StockShort { .. }
            )
        });
        report
    }

    /// Replays pending changes against the server, then takes the server's prices and
    /// quantities. Never fails: an unreachable server leaves the changes pending
    /// ([`SyncReport::offline`]); a refused change is dropped and reported.
    pub async fn sync(&self) -> SyncReport {
        let _one_at_a_time = self.syncing.lock().await;
        let mut report = SyncReport::default();
        // A server cart that vanished (expired, or checked out elsewhere) is replaced once.
        let mut recreated = false;
        'rounds: loop {
            loop {
                let (cart_id, next, item_id) = self.read(|state| {
                    let next = state.journal.first().cloned();
                    let item_id = next
                        .as_ref()
                        .and_then(|entry| state.item_id(entry.operation.variant_id()));
                    (state.cart_id, next, item_id)
                });
                let Some(entry) = next else { break };
                let Some(outcome) = self.send(cart_id, item_id, &entry).await else {
                    // Nothing to send, e.g. removing a line the server never had.
                    self.forget_first(&entry);
                    continue;
                };
                match outcome {
                    Ok(cart) => self.accept(&entry, &cart),
                    Err(error) if error.is_transient() => {
                        report.offline = Some(error);
                        break 'rounds;
                    }
                    Err(error) if cart_id.is_some() && !recreated && server_cart_gone(&error) => {
                        recreated = true;
                        self.restart_server_cart();
                    }
                    Err(error) => {
                        self.forget_first(&entry);
                        report.rejected.push((entry.operation, error));
                    }
                }
            }
            let Some(cart_id) = self.cart_id() else {
                // No server cart (its creation was refused): nothing the customer asked for
                // is held, and the lines say so.
                report.changes = self.reconcile(None);
                break;
            };
            match self.client.cart_as::<CartLines>(cart_id).await {
                Ok(cart) => report.changes = self.reconcile(Some(&cart)),
                Err(error) if !recreated && server_cart_gone(&error) => {
                    recreated = true;
                    self.restart_server_cart();
                    continue;
                }
                Err(error) => report.offline = Some(error),
            }
            break;
        }
        report.pending = self.pending();
        if let Err(error) = self.persist() {
            report.offline.get_or_insert(error);
        }
        report
    }

    /// Syncs, then checks out the server cart. `expected_total` is the total the customer was
    /// shown: if the server's differs, nothing is ordered and the error is
    /// [`Error::PriceChanged`]. On success the local cart is emptied.
    pub async fn checkout(
        &self,
        email: &str,
        expected_total: Option<Money>,
    ) -> Result<CheckoutSession> {
        self.checkout_returning_to(email, expected_total, None)
            .await
    }

    /// [`LocalCart::checkout`], naming where a hosted payment page (Stripe Checkout) sends the
    /// customer back: a URL on one of the store's allowed origins, to which the server adds
    /// `colmena_order=<id>` and `colmena_payment=succeeded|cancelled`. Without one, the
    /// server's own page.
    pub async fn checkout_returning_to(
        &self,
        email: &str,
        expected_total: Option<Money>,
        return_url: Option<String>,
    ) -> Result<CheckoutSession> {
        let report = self.sync().await;
        if let Some(offline) = report.offline {
            return Err(offline);
        }
        let cart_id = self
            .cart_id()
            .filter(|_| self.item_count() > 0)
            .ok_or_else(|| Error::invalid("the cart is empty"))?;
        let session = self
            .client
            .checkout(&CheckoutRequest {
                cart_id,
                email: email.to_owned(),
                expected_total,
                return_url,
                ..CheckoutRequest::default()
            })
            .await?;
        self.clear()?;
        Ok(session)
    }

    /// Applies a local change, journals it and saves.
    fn change(&self, apply: impl FnOnce(&mut CartState) -> Result<CartOperation>) -> Result<()> {
        let document = self.write(|state| {
            let operation = apply(state)?;
            state.journal.push(JournalEntry {
                operation,
                key: IdempotencyKey::new(),
            });
            Ok(crate::json::encode(state))
        })?;
        self.storage.save(&document).map_err(storage_error)
    }

    /// Sends one journal entry; `None` when there is nothing to send for it.
    async fn send(
        &self,
        cart_id: Option<Uuid>,
        item_id: Option<Uuid>,
        entry: &JournalEntry,
    ) -> Option<Result<CartLines>> {
        let key = entry.key.clone();
        let line = |variant_id, quantity| AddCartItemRequest {
            variant_id: Some(variant_id),
            product_id: None,
            quantity,
        };
        let client = &self.client;
        Some(match (&entry.operation, cart_id, item_id) {
            (CartOperation::Remove { .. }, None, _) | (CartOperation::Remove { .. }, _, None) => {
                return None
            }
            (
                CartOperation::Add {
                    variant_id,
                    quantity,
                }
                | CartOperation::SetQuantity {
                    variant_id,
                    quantity,
                },
                None,
                _,
            ) => {
                let request = CreateCartRequest {
                    items: vec![line(*variant_id, *quantity)],
                };
                client.create_cart_as(&request, key).await
            }
            (
                CartOperation::Add {
                    variant_id,
                    quantity,
                }
                | CartOperation::SetQuantity {
                    variant_id,
                    quantity,
                },
                Some(cart),
                None,
            ) => {
                client
                    .add_to_cart_as(cart, &line(*variant_id, *quantity), key)
                    .await
            }
            (
                CartOperation::Add {
                    variant_id,
                    quantity,
                },
                Some(cart),
                Some(_),
            ) => {
                client
                    .add_to_cart_as(cart, &line(*variant_id, *quantity), key)
                    .await
            }
            (CartOperation::SetQuantity { quantity, .. }, Some(cart), Some(item)) => {
                client.update_cart_item_as(cart, item, *quantity, key).await
            }
            (CartOperation::Remove { .. }, Some(cart), Some(item)) => {
                client.remove_cart_item_as(cart, item, key).await
            }
        })
    }

    /// The server accepted `entry`: drop it from the journal and remember the server's lines.
    fn accept(&self, entry: &JournalEntry, cart: &CartLines) {
        self.write(|state| {
            if state.journal.first() == Some(entry) {
                state.journal.remove(0);
            }
            state.cart_id = Some(cart.id);
            state.item_ids = cart.items.iter().map(|i| (i.variant_id, i.id)).collect();
        });
    }

    fn forget_first(&self, entry: &JournalEntry) {
        self.write(|state| {
            if state.journal.first() == Some(entry) {
                state.journal.remove(0);
            }
        });
    }

    /// Forgets the server cart and journals the customer's lines for a new one.
    fn restart_server_cart(&self) {
        self.write(|state| {
            state.cart_id = None;
            state.item_ids.clear();
            state.journal = state
                .lines
                .iter()
                .map(|line| JournalEntry {
                    operation: CartOperation::Add {
                        variant_id: line.variant_id,
                        quantity: line.quantity,
                    },
                    key: IdempotencyKey::new(),
                })
                .collect();
        });
    }

    /// Takes the server's lines, reporting how they differ from the customer's. Lines changed
    /// locally since the fetch stay until their change has been sent.
    fn reconcile(&self, cart: Option<&CartLines>) -> Vec<CartChange> {
        let items = cart.map_or(&[][..], |cart| cart.items.as_slice());
        self.write(|state| {
            let mut changes = Vec::new();
            if !state.journal.is_empty() {
                return changes;
            }
            for line in &state.lines {
                match items.iter().find(|i| i.variant_id == line.variant_id) {
                    None => changes.push(CartChange::Removed {
                        variant_id: line.variant_id,
                        requested: line.quantity,
                    }),
                    Some(item) => {
                        if item.unit_price != line.unit_price {
                            changes.push(CartChange::PriceChanged {
                                variant_id: line.variant_id,
                                was: line.unit_price.clone(),
                                now: item.unit_price.clone(),
                            });
                        }
                        if item.quantity < line.quantity {
                            changes.push(CartChange::QuantityReduced {
                                variant_id: line.variant_id,
                                requested: line.quantity,
                                now: item.quantity,
                            });
                        }
                        if let Some(available) = item.available.filter(|a| *a < item.quantity) {
                            changes.push(CartChange::StockShort {
                                variant_id: line.variant_id,
                                quantity: item.quantity,
                                available,
                            });
                        }
                    }
                }
            }
            state.cart_id = cart.map(|cart| cart.id);
            state.item_ids = items.iter().map(|i| (i.variant_id, i.id)).collect();
            state.lines = items
                .iter()
                .map(|item| CartLine {
                    variant_id: item.variant_id,
                    product_id: item.product_id,
                    product_name: item.product_name.clone(),
                    variant_title: item.variant_title.clone(),
                    quantity: item.quantity,
                    unit_price: item.unit_price.clone(),
                    image: item.image.clone(),
                    available: item.available,
                })
                .collect();
            changes
        })
    }

    fn persist(&self) -> Result<()> {
        let document = self.read(crate::json::encode);
        self.storage.save(&document).map_err(storage_error)
    }

    fn read<T>(&self, f: impl FnOnce(&CartState) -> T) -> T {
        f(&self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn write<T>(&self, f: impl FnOnce(&mut CartState) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Whether `error` says the server cart itself is gone (expired, or checked out).
fn server_cart_gone(error: &Error) -> bool {
    match error {
        Error::NotFound(failure) => {
            failure.details.as_ref().and_then(|d| d.resource.as_deref()) == Some("cart")
        }
        Error::Conflict(failure) => {
            failure.details.as_ref().and_then(|d| d.status.as_deref()) == Some("checked_out")
        }
        _ => false,
    }
}

fn storage_error(message: String) -> Error {
    Error::Storage { message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_operations_keep_their_format_both_ways() {
        let variant_id = Uuid::nil();
        for (operation, json) in [
            (
                CartOperation::Add {
                    variant_id,
                    quantity: 2,
                },
                r#"{"op":"add","variant_id":"00000000-0000-0000-0000-000000000000","quantity":2}"#,
            ),
            (
                CartOperation::SetQuantity {
                    variant_id,
                    quantity: 5,
                },
                r#"{"op":"setQuantity","variant_id":"00000000-0000-0000-0000-000000000000","quantity":5}"#,
            ),
            (
                CartOperation::Remove { variant_id },
                r#"{"op":"remove","variant_id":"00000000-0000-0000-0000-000000000000"}"#,
            ),
        ] {
            assert_eq!(serde_json::to_string(&operation).unwrap(), json);
            assert_eq!(
                serde_json::from_str::<CartOperation>(json).unwrap(),
                operation
            );
            // What the cart reads its saved journal with.
            assert_eq!(
                crate::json::decode::<CartOperation>(json.as_bytes()).unwrap(),
                operation
            );
        }
        let unreadable = [
            r#"{"op":"add","variant_id":"00000000-0000-0000-0000-000000000000"}"#,
            r#"{"op":"explode","variant_id":"00000000-0000-0000-0000-000000000000"}"#,
        ];
        for json in unreadable {
            assert!(
                serde_json::from_str::<CartOperation>(json).is_err(),
                "{json}"
            );
            let error = crate::json::decode::<CartOperation>(json.as_bytes()).unwrap_err();
            assert!(
                error.message().contains("without quantity")
                    || error.message().contains("unknown cart operation"),
                "{error}"
            );
        }
    }
}
