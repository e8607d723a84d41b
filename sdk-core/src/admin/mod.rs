//! The admin API client: signs in with a password (refreshing its token on its own) or uses a
//! secret key, and covers every admin endpoint.

mod access;
mod catalog;
mod chat;
mod pricing;
mod sales;
mod storefront;
mod translations;
mod webhooks;

use std::sync::Arc;

use crate::json::Decode;
use futures_util::lock::Mutex;

use crate::client::{into_page, Call, Page};
use crate::contract::{
    AcceptInviteRequest, LoginRequest, NoData, PasswordChange, PasswordResetConfirm,
    PasswordResetRequest, RefreshRequest, SettingsPatch, StoreSettings, TokenPair,
};
use crate::error::{Error, Result};
use crate::transport::Method;
use crate::Client;

/// How an [`AdminClient`] proves who it is.
#[derive(Debug, Clone)]
enum Credentials {
    /// A signed-in user's tokens; the access token is refreshed when it expires.
    Session(Arc<Mutex<TokenPair>>),
    /// `Bearer sk_…`: a secret API key, for servers.
    SecretKey(String),
}

/// An admin session for one store: a signed-in user (for store-owner apps) or a secret API key
/// (for partners' servers).
///
/// With a session, when the server answers 401 (the access token expired), the client trades
/// its refresh token for new tokens once and repeats the call. Concurrent calls share one
/// refresh: refresh tokens are single-use, and the server revokes the session when one is
/// replayed.
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
    credentials: Credentials,
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
        let call = Call::once(
            Method::Post,
            api.server_url(&["api", "v1", "auth", "login"]),
        )
        .json(&request);
        let tokens: TokenPair = api.execute(call).await?.0;
        Ok(Self::from_tokens(api, tokens))
    }

    /// Accepts an invitation (the token from [`AdminClient::invite_user`]) by choosing a
    /// password, and signs in as the new user.
    pub async fn accept_invite(api: Client, token: &str, password: &str) -> Result<Self> {
        let request = AcceptInviteRequest {
            token: token.to_owned(),
            password: password.to_owned(),
        };
        let url = api.server_url(&["api", "v1", "auth", "accept-invite"]);
        let tokens: TokenPair = api
            .execute(Call::once(Method::Post, url).json(&request))
            .await?
            .0;
        Ok(Self::from_tokens(api, tokens))
    }

    /// Asks for a password reset link for `email`, a user of `api`'s store. The server answers
    /// alike whether or not the email belongs to a user, so this succeeds either way.
    pub async fn request_password_reset(api: &Client, email: &str) -> Result<()> {
        let request = PasswordResetRequest {
            store: api.store_slug().to_owned(),
            email: email.to_owned(),
        };
        let url = api.server_url(&["api", "v1", "auth", "password-reset"]);
        let _: NoData = api
            .execute(Call::once(Method::Post, url).json(&request))
            .await?
            .0;
        Ok(())
    }

    /// Chooses a new password with the token of a reset link, and signs in; every earlier
    /// session of the user ends.
    pub async fn reset_password(api: Client, token: &str, password: &str) -> Result<Self> {
        let request = PasswordResetConfirm {
            token: token.to_owned(),
            password: password.to_owned(),
        };
        let url = api.server_url(&["api", "v1", "auth", "password-reset", "confirm"]);
        let tokens: TokenPair = api
            .execute(Call::once(Method::Post, url).json(&request))
            .await?
            .0;
        Ok(Self::from_tokens(api, tokens))
    }

    /// Changes the signed-in user's password. Their other sessions end; this client carries
    /// on in a new one (save its [`tokens`](Self::tokens) again).
    pub async fn change_password(&self, current_password: &str, new_password: &str) -> Result<()> {
        let Credentials::Session(tokens) = &self.credentials else {
            return Err(Error::invalid("a secret key has no password to change"));
        };
        let request = PasswordChange {
            current_password: current_password.to_owned(),
            new_password: new_password.to_owned(),
        };
        let call = Call::once(Method::Post, self.url(&["account", "password"])).json(&request);
        let fresh: TokenPair = self.send(call).await?;
        *tokens.lock().await = fresh;
        Ok(())
    }

    /// Resumes a session from tokens saved earlier (see [`AdminClient::tokens`]).
    pub fn from_tokens(api: Client, tokens: TokenPair) -> Self {
        Self {
            api,
            credentials: Credentials::Session(Arc::new(Mutex::new(tokens))),
        }
    }

    /// Uses a secret API key (`sk_…`, created with [`AdminClient::create_api_key`]) of
    /// `api`'s store. Keep it on servers: never ship it in a web page or an app.
    pub fn with_secret_key(api: Client, key: &str) -> Result<Self> {
        if !key.starts_with("sk_") {
            return Err(Error::invalid("a secret key starts with sk_"));
        }
        Ok(Self {
            api,
            credentials: Credentials::SecretKey(key.to_owned()),
        })
    }

    /// The current tokens of a signed-in session, to save and resume later (they change when
    /// the client refreshes); `None` for a secret key.
    pub async fn tokens(&self) -> Option<TokenPair> {
        match &self.credentials {
            Credentials::Session(tokens) => Some(tokens.lock().await.clone()),
            Credentials::SecretKey(_) => None,
        }
    }

    /// The public client this session was made from (same server, store and transport).
    pub fn public_client(&self) -> &Client {
        &self.api
    }

    /// The store's settings: profile, allowed browser origins and branding.
    pub async fn settings(&self) -> Result<StoreSettings> {
        self.send(Call::get(self.api.admin_url(&[]))).await
    }

    /// Changes the store's settings; absent fields stay as they are.
    pub async fn update_settings(&self, patch: &SettingsPatch) -> Result<StoreSettings> {
        self.send(Call::mutate(Method::Patch, self.api.admin_url(&[])).json(patch))
            .await
    }

    /// `{base}/api/v1/admin/stores/{store}/…segments`.
    fn url(&self, segments: &[&str]) -> String {
        self.api.admin_url(segments)
    }

    /// Sends an authorised call and returns its data.
    async fn send<T: Decode>(&self, call: Call) -> Result<T> {
        Ok(self.authorised(call).await?.0)
    }

    /// Sends an authorised list call and returns its page.
    async fn send_page<T: Decode>(&self, call: Call) -> Result<Page<T>> {
        let (items, pagination) = self.authorised(call).await?;
        into_page(items, pagination)
    }

    async fn authorised<T: Decode>(
        &self,
        call: Call,
    ) -> Result<(T, Option<crate::contract::Pagination>)> {
        self.with_bearer(call, |call| self.api.execute(call)).await
    }

    /// Sends an authorised call whose answer is not JSON (a CSV export): its request id and
    /// response.
    async fn send_raw(&self, call: Call) -> Result<(String, crate::transport::HttpResponse)> {
        self.with_bearer(call, |call| self.api.execute_raw(call))
            .await
    }

    /// Runs `call` with the credentials; an expired session's tokens are refreshed once.
    async fn with_bearer<R, F, Fut>(&self, call: Call, run: F) -> Result<R>
    where
        F: Fn(Call) -> Fut,
        Fut: std::future::Future<Output = Result<R>>,
    {
        let tokens = match &self.credentials {
            Credentials::SecretKey(key) => {
                return run(call.header("authorization", format!("Bearer {key}"))).await
            }
            Credentials::Session(tokens) => tokens,
        };
        let used = tokens.lock().await.access_token.clone();
        let first = call
            .clone()
            .header("authorization", format!("Bearer {used}"));
        match run(first).await {
            Err(Error::Unauthorized(_)) => {}
            other => return other,
        }
        let access = {
            let mut tokens = tokens.lock().await;
            // Another call may have refreshed while this one waited for the lock.
            if tokens.access_token == used {
                *tokens = self.refresh(&tokens.refresh_token).await?;
            }
            tokens.access_token.clone()
        };
        run(call.header("authorization", format!("Bearer {access}"))).await
    }

    async fn refresh(&self, refresh_token: &str) -> Result<TokenPair> {
        let request = RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        };
        let url = self.api.server_url(&["api", "v1", "auth", "refresh"]);
        Ok(self
            .api
            .execute(Call::once(Method::Post, url).json(&request))
            .await?
            .0)
    }
}
