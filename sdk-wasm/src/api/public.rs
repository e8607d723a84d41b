//! `Colmena`: the store-scoped public API (catalog, carts, checkout, orders, downloads).

use colmena_sdk::contract::{
    AccessLinkRequest, AddCartItemRequest, CartUpdate, ChatInterpretRequest, ChatMessageRequest,
    ChatThreadRequest, CheckoutRequest, CreateCartRequest, Download, PageQuery, TestPaymentOutcome,
};
use colmena_sdk::{Client, DownloadedFile, IdempotencyKey, ProductListQuery, SearchQuery};
use js_sys::{Object, Uint8Array};
use uuid::Uuid;
use wasm_bindgen::prelude::*;

use super::edge::{js_methods, Arg, Raw};
use crate::{set, to_js_error};

/// The headless Colmena client for one store: the catalog, carts, checkout, the customer's
/// orders, test payments and downloads. Every method returns a promise that rejects with a
/// `ColmenaError` subclass.
///
/// ```js
/// const colmena = new Colmena("https://api.example.com", "demo");
/// const { items, pagination } = await colmena.listProducts({ limit: 12, sort: "price" });
/// for await (const product of colmena.products({ category: "honey" })) console.log(product.name);
/// ```
#[wasm_bindgen]
pub struct Colmena {
    client: Client,
}

impl Colmena {
    /// The sdk-core client this wraps.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Wraps an sdk-core client.
    pub fn from_client(client: Client) -> Self {
        Self { client }
    }
}

/// A client for `store` on the server at `api`, both read from JS arguments.
pub(crate) fn client_from_args(api: &JsValue, store: &JsValue) -> Result<Client, JsValue> {
    let api = String::from_arg(api, "api")?;
    let store = String::from_arg(store, "store")?;
    crate::client(&api, &store).map_err(|e| to_js_error(&e))
}

/// The caller's idempotency key, or a fresh one.
fn key(given: Option<String>) -> colmena_sdk::Result<IdempotencyKey> {
    given.map_or_else(|| Ok(IdempotencyKey::new()), IdempotencyKey::from_string)
}

/// `{fileName, contentType, bytes}`, the bytes as a `Uint8Array`.
fn file_to_js(file: DownloadedFile) -> Raw {
    let object = Object::new();
    set(&object, "fileName", file.file_name.into());
    set(
        &object,
        "contentType",
        file.content_type.map_or(JsValue::NULL, Into::into),
    );
    set(
        &object,
        "bytes",
        Uint8Array::from(file.bytes.as_slice()).into(),
    );
    Raw(object.into())
}

#[wasm_bindgen]
#[allow(non_snake_case)] // the argument names are the JS ones
impl Colmena {
    /// A client for `store` on the Colmena server at `api` (its base URL), presenting the
    /// store's publishable key (`pk_…`) when given. Throws `InvalidRequestError` for a bad URL,
    /// an empty store or a key that is not a publishable one.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] api: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] store: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] publishableKey: JsValue,
    ) -> Result<Colmena, JsValue> {
        let client = client_from_args(&api, &store)?;
        let client = match Option::<String>::from_arg(&publishableKey, "publishableKey")? {
            Some(key) => client
                .with_publishable_key(&key)
                .map_err(|e| to_js_error(&e))?,
            None => client,
        };
        Ok(Self { client })
    }
}

