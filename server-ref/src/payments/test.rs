//! The built-in test provider.

use super::*;
use uuid::Uuid;

/// Name of the built-in test provider.
pub const TEST_PROVIDER: &str = "test";

/// The built-in test provider: sessions exist only in this server's database, and a test (or a
/// demo) decides their outcome through the test-payments endpoint.
#[derive(Debug, Clone, Copy, Default)]
pub struct TestProvider;

#[async_trait::async_trait]
impl PaymentProvider for TestProvider {
    fn name(&self) -> &'static str {
        TEST_PROVIDER
    }

    async fn create_session(
        &self,
        _request: &PaymentRequest<'_>,
    ) -> Result<ProviderSession, ProviderError> {
        Ok(ProviderSession {
            reference: format!("test_{}", Uuid::new_v4().simple()),
            redirect_url: None,
        })
    }
}
