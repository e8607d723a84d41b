#![doc = include_str!("../README.md")]
// uniffi's generated scaffolding uses unsafe FFI glue; our own code here has none.
#![allow(unsafe_code)]

mod admin;
mod cart;
mod error;
mod records;

use std::sync::Arc;

pub use admin::{AdminProduct, AdminProductPage, Analytics, ColmenaAdmin, OrderPage, TopProduct};
pub use cart::{CartChange, CartLine, CartSyncReport, ColmenaCart, RejectedCartChange};
pub use error::ColmenaError;
pub use records::*;

uniffi::setup_scaffolding!();

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

/// How a test payment ends (stores on the built-in `test` provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TestPaymentOutcome {
    /// The payment succeeds: the order is paid.
    Succeed,
    /// The payment fails: the order is cancelled.
    Fail,
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

    /// Checks out a server cart directly (apps with a `ColmenaCart` use its `checkout`).
    pub async fn checkout(
        &self,
        cart_id: String,
        email: String,
        expected_total: Option<Money>,
    ) -> Result<CheckoutSession, ColmenaError> {
        let request = colmena_sdk::contract::CheckoutRequest {
            cart_id: parse_id("cart id", &cart_id)?,
            email,
            expected_total: expected_total.map(Into::into),
            return_url: None,
        };
        Ok(self.inner.checkout(&request).await?.into())
    }

    /// A customer's order, read with the order token from checkout.
    pub async fn order(
        &self,
        order_id: String,
        order_token: String,
    ) -> Result<Order, ColmenaError> {
        let id = parse_id("order id", &order_id)?;
        Ok(self.inner.order(id, &order_token).await?.into())
    }

    /// Settles a payment of the built-in test provider, as the customer's payment would.
    pub async fn settle_test_payment(
        &self,
        reference: String,
        outcome: TestPaymentOutcome,
    ) -> Result<Order, ColmenaError> {
        let outcome = match outcome {
            TestPaymentOutcome::Succeed => colmena_sdk::contract::TestPaymentOutcome::Succeed,
            TestPaymentOutcome::Fail => colmena_sdk::contract::TestPaymentOutcome::Fail,
        };
        Ok(self
            .inner
            .settle_test_payment(&reference, outcome)
            .await?
            .into())
    }

    /// Downloads a paid digital item's file (each call uses one of its downloads).
    pub async fn download(&self, download: Download) -> Result<DownloadedFile, ColmenaError> {
        let file = self.inner.download(&download.try_into()?).await?;
        Ok(DownloadedFile {
            file_name: file.file_name,
            content_type: file.content_type,
            bytes: file.bytes,
        })
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
