//! The async HTTP client for the store-scoped public API, and the call machinery every endpoint
//! shares: URLs, headers, request ids, idempotency keys, retries and envelope decoding.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;

use crate::json::{Decode, DecodeError};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;

use crate::contract::{
    ApiResponse, Category, ChatCatalog, ChatInterpretRequest, ChatMessageRequest, ChatReply,
    ChatThread, ChatThreadRequest, Health, Interpretation, InvalidParameter, Pagination, Product,
    ProductListQuery, SearchFacets, SearchQuery, SearchResults, Store, Storefront,
};
use crate::error::{ApiFailure, Error, Result};
use crate::transport::{
    retry_after, send_with_retries, HttpRequest, HttpResponse, Jitter, Method, RetryPolicy,
    Transport, TransportError,
};

/// Characters escaped in a path segment (RFC 3986 `pchar` complement, plus `/` and `%`).
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The header that carries a storefront preview token.
const PREVIEW_HEADER: &str = "x-colmena-preview";

/// One page of a list endpoint. As JSON: `{"items": […], "pagination": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, crate::json::Encode)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where this page sits in the whole list.
    pub pagination: Pagination,
}

/// One page of a catalog search: its products, the facets of every match, and where the page
/// sits. As JSON: `{"products": […], "facets": {…}, "pagination": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, crate::json::Encode)]
pub struct SearchPage {
    /// The products of this page, most relevant first unless the query sorts otherwise.
    pub products: Vec<Product>,
    /// Counts over every matching product: price range and attribute values.
    pub facets: SearchFacets,
    /// Where this page sits among all matches.
    pub pagination: Pagination,
}

/// A key that makes a mutating call safe to repeat: the server carries out a call once per key
/// and answers repeats with the first answer.
///
/// Every mutating method makes a fresh one (a random UUID) and reuses it across its own retries.
/// Make your own with [`IdempotencyKey::new`] and keep it (e.g. next to your order record) to
/// repeat a call safely after a crash or a lost answer, with the `…_with_key` methods.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    crate::json::Decode,
    crate::json::Encode,
)]
#[serde(transparent)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A fresh random key.
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    /// A key of your own: 1 to 255 visible ASCII characters, unique per intended operation.
    pub fn from_string(key: impl Into<String>) -> Result<Self> {
        let key = key.into();
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid(
                "an idempotency key is 1 to 255 visible ASCII characters",
            ));
        }
        Ok(Self(key))
    }

    /// The key as sent in the `Idempotency-Key` header.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for IdempotencyKey {
    fn default() -> Self {
        Self::new()
    }
}

/// A client for one store of a Colmena server.
///
/// Cheap to clone: clones share one connection pool.
///
/// ```no_run
/// # async fn run() -> colmena_sdk::Result<()> {
/// let client = colmena_sdk::Client::new("http://127.0.0.1:8080", "demo")?;
/// let page = client.list_products(&Default::default()).await?;
/// for product in page.items {
///     println!("{} {}", product.name, product.price.format("es-ES"));
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    jitter: Arc<Jitter>,
    /// The server's base URL, without a trailing slash.
    base_url: String,
    store: String,
    /// `Bearer pk_…`, sent with every public call when set.
    publishable_key: Option<String>,
    /// The language asked for content, sent as `Accept-Language` with every public call.
    locale: Option<String>,
    /// A signed-in buyer's customer session, sent as `x-customer-token` with every public call.
    customer_session: Option<String>,
}

impl Client {
    /// A client for `store` on the server at `base_url` (e.g. `http://127.0.0.1:8080`), over
    /// reqwest, with the default [`RetryPolicy`].
    #[cfg(all(feature = "reqwest", not(target_arch = "wasm32")))]
    pub fn new(base_url: &str, store: &str) -> Result<Self> {
        Self::with_transport(
            base_url,
            store,
            Arc::new(crate::transport::ReqwestTransport::default()),
        )
    }

