//! Signing in, and the session kept in the tab's `sessionStorage` so that a reload stays signed
//! in (the tokens only: the access token lives 15 minutes and the client refreshes it).

use colmena_sdk::contract::{Permission, TokenPair};
use colmena_sdk::AdminClient;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::{Problem, ProblemView};

const STORAGE_KEY: &str = "colmena-console-session";

/// A signed-in session for one store.
#[derive(Debug, Clone)]
pub struct Session {
    admin: AdminClient,
    /// What the signed-in user's role may do, from the access token's claims: the console shows
    /// only what the API would allow (the API checks every call regardless).
    permissions: Vec<Permission>,
}

/// The `permissions` claim of an access token (a JWT whose payload is base64url JSON).
fn permissions_of(tokens: &TokenPair) -> Vec<Permission> {
    let decoded = tokens.access_token.split('.').nth(1).and_then(|payload| {
        // atob reads standard base64 with padding.
        let mut standard: String = payload
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                other => other,
            })
            .collect();
        while standard.len() % 4 != 0 {
            standard.push('=');
        }
        web_sys::window()?.atob(&standard).ok()
    });
    decoded
        .and_then(|json| serde_json::from_str::<serde_json::Value>(&json).ok())
        .and_then(|claims| serde_json::from_value(claims["permissions"].clone()).ok())
        .unwrap_or_default()
}

impl Session {
    fn new(admin: AdminClient, tokens: &TokenPair) -> Self {
        Self {
            permissions: permissions_of(tokens),
            admin,
        }
    }

    /// A session for a client that has just signed in, saved for reloads.
    pub async fn begin(admin: AdminClient) -> Self {
        let session = match admin.tokens().await {
            Some(tokens) => Session::new(admin, &tokens),
            None => Session {
                admin,
                permissions: Vec::new(),
            },
        };
        session.save().await;
        session
    }

    /// A public client of `store` on this page's server.
    pub fn client(store: &str) -> colmena_sdk::Result<colmena_sdk::Client> {
        let api = Self::api().ok_or_else(|| colmena_sdk::Error::invalid("no page origin"))?;
        colmena_wasm::client(&api, store.trim())
    }

    /// Whether the signed-in user may do `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// The admin client of this session.
    pub fn admin(&self) -> &AdminClient {
        &self.admin
    }

    /// The store this session manages.
    pub fn store_slug(&self) -> String {
        self.admin.public_client().store_slug().to_owned()
    }

    /// The API's origin: the page's own, since colmena-server serves the console.
    fn api() -> Option<String> {
        web_sys::window()?.location().origin().ok()
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok()?
    }

    /// The session this tab saved, if any.
    pub fn restore() -> Option<Self> {
        let saved = Self::storage()?.get_item(STORAGE_KEY).ok()??;
        let saved: serde_json::Value = serde_json::from_str(&saved).ok()?;
        let store = saved["store"].as_str()?;
        let tokens: TokenPair = serde_json::from_value(saved["tokens"].clone()).ok()?;
        let client = colmena_wasm::client(&Self::api()?, store).ok()?;
        Some(Self::new(
            AdminClient::from_tokens(client, tokens.clone()),
            &tokens,
        ))
    }

    /// Saves the session's current tokens (they change when the client refreshes them).
    pub async fn save(&self) {
        let (Some(storage), Some(tokens)) = (Self::storage(), self.admin.tokens().await) else {
            return;
        };
        let saved = serde_json::json!({ "store": self.store_slug(), "tokens": tokens });
        // A tab without storage (private mode limits) simply signs in again after a reload.
        let _ = storage.set_item(STORAGE_KEY, &saved.to_string());
    }

    /// Forgets the saved session.
    pub fn forget() {
        if let Some(storage) = Self::storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }
}

/// The sign-in form: store, email and password.
#[component]
pub fn SignIn(session: RwSignal<Option<Session>, LocalStorage>) -> impl IntoView {
    let store = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        set_problem.set(None);
        let (store, email, password) = (store.get(), email.get(), password.get());
        spawn_local(async move {
            let signed_in = async {
                AdminClient::login_with(Session::client(&store)?, email.trim(), &password).await
            };
            match signed_in.await {
                Ok(admin) => session.set(Some(Session::begin(admin).await)),
                Err(error) => set_problem.set(Some(error.into())),
            }
            busy.set(false);
        });
    };
    view! {
        <main class="sign-in">
            <h1>"Colmena console"</h1>
            <form on:submit=submit>
                <label>"Store"
                    <input name="store" autocomplete="organization" required
                        prop:value=move || store.get()
                        on:input=move |ev| store.set(event_target_value(&ev)) />
                </label>
                <label>"Email"
                    <input name="email" type="email" autocomplete="username" required
                        prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev)) />
                </label>
                <label>"Password"
                    <input name="password" type="password" autocomplete="current-password" required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                </label>
                <ProblemView problem=problem />
                <button type="submit" prop:disabled=move || busy.get()>"Sign in"</button>
            </form>
            <crate::account::ForgotPassword store=store email=email />
        </main>
    }
}
