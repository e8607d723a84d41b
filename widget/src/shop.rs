//! One shop per (API, store) on the page: its client, its store profile (fetched once however
//! many elements show it) and the shopper's cart, shared by every element of that store.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use colmena_sdk::cart::{CartStorage, LocalCart, MemoryCartStorage};
use colmena_sdk::contract::{Category, Store};
use colmena_sdk::transport::RetryPolicy;
use colmena_sdk::{Client, Error};
use colmena_wasm::LocalStorageCartStorage;
use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use uuid::Uuid;

type StoreFuture = Shared<LocalBoxFuture<'static, Result<Store, Error>>>;

pub struct Shop {
    pub client: Client,
    pub cart: LocalCart,
    store: RefCell<StoreFuture>,
    categories: RefCell<Option<Vec<Category>>>,
    /// A background sync of the cart's pending changes is scheduled.
    retrying: Cell<bool>,
    /// The saved cart was checked against the server since the page loaded.
    synced: Cell<bool>,
    /// The order sent to a hosted payment page, as `<order id> <order token>`, so that the
    /// page the shopper comes back to can show it.
    awaiting_payment: LocalStorageCartStorage,
    /// This page's return from a payment page was handled.
    returned: Cell<bool>,
}

thread_local! {
    static SHOPS: RefCell<Vec<(String, Rc<Shop>)>> = const { RefCell::new(Vec::new()) };
}

fn fetch_store(client: &Client) -> StoreFuture {
    let client = client.clone();
    async move { client.store().await }.boxed_local().shared()
}

/// The shop for `store` at `api`, created on first use. Its product and category content comes
/// in `locale` (the first element's `locale` attribute) where translated; without one, in the
/// store's own language like the widget's strings, whatever the browser's languages.
pub fn shop(api: &str, store: &str, locale: Option<&str>) -> Result<Rc<Shop>, Error> {
    // `https://x/` and `https://x` are the same API: one shop, one saved cart.
    let api = api.trim_end_matches('/');
    let key = format!("{api}|{store}");
    if let Some(shop) = SHOPS.with(|shops| {
        shops
            .borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, shop)| shop.clone())
    }) {
        return Ok(shop);
    }
    // A shopper waits on the page: a few quick retries, then the cart says it is offline and
    // keeps the change for later, instead of a spinner for the default 15 s budget.
    let client = colmena_wasm::client(api, store)?.with_retry_policy(RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(1),
        max_total_delay: Duration::from_secs(2),
        attempt_timeout: Duration::from_secs(10),
    });
    let client = client.accepting_language(locale.unwrap_or("*"));
    let saved: Arc<dyn CartStorage> =
        Arc::new(LocalStorageCartStorage::new(format!("colmena:cart:{key}")));
    // Without localStorage (privacy settings, sandboxed frames) or with an unreadable saved cart,
    // the cart still works for this page view.
    let cart = LocalCart::open(client.clone(), saved)
        .or_else(|_| LocalCart::open(client.clone(), Arc::new(MemoryCartStorage::default())))?;
    let store = RefCell::new(fetch_store(&client));
    let shop = Rc::new(Shop {
        client,
        cart,
        store,
        categories: RefCell::new(None),
        retrying: Cell::new(false),
        synced: Cell::new(false),
        awaiting_payment: LocalStorageCartStorage::new(format!("colmena:order:{key}")),
        returned: Cell::new(false),
    });
    SHOPS.with(|shops| shops.borrow_mut().push((key, shop.clone())));
    Ok(shop)
}

impl Shop {
    /// The store's profile (locale, currency, branding), fetched once for all elements; a
    /// failure is not kept, so the next caller asks again.
    pub async fn store(&self) -> Result<Store, Error> {
        let pending = self.store.borrow().clone();
        let result = pending.await;
        if result.is_err() {
            *self.store.borrow_mut() = fetch_store(&self.client);
        }
        result
    }

    /// The store's categories, fetched once they are first needed.
    pub async fn categories(&self) -> Result<Vec<Category>, Error> {
        if let Some(categories) = self.categories.borrow().as_ref() {
            return Ok(categories.clone());
        }
        let categories = self.client.categories().await?;
        *self.categories.borrow_mut() = Some(categories.clone());
        Ok(categories)
    }

    /// Replays the cart's pending changes in the background until the API answers, backing off
    /// from 2 s to 30 s; every element of the shop re-renders when it does.
    pub fn retry_pending(self: &Rc<Self>) {
        if self.retrying.replace(true) {
            return;
        }
        let shop = self.clone();
        crate::dom::spawn(async move {
            let mut wait = 2_000;
            loop {
                crate::dom::sleep(wait).await;
                let report = shop.cart.sync().await;
                crate::views::cart_synced(&shop, &report);
                if report.offline.is_none() || shop.cart.pending() == 0 {
                    break;
                }
                wait = (wait * 2).min(30_000);
            }
            shop.retrying.set(false);
        });
    }

    /// Keeps the order the shopper is about to pay on another site. Without localStorage the
    /// shopper still pays; only the confirmation on return is lost.
    pub fn await_payment(&self, order: Uuid, token: &str) {
        let _ = self.awaiting_payment.save(&format!("{order} {token}"));
    }

    /// The order token of `order`, if it is the order this device sent to a payment page; it
    /// is forgotten (handled once).
    pub fn take_awaited(&self, order: Uuid) -> Option<String> {
        let saved = self.awaiting_payment.load().ok().flatten()?;
        let (id, token) = saved.split_once(' ')?;
        (colmena_sdk::json::parse_uuid(id)? == order).then(|| {
            let _ = self.awaiting_payment.save("");
            token.to_owned()
        })
    }

    /// True the first time it is asked: whether this page's return from a payment page (if
    /// it is one) still needs handling.
    pub fn first_return(&self) -> bool {
        !self.returned.replace(true)
    }

    /// True the first time it is asked: whether the saved cart still needs its check on load.
    pub fn first_sync(&self) -> bool {
        !self.synced.replace(true)
    }

    pub fn is(&self, other: &Rc<Shop>) -> bool {
        std::ptr::eq(self, Rc::as_ptr(other))
    }
}