    /// A client for `store` on the server at `base_url`, sending through `transport`.
    pub fn with_transport(
        base_url: &str,
        store: &str,
        transport: Arc<dyn Transport>,
    ) -> Result<Self> {
        let base = base_url.trim().trim_end_matches('/');
        let authority = base
            .strip_prefix("http://")
            .or_else(|| base.strip_prefix("https://"))
            .ok_or_else(|| {
                Error::invalid(format!(
                    "base URL {base_url:?} must start with http:// or https://"
                ))
            })?;
        if authority.is_empty()
            || authority.starts_with('/')
            || authority.contains(|c: char| c == '?' || c == '#' || c.is_whitespace())
        {
            return Err(Error::invalid(format!(
                "base URL \u{201c}{base_url}\u{201d} is not a valid server URL"
            )));
        }
        if store.is_empty() {
            return Err(Error::invalid("store must not be empty"));
        }
        Ok(Self {
            transport,
            retry: RetryPolicy::default(),
            jitter: Arc::new(Jitter::new()),
            base_url: base.to_owned(),
            store: store.to_owned(),
            publishable_key: None,
            locale: None,
            customer_session: None,
        })
    }

    /// This client with another retry policy (e.g. [`RetryPolicy::never`]).
    #[must_use]
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// This client presenting the store's publishable key (`pk_…`) on every public call. A
    /// secret key (`sk_…`) is refused here: it must never reach a browser or an app.
    pub fn with_publishable_key(mut self, key: &str) -> Result<Self> {
        if !key.starts_with("pk_") {
            return Err(Error::invalid(
                "the public API takes a publishable key (pk_…); keep secret keys on servers and use AdminClient::with_secret_key",
            ));
        }
        self.publishable_key = Some(format!("Bearer {key}"));
        Ok(self)
    }

    /// This client asking for product and category content in `locale` (e.g. `fr`, `pt-BR`),
    /// sent as `Accept-Language`; content without that translation comes in the store's own
    /// language. `*` asks for the store's own language whatever a browser would prefer (a
    /// browser otherwise sends its user's languages).
    pub fn with_locale(self, locale: &str) -> Result<Self> {
        if locale != "*" && !crate::contract::valid_locale(locale) {
            return Err(Error::invalid(crate::contract::LOCALE_RULE));
        }
        Ok(self.accepting_language(locale))
    }

    /// This client sending `accept_language` as its `Accept-Language`, unchecked: a value the
    /// server cannot read asks for the store's own language. [`Client::with_locale`] checks the
    /// tag first; this is for callers that pass on a tag they were given (the widget's `locale`
    /// attribute), where a bad one should not stop the page.
    pub fn accepting_language(mut self, accept_language: &str) -> Self {
        self.locale = Some(accept_language.to_owned());
        self
    }

    /// This client acting for the buyer signed in with a customer session (the `token` of
    /// [`Client::open_customer_session`]): the catalog shows their customer groups' prices, and
    /// carts it creates or updates become theirs and get those prices.
    #[must_use]
    pub fn with_customer_session(mut self, token: &str) -> Self {
        self.customer_session = Some(token.to_owned());
        self
    }

    /// The store this client talks to.
    pub fn store_slug(&self) -> &str {
        &self.store
    }

    /// The server's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether the server and its database answer, and the server's version.
    pub async fn health(&self) -> Result<Health> {
        Ok(self
            .execute(Call::get(self.server_url(&["api", "health"])))
            .await?
            .0)
    }

    /// The store's public profile: name, currency, locale and branding.
    pub async fn store(&self) -> Result<Store> {
        self.public(Call::get(self.store_url(&[]))).await
    }

    /// The storefront to apply: theme, logo, and the banners and announcement scheduled for
    /// now. With a `preview` token (from [`crate::AdminClient::create_storefront_preview_token`])
    /// the unpublished draft instead.
    pub async fn storefront(&self, preview: Option<&str>) -> Result<Storefront> {
        self.public(self.storefront_call(&["storefront"], preview))
            .await
    }

    /// The storefront's theme as the CSS the widget adopts into its elements' shadow roots
    /// (`:host` custom properties such as `--colmena-brand`); with a `preview` token, the draft's.
    pub async fn storefront_css(&self, preview: Option<&str>) -> Result<String> {
        let call = self.storefront_call(&["storefront", "theme.css"], preview);
        let (request_id, response) = self.execute_raw(self.with_public_auth(call)).await?;
        String::from_utf8(response.body).map_err(|_| Error::Decode {
            status: response.status,
            message: "theme.css is not UTF-8".into(),
            request_id,
        })
    }

    /// A GET of a storefront route, with the preview token if there is one.
    fn storefront_call(&self, segments: &[&str], preview: Option<&str>) -> Call {
        let call = Call::get(self.store_url(segments));
        match preview {
            Some(token) => call.header(PREVIEW_HEADER, token.to_owned()),
            None => call,
        }
    }