js_methods! {
    impl Colmena(client) {
        /// Whether the server and its database answer, and the server's version.
        health() -> "Promise<Health>" { client.health().await }

        /// This client asking for product and category content in `locale` (e.g. `"fr"`),
        /// sent as `Accept-Language`; content without that translation comes in the store's own
        /// language. `"*"` asks for the store's own language whatever the browser prefers.
        withLocale(locale: String = "string") -> sync "Colmena" {
            Ok(Raw(Colmena::from_client(client.with_locale(&locale)?).into()))
        }

        /// This client acting for the buyer signed in with a customer session (the `token` of
        /// `openCustomerSession`): the catalog shows their customer groups' prices, and carts it
        /// creates or updates become theirs and get those prices.
        withCustomerSession(token: String = "string") -> sync "Colmena" {
            Ok(Raw(Colmena::from_client(client.with_customer_session(&token)).into()))
        }

        /// The store's profile: name, currency, locale and branding.
        store() -> "Promise<Store>" { client.store().await }

        /// The storefront to apply (theme, logo, and the banners and announcement scheduled for
        /// now); with a `preview` token from `ColmenaAdmin.createStorefrontPreviewToken`, the
        /// unpublished draft.
        storefront(; preview?: String = "string") -> "Promise<Storefront>" {
            client.storefront(preview.as_deref()).await
        }

        /// The storefront's theme as the widget's CSS (`:host` custom properties); with a
        /// `preview` token, the draft's.
        storefrontCss(; preview?: String = "string") -> "Promise<string>" {
            client.storefront_css(preview.as_deref()).await
        }

        /// The store's categories with their product counts.
        categories() -> "Promise<Category[]>" { client.categories().await }

        /// One page of the catalog, filtered, searched and sorted by `query` (`limit`, `offset`,
        /// `category`, `featured`, `q`, `sort`): `{items, pagination}`.
        listProducts(; query?: ProductListQuery = "ProductListQuery") -> "Promise<Page<Product>>" {
            client.list_products(&query.unwrap_or_default()).await
        }

        /// Every product matching `query`, page after page (pages of `query.limit`, default
        /// 20), as an async iterator: `for await (const product of colmena.products()) …`. A
        /// failed page rejects that step and ends the iteration.
        products(; query?: ProductListQuery = "ProductListQuery") -> stream "AsyncIterableIterator<Product>" {
            client.product_stream(query.unwrap_or_default())
        }

        /// Searches the catalog by relevance (prefixes, typos and accents forgiven), narrowed by
        /// `query`'s filters (`category`, `featured`, `productType`, `minPrice`, `maxPrice`,
        /// `attributes: [{name, value}]`): `{products, facets, pagination}`.
        search(query: SearchQuery = "SearchQuery") -> "Promise<SearchPage>" {
            client.search(&query).await
        }

        /// One product, by id or slug.
        product(idOrSlug: String = "string") -> "Promise<Product>" {
            client.product(&idOrSlug).await
        }

        /// Creates a cart, optionally with first items; the server prices every line.
        /// `idempotencyKey` (your own, 1 to 255 visible ASCII characters) makes a repeat safe.
        createCart(; request?: CreateCartRequest = "CreateCartRequest", idempotencyKey?: String = "string") -> "Promise<Cart>" {
            client.create_cart_with_key(&request.unwrap_or_default(), key(idempotencyKey)?).await
        }

        /// A cart with current prices, stock and totals.
        cart(cartId: Uuid = "string") -> "Promise<Cart>" { client.cart(cartId).await }

        /// Adds a variant (or a single-variant product) to a cart; a variant already there has
        /// its quantity increased.
        addToCart(cartId: Uuid = "string", item: AddCartItemRequest = "AddCartItemRequest"; idempotencyKey?: String = "string") -> "Promise<Cart>" {
            client.add_to_cart_with_key(cartId, &item, key(idempotencyKey)?).await
        }

        /// Sets what prices a cart beyond its lines: the shipping and billing addresses, the
        /// chosen rate (one of the cart's `shippingOptions`) and the discount codes. Absent
        /// members stay as they are. A code that does not apply rejects with its own `code`
        /// (`DISCOUNT_NOT_FOUND`, `DISCOUNT_EXPIRED`, `DISCOUNT_NOT_APPLICABLE`,
        /// `DISCOUNT_USAGE_LIMIT_REACHED`); an address its country refuses, with a
        /// `ValidationError` whose `parameter` names the member.
        updateCart(cartId: Uuid = "string", update: CartUpdate = "CartUpdate"; idempotencyKey?: String = "string") -> "Promise<Cart>" {
            client.update_cart_with_key(cartId, &update, key(idempotencyKey)?).await
        }

        /// How a country (ISO 3166-1 alpha-2) writes addresses: an address form's lines and
        /// required members, its postal code pattern and regions.
        addressFormat(country: String = "string") -> "Promise<AddressFormat>" { client.address_format(&country).await }

        /// The countries this store's address forms offer: every country (billing) and those it
        /// ships to (shipping).
        countries() -> "Promise<Countries>" { client.countries().await }

        /// Sets the quantity of a cart line (1 to 999).
        updateCartItem(cartId: Uuid = "string", itemId: Uuid = "string", quantity: u32 = "number"; idempotencyKey?: String = "string") -> "Promise<Cart>" {
            client.update_cart_item_with_key(cartId, itemId, quantity, key(idempotencyKey)?).await
        }

        /// Removes a line from a cart.
        removeCartItem(cartId: Uuid = "string", itemId: Uuid = "string"; idempotencyKey?: String = "string") -> "Promise<Cart>" {
            client.remove_cart_item_with_key(cartId, itemId, key(idempotencyKey)?).await
        }

        /// Turns a cart into an order awaiting payment, reserving its stock. With
        /// `expectedTotal` (the total the customer saw) a moved price fails with
        /// `PriceChangedError` and nothing is ordered. Keep the session's `orderToken`: it is
        /// the customer's access to the order. Repeating the call with the same
        /// `idempotencyKey` returns the same order, reserved once.
        checkout(request: CheckoutRequest = "CheckoutRequest"; idempotencyKey?: String = "string") -> "Promise<CheckoutSession>" {
            client.checkout_with_key(&request, key(idempotencyKey)?).await
        }

        /// A customer's order, read with the order token from `checkout`.
        order(orderId: Uuid = "string", orderToken: String = "string") -> "Promise<Order>" {
            client.order(orderId, &orderToken).await
        }

        /// Settles a payment of the built-in `test` provider as the customer's payment would:
        /// `"succeed"` marks the order paid, `"fail"` cancels it.
        settleTestPayment(reference: String = "string", outcome: TestPaymentOutcome = "TestPaymentOutcome") -> "Promise<Order>" {
            client.settle_test_payment(&reference, outcome).await
        }

        /// Asks the store to email `request.email` a one-time link to its orders. Resolves alike
        /// whether or not the email has orders here (the server reveals no customers).
        requestAccessLink(request: AccessLinkRequest = "AccessLinkRequest") -> "Promise<void>" {
            client.request_access_link(&request).await
        }

        /// Exchanges the token of an emailed access link (it works once) for a buyer session;
        /// a used or expired link rejects with an `ApiError` whose code is `ACCESS_LINK_EXPIRED`.
        openCustomerSession(token: String = "string") -> "Promise<CustomerSession>" {
            client.open_customer_session(&token).await
        }

        /// One page of the buyer's orders, newest first, with their download links, read with
        /// the session's `token`.
        customerOrders(sessionToken: String = "string"; query?: PageQuery = "PageQuery") -> "Promise<Page<Order>>" {
            client.customer_orders(&sessionToken, &query.unwrap_or_default()).await
        }

        /// What a buyer's chat message asks for, read by the server against the store's
        /// catalog: `{intent, items, confidence, language, question?, query?, humanRequested}`.
        /// Nothing changes on the server. Pass the previous interpretation as
        /// `request.previous` when it asked a question, and the products in the buyer's cart as
        /// `request.inCart`. To interpret on the device, use a `ChatInterpreter`
        /// (`@colmena/sdk/chat`).
        interpret(request: ChatInterpretRequest = "ChatInterpretRequest") -> "Promise<Interpretation>" {
            client.chat_interpret(&request).await
        }

        /// The catalog the chat interpreter reads (every product on sale, its names in the
        /// store's languages and its variants' options), for `new ChatInterpreter(catalog)`
        /// (`@colmena/sdk/chat`).
        chatCatalog() -> "Promise<ChatCatalog>" { client.chat_catalog().await }

        /// Sends a buyer's message to the store's chat: `{session, text, locale?, cartId?}`.
        /// `session` is a random secret of 32 to 128 characters the app keeps for this buyer
        /// (the same session continues the conversation); `cartId` is the buyer's cart, which
        /// the conversation then uses. Resolves to `{conversationId, interpretation, replies,
        /// cartId, checkoutUrl}`: `replies` to show, the conversation's cart (adopt it with
        /// `ColmenaCart.adopt`), and the hosted checkout page when the buyer asked to pay.
        sendChatMessage(request: ChatMessageRequest = "ChatMessageRequest"; idempotencyKey?: String = "string") -> "Promise<ChatReply>" {
            client.chat_message_with_key(&request, key(idempotencyKey)?).await
        }

        /// The open conversation of a chat `session` (`{session}`): `{conversationId, status,
        /// messages}`, its last 50 messages oldest first (`{id, author, body, createdAt}`, the
        /// store's staff's replies included), and `status` `waiting_human` while staff have it;
        /// no id and no messages when none is open.
        chatThread(request: ChatThreadRequest = "ChatThreadRequest") -> "Promise<ChatThread>" {
            client.chat_thread(&request).await
        }

        /// Downloads a paid digital item's file (one of `order.downloads`); each call uses one
        /// of its downloads.
        download(download: Download = "Download") -> "Promise<DownloadedFile>" {
            client.download(&download).await.map(file_to_js)
        }
    }
}
