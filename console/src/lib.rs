//! The merchant console, served by colmena-server at `/admin`: one more facade of sdk-core, whose
//! `AdminClient` (compiled to WebAssembly, over the browser's `fetch`) makes every call. Leptos
//! renders it on the client.
//!
//! It covers signing in (the session survives a reload and refreshes itself), the dashboard
//! (revenue, orders, average order value and top products over a period), orders (filters,
//! server-side paging, the detail with its status history, fulfil, cancel, refund), the catalog
//! (products with their variants, images and digital file; categories as a tree; product types
//! whose JSON Schema becomes a form), the store's settings, shipping and tax, discounts, price
//! lists (sales and customer groups' prices), the team and the user's account.

mod account;
mod api_keys;
mod audit_log;
mod calls;
mod catalog;
mod conversations;
mod dashboard;
mod field;
mod orders;
mod paging;
mod price_lists;
mod pricing;
mod session;
mod settings;
mod storefront;
mod team;
mod translations;
mod webhooks;

use colmena_sdk::contract::Permission;
use colmena_sdk::Uuid;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use crate::session::{Session, SignIn};

/// The signed-in session, as components share it (a handle: the client is not `Send`).
type SharedSession = StoredValue<Session, LocalStorage>;

/// The console's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Dashboard,
    Orders,
    Conversations,
    Products,
    Categories,
    ProductTypes,
    Storefront,
    Settings,
    ShippingAndTax,
    Discounts,
    PriceLists,
    Team,
    ApiKeys,
    Webhooks,
    AuditLog,
    Account,
}

impl Page {
    /// Each page, its name, and the permission it needs (none: every signed-in user).
    const ALL: [(Page, &'static str, Option<Permission>); 16] = [
        (
            Page::Dashboard,
            "Dashboard",
            Some(Permission::AnalyticsRead),
        ),
        (Page::Orders, "Orders", Some(Permission::OrdersRead)),
        (
            Page::Conversations,
            "Conversations",
            Some(Permission::OrdersRead),
        ),
        (Page::Products, "Products", Some(Permission::ProductsRead)),
        (
            Page::Categories,
            "Categories",
            Some(Permission::ProductsRead),
        ),
        (
            Page::ProductTypes,
            "Product types",
            Some(Permission::ProductsRead),
        ),
        (
            Page::Storefront,
            "Storefront",
            Some(Permission::StorefrontEdit),
        ),
        (Page::Settings, "Settings", Some(Permission::SettingsWrite)),
        (
            Page::ShippingAndTax,
            "Shipping & tax",
            Some(Permission::SettingsWrite),
        ),
        (
            Page::Discounts,
            "Discounts",
            Some(Permission::SettingsWrite),
        ),
        (
            Page::PriceLists,
            "Price lists",
            Some(Permission::SettingsWrite),
        ),
        (Page::Team, "Team", Some(Permission::UsersManage)),
        (Page::ApiKeys, "API keys", Some(Permission::SettingsWrite)),
        (Page::Webhooks, "Webhooks", Some(Permission::WebhooksManage)),
        (Page::AuditLog, "Audit log", Some(Permission::SettingsWrite)),
        (Page::Account, "Account", None),
    ];
}

/// Where a page sends the user to another page: the page shown, and an order for the orders
/// page to open (a conversation that ended with an order links to it).
#[derive(Debug, Clone, Copy)]
struct Navigation {
    page: RwSignal<Page>,
    order: RwSignal<Option<Uuid>>,
}

impl Navigation {
    /// Shows the order `id` on the orders page.
    fn open_order(self, id: Uuid) {
        self.order.set(Some(id));
        self.page.set(Page::Orders);
    }

    /// The order another page asked the orders page to open, once.
    fn take_order() -> Option<Uuid> {
        use_context::<Navigation>().and_then(|nav| nav.order.try_update(Option::take).flatten())
    }
}

/// Starts the console in the page's `<body>`.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}

/// A failure as the console shows it: the API's message, and the field it names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Problem {
    message: String,
    field: Option<String>,
    /// The message without the field's API name it starts with (`name must not be empty`
    /// is `must not be empty` beside the Name field).
    reason: Option<String>,
}

impl Problem {
    /// A failure that names no field.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            field: None,
            reason: None,
        }
    }

    /// A refusal the console makes itself, before calling the API, beside the field `field`.
    pub(crate) fn of_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new(message)
        }
    }

    /// What to say beside the refused field.
    fn reason(&self) -> &str {
        self.reason.as_deref().unwrap_or(&self.message)
    }

    /// This refusal with its field named as the console names it: the variant routes call the
    /// variant they change `variant` (`variant.price.amount`), which the product editor shows
    /// as `variants[2]`, one set of fields per variant.
    fn renamed(mut self, api: &str, console: &str) -> Self {
        let renamed = self.field.as_deref().and_then(|field| {
            let rest = field.strip_prefix(api)?;
            field::names_field(field, api).then(|| format!("{console}{rest}"))
        });
        if renamed.is_some() {
            self.field = renamed;
        }
        self
    }

    /// This refusal with its field named under `scope` (`name` becomes `edit.name`): for a
    /// form whose fields would otherwise have the same ids as another form's on the page.
    fn within(mut self, scope: &str) -> Self {
        if let Some(field) = &mut self.field {
            *field = format!("{scope}.{field}");
        }
        self
    }
}

impl From<colmena_sdk::Error> for Problem {
    fn from(error: colmena_sdk::Error) -> Self {
        let field = match &error {
            colmena_sdk::Error::Validation { field, .. } => field.clone(),
            _ => None,
        };
        let message = match error.failure() {
            Some(failure) => failure.message.clone(),
            None => error.to_string(),
        };
        let reason = field.as_deref().and_then(|field| {
            let rest = message.strip_prefix(field)?.strip_prefix(' ')?;
            Some(rest.to_owned())
        });
        Self {
            message,
            field,
            reason,
        }
    }
}