    /// One page of the catalog, filtered, searched and sorted by `query`.
    pub async fn list_products(&self, query: &ProductListQuery) -> Result<Page<Product>> {
        query.validate().map_err(refused_parameter)?;
        let call = Call::get(self.store_url(&["products"])).query_pairs(&query.to_query_pairs());
        self.public_page(call).await
    }

    /// Searches the catalog: products matching `query.q` by relevance (prefixes, typos and
    /// accents forgiven, in this client's locale too), narrowed by its filters, with the facet
    /// counts of every match.
    pub async fn search(&self, query: &SearchQuery) -> Result<SearchPage> {
        query.validate().map_err(refused_parameter)?;
        let call = Call::get(self.store_url(&["search"])).query_pairs(&query.to_query_pairs());
        let (results, pagination): (SearchResults, _) =
            self.execute(self.with_public_auth(call)).await?;
        let Page { items, pagination } = into_page(results.products, pagination)?;
        Ok(SearchPage {
            products: items,
            facets: results.facets,
            pagination,
        })
    }

    /// Every product matching `query`, page after page (pages of `query.limit`, default 20),
    /// as a stream. An error ends the stream after being yielded.
    ///
    /// ```no_run
    /// # async fn run(client: colmena_sdk::Client) -> colmena_sdk::Result<()> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = client.product_stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn product_stream(
        &self,
        query: ProductListQuery,
    ) -> impl futures_util::Stream<Item = Result<Product>> {
        let client = self.clone();
        page_stream(query, move |query| {
            let client = client.clone();
            async move { client.list_products(&query).await }
        })
    }

    /// One product, by id or slug.
    pub async fn product(&self, id_or_slug: &str) -> Result<Product> {
        require("product id or slug", id_or_slug)?;
        self.public(Call::get(self.store_url(&["products", id_or_slug])))
            .await
    }

    /// The store's categories with their product counts.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        self.public(Call::get(self.store_url(&["categories"])))
            .await
    }

    /// What a buyer's chat message asks for (`intent`, `items`, `confidence`, and a clarifying
    /// `question` when a reference is ambiguous), matched by the server against the store's
    /// catalog. Nothing changes on the server. To interpret on the device instead, build a
    /// [`crate::chat::Interpreter`] from [`Client::chat_catalog`].
    pub async fn chat_interpret(&self, request: &ChatInterpretRequest) -> Result<Interpretation> {
        let call = Call::mutate(Method::Post, self.store_url(&["chat", "interpret"])).json(request);
        self.public(call).await
    }

    /// The catalog the chat interpreter matches messages against: every product on sale with
    /// its names (the store's language and the translations) and its variants' options.
    pub async fn chat_catalog(&self) -> Result<ChatCatalog> {
        self.public(Call::get(self.store_url(&["chat", "catalog"])))
            .await
    }

    /// Sends a buyer's message to the store's web chat: the server interprets it, applies it to
    /// the conversation's cart (the page's `cart_id`, when given and open) and answers in the
    /// buyer's language. The same `session` (a random secret of 32 to 128 characters the app
    /// keeps) continues the same conversation. A reply to "pay" carries the hosted checkout
    /// page in `checkout_url`.
    pub async fn chat_message(&self, request: &ChatMessageRequest) -> Result<ChatReply> {
        self.chat_message_with_key(request, IdempotencyKey::new())
            .await
    }

    /// [`Client::chat_message`] with an idempotency key of your own: a repeat with the same key
    /// is answered with the first reply and changes nothing.
    pub async fn chat_message_with_key(
        &self,
        request: &ChatMessageRequest,
        key: IdempotencyKey,
    ) -> Result<ChatReply> {
        let call = Call::mutate(Method::Post, self.store_url(&["chat", "messages"]))
            .key(key)
            .json(request);
        self.public(call).await
    }

    /// The open conversation of a web chat `session` (the secret its messages carry): its
    /// status (`waiting_human` while the store's staff have it) and its last 50 messages, the
    /// staff's replies included, oldest first; none when no conversation is open.
    pub async fn chat_thread(&self, request: &ChatThreadRequest) -> Result<ChatThread> {
        // A POST (the session stays out of URLs) that changes nothing, so no idempotency key is
        // kept for it on the server; a chat reading it again and again (staff replies) simply
        // asks again.
        let call = Call::once(Method::Post, self.store_url(&["chat", "thread"])).json(request);
        self.public(call).await
    }

    /// `{base}/api/v1/stores/{store}/…segments`, each segment encoded.
    pub(crate) fn store_url(&self, segments: &[&str]) -> String {
        let mut url = join_segments(&self.base_url, &["api", "v1", "stores", &self.store]);
        append_segments(&mut url, segments);
        url
    }

    /// `{base}/api/v1/admin/stores/{store}/…segments`, each segment encoded.
    pub(crate) fn admin_url(&self, segments: &[&str]) -> String {
        let mut url = join_segments(
            &self.base_url,
            &["api", "v1", "admin", "stores", &self.store],
        );
        append_segments(&mut url, segments);
        url
    }

    /// The server's base URL joined with `segments`, each encoded.
    pub(crate) fn server_url(&self, segments: &[&str]) -> String {
        join_segments(&self.base_url, segments)
    }

    /// Sends a public call (with the publishable key, if any) and returns its data.
    pub(crate) async fn public<T: Decode>(&self, call: Call) -> Result<T> {
        Ok(self.execute(self.with_public_auth(call)).await?.0)
    }

    /// Sends a public list call and returns its page.
    pub(crate) async fn public_page<T: Decode>(&self, call: Call) -> Result<Page<T>> {
        let (items, pagination) = self.execute(self.with_public_auth(call)).await?;
        into_page(items, pagination)
    }

    fn with_public_auth(&self, call: Call) -> Call {
        let call = match &self.locale {
            Some(locale) => call.header("accept-language", locale.clone()),
            None => call,
        };
        let call = match &self.customer_session {
            Some(token) => call.header(crate::commerce::CUSTOMER_TOKEN_HEADER, token.clone()),
            None => call,
        };
        match &self.publishable_key {
            Some(key) => call.header("authorization", key.clone()),
            None => call,
        }
    }

    /// Sends one call (with retries as the policy allows) and decodes its envelope.
    pub(crate) async fn execute<T: Decode>(&self, call: Call) -> Result<(T, Option<Pagination>)> {
        self.execute_envelope(call).await?.decode()
    }

    /// Sends one call and reads its envelope: the part of [`execute`](Self::execute) that is
    /// the same for every payload type, which then exists once in the WebAssembly builds.
    async fn execute_envelope(&self, call: Call) -> Result<Envelope> {
        let (request_id, response) = self.send(call).await?;
        let (data, pagination) = decode_envelope_raw(&response, request_id.clone())?;
        Ok(Envelope {
            request_id,
            response,
            data,
            pagination,
        })
    }

    /// Sends one call and returns its 2xx response undecoded (a download); any other status is
    /// decoded as an API error.
    pub(crate) async fn execute_raw(&self, call: Call) -> Result<(String, HttpResponse)> {
        let (request_id, response) = self.send(call).await?;
        if !(200..300).contains(&response.status) {
            // A non-2xx status never decodes as a success (see `decode_envelope_raw`).
            return Err(decode_envelope_raw(&response, request_id.clone())
                .err()
                .unwrap_or(Error::Decode {
                    status: response.status,
                    message: "an error status with a success envelope".into(),
                    request_id,
                }));
        }
        Ok((request_id, response))
    }

    /// Sends one call with its request id and idempotency key, retrying as the policy allows.
    /// Returns the request id (the server's echo, or the one sent) and the final response.
    async fn send(&self, call: Call) -> Result<(String, HttpResponse)> {
        let request_id = uuid::Uuid::new_v4().to_string();
        let mut headers = call.headers;
        headers.push(("accept".to_owned(), "application/json".to_owned()));
        headers.push(("x-request-id".to_owned(), request_id.clone()));
        if let Some(key) = call.idempotency_key {
            headers.push(("idempotency-key".to_owned(), key.0));
        }
        let request = HttpRequest {
            method: call.method,
            url: call.url,
            headers,
            body: call.body,
            timeout: self.retry.attempt_timeout,
        };
        let response = send_with_retries(&*self.transport, &self.retry, &self.jitter, request)
            .await
            .map_err(|error| match error {
                TransportError::Timeout => Error::Timeout {
                    request_id: request_id.clone(),
                },
                TransportError::Connect(message) | TransportError::Other(message) => {
                    Error::Network {
                        message,
                        request_id: request_id.clone(),
                    }
                }
            })?;
        let request_id = response
            .header("x-request-id")
            .map_or(request_id, str::to_owned);
        Ok((request_id, response))
    }
}

