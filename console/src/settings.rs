//! The store's settings (owners): name, currency, locale, the browser origins its storefront
//! may run on, and how shoppers pay (the test provider, or Stripe with the store's Stripe
//! Connect account). Each refused field shows the API's reason beside it (`details.parameter`).

use colmena_sdk::contract::{SettingsPatch, StoreSettings};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::field::{Field, FormProblem, SelectField};
use crate::{Problem, SharedSession};

#[component]
pub fn Settings(session: SharedSession) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let currency = RwSignal::new(String::new());
    let locale = RwSignal::new(String::new());
    let origins = RwSignal::new(String::new());
    let provider = RwSignal::new(String::new());
    let stripe_account = RwSignal::new(String::new());
    let providers = Signal::stored(vec![
        (
            "test".to_owned(),
            "Test provider (no money moves)".to_owned(),
        ),
        ("stripe".to_owned(), "Stripe".to_owned()),
    ]);
    let (problem, set_problem) = signal(None::<Problem>);
    let saved = RwSignal::new(false);
    let show = move |settings: StoreSettings| {
        name.set(settings.store.name);
        currency.set(settings.store.currency);
        locale.set(settings.store.locale);
        origins.set(settings.allowed_origins.join("\n"));
        provider.set(settings.payments.provider);
        stripe_account.set(settings.payments.stripe_account_id.unwrap_or_default());
    };
    spawn_local({
        let session = session.get_value();
        async move {
            match session.admin().settings().await {
                Ok(settings) => show(settings),
                Err(error) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saved.set(false);
        let patch = SettingsPatch {
            name: Some(name.get()),
            currency: Some(currency.get().trim().to_uppercase()),
            locale: Some(locale.get().trim().to_owned()),
            allowed_origins: Some(
                origins
                    .get()
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            payment_provider: Some(provider.get()),
            // An emptied field removes the account.
            stripe_account_id: Some(
                Some(stripe_account.get().trim().to_owned()).filter(|id| !id.is_empty()),
            ),
            ..SettingsPatch::default()
        };
        let session = session.get_value();
        spawn_local(async move {
            match session.admin().update_settings(&patch).await {
                Ok(settings) => {
                    set_problem.set(None);
                    show(settings);
                    saved.set(true);
                }
                Err(error) => set_problem.set(Some(error.into())),
            }
            session.save().await;
        });
    };
    view! {
        <section aria-labelledby="settings-title">
            <h1 id="settings-title">"Settings"</h1>
            <form class="form" on:submit=submit>
                <Field label="Store name" parameter="name" value=name problem=problem />
                <Field label="Currency (ISO 4217, e.g. EUR)" parameter="currency" value=currency problem=problem />
                <Field label="Locale (e.g. es-ES)" parameter="locale" value=locale problem=problem />
                <Field label="Allowed storefront origins, one per line" parameter="allowedOrigins"
                    value=origins problem=problem multiline=true />
                <SelectField label="Payment provider" parameter="paymentProvider" value=provider options=providers problem=problem />
                <Field label="Stripe Connect account (acct_…, for Stripe)" parameter="stripeAccountId"
                    value=stripe_account problem=problem />
                <FormProblem problem=problem placed=["name", "currency", "locale", "allowedOrigins", "paymentProvider", "stripeAccountId"] />
                <div class="row">
                    <button type="submit">"Save"</button>
                    <span role="status">{move || saved.get().then_some("Saved.")}</span>
                </div>
            </form>
        </section>
    }
}
