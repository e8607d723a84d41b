//! Stripe: a [`PaymentProvider`] on Checkout Sessions through Stripe's HTTP API with the
//! platform's secret key and each store's Connect account (`Stripe-Account`). Its notices
//! arrive at `public::payment_notices`.

use serde::Deserialize;

use crate::payments::{
    PaymentProvider, PaymentRequest, ProviderError, ProviderSession, RefundRequest,
};

/// The provider's name, as stores choose it.
pub const STRIPE_PROVIDER: &str = "stripe";
/// How far Stripe's signing time may be from ours.
pub(crate) const SIGNATURE_TOLERANCE: std::time::Duration = std::time::Duration::from_secs(300);

/// The platform's Stripe credentials.
#[derive(Clone)]
pub struct StripeConfig {
    /// The platform's secret key (`sk_live_…`/`sk_test_…`).
    pub secret_key: String,
    /// The signing secret of the platform's webhook endpoint (`whsec_…`).
    pub webhook_secret: String,
    /// Stripe's API base URL; tests point it at a mock.
    pub api_base: String,
}

impl std::fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets never reach a log.
        f.debug_struct("StripeConfig")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

/// Checkout Sessions on Stripe.
#[derive(Debug, Clone)]
pub struct StripeProvider {
    config: StripeConfig,
    http: reqwest::Client,
}

impl StripeProvider {
    /// A provider calling Stripe with `config` through `http`.
    pub fn new(config: StripeConfig, http: reqwest::Client) -> Self {
        Self { config, http }
    }

    /// POSTs a form to Stripe and decodes the answer (Stripe's `error.message` on failure).
    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        form: &[(String, String)],
        account: Option<&str>,
        idempotency_key: &str,
    ) -> Result<T, ProviderError> {
        let failed = |message: String| ProviderError {
            provider: STRIPE_PROVIDER,
            message,
        };
        let body = serde_urlencoded::to_string(form).map_err(|e| failed(e.to_string()))?;
        let mut request = self
            .http
            .post(format!(
                "{}{path}",
                self.config.api_base.trim_end_matches('/')
            ))
            .timeout(std::time::Duration::from_secs(20))
            .bearer_auth(&self.config.secret_key)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("idempotency-key", idempotency_key)
            .body(body);
        if let Some(account) = account {
            request = request.header("stripe-account", account);
        }
        let response = request
            .send()
            .await
            .map_err(|e| failed(format!("unreachable: {e}")))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| failed(format!("unreadable answer: {e}")))?;
        if !status.is_success() {
            #[derive(Deserialize)]
            struct Failure {
                error: FailureDetail,
            }
            #[derive(Deserialize)]
            struct FailureDetail {
                message: Option<String>,
            }
            let message = serde_json::from_str::<Failure>(&text)
                .ok()
                .and_then(|f| f.error.message)
                .unwrap_or_else(|| "no error message".into());
            return Err(failed(format!("{path} answered {status}: {message}")));
        }
        serde_json::from_str(&text).map_err(|e| failed(format!("{path}: unexpected answer: {e}")))
    }
}

#[derive(Deserialize)]
struct CheckoutSessionCreated {
    id: String,
    url: Option<String>,
}

#[derive(Deserialize)]
struct RefundCreated {
    status: String,
}

#[async_trait::async_trait]
impl PaymentProvider for StripeProvider {
    fn name(&self) -> &'static str {
        STRIPE_PROVIDER
    }

    async fn create_session(
        &self,
        request: &PaymentRequest<'_>,
    ) -> Result<ProviderSession, ProviderError> {
        let order = request.order_id.to_string();
        let store = request.store_id.to_string();
        // Stripe accepts session expiries from 30 minutes to 24 hours ahead.
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let ours = time::OffsetDateTime::parse(
            request.expires_at,
            &time::format_description::well_known::Rfc3339,
        )
        .map_or(now, time::OffsetDateTime::unix_timestamp);
        let expires_at = ours.clamp(now + 31 * 60, now + 24 * 3600);
        let back = |outcome: &str| {
            let mut url = url::Url::parse(request.return_url).ok()?;
            url.query_pairs_mut()
                .append_pair("colmena_order", &order)
                .append_pair("colmena_payment", outcome);
            Some(url.to_string())
        };
        let (success_url, cancel_url) =
            back("succeeded")
                .zip(back("cancelled"))
                .ok_or_else(|| ProviderError {
                    provider: STRIPE_PROVIDER,
                    message: format!("return URL {:?} is not a URL", request.return_url),
                })?;
        let form: Vec<(String, String)> = [
            ("mode", "payment".to_owned()),
            ("client_reference_id", order.clone()),
            ("customer_email", request.email.to_owned()),
            ("line_items[0][quantity]", "1".to_owned()),
            (
                "line_items[0][price_data][currency]",
                request.amount.currency.to_ascii_lowercase(),
            ),
            (
                "line_items[0][price_data][unit_amount]",
                request.amount.amount.to_string(),
            ),
            (
                "line_items[0][price_data][product_data][name]",
                request.description.to_owned(),
            ),
            ("metadata[order_id]", order.clone()),
            ("metadata[store_id]", store.clone()),
            ("payment_intent_data[metadata][order_id]", order.clone()),
            ("payment_intent_data[metadata][store_id]", store),
            ("success_url", success_url),
            ("cancel_url", cancel_url),
            ("expires_at", expires_at.to_string()),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
        let session: CheckoutSessionCreated = self
            .post(
                "/v1/checkout/sessions",
                &form,
                request.connected_account,
                &format!("colmena-checkout-{order}"),
            )
            .await?;
        Ok(ProviderSession {
            reference: session.id,
            redirect_url: session.url,
        })
    }

    async fn refund(&self, request: &RefundRequest<'_>) -> Result<(), ProviderError> {
        let payment = request.payment_id.ok_or_else(|| ProviderError {
            provider: STRIPE_PROVIDER,
            message: format!(
                "order {} has no recorded payment to refund",
                request.order_id
            ),
        })?;
        let form = vec![
            ("payment_intent".to_owned(), payment.to_owned()),
            ("amount".to_owned(), request.amount.amount.to_string()),
            (
                "metadata[order_id]".to_owned(),
                request.order_id.to_string(),
            ),
        ];
        let refund: RefundCreated = self
            .post(
                "/v1/refunds",
                &form,
                request.connected_account,
                &format!("colmena-refund-{}", request.refund_id),
            )
            .await?;
        if refund.status == "failed" || refund.status == "canceled" {
            return Err(ProviderError {
                provider: STRIPE_PROVIDER,
                message: format!("refund {}", refund.status),
            });
        }
        Ok(())
    }
}