/// One API call being built: method, URL, headers, body and idempotency key.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    idempotency_key: Option<IdempotencyKey>,
}

impl Call {
    pub(crate) fn get(url: String) -> Self {
        Self {
            method: Method::Get,
            url,
            headers: Vec::new(),
            body: None,
            idempotency_key: None,
        }
    }

    /// A mutating call, with a fresh idempotency key (so that it may be retried).
    pub(crate) fn mutate(method: Method, url: String) -> Self {
        Self {
            idempotency_key: Some(IdempotencyKey::new()),
            method,
            ..Self::get(url)
        }
    }

    /// A mutating call that must not carry a key: its answer holds a secret shown once, which
    /// the server refuses to keep for replays. It is never retried.
    pub(crate) fn once(method: Method, url: String) -> Self {
        Self {
            method,
            ..Self::get(url)
        }
    }

    pub(crate) fn key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    pub(crate) fn header(mut self, name: &str, value: String) -> Self {
        self.headers.push((name.to_owned(), value));
        self
    }

    pub(crate) fn json<B: crate::json::Encode + ?Sized>(self, body: &B) -> Self {
        self.body(crate::json::encode(body).into_bytes(), "application/json")
    }

    pub(crate) fn body(mut self, bytes: Vec<u8>, content_type: &str) -> Self {
        self.headers
            .push(("content-type".to_owned(), content_type.to_owned()));
        self.body = Some(bytes);
        self
    }

