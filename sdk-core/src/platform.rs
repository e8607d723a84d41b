//! The platform operator's client: opens, lists, suspends and reactivates stores with the
//! platform key the server was started with. For operators' own servers and scripts: the key
//! opens every store, so it never belongs in a web page or an app.

use std::sync::Arc;

use crate::client::{into_page, Call, Page};
use crate::contract::{CreateStoreRequest, CreatedStore, PlatformStore, PlatformStoreQuery};
use crate::error::{Error, Result};
use crate::json::Decode;
use crate::transport::{Method, Transport};
use crate::Client;

/// A client of `/api/v1/platform/…`.
///
/// ```no_run
/// # async fn run() -> colmena_sdk::Result<()> {
/// use colmena_sdk::contract::CreateStoreRequest;
/// use colmena_sdk::PlatformClient;
/// let platform = PlatformClient::new("http://127.0.0.1:8080", "the platform key")?;
/// let opened = platform
///     .create_store(&CreateStoreRequest {
///         slug: "honey-co".into(),
///         name: "Honey Co.".into(),
///         currency: "EUR".into(),
///         locale: "es-ES".into(),
///         owner_email: "ana@example.com".into(),
///         plan: None,
///     })
///     .await?;
/// println!("invite token: {}", opened.owner_invitation.invitation_token);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct PlatformClient {
    // The platform API names no store; the client only borrows the transport, retries and
    // base URL of a `Client`, whose store segment the platform routes never use.
    api: Client,
    key: String,
}

/// The store segment of the inner client: a reserved slug, never a store's.
const NO_STORE: &str = "platform";

impl PlatformClient {
    /// A client of the server at `base_url` presenting `key`, over reqwest.
    #[cfg(all(feature = "reqwest", not(target_arch = "wasm32")))]
    pub fn new(base_url: &str, key: &str) -> Result<Self> {
        Self::from_client(Client::new(base_url, NO_STORE)?, key)
    }

    /// A client of the server at `base_url` presenting `key`, sending through `transport`.
    pub fn with_transport(
        base_url: &str,
        key: &str,
        transport: Arc<dyn Transport>,
    ) -> Result<Self> {
        Self::from_client(Client::with_transport(base_url, NO_STORE, transport)?, key)
    }

    /// A client presenting `key` through `api`'s server, transport and retry policy (the
    /// platform API names no store, so `api`'s store is not used).
    pub fn from_client(api: Client, key: &str) -> Result<Self> {
        if key.trim().is_empty() {
            return Err(Error::invalid("the platform key must not be empty"));
        }
        Ok(Self {
            api,
            key: key.trim().to_owned(),
        })
    }

    /// Opens a store with its first owner; the answer holds the owner's invitation, whose token
    /// is shown only this once. Sent once, without an idempotency key (the server never stores
    /// an answer holding a secret): if the answer is lost, the slug answers 409 on a second try.
    pub async fn create_store(&self, request: &CreateStoreRequest) -> Result<CreatedStore> {
        self.send(Call::once(Method::Post, self.url(&[])).json(request))
            .await
    }

    /// One page of stores, oldest first.
    pub async fn stores(&self, query: &PlatformStoreQuery) -> Result<Page<PlatformStore>> {
        let (items, pagination) = self
            .authorised(Call::get(self.url(&[])).query(query)?)
            .await?;
        into_page(items, pagination)
    }

    /// One store, by its slug.
    pub async fn store(&self, slug: &str) -> Result<PlatformStore> {
        self.send(Call::get(self.url(&[slug]))).await
    }

    /// Suspends a store: its public API answers 403 `STORE_SUSPENDED` until it is reactivated.
    pub async fn suspend_store(&self, slug: &str) -> Result<PlatformStore> {
        self.send(Call::mutate(Method::Post, self.url(&[slug, "suspend"])))
            .await
    }

    /// Reactivates a suspended store.
    pub async fn reactivate_store(&self, slug: &str) -> Result<PlatformStore> {
        self.send(Call::mutate(Method::Post, self.url(&[slug, "reactivate"])))
            .await
    }

    /// `{base}/api/v1/platform/stores/…segments`.
    fn url(&self, segments: &[&str]) -> String {
        let mut path = vec!["api", "v1", "platform", "stores"];
        path.extend_from_slice(segments);
        self.api.server_url(&path)
    }

    async fn send<T: Decode>(&self, call: Call) -> Result<T> {
        Ok(self.authorised(call).await?.0)
    }

    async fn authorised<T: Decode>(
        &self,
        call: Call,
    ) -> Result<(T, Option<crate::contract::Pagination>)> {
        self.api
            .execute(call.header("authorization", format!("Bearer {}", self.key)))
            .await
    }
}