#[component]
fn App() -> impl IntoView {
    let session = RwSignal::new_local(Session::restore());
    let page = RwSignal::new(Page::Dashboard);
    provide_context(Navigation {
        page,
        order: RwSignal::new(None),
    });
    // An invitation or reset link opens its own page, whoever is signed in.
    let link = RwSignal::new(account::Link::from_location());
    // A link opened in a tab already at /admin changes only the fragment: no reload.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(opened) = account::Link::from_location() {
            link.set(Some(opened));
        }
    });
    view! {
        {move || match (link.get(), session.get()) {
            (Some(opened), _) => view! { <account::ChoosePassword link=opened session=session done=link /> }.into_any(),
            (None, None) => view! { <SignIn session=session /> }.into_any(),
            (None, Some(current)) => {
                let title = format!("Colmena · {}", current.store_slug());
                // Only the pages the user's role may open; the first of them to start with.
                let pages: Vec<_> = Page::ALL.into_iter().filter(|(_, _, needs)| needs.is_none_or(|n| current.can(n))).collect();
                if let Some((first, _, _)) = pages.first() {
                    if !pages.iter().any(|(p, _, _)| *p == page.get_untracked()) {
                        page.set(*first);
                    }
                }
                let current = StoredValue::new_local(current);
                view! {
                <header class="bar">
                    <strong>{title}</strong>
                    <nav aria-label="Console">
                        {pages.iter().map(|(target, label, _)| {
                            let target = *target;
                            view! {
                                <button class:active=move || page.get() == target
                                    on:click=move |_| page.set(target)>{*label}</button>
                            }
                        }).collect_view()}
                    </nav>
                    <button class="quiet" on:click=move |_| {
                        Session::forget();
                        session.set(None);
                    }>"Sign out"</button>
                </header>
                <main>
                    {move || match page.get() {
                        Page::Dashboard => view! { <dashboard::Dashboard session=current /> }.into_any(),
                        Page::Orders => view! { <orders::Orders session=current /> }.into_any(),
                        Page::Conversations => view! { <conversations::Conversations session=current /> }.into_any(),
                        Page::Products => view! { <catalog::Products session=current /> }.into_any(),
                        Page::Categories => view! { <catalog::Categories session=current /> }.into_any(),
                        Page::ProductTypes => view! { <catalog::ProductTypes session=current /> }.into_any(),
                        Page::Storefront => view! { <storefront::Storefront session=current /> }.into_any(),
                        Page::Team => view! { <team::Team session=current /> }.into_any(),
                        Page::Settings => view! { <settings::Settings session=current /> }.into_any(),
                        Page::ShippingAndTax => view! { <pricing::ShippingAndTax session=current /> }.into_any(),
                        Page::Discounts => view! { <pricing::Discounts session=current /> }.into_any(),
                        Page::PriceLists => view! { <price_lists::PriceLists session=current /> }.into_any(),
                        Page::ApiKeys => view! { <api_keys::ApiKeys session=current /> }.into_any(),
                        Page::Webhooks => view! { <webhooks::Webhooks session=current /> }.into_any(),
                        Page::AuditLog => view! { <audit_log::AuditLog session=current /> }.into_any(),
                        Page::Account => view! { <account::Account session=current /> }.into_any(),
                    }}
                </main>
            }.into_any()
            }
        }}
    }
}

/// Shows `problem`, if any, as an alert. The alert is always in the page (empty, and so not
/// shown, when there is no problem): screen readers announce a change of a live region's text.
#[component]
fn ProblemView(#[prop(into)] problem: Signal<Option<Problem>>) -> impl IntoView {
    view! { <p class="problem" role="alert">{move || problem.get().map(|problem| problem.message)}</p> }
}

/// A secret the API shows only once (an API key, a webhook signing secret, an invitation
/// link), with what it is for.
#[component]
fn ShownOnce(#[prop(into)] what: String, #[prop(into)] secret: String) -> impl IntoView {
    view! {
        <p role="status" class="invited">
            {what}<br /><code>{secret}</code>
        </p>
    }
}

/// A button that copies `text` to the clipboard, and says whether it could.
#[component]
fn CopyButton(
    #[prop(into)] text: String,
    /// The button's text, e.g. "Copy the snippet".
    #[prop(into)]
    label: String,
    /// The button's id, when tests or labels point at it.
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    let copied = RwSignal::new(None::<&'static str>);
    let to_copy = StoredValue::new(text);
    let copy = move |_| {
        let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
            return;
        };
        let clipboard = navigator.clipboard();
        // Browsers offer the clipboard only to secure pages (https, or this machine).
        if clipboard.is_undefined() {
            copied.set(Some(
                "Copying is not available here: select the text and copy it.",
            ));
            return;
        }
        let promise = clipboard.write_text(&to_copy.get_value());
        spawn_local(async move {
            copied.set(Some(
                match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => "Copied.",
                    Err(_) => "The browser refused to copy: select the text and copy it.",
                },
            ));
        });
    };
    view! {
        <span class="copy">
            <button type="button" id=id on:click=copy>{label}</button>
            <span role="status">{move || copied.get()}</span>
        </span>
    }
}

/// A time the API gives (RFC 3339, UTC) as `YYYY-MM-DD HH:MM`.
fn short_time(text: &str) -> String {
    text.get(..16)
        .map_or_else(|| text.to_owned(), |t| t.replacen('T', " ", 1))
}
