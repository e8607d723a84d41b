//! The async HTTP client for the store-scoped public API.

use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::contract::{ApiResponse, Category, Pagination, Product, ProductListQuery, Store};
use crate::error::{Error, Result};

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
    http: reqwest::Client,
    /// `{base}/api/v1/stores/{store}/`, always ending in a slash.
    store_url: Url,
    store: String,
}

impl Client {
    /// A client for `store` on the server at `base_url` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base_url: &str, store: &str) -> Result<Self> {
        let invalid = |message: String| Error::InvalidRequest { message };
        let mut base = Url::parse(base_url)
            .map_err(|e| invalid(format!("base URL {base_url:?} is not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(invalid(format!(
                "base URL {base_url:?} must be http or https"
            )));
        }
        if store.is_empty() {
            return Err(invalid("store must not be empty".into()));
        }
        base.path_segments_mut()
            .map_err(|()| invalid(format!("base URL {base_url:?} cannot have a path")))?
            .pop_if_empty()
            .extend(["api", "v1", "stores", store, ""]);
        Ok(Self {
            http: build_http_client(),
            store_url: base,
            store: store.to_owned(),
        })
    }

    /// The store this client talks to.
    pub fn store_slug(&self) -> &str {
        &self.store
    }

    /// The store's public profile: name, currency, locale and branding.
    pub async fn store(&self) -> Result<Store> {
        self.get_data(self.url(&[])?, &[]).await
    }

    /// One page of the catalog, filtered, searched and sorted by `query`.
    pub async fn list_products(&self, query: &ProductListQuery) -> Result<Page<Product>> {
        query.validate().map_err(|invalid| Error::InvalidRequest {
            message: format!("{}: {}", invalid.parameter, invalid.message),
        })?;
        let (items, pagination) = self
            .get(self.url(&["products"])?, &query.to_query_pairs())
            .await?;
        let pagination = pagination.ok_or_else(|| Error::Decode {
            status: 200,
            message: "list response without pagination".into(),
            request_id: None,
        })?;
        Ok(Page { items, pagination })
    }

    /// One product, by id or slug.
    pub async fn product(&self, id_or_slug: &str) -> Result<Product> {
        if id_or_slug.is_empty() {
            return Err(Error::InvalidRequest {
                message: "product id or slug must not be empty".into(),
            });
        }
        self.get_data(self.url(&["products", id_or_slug])?, &[])
            .await
    }

    /// The store's categories with their product counts.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        self.get_data(self.url(&["categories"])?, &[]).await
    }

    fn url(&self, segments: &[&str]) -> Result<Url> {
        let mut url = self.store_url.clone();
        url.path_segments_mut()
            .map_err(|()| Error::InvalidRequest {
                message: "base URL cannot have a path".into(),
            })?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    async fn get_data<T: DeserializeOwned>(&self, url: Url, query: &[(&str, String)]) -> Result<T> {
        Ok(self.get(url, query).await?.0)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        url: Url,
        query: &[(&str, String)],
    ) -> Result<(T, Option<Pagination>)> {
        let response = self
            .http
            .get(url)
            .query(query)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| Error::Network {
                message: e.to_string(),
            })?;
        let status = response.status();
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.map_err(|e| Error::Network {
            message: e.to_string(),
        })?;
        decode_envelope(status, request_id, &body)
    }
}

fn decode_envelope<T: DeserializeOwned>(
    status: StatusCode,
    request_id: Option<String>,
    body: &[u8],
) -> Result<(T, Option<Pagination>)> {
    let decode_error = |message: String, request_id: Option<String>| Error::Decode {
        status: status.as_u16(),
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
        (true, Some(data), _) if status.is_success() => Ok((data, envelope.pagination)),
        (_, _, Some(error)) => Err(Error::Api {
            status: status.as_u16(),
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

#[cfg(not(target_arch = "wasm32"))]
fn build_http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(30))
        .user_agent(concat!("colmena-sdk-rust/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

#[cfg(target_arch = "wasm32")]
fn build_http_client() -> reqwest::Client {
    // Browsers own timeouts and the user agent; fetch has no per-client settings.
    reqwest::Client::new()
}