    /// Appends a query struct (the admin filters) as the query string, form-encoded.
    pub(crate) fn query<Q: Serialize + ?Sized>(self, query: &Q) -> Result<Self> {
        let encoded =
            serde_urlencoded::to_string(query).map_err(|e| Error::invalid(e.to_string()))?;
        Ok(self.with_query(encoded))
    }

    /// Appends `pairs` as the query string, form-encoded like [`Call::query`]. The public
    /// catalog uses this path: it keeps serde_urlencoded out of the widget's WebAssembly
    /// (1.5 KB gzipped, measured).
    pub(crate) fn query_pairs<K: AsRef<str>, V: AsRef<str>>(self, pairs: &[(K, V)]) -> Self {
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.with_query(encoded)
    }

    fn with_query(mut self, encoded: String) -> Self {
        if !encoded.is_empty() {
            self.url.push('?');
            self.url.push_str(&encoded);
        }
        self
    }
}

/// Refuses an empty path argument before it turns into another route.
pub(crate) fn require(what: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(format!("{what} must not be empty")));
    }
    Ok(())
}

/// A query the client refuses before sending, as the server would.
fn refused_parameter(invalid: InvalidParameter) -> Error {
    Error::invalid(format!("{}: {}", invalid.parameter, invalid.message))
}

pub(crate) fn into_page<T>(items: Vec<T>, pagination: Option<Pagination>) -> Result<Page<T>> {
    let pagination = pagination.ok_or_else(|| Error::Decode {
        status: 200,
        message: "list response without pagination".into(),
        request_id: String::new(),
    })?;
    Ok(Page { items, pagination })
}

/// A list query that pages by offset.
pub(crate) trait OffsetQuery: Clone {
    /// Where the list starts.
    fn offset(&self) -> u64;
    /// The same query from `offset` on.
    fn at(&self, offset: u64) -> Self;
}

impl OffsetQuery for ProductListQuery {
    fn offset(&self) -> u64 {
        self.offset.unwrap_or(0)
    }
    fn at(&self, offset: u64) -> Self {
        Self {
            offset: Some(offset),
            ..self.clone()
        }
    }
}

impl OffsetQuery for crate::contract::OrderListQuery {
    fn offset(&self) -> u64 {
        self.offset.unwrap_or(0)
    }
    fn at(&self, offset: u64) -> Self {
        Self {
            offset: Some(offset),
            ..self.clone()
        }
    }
}

