#![doc = include_str!("../README.md")]
// uniffi's generated scaffolding uses unsafe FFI glue; our own code here has none.
#![allow(unsafe_code)]

mod admin;
mod cart;
mod chat;
mod error;

use std::sync::Arc;

use colmena_sdk::contract::{
    AccessLinkRequest, AddressFormat, Cart, CartUpdate, Category, ChatCatalog,
    ChatInterpretRequest, ChatMessageRequest, ChatReply, ChatThread, ChatThreadRequest,
    CheckoutRequest, CheckoutSession, Countries, CustomerSession, Download, Interpretation, Money,
    Order, PageQuery, Pagination, Product, ProductListQuery, SearchFacets, SearchQuery, Store,
    Storefront, TestPaymentOutcome,
};
use colmena_sdk::{DownloadedFile, Uuid};

pub use admin::{AdminProductPage, ColmenaAdmin, OrderPage, StorefrontVersionPage};
pub use cart::{CartChange, CartLine, CartSyncReport, ColmenaCart, RejectedCartChange};
pub use chat::ChatInterpreter;
/// The contract's types, which Kotlin and Swift see as they are (records and enums derived in
/// sdk-core behind its `uniffi` feature).
pub use colmena_sdk::contract;
pub use error::ColmenaError;

uniffi::setup_scaffolding!();

// UUIDs cross as `java.util.UUID` / `UUID`, by the conversion sdk-core defines.
uniffi::use_remote_type!(colmena_sdk::Uuid);

/// A client for one store of a Colmena server. Every network call is a Kotlin `suspend`
/// function or a Swift `async` function.
#[derive(Debug, uniffi::Object)]
pub struct ColmenaClient {
    inner: colmena_sdk::Client,
}

impl ColmenaClient {
    pub(crate) fn inner(&self) -> &colmena_sdk::Client {
        &self.inner
    }
}

/// One page of the catalog (`colmena_sdk::Page` is generic, which uniffi cannot export).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProductPage {
    /// The products.
    pub items: Vec<Product>,
    /// Where the page sits in the whole list.
    pub pagination: Pagination,
}

/// One page of a catalog search: its products, the facets of every match, and paging.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SearchPage {
    /// The products, most relevant first unless the query sorts otherwise.
    pub products: Vec<Product>,
    /// Price range and attribute value counts over every match.
    pub facets: SearchFacets,
    /// Where the page sits among all matches.
    pub pagination: Pagination,
}

#[uniffi::export(async_runtime = "tokio")]
impl ColmenaClient {
    /// A client for `store` on the server at `base_url`.
    #[uniffi::constructor]
    pub fn new(base_url: String, store: String) -> Result<Arc<Self>, ColmenaError> {
        Ok(Arc::new(Self {
            inner: colmena_sdk::Client::new(&base_url, &store)?,
        }))
    }

    /// This client asking for product and category content in `locale` (e.g. `fr`); content
    /// without that translation comes in the store's own language.
    pub fn with_locale(&self, locale: String) -> Result<Arc<Self>, ColmenaError> {
        Ok(Arc::new(Self {
            inner: self.inner.clone().with_locale(&locale)?,
        }))
    }

    /// This client acting for the buyer signed in with a customer session (the `token` of
    /// `open_customer_session`): the catalog shows their customer groups' prices, and carts it
    /// creates or updates become theirs and get those prices.
    pub fn with_customer_session(&self, token: String) -> Arc<Self> {
        Arc::new(Self {
            inner: self.inner.clone().with_customer_session(&token),
        })
    }

    /// The store's profile.
    pub async fn store(&self) -> Result<Store, ColmenaError> {
        Ok(self.inner.store().await?)
    }

    /// One page of products.
    pub async fn list_products(
        &self,
        query: ProductListQuery,
    ) -> Result<ProductPage, ColmenaError> {
        let page = self.inner.list_products(&query).await?;
        Ok(ProductPage {
            items: page.items,
            pagination: page.pagination,
        })
    }

    /// Searches the catalog by relevance (prefixes, typos and accents forgiven), narrowed by
    /// the query's filters, with the facet counts of every match.
    pub async fn search(&self, query: SearchQuery) -> Result<SearchPage, ColmenaError> {
        let page = self.inner.search(&query).await?;
        Ok(SearchPage {
            products: page.products,
            facets: page.facets,
            pagination: page.pagination,
        })
    }

