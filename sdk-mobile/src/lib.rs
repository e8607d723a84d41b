#![doc = include_str!("../README.md")]
// uniffi's generated scaffolding uses unsafe FFI glue; our own code here has none.
#![allow(unsafe_code)]

use std::sync::Arc;

use colmena_sdk::contract;

uniffi::setup_scaffolding!();

/// Errors raised to Kotlin (`ColmenaException`) and Swift (`ColmenaError`). `code` is the same
/// stable code every Colmena SDK uses (`NOT_FOUND`, `STORE_NOT_FOUND`, `NETWORK_ERROR`…).
#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum ColmenaError {
    /// The API refused the request.
    #[error("{code} ({status}): {reason}")]
    Api {
        /// Stable error code.
        code: String,
        /// HTTP status.
        status: u16,
        /// The server's explanation (named `reason`: Kotlin exceptions own `message`).
        reason: String,
        /// The invalid parameter, for `VALIDATION_ERROR`.
        parameter: Option<String>,
        /// The server's request id.
        request_id: Option<String>,
    },
    /// The request was invalid before it was sent.
    #[error("{code}: {reason}")]
    InvalidRequest {
        /// `INVALID_REQUEST`.
        code: String,
        /// What is wrong.
        reason: String,
    },
    /// The server could not be reached.
    #[error("{code}: {reason}")]
    Network {
        /// `NETWORK_ERROR`.
        code: String,
        /// What failed.
        reason: String,
    },
    /// The server did not answer in time, retries included.
    #[error("{code}: the request timed out")]
    Timeout {
        /// `TIMEOUT`.
        code: String,
    },
    /// The response could not be decoded.
    #[error("{code}: {reason}")]
    Decode {
        /// `DECODE_ERROR`.
        code: String,
        /// What failed.
        reason: String,
        /// The server's request id.
        request_id: Option<String>,
    },
}

impl From<colmena_sdk::Error> for ColmenaError {
    fn from(error: colmena_sdk::Error) -> Self {
        let code = error.code().to_owned();
        if let Some(failure) = error.failure() {
            return Self::Api {
                code,
                status: failure.status,
                reason: failure.message.clone(),
                parameter: failure.details.as_ref().and_then(|d| d.parameter.clone()),
                request_id: Some(failure.request_id.clone()),
            };
        }
        match error {
            colmena_sdk::Error::Network { message, .. } => Self::Network {
                code,
                reason: message,
            },
            colmena_sdk::Error::Timeout { .. } => Self::Timeout { code },
            colmena_sdk::Error::Decode {
                message,
                request_id,
                ..
            } => Self::Decode {
                code,
                reason: message,
                request_id: Some(request_id),
            },
            other => Self::InvalidRequest {
                code,
                reason: other.to_string(),
            },
        }
    }
}

/// An amount in minor units with its ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Money {
    /// Minor units (cents).
    pub amount: i64,
    /// ISO 4217 code.
    pub currency: String,
}

/// A product image.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProductImage {
    /// Absolute URL.
    pub url: String,
    /// Alternative text.
    pub alt: String,
}

/// A product of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Product {
    /// Product id (UUID).
    pub id: String,
    /// URL identifier.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Current price.
    pub price: Money,
    /// Former price, when on sale.
    pub compare_at_price: Option<Money>,
    /// Category slug.
    pub category_slug: Option<String>,
    /// Whether featured.
    pub featured: bool,
    /// Images, main first.
    pub images: Vec<ProductImage>,
    /// Creation time, RFC 3339.
    pub created_at: String,
}

/// A store's profile.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Store {
    /// Store id (UUID).
    pub id: String,
    /// URL identifier.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// BCP 47 locale.
    pub locale: String,
    /// Brand colour, CSS hex.
    pub primary_color: String,
}

/// A product category.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Category {
    /// Category id (UUID).
    pub id: String,
    /// URL identifier.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Active products in it.
    pub product_count: u64,
}