/// Every item of a paged list from the query's offset on, as a stream: `fetch(query)` loads
/// one page. An error ends the stream after being yielded.
pub(crate) fn page_stream<Q, T, F, Fut>(
    query: Q,
    fetch: F,
) -> impl futures_util::Stream<Item = Result<T>>
where
    Q: OffsetQuery,
    F: Fn(Q) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    struct Pages<Q, T, F> {
        query: Q,
        fetch: F,
        offset: u64,
        buffer: VecDeque<T>,
        done: bool,
    }
    let start = Pages {
        offset: query.offset(),
        query,
        fetch,
        buffer: VecDeque::new(),
        done: false,
    };
    futures_util::stream::unfold(start, |mut pages| async move {
        loop {
            if let Some(item) = pages.buffer.pop_front() {
                return Some((Ok(item), pages));
            }
            if pages.done {
                return None;
            }
            match (pages.fetch)(pages.query.at(pages.offset)).await {
                Ok(page) => {
                    let fetched = page.items.len() as u64;
                    pages.done = !page.pagination.has_more || fetched == 0;
                    pages.offset = page.pagination.offset + fetched;
                    pages.buffer.extend(page.items);
                }
                Err(error) => {
                    pages.done = true;
                    return Some((Err(error), pages));
                }
            }
        }
    })
}

/// `base` followed by `/segment` for each segment, percent-encoded so that none can escape.
fn join_segments(base: &str, segments: &[&str]) -> String {
    let mut url = base.to_owned();
    append_segments(&mut url, segments);
    url
}

fn append_segments(url: &mut String, segments: &[&str]) {
    for segment in segments {
        url.push('/');
        url.extend(utf8_percent_encode(segment, PATH_SEGMENT));
    }
}

/// A success answer whose envelope has been read.
struct Envelope {
    request_id: String,
    response: HttpResponse,
    /// Where the data is in the body (valid UTF-8 and JSON syntax, checked by the envelope).
    data: std::ops::Range<usize>,
    pagination: Option<Pagination>,
}

impl Envelope {
    /// The data as a `T`, and the pagination.
    fn decode<T: Decode>(self) -> Result<(T, Option<Pagination>)> {
        // The payload is decoded from its slice of the body: the envelope's decoder exists
        // once instead of once per payload type, which the WebAssembly builds feel.
        // The envelope checked the body's UTF-8, and `data` starts and ends at JSON tokens.
        let text = std::str::from_utf8(&self.response.body[self.data.clone()]).unwrap_or_default();
        match crate::json::decode_value(text) {
            Ok(data) => Ok((data, self.pagination)),
            Err(error) => Err(self.data_error(error)),
        }
    }

    /// Not inlined: one copy for every payload type.
    #[inline(never)]
    fn data_error(self, error: DecodeError) -> Error {
        decode_error(
            &self.response,
            &error.in_member_at("data", self.data.start),
            self.request_id,
        )
    }
}

/// Where the envelope's `data` is in the body.
struct DataRange(std::ops::Range<usize>);

impl Decode for DataRange {
    fn decode(json: &mut crate::json::Reader<'_>) -> std::result::Result<Self, DecodeError> {
        json.raw_range().map(Self)
    }
}

/// Where the envelope's data is in the body (whose UTF-8 and JSON syntax it has checked), and
/// the pagination; or the error the envelope carries.
fn decode_envelope_raw(
    response: &HttpResponse,
    request_id: String,
) -> Result<(std::ops::Range<usize>, Option<Pagination>)> {
    let status = response.status;
    let envelope = match crate::json::decode::<ApiResponse<DataRange>>(&response.body) {
        Ok(envelope) => envelope,
        Err(e) => return Err(decode_error(response, &e, request_id)),
    };
    match (envelope.success, envelope.data, envelope.error) {
        (true, Some(data), _) if (200..300).contains(&status) => Ok((data.0, envelope.pagination)),
        (_, _, Some(error)) => Err(Error::from_api(
            ApiFailure {
                status,
                code: error.code,
                message: error.message,
                details: error.details.map(Box::new),
                request_id: envelope.meta.request_id,
            },
            retry_after(response),
        )),
        _ => Err(Error::Decode {
            status,
            message: "envelope has neither data nor error".into(),
            request_id,
        }),
    }
}

fn decode_error(response: &HttpResponse, error: &DecodeError, request_id: String) -> Error {
    // The text up to the first byte that is not UTF-8 (a lossy conversion would cost the
    // WebAssembly builds its own decoder for a message).
    let body = &response.body;
    let text = std::str::from_utf8(body).unwrap_or_else(|error| {
        std::str::from_utf8(&body[..error.valid_up_to()]).unwrap_or_default()
    });
    let snippet: String = text.chars().take(120).collect();
    Error::Decode {
        status: response.status,
        message: format!("{error}; body starts with \u{201c}{snippet}\u{201d}"),
        request_id,
    }
}
