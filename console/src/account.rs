//! The user's own password: choosing one from an invitation or a reset link, asking for a reset
//! link from the sign-in page, and changing it while signed in (the Account page).
//!
//! Links carry their token in the URL's fragment (`/admin/#reset-password?store=…&token=…`),
//! which browsers never send to a server; the console removes it from the address bar at once.

use colmena_sdk::AdminClient;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::field::{Field, FormProblem};
use crate::session::Session;
use crate::{Problem, ProblemView, SharedSession};

/// What a link into the console asks the user to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Accept an invitation by choosing a first password.
    AcceptInvite,
    /// Choose a new password after asking for a reset.
    ResetPassword,
}

/// A link into the console that carries a single-use token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    purpose: Purpose,
    store: String,
    token: String,
}

impl Link {
    /// The link the page was opened with, if any; the token is then taken out of the address
    /// bar (and so out of the history and of anything copied from it).
    pub fn from_location() -> Option<Self> {
        let window = web_sys::window()?;
        let fragment = window.location().hash().ok()?;
        let (route, query) = fragment.trim_start_matches('#').split_once('?')?;
        let purpose = match route {
            "accept-invite" => Purpose::AcceptInvite,
            "reset-password" => Purpose::ResetPassword,
            _ => return None,
        };
        let params = web_sys::UrlSearchParams::new_with_str(query).ok()?;
        let link = Self {
            purpose,
            store: params.get("store")?,
            token: params.get("token")?,
        };
        if let Ok(history) = window.history() {
            let _ =
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/admin/"));
        }
        Some(link)
    }
}

/// "Choose your password": finishes an invitation or a reset, and signs the user in.
#[component]
pub fn ChoosePassword(
    link: Link,
    session: RwSignal<Option<Session>, LocalStorage>,
    done: RwSignal<Option<Link>>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let repeated = RwSignal::new(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let (title, button) = match link.purpose {
        Purpose::AcceptInvite => ("Welcome: choose your password", "Set password and sign in"),
        Purpose::ResetPassword => ("Choose a new password", "Save password and sign in"),
    };
    let link = StoredValue::new(link);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if password.get() != repeated.get() {
            set_problem.set(Some(Problem::of_field(
                "repeatPassword",
                "the two passwords differ",
            )));
            return;
        }
        busy.set(true);
        let Link {
            purpose,
            store,
            token,
        } = link.get_value();
        let chosen = password.get();
        spawn_local(async move {
            let signed_in = async {
                let client = Session::client(&store)?;
                match purpose {
                    Purpose::AcceptInvite => {
                        AdminClient::accept_invite(client, &token, &chosen).await
                    }
                    Purpose::ResetPassword => {
                        AdminClient::reset_password(client, &token, &chosen).await
                    }
                }
            };
            match signed_in.await {
                Ok(admin) => {
                    session.set(Some(Session::begin(admin).await));
                    done.set(None);
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
            busy.set(false);
        });
    };
    let store = link.with_value(|l| l.store.clone());
    view! {
        <main class="sign-in">
            <h1>{title}</h1>
            <form class="form" on:submit=submit>
                <p>{format!("Store: {store}")}</p>
                <p class="hint">"8 or more characters, with an upper-case letter, a digit and a symbol."</p>
                <Field label="New password" parameter="password" value=password problem=problem
                    kind="password" autocomplete="new-password" />
                <Field label="Repeat the password" parameter="repeatPassword" value=repeated problem=problem
                    kind="password" autocomplete="new-password" />
                <FormProblem problem=problem placed=["password", "repeatPassword"] />
                <button type="submit" prop:disabled=move || busy.get()>{button}</button>
            </form>
            <button class="link" on:click=move |_| done.set(None)>"Back to sign-in"</button>
        </main>
    }
}

/// "Forgot your password?" on the sign-in page: asks the server to send a reset link to the
/// email filled in above, for the store filled in above.
#[component]
pub fn ForgotPassword(store: RwSignal<String>, email: RwSignal<String>) -> impl IntoView {
    let sent = RwSignal::new(false);
    let (problem, set_problem) = signal(None::<Problem>);
    let send = move |_| {
        let (store, email) = (store.get(), email.get());
        if store.trim().is_empty() || email.trim().is_empty() {
            set_problem.set(Some(Problem::new(
                "fill in the store and your email above first",
            )));
            return;
        }
        spawn_local(async move {
            let asked = async {
                AdminClient::request_password_reset(&Session::client(&store)?, email.trim()).await
            };
            match asked.await {
                Ok(()) => {
                    set_problem.set(None);
                    sent.set(true);
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    view! {
        <div class="forgot">
            <button class="link" on:click=send>"Forgot your password? Send me a reset link"</button>
            <ProblemView problem=problem />
            {move || sent.get().then(|| view! {
                <p role="status" class="invited">
                    "If that email belongs to a user of the store, a link to choose a new password is on its way. It works once, for one hour."
                </p>
            })}
        </div>
    }
}

/// The Account page: the signed-in user changes their password.
#[component]
pub fn Account(session: SharedSession) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let next = RwSignal::new(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let changed = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        changed.set(false);
        let (old, new) = (current.get(), next.get());
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().change_password(&old, &new).await {
                Ok(()) => {
                    // The old tokens are revoked: keep the new ones for reloads.
                    session.save().await;
                    set_problem.set(None);
                    current.set(String::new());
                    next.set(String::new());
                    changed.set(true);
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
        });
    };
    view! {
        <section aria-labelledby="account-title">
            <h1 id="account-title">"Account"</h1>
            <form class="form" on:submit=submit>
                <h2>"Change your password"</h2>
                <p class="hint">"Your other sessions (other browsers and devices) are signed out."</p>
                <Field label="Current password" parameter="currentPassword" value=current problem=problem
                    kind="password" autocomplete="current-password" />
                <Field label="New password" parameter="newPassword" value=next problem=problem
                    kind="password" autocomplete="new-password" />
                <FormProblem problem=problem placed=["currentPassword", "newPassword"] />
                <button type="submit">"Change password"</button>
                {move || changed.get().then(|| view! {
                    <p role="status" class="invited">"Your password is changed."</p>
                })}
            </form>
        </section>
    }
}
