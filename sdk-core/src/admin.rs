//! The admin API client: signs in, carries the access token, and refreshes it on its own.

use std::sync::Arc;

use futures_util::lock::Mutex;
use serde::de::DeserializeOwned;

use crate::contract::{LoginRequest, RefreshRequest, StoreSettings, TokenPair};
use crate::error::{Error, Result};
use crate::transport::Method;
use crate::Client;

/// A signed-in admin session for one store.
///
/// When the server answers 401 (the access token expired), the client trades its refresh token
/// for new tokens once and repeats the call. Concurrent calls share one refresh: refresh
/// tokens are single-use, and the server revokes the session when one is replayed.
///
/// ```no_run
/// # async fn run() -> colmena_sdk::Result<()> {
/// use colmena_sdk::AdminClient;
/// let admin = AdminClient::login("http://127.0.0.1:8080", "demo", "owner@demo.test", "demo-password").await?;
/// println!("{:?}", admin.settings().await?.allowed_origins);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AdminClient {
    api: Client,
    tokens: Arc<Mutex<TokenPair>>,
}

impl AdminClient {
    /// Signs in to `store` on the server at `base_url`, over reqwest.
    #[cfg(all(feature = "reqwest", not(target_arch = "wasm32")))]
    pub async fn login(base_url: &str, store: &str, email: &str, password: &str) -> Result<Self> {
        Self::login_with(Client::new(base_url, store)?, email, password).await
    }

    /// Signs in through an existing client's server, store and transport.
    pub async fn login_with(api: Client, email: &str, password: &str) -> Result<Self> {
        let request = LoginRequest {
            store: api.store_slug().to_owned(),
            email: email.to_owned(),
            password: password.to_owned(),
        };
        let tokens: TokenPair = api
            .send(
                Method::Post,
                api.server_url(&["api", "v1", "auth", "login"]),
                Some(to_json(&request)?),
                None,
            )
            .await?
            .0;
        Ok(Self::from_tokens(api, tokens))
    }

    /// Resumes a session from tokens saved earlier (see [`AdminClient::tokens`]).
    pub fn from_tokens(api: Client, tokens: TokenPair) -> Self {
        Self {
            api,
            tokens: Arc::new(Mutex::new(tokens)),
        }
    }

    /// The current tokens, to save and resume later. They change when the client refreshes.
    pub async fn tokens(&self) -> TokenPair {
        self.tokens.lock().await.clone()
    }

    /// The store's settings: profile and allowed browser origins.
    pub async fn settings(&self) -> Result<StoreSettings> {
        let url = self
            .api
            .server_url(&["api", "v1", "admin", "stores", self.api.store_slug()]);
        self.authorized(Method::Get, url, None).await
    }

    async fn authorized<T: DeserializeOwned>(
        &self,
        method: Method,
        url: String,
        body: Option<Vec<u8>>,
    ) -> Result<T> {
        let used = self.tokens.lock().await.access_token.clone();
        match self
            .api
            .send(method, url.clone(), body.clone(), Some(&used))
            .await
        {
            Err(Error::Api { status: 401, .. }) => {}
            other => return other.map(|(data, _)| data),
        }
        let access = {
            let mut tokens = self.tokens.lock().await;
            // Another call may have refreshed while this one waited for the lock.
            if tokens.access_token == used {
                *tokens = self.refresh(&tokens.refresh_token).await?;
            }
            tokens.access_token.clone()
        };
        Ok(self.api.send(method, url, body, Some(&access)).await?.0)
    }

    async fn refresh(&self, refresh_token: &str) -> Result<TokenPair> {
        let request = RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        };
        let url = self.api.server_url(&["api", "v1", "auth", "refresh"]);
        Ok(self
            .api
            .send(Method::Post, url, Some(to_json(&request)?), None)
            .await?
            .0)
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::InvalidRequest {
        message: e.to_string(),
    })
}
