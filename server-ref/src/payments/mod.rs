//! Payment providers behind a trait. Each store names its provider (`stores.payment_provider`);
//! the built-in `test` provider is the demo stores' default, and its payments are settled by
//! `POST /api/v1/stores/{store}/test-payments/{reference}` instead of a real provider's webhook.

pub mod stripe;
mod test;

pub use test::{TestProvider, TEST_PROVIDER};

use std::collections::HashMap;
use std::sync::Arc;

use colmena_sdk::contract::Money;
use uuid::Uuid;

/// What a provider needs to set up the payment of an order.
#[derive(Debug, Clone)]
pub struct PaymentRequest<'a> {
    /// The store selling.
    pub store_id: Uuid,
    /// The order to pay.
    pub order_id: Uuid,
    /// The amount to charge.
    pub amount: &'a Money,
    /// The customer's email.
    pub email: &'a str,
    /// Unpaid after this moment the order is cancelled (RFC 3339, UTC).
    pub expires_at: &'a str,
    /// What the customer buys, as a hosted payment page shows it.
    pub description: &'a str,
    /// Where a hosted payment page sends the customer back.
    pub return_url: &'a str,
    /// The store's account at the provider (Stripe Connect), when it has one.
    pub connected_account: Option<&'a str>,
}

/// What a provider needs to refund a paid order in full.
#[derive(Debug, Clone)]
pub struct RefundRequest<'a> {
    /// The order refunded.
    pub order_id: Uuid,
    /// This refund's id: the provider's idempotency key, so a retry is not paid twice.
    pub refund_id: Uuid,
    /// How much goes back (part of the order's total, or all of it).
    pub amount: &'a colmena_sdk::contract::Money,
    /// The provider's payment id (Stripe's PaymentIntent), recorded when the payment succeeded.
    pub payment_id: Option<&'a str>,
    /// The store's account at the provider, when it has one.
    pub connected_account: Option<&'a str>,
}

/// A payment session the provider created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSession {
    /// The provider's id of the session; unique across the server.
    pub reference: String,
    /// Where the customer pays, for providers with a hosted payment page.
    pub redirect_url: Option<String>,
}

/// Why a provider could not set up a payment.
#[derive(Debug, thiserror::Error)]
#[error("payment provider {provider}: {message}")]
pub struct ProviderError {
    /// The provider's name.
    pub provider: &'static str,
    /// What went wrong (logged; the client sees a generic message).
    pub message: String,
}

/// A way to take payments.
#[async_trait::async_trait]
pub trait PaymentProvider: Send + Sync + std::fmt::Debug {
    /// The name stores use to choose this provider.
    fn name(&self) -> &'static str;
    /// Creates the payment session of an order.
    async fn create_session(
        &self,
        request: &PaymentRequest<'_>,
    ) -> Result<ProviderSession, ProviderError>;

    /// Gives a paid order's money back. The test provider holds no money: nothing to do.
    async fn refund(&self, _request: &RefundRequest<'_>) -> Result<(), ProviderError> {
        Ok(())
    }
}

/// The providers this server can use, by name.
#[derive(Debug, Clone)]
pub struct Providers {
    by_name: HashMap<&'static str, Arc<dyn PaymentProvider>>,
}

impl Default for Providers {
    /// Only the test provider.
    fn default() -> Self {
        let mut providers = Self {
            by_name: HashMap::new(),
        };
        providers.register(Arc::new(TestProvider));
        providers
    }
}

impl Providers {
    /// Adds (or replaces) a provider.
    pub fn register(&mut self, provider: Arc<dyn PaymentProvider>) {
        self.by_name.insert(provider.name(), provider);
    }

    /// The provider called `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn PaymentProvider>> {
        self.by_name.get(name)
    }
}
