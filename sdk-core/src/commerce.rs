//! Carts, checkout, customer orders, test payments and downloads on the public API.

use uuid::Uuid;

use crate::client::Page;
use crate::client::{Call, Client, IdempotencyKey};
use crate::contract::{
    AccessLinkRequest, AddCartItemRequest, AddressFormat, Cart, CartUpdate, CheckoutRequest,
    CheckoutSession, Countries, CreateCartRequest, CustomerSession, CustomerSessionRequest,
    Download, NoData, Order, PageQuery, TestPaymentOutcome, TestPaymentRequest,
    UpdateCartItemRequest,
};
use crate::error::{Error, Result};
use crate::json::Decode;
use crate::transport::Method;

/// The header that carries the order token of a customer's order.
const ORDER_TOKEN_HEADER: &str = "x-order-token";
/// The header that carries a buyer session's token.
pub(crate) const CUSTOMER_TOKEN_HEADER: &str = "x-customer-token";

/// A digital product's file, as downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DownloadedFile {
    /// The file's name, from the order's download entry.
    pub file_name: String,
    /// The media type the server sent, e.g. `application/pdf`.
    pub content_type: Option<String>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl Client {
    /// Creates a cart, optionally with first items. The server prices every line.
    pub async fn create_cart(&self, request: &CreateCartRequest) -> Result<Cart> {
        self.create_cart_with_key(request, IdempotencyKey::new())
            .await
    }

    /// [`Client::create_cart`] with an idempotency key of your own.
    pub async fn create_cart_with_key(
        &self,
        request: &CreateCartRequest,
        key: IdempotencyKey,
    ) -> Result<Cart> {
        self.create_cart_as(request, key).await
    }

    /// [`Client::create_cart_with_key`], reading the answer as `T`: the local cart reads only a
    /// cart's id and lines, so that builds which only sync carry no decoder of the rest (the
    /// widget's first load). The same for the other cart calls' `…_as`.
    pub(crate) async fn create_cart_as<T: Decode>(
        &self,
        request: &CreateCartRequest,
        key: IdempotencyKey,
    ) -> Result<T> {
        let call = Call::mutate(Method::Post, self.store_url(&["carts"]))
            .key(key)
            .json(request);
        self.public(call).await
    }

    /// A cart with current prices, stock and totals.
    pub async fn cart(&self, cart_id: Uuid) -> Result<Cart> {
        self.cart_as(cart_id).await
    }

    pub(crate) async fn cart_as<T: Decode>(&self, cart_id: Uuid) -> Result<T> {
        self.public(Call::get(self.cart_url(cart_id, &[]))).await
    }

    /// Adds a variant (or a product's only variant) to a cart; a variant already in the cart has
    /// its quantity increased.
    pub async fn add_to_cart(&self, cart_id: Uuid, item: &AddCartItemRequest) -> Result<Cart> {
        self.add_to_cart_with_key(cart_id, item, IdempotencyKey::new())
            .await
    }

    /// [`Client::add_to_cart`] with an idempotency key of your own.
    pub async fn add_to_cart_with_key(
        &self,
        cart_id: Uuid,
        item: &AddCartItemRequest,
        key: IdempotencyKey,
    ) -> Result<Cart> {
        self.add_to_cart_as(cart_id, item, key).await
    }

    pub(crate) async fn add_to_cart_as<T: Decode>(
        &self,
        cart_id: Uuid,
        item: &AddCartItemRequest,
        key: IdempotencyKey,
    ) -> Result<T> {
        let call = Call::mutate(Method::Post, self.cart_url(cart_id, &["items"]))
            .key(key)
            .json(item);
        self.public(call).await
    }

    /// Sets what prices a cart beyond its lines: the shipping and billing addresses, the
    /// chosen shipping rate (one of the cart's `shipping_options`) and the discount codes.
    /// Absent members stay as they are. A code that does not apply fails with its own code
    /// (`DISCOUNT_NOT_FOUND`, `DISCOUNT_EXPIRED`, `DISCOUNT_NOT_APPLICABLE`,
    /// `DISCOUNT_USAGE_LIMIT_REACHED`), an address its country refuses with
    /// [`Error::Validation`] naming the member.
    pub async fn update_cart(&self, cart_id: Uuid, update: &CartUpdate) -> Result<Cart> {
        self.update_cart_with_key(cart_id, update, IdempotencyKey::new())
            .await
    }

    /// [`Client::update_cart`] with an idempotency key of your own.
    pub async fn update_cart_with_key(
        &self,
        cart_id: Uuid,
        update: &CartUpdate,
        key: IdempotencyKey,
    ) -> Result<Cart> {
        let call = Call::mutate(Method::Patch, self.cart_url(cart_id, &[]))
            .key(key)
            .json(update);
        self.public(call).await
    }

    /// How `country` (ISO 3166-1 alpha-2) writes addresses: the lines and required members of
    /// an address form, its postal code pattern and its regions.
    pub async fn address_format(&self, country: &str) -> Result<AddressFormat> {
        let url = self.server_url(&["api", "v1", "address-formats", country]);
        Ok(self.execute(Call::get(url)).await?.0)
    }

    /// The countries this store's address forms offer: every country (billing) and those it
    /// ships to (shipping).
    pub async fn countries(&self) -> Result<Countries> {
        self.public(Call::get(self.store_url(&["countries"]))).await
    }

    /// Sets the quantity of a cart line (1 to 999).
    pub async fn update_cart_item(
        &self,
        cart_id: Uuid,
        item_id: Uuid,
        quantity: u32,
    ) -> Result<Cart> {
        self.update_cart_item_with_key(cart_id, item_id, quantity, IdempotencyKey::new())
            .await
    }

    /// [`Client::update_cart_item`] with an idempotency key of your own.
    pub async fn update_cart_item_with_key(
        &self,
        cart_id: Uuid,
        item_id: Uuid,
        quantity: u32,
        key: IdempotencyKey,
    ) -> Result<Cart> {
        self.update_cart_item_as(cart_id, item_id, quantity, key)
            .await
    }

    pub(crate) async fn update_cart_item_as<T: Decode>(
        &self,
        cart_id: Uuid,
        item_id: Uuid,
        quantity: u32,
        key: IdempotencyKey,
    ) -> Result<T> {
        let url = self.cart_url(cart_id, &["items", &item_id.to_string()]);
        let call = Call::mutate(Method::Patch, url)
            .key(key)
            .json(&UpdateCartItemRequest { quantity });
        self.public(call).await
    }

    /// Removes a line from a cart.
    pub async fn remove_cart_item(&self, cart_id: Uuid, item_id: Uuid) -> Result<Cart> {
        self.remove_cart_item_with_key(cart_id, item_id, IdempotencyKey::new())
            .await
    }

    /// [`Client::remove_cart_item`] with an idempotency key of your own.
    pub async fn remove_cart_item_with_key(
        &self,
        cart_id: Uuid,
        item_id: Uuid,
        key: IdempotencyKey,
    ) -> Result<Cart> {
        self.remove_cart_item_as(cart_id, item_id, key).await
    }

    pub(crate) async fn remove_cart_item_as<T: Decode>(
        &self,
        cart_id: Uuid,
        item_id: Uuid,
        key: IdempotencyKey,
    ) -> Result<T> {
        let url = self.cart_url(cart_id, &["items", &item_id.to_string()]);
        self.public(Call::mutate(Method::Delete, url).key(key))
            .await
    }

    /// Turns a cart into an order awaiting payment, reserving its stock. Set
    /// `expected_total` to the total the customer saw: if prices moved, the call fails with
    /// [`Error::PriceChanged`] and nothing is ordered.
    ///
    /// Keep the returned `order_token`: it is the customer's access to the order.
    pub async fn checkout(&self, request: &CheckoutRequest) -> Result<CheckoutSession> {
        self.checkout_with_key(request, IdempotencyKey::new()).await
    }

    /// [`Client::checkout`] with an idempotency key of your own: repeating the call with the
    /// same key (after a crash or a lost answer) returns the same order, reserved once.
    pub async fn checkout_with_key(
        &self,
        request: &CheckoutRequest,
        key: IdempotencyKey,
    ) -> Result<CheckoutSession> {
        let call = Call::mutate(Method::Post, self.store_url(&["checkout"]))
            .key(key)
            .json(request);
        self.public(call).await
    }

    /// A customer's order, read with the order token from [`Client::checkout`].
    pub async fn order(&self, order_id: Uuid, order_token: &str) -> Result<Order> {
        crate::client::require("order token", order_token)?;
        let call = Call::get(self.store_url(&["orders", &order_id.to_string()]))
            .header(ORDER_TOKEN_HEADER, order_token.to_owned());
        self.public(call).await
    }

    /// Asks the store to email `request.email` a one-time link to its orders. The server
    /// answers alike whether or not the email has orders there, so this succeeds either way.
    pub async fn request_access_link(&self, request: &AccessLinkRequest) -> Result<()> {
        let call =
            Call::mutate(Method::Post, self.store_url(&["customer", "access-links"])).json(request);
        let _: NoData = self.public(call).await?;
        Ok(())
    }

    /// Exchanges the token of an emailed access link (it works once) for a buyer session. A
    /// used or expired link is an [`Error::Api`] with code `ACCESS_LINK_EXPIRED` (410).
    pub async fn open_customer_session(&self, token: &str) -> Result<CustomerSession> {
        crate::client::require("access link token", token)?;
        let call = Call::mutate(Method::Post, self.store_url(&["customer", "sessions"])).json(
            &CustomerSessionRequest {
                token: token.to_owned(),
            },
        );
        self.public(call).await
    }

    /// One page of the buyer's orders in this store, newest first, with their download links,
    /// read with the token of [`Client::open_customer_session`].
    pub async fn customer_orders(
        &self,
        session_token: &str,
        query: &PageQuery,
    ) -> Result<Page<Order>> {
        crate::client::require("customer session token", session_token)?;
        let call = Call::get(self.store_url(&["customer", "orders"]))
            .query(query)?
            .header(CUSTOMER_TOKEN_HEADER, session_token.to_owned());
        self.public_page(call).await
    }

    /// Settles a payment of the built-in `test` provider (stores configured for it only), as
    /// the customer's payment would: `Succeed` marks the order paid, `Fail` cancels it.
    pub async fn settle_test_payment(
        &self,
        reference: &str,
        outcome: TestPaymentOutcome,
    ) -> Result<Order> {
        crate::client::require("payment reference", reference)?;
        let call = Call::mutate(Method::Post, self.store_url(&["test-payments", reference]))
            .json(&TestPaymentRequest { outcome });
        self.public(call).await
    }

    /// Downloads a paid digital item's file. Each call uses one of its downloads.
    pub async fn download(&self, download: &Download) -> Result<DownloadedFile> {
        let url = if download.url.starts_with("http://") || download.url.starts_with("https://") {
            download.url.clone()
        } else if download.url.starts_with('/') {
            format!("{}{}", self.base_url(), download.url)
        } else {
            return Err(Error::invalid(format!(
                "download URL \u{201c}{}\u{201d} is not a URL",
                download.url
            )));
        };
        let (_, response) = self.execute_raw(Call::get(url)).await?;
        Ok(DownloadedFile {
            file_name: download.file_name.clone(),
            content_type: response.header("content-type").map(str::to_owned),
            bytes: response.body,
        })
    }

    fn cart_url(&self, cart_id: Uuid, rest: &[&str]) -> String {
        let id = cart_id.to_string();
        let mut segments = vec!["carts", id.as_str()];
        segments.extend_from_slice(rest);
        self.store_url(&segments)
    }
}