    /// One product by id or slug.
    pub async fn product(&self, id_or_slug: String) -> Result<Product, ColmenaError> {
        Ok(self.inner.product(&id_or_slug).await?)
    }

    /// Checks out a server cart directly (apps with a `ColmenaCart` use its `checkout`).
    pub async fn checkout(
        &self,
        cart_id: Uuid,
        email: String,
        expected_total: Option<Money>,
    ) -> Result<CheckoutSession, ColmenaError> {
        let request = CheckoutRequest {
            cart_id,
            email,
            expected_total,
            return_url: None,
            ..CheckoutRequest::default()
        };
        Ok(self.inner.checkout(&request).await?)
    }

    /// Checks out with the buyer's details: name, phone, addresses, shipping rate and discount
    /// codes (each optional member left empty keeps the cart's own).
    pub async fn checkout_with(
        &self,
        request: CheckoutRequest,
    ) -> Result<CheckoutSession, ColmenaError> {
        Ok(self.inner.checkout(&request).await?)
    }

    /// A server cart with current prices, its shipping options and totals.
    pub async fn cart(&self, cart_id: Uuid) -> Result<Cart, ColmenaError> {
        Ok(self.inner.cart(cart_id).await?)
    }

    /// Sets a cart's addresses, shipping rate or discount codes (absent members stay). A code
    /// that does not apply fails with its own code (`DISCOUNT_NOT_FOUND`…).
    pub async fn update_cart(
        &self,
        cart_id: Uuid,
        update: CartUpdate,
    ) -> Result<Cart, ColmenaError> {
        Ok(self.inner.update_cart(cart_id, &update).await?)
    }

    /// How a country (ISO 3166-1 alpha-2) writes addresses, for an address form.
    pub async fn address_format(&self, country: String) -> Result<AddressFormat, ColmenaError> {
        Ok(self.inner.address_format(&country).await?)
    }

    /// The countries this store's address forms offer: every country (billing) and those it
    /// ships to (shipping).
    pub async fn countries(&self) -> Result<Countries, ColmenaError> {
        Ok(self.inner.countries().await?)
    }

    /// A customer's order, read with the order token from checkout.
    pub async fn order(&self, order_id: Uuid, order_token: String) -> Result<Order, ColmenaError> {
        Ok(self.inner.order(order_id, &order_token).await?)
    }

    /// Asks the store to email `email` a one-time link to its orders (in `locale` when given).
    /// Succeeds alike whether or not the email has orders here.
    pub async fn request_access_link(
        &self,
        email: String,
        locale: Option<String>,
    ) -> Result<(), ColmenaError> {
        let request = AccessLinkRequest { email, locale };
        Ok(self.inner.request_access_link(&request).await?)
    }

    /// Exchanges the token of an emailed access link (it works once) for a buyer session; a
    /// used or expired link fails with error code `ACCESS_LINK_EXPIRED`.
    pub async fn open_customer_session(
        &self,
        token: String,
    ) -> Result<CustomerSession, ColmenaError> {
        Ok(self.inner.open_customer_session(&token).await?)
    }

    /// One page of the buyer's orders, newest first, read with the session's token.
    pub async fn customer_orders(
        &self,
        session_token: String,
        limit: Option<u32>,
        offset: Option<u64>,
    ) -> Result<OrderPage, ColmenaError> {
        let query = PageQuery { limit, offset };
        let page = self.inner.customer_orders(&session_token, &query).await?;
        Ok(OrderPage {
            items: page.items,
            pagination: page.pagination,
        })
    }

    /// Settles a payment of the built-in test provider, as the customer's payment would.
    pub async fn settle_test_payment(
        &self,
        reference: String,
        outcome: TestPaymentOutcome,
    ) -> Result<Order, ColmenaError> {
        Ok(self.inner.settle_test_payment(&reference, outcome).await?)
    }

    /// Downloads a paid digital item's file (each call uses one of its downloads).
    pub async fn download(&self, download: Download) -> Result<DownloadedFile, ColmenaError> {
        Ok(self.inner.download(&download).await?)
    }

    /// The store's categories.
    pub async fn categories(&self) -> Result<Vec<Category>, ColmenaError> {
        Ok(self.inner.categories().await?)
    }