/// Sort orders of the product list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ProductSort {
    /// Newest first.
    Newest,
    /// A to Z.
    Name,
    /// Cheapest first.
    Price,
    /// Most expensive first.
    PriceDesc,
}

/// Filters and paging of a product list; every member optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ProductQuery {
    /// Page size, 1 to 100.
    #[uniffi(default = None)]
    pub limit: Option<u32>,
    /// Products to skip.
    #[uniffi(default = None)]
    pub offset: Option<u64>,
    /// Category slug or id.
    #[uniffi(default = None)]
    pub category: Option<String>,
    /// Featured only (true) or non-featured only (false).
    #[uniffi(default = None)]
    pub featured: Option<bool>,
    /// Text search.
    #[uniffi(default = None)]
    pub search: Option<String>,
    /// Sort order.
    #[uniffi(default = None)]
    pub sort: Option<ProductSort>,
}

/// One page of products.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProductPage {
    /// The products.
    pub items: Vec<Product>,
    /// Matches over all pages.
    pub total: u64,
    /// Page size used.
    pub limit: u32,
    /// Products skipped.
    pub offset: u64,
    /// Whether more pages follow.
    pub has_more: bool,
}

impl From<contract::Money> for Money {
    fn from(money: contract::Money) -> Self {
        Self {
            amount: money.amount,
            currency: money.currency,
        }
    }
}

impl From<contract::Product> for Product {
    fn from(p: contract::Product) -> Self {
        Self {
            id: p.id.to_string(),
            slug: p.slug,
            name: p.name,
            description: p.description,
            price: p.price.into(),
            compare_at_price: p.compare_at_price.map(Into::into),
            category_slug: p.category.map(|c| c.slug),
            featured: p.featured,
            images: p
                .images
                .into_iter()
                .map(|i| ProductImage {
                    url: i.url,
                    alt: i.alt,
                })
                .collect(),
            created_at: p.created_at,
        }
    }
}

impl From<ProductQuery> for contract::ProductListQuery {
    fn from(q: ProductQuery) -> Self {
        Self {
            limit: q.limit,
            offset: q.offset,
            category: q.category,
            featured: q.featured,
            q: q.search,
            sort: q.sort.map(|sort| match sort {
                ProductSort::Newest => contract::ProductSort::Newest,
                ProductSort::Name => contract::ProductSort::Name,
                ProductSort::Price => contract::ProductSort::Price,
                ProductSort::PriceDesc => contract::ProductSort::PriceDesc,
            }),
        }
    }
}

/// A client for one store of a Colmena server. Every network call is a Kotlin `suspend`
/// function or a Swift `async` function.
#[derive(Debug, uniffi::Object)]
pub struct ColmenaClient {
    inner: colmena_sdk::Client,
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

    /// The store's profile.
    pub async fn store(&self) -> Result<Store, ColmenaError> {
        let store = self.inner.store().await?;
        Ok(Store {
            id: store.id.to_string(),
            slug: store.slug,
            name: store.name,
            currency: store.currency,
            locale: store.locale,
            primary_color: store.branding.primary_color,
        })
    }

    /// One page of products.
    pub async fn list_products(&self, query: ProductQuery) -> Result<ProductPage, ColmenaError> {
        let page = self.inner.list_products(&query.into()).await?;
        Ok(ProductPage {
            items: page.items.into_iter().map(Into::into).collect(),
            total: page.pagination.total,
            limit: page.pagination.limit,
            offset: page.pagination.offset,
            has_more: page.pagination.has_more,
        })
    }

    /// One product by id or slug.
    pub async fn product(&self, id_or_slug: String) -> Result<Product, ColmenaError> {
        Ok(self.inner.product(&id_or_slug).await?.into())
    }

    /// The store's categories.
    pub async fn categories(&self) -> Result<Vec<Category>, ColmenaError> {
        Ok(self
            .inner
            .categories()
            .await?
            .into_iter()
            .map(|c| Category {
                id: c.id.to_string(),
                slug: c.slug,
                name: c.name,
                product_count: c.product_count,
            })
            .collect())
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
