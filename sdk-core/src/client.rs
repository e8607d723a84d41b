//! The async HTTP client for the store-scoped public API.

use std::collections::VecDeque;
use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::de::DeserializeOwned;

use crate::contract::{ApiResponse, Category, Pagination, Product, ProductListQuery, Store};
use crate::error::{Error, Result};
use crate::transport::{
    send_with_retries, HttpRequest, Jitter, Method, RetryPolicy, Transport, TransportError,
};

/// Characters escaped in a query key or value: everything but RFC 3986 unreserved characters.
const QUERY_COMPONENT: &AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

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

/// One page of a list endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where this page sits in the whole list.
    pub pagination: Pagination,
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
    /// `{base}/api/v1/stores/{store}`, encoded, without a trailing slash.
    store_url: String,
    store: String,
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
        let invalid = |message: String| Error::InvalidRequest { message };
        let base = base_url.trim().trim_end_matches('/');
        let authority = base
            .strip_prefix("http://")
            .or_else(|| base.strip_prefix("https://"))
            .ok_or_else(|| {
                invalid(format!(
                    "base URL {base_url:?} must start with http:// or https://"
                ))
            })?;
        if authority.is_empty()
            || authority.starts_with('/')
            || authority.contains(|c: char| c == '?' || c == '#' || c.is_whitespace())
        {
            return Err(invalid(format!(
                "base URL {base_url:?} is not a valid server URL"
            )));
        }
        if store.is_empty() {
            return Err(invalid("store must not be empty".into()));
        }
        Ok(Self {
            transport,
            retry: RetryPolicy::default(),
            jitter: Arc::new(Jitter::new()),
            base_url: base.to_owned(),
            store_url: format!(
                "{base}/api/v1/stores/{}",
                utf8_percent_encode(store, PATH_SEGMENT)
            ),
            store: store.to_owned(),
        })
    }

    /// This client with another retry policy (e.g. [`RetryPolicy::never`]).
    #[must_use]
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The store this client talks to.
    pub fn store_slug(&self) -> &str {
        &self.store
    }

    /// The store's public profile: name, currency, locale and branding.
    pub async fn store(&self) -> Result<Store> {
        self.get_data(self.url(&[])).await
    }

    /// One page of the catalog, filtered, searched and sorted by `query`.
    pub async fn list_products(&self, query: &ProductListQuery) -> Result<Page<Product>> {
        query.validate().map_err(|invalid| Error::InvalidRequest {
            message: format!("{}: {}", invalid.parameter, invalid.message),
        })?;
        let (items, pagination) = self
            .get(self.url(&["products"]), &query.to_query_pairs())
            .await?;
        let pagination = pagination.ok_or_else(|| Error::Decode {
            status: 200,
            message: "list response without pagination".into(),
            request_id: None,
        })?;
        Ok(Page { items, pagination })
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
        struct Pages {
            client: Client,
            query: ProductListQuery,
            buffer: VecDeque<Product>,
            done: bool,
        }
        let start = Pages {
            client: self.clone(),
            query,
            buffer: VecDeque::new(),
            done: false,
        };
        futures_util::stream::unfold(start, |mut pages| async move {
            loop {
                if let Some(product) = pages.buffer.pop_front() {
                    return Some((Ok(product), pages));
                }
                if pages.done {
                    return None;
                }
                match pages.client.list_products(&pages.query).await {
                    Ok(page) => {
                        let fetched = page.items.len() as u64;
                        pages.done = !page.pagination.has_more || fetched == 0;
                        pages.query.offset = Some(page.pagination.offset + fetched);
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

    /// One product, by id or slug.
    pub async fn product(&self, id_or_slug: &str) -> Result<Product> {
        if id_or_slug.is_empty() {
            return Err(Error::InvalidRequest {
                message: "product id or slug must not be empty".into(),
            });
        }
        self.get_data(self.url(&["products", id_or_slug])).await
    }

    /// The store's categories with their product counts.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        self.get_data(self.url(&["categories"])).await
    }

    fn url(&self, segments: &[&str]) -> String {
        join_segments(&self.store_url, segments)
    }

    async fn get_data<T: DeserializeOwned>(&self, url: String) -> Result<T> {
        Ok(self.get(url, &[]).await?.0)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        mut url: String,
        query: &[(&str, String)],
    ) -> Result<(T, Option<Pagination>)> {
        for (index, (key, value)) in query.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(key, QUERY_COMPONENT));
            url.push('=');
            url.extend(utf8_percent_encode(value, QUERY_COMPONENT));
        }
        self.send(Method::Get, url, None, None).await
    }

    /// The server's base URL joined with `segments`, each encoded.
    pub(crate) fn server_url(&self, segments: &[&str]) -> String {
        join_segments(&self.base_url, segments)
    }

    /// Sends one API call (with retries as the policy allows) and decodes its envelope.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        url: String,
        json_body: Option<Vec<u8>>,
        bearer: Option<&str>,
    ) -> Result<(T, Option<Pagination>)> {
        let mut headers = vec![("accept".to_owned(), "application/json".to_owned())];
        if json_body.is_some() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        if let Some(token) = bearer {
            headers.push(("authorization".to_owned(), format!("Bearer {token}")));
        }
        let request = HttpRequest {
            method,
            url,
            headers,
            body: json_body,
            timeout: self.retry.attempt_timeout,
        };
        let response = send_with_retries(&*self.transport, &self.retry, &self.jitter, request)
            .await
            .map_err(|error| match error {
                TransportError::Timeout => Error::Timeout,
                TransportError::Connect(message) | TransportError::Other(message) => {
                    Error::Network { message }
                }
            })?;
        let request_id = response.header("x-request-id").map(str::to_owned);
        decode_envelope(response.status, request_id, &response.body)
    }
}

/// `base` followed by `/segment` for each segment, percent-encoded so that none can escape.
fn join_segments(base: &str, segments: &[&str]) -> String {
    let mut url = base.to_owned();
    for segment in segments {
        url.push('/');
        url.extend(utf8_percent_encode(segment, PATH_SEGMENT));
    }
    url
}

fn decode_envelope<T: DeserializeOwned>(
    status: u16,
    request_id: Option<String>,
    body: &[u8],
) -> Result<(T, Option<Pagination>)> {
    let decode_error = |message: String, request_id: Option<String>| Error::Decode {
        status,
        message,
        request_id,
    };
    let envelope: ApiResponse<T> = serde_json::from_slice(body).map_err(|e| {
        let snippet: String = String::from_utf8_lossy(body).chars().take(120).collect();
        decode_error(
            format!("{e}; body starts with {snippet:?}"),
            request_id.clone(),
        )
    })?;
    let request_id = Some(envelope.meta.request_id).or(request_id);
    match (envelope.success, envelope.data, envelope.error) {
        (true, Some(data), _) if (200..300).contains(&status) => Ok((data, envelope.pagination)),
        (_, _, Some(error)) => Err(Error::Api {
            status,
            code: error.code,
            message: error.message,
            details: error.details.map(Box::new),
            request_id,
        }),
        _ => Err(decode_error(
            "envelope has neither data nor error".into(),
            request_id,
        )),
    }
}