    /// Asks for a password reset link for a staff user of the store (`ColmenaAdmin.resetPassword`
    /// takes its token). Succeeds whether or not the email belongs to a user.
    pub async fn request_password_reset(&self, email: String) -> Result<(), ColmenaError> {
        Ok(colmena_sdk::AdminClient::request_password_reset(&self.inner, &email).await?)
    }

    /// The storefront to apply (theme, logo, and the banners and announcement scheduled for
    /// now); with a `preview` token, the unpublished draft.
    pub async fn storefront(&self, preview: Option<String>) -> Result<Storefront, ColmenaError> {
        Ok(self.inner.storefront(preview.as_deref()).await?)
    }

    /// What a buyer's chat message asks for (intent, items, confidence, and a clarifying
    /// question when a reference is ambiguous), read by the server against the store's catalog.
    /// Nothing changes on the server. To read messages on the device, make a `ChatInterpreter`
    /// from `chat_catalog()`.
    pub async fn chat_interpret(
        &self,
        request: ChatInterpretRequest,
    ) -> Result<Interpretation, ColmenaError> {
        Ok(self.inner.chat_interpret(&request).await?)
    }

    /// The catalog the chat interpreter reads: every product on sale, its names in the store's
    /// languages and its variants' options.
    pub async fn chat_catalog(&self) -> Result<ChatCatalog, ColmenaError> {
        Ok(self.inner.chat_catalog().await?)
    }

    /// The open conversation of a chat `session`: its status (`WAITING_HUMAN` while the
    /// store's staff have it) and its last 50 messages, staff replies included, oldest first;
    /// none when no conversation is open.
    pub async fn chat_thread(&self, session: String) -> Result<ChatThread, ColmenaError> {
        Ok(self
            .inner
            .chat_thread(&ChatThreadRequest { session })
            .await?)
    }

    /// Sends a buyer's message to the store's chat: the server interprets it, applies it to the
    /// conversation's cart (`request.cart_id`, the buyer's cart, when given and open) and
    /// answers in the buyer's language. Keep `request.session` (a random secret of 32 to 128
    /// characters) for this buyer: the same session continues the conversation. The reply's
    /// `cart_id` is the conversation's cart (`ColmenaCart.adopt` makes it the app's), and
    /// `checkout_url` the hosted checkout page when the buyer asked to pay.
    pub async fn send_chat_message(
        &self,
        request: ChatMessageRequest,
    ) -> Result<ChatReply, ColmenaError> {
        Ok(self.inner.chat_message(&request).await?)
    }
}

/// Formats minor units for a locale, e.g. `formatMoney(1250, "EUR", "es-ES")` is `12,50 €`.
#[uniffi::export]
pub fn format_money(amount: i64, currency: String, locale: String) -> String {
    colmena_sdk::format_money(amount, &currency, &locale)
}

/// Why a webhook delivery's signature was refused (Kotlin `WebhookSignatureException`, Swift
/// `WebhookSignatureError`); `code` is the same in every SDK (`SIGNATURE_MISMATCH`…).
#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum WebhookSignatureError {
    /// The signature does not verify.
    #[error("{code}: {reason}")]
    Invalid {
        /// `MALFORMED_HEADER`, `NO_SIGNATURE`, `TIMESTAMP_OUT_OF_TOLERANCE` or
        /// `SIGNATURE_MISMATCH`.
        code: String,
        /// A description.
        reason: String,
    },
}

/// Checks the `Colmena-Signature` header of a webhook delivery against its raw `body`, at Unix
/// time `now_seconds`, allowing `tolerance_seconds` of clock difference (300 when absent).
#[uniffi::export]
pub fn verify_webhook_signature(
    secret: String,
    header: String,
    body: Vec<u8>,
    now_seconds: i64,
    tolerance_seconds: Option<u64>,
) -> Result<(), WebhookSignatureError> {
    let tolerance = tolerance_seconds.map_or(
        colmena_sdk::webhook::DEFAULT_TOLERANCE,
        std::time::Duration::from_secs,
    );
    colmena_sdk::webhook::verify(&secret, &header, &body, now_seconds, tolerance).map_err(|e| {
        WebhookSignatureError::Invalid {
            code: e.code().to_owned(),
            reason: e.to_string(),
        }
    })
}
