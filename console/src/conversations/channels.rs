//! The store's chat channels (owners): its WhatsApp Business number on Meta's Cloud API and its
//! WhatsApp sender on Twilio. Secrets are write-only: the API says only whether each is set, so
//! their fields start empty ("set" beside them when one is stored) and empty again once saved;
//! a secret left empty keeps the stored one. The webhook URLs the API answers with are shown,
//! to paste into Meta's and Twilio's settings, with a copy button; the API's refusals show
//! beside the fields they name.

use colmena_sdk::contract::{
    ChatChannels, TwilioChannel, TwilioChannelInput, WhatsAppChannel, WhatsAppChannelInput,
};
use leptos::prelude::*;

use crate::calls::call_api;
use crate::catalog::ConfirmButton;
use crate::field::{field_id, Field, FieldError, FormProblem};
use crate::{CopyButton, Problem, ProblemView, SharedSession};

/// A secret as typed: `None` (keep the stored one) when left empty.
fn typed_secret(value: RwSignal<String>) -> Option<String> {
    Some(value.get_untracked().trim().to_owned()).filter(|secret| !secret.is_empty())
}

#[component]
pub fn Channels(session: SharedSession) -> impl IntoView {
    let whatsapp = RwSignal::new(None::<WhatsAppChannel>);
    let twilio = RwSignal::new(None::<TwilioChannel>);
    let loaded = RwSignal::new(false);
    let (problem, set_problem) = signal(None::<Problem>);
    let show = move |channels: ChatChannels| {
        whatsapp.set(channels.whatsapp);
        twilio.set(channels.twilio);
        loaded.set(true);
    };
    call_api(
        session,
        set_problem,
        None,
        |session| async move { session.admin().chat_channels().await },
        show,
    );
    view! {
        <p class="hint">
            "Buyers write to the store's WhatsApp number; the assistant answers, and hands the conversation to "
            "a person when asked. Connect the number on Meta's WhatsApp Cloud API, or a WhatsApp sender on Twilio."
        </p>
        <ProblemView problem=problem />
        <Show when=move || loaded.get()>
            <div class="channel-forms">
                <WhatsAppForm session=session stored=whatsapp />
                <TwilioForm session=session stored=twilio />
            </div>
        </Show>
    }
}

/// A write-only secret: a password input that starts empty, with whether one is stored.
#[component]
fn SecretField(
    #[prop(into)] label: String,
    /// The field's name in the API.
    #[prop(into)]
    parameter: String,
    value: RwSignal<String>,
    /// Whether the API keeps one.
    #[prop(into)]
    stored: Signal<bool>,
    problem: ReadSignal<Option<Problem>>,
    #[prop(into)] hint: String,
) -> impl IntoView {
    let id = field_id(&parameter);
    let state_id = format!("{id}-state");
    let hint_id = format!("{id}-hint");
    let described = format!("{state_id} {hint_id} {id}-error");
    let invalid = Signal::derive({
        let parameter = parameter.clone();
        move || {
            problem.with(|p| {
                p.as_ref()
                    .and_then(|p| p.field.as_deref())
                    .is_some_and(|field| field == parameter)
            })
        }
    });
    view! {
        <div class="secret-label">
            <label for=id.clone() class="field-label">{label}</label>
            <span id=state_id class=move || if stored.get() { "status secret-set" } else { "status secret-unset" }>
                {move || if stored.get() { "set" } else { "not set" }}
            </span>
        </div>
        <input id=id type="password" autocomplete="off" spellcheck="false"
            aria-invalid=move || invalid.get().to_string() aria-describedby=described
            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        <span id=hint_id class="hint">
            {hint}
            {move || stored.get().then_some(" Leave it empty to keep the stored one.")}
        </span>
        <FieldError parameter=parameter problem=problem />
    }
}

/// Where to paste a channel's webhook URL, with a copy button.
#[component]
fn Webhook(#[prop(into)] what: String, url: String) -> impl IntoView {
    view! {
        <div class="webhook-url">
            <p>{what}</p>
            <code>{url.clone()}</code>
            <CopyButton text=url label="Copy the URL" />
        </div>
    }
}

#[component]
fn WhatsAppForm(
    session: SharedSession,
    stored: RwSignal<Option<WhatsAppChannel>>,
) -> impl IntoView {
    let phone_number_id = RwSignal::new(String::new());
    let display_number = RwSignal::new(String::new());
    let verify_token = RwSignal::new(String::new());
    let app_secret = RwSignal::new(String::new());
    let access_token = RwSignal::new(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<&'static str>);
    // The stored settings fill the form; secrets are never given back, their fields empty.
    let fill = move |channel: Option<&WhatsAppChannel>| {
        phone_number_id.set(channel.map_or_else(String::new, |c| c.phone_number_id.clone()));
        display_number.set(channel.map_or_else(String::new, |c| c.display_phone_number.clone()));
        for secret in [verify_token, app_secret, access_token] {
            secret.set(String::new());
        }
    };
    stored.with_untracked(|channel| fill(channel.as_ref()));
    let is_set = move |of: fn(&WhatsAppChannel) -> bool| {
        Signal::derive(move || stored.with(|c| c.as_ref().is_some_and(of)))
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let input = WhatsAppChannelInput {
            phone_number_id: phone_number_id.get_untracked().trim().to_owned(),
            display_phone_number: display_number.get_untracked().trim().to_owned(),
            verify_token: typed_secret(verify_token),
            app_secret: typed_secret(app_secret),
            access_token: typed_secret(access_token),
        };
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move { session.admin().set_whatsapp_channel(&input).await },
            move |channel| {
                fill(Some(&channel));
                stored.set(Some(channel));
                done.set(Some(
                    "Saved. The secrets are stored; they are never shown again.",
                ));
            },
        );
    };
    let disconnect = Callback::new(move |()| {
        done.set(None);
        call_api(
            session,
            set_problem,
            Some(busy),
            |session| async move { session.admin().delete_whatsapp_channel().await },
            move |channels| {
                fill(None);
                stored.set(channels.whatsapp);
                done.set(Some("Disconnected."));
            },
        );
    });
    let connected = move || stored.with(Option::is_some);
    view! {
        <form class="form channel" aria-labelledby="whatsapp-title" on:submit=save>
            <h2 id="whatsapp-title">"WhatsApp (Meta Cloud API)"</h2>
            <p class="hint">{move || if connected() { "Connected." } else { "Not connected." }}</p>
            {move || stored.get().map(|channel| view! {
                <Webhook what="Callback URL: paste it into the Meta app's WhatsApp webhook settings, with the verify token."
                    url=channel.webhook_url />
            })}
            <Field label="Phone number id" parameter="phoneNumberId" value=phone_number_id problem=problem
                inputmode="numeric" hint="Digits, from WhatsApp Manager's API Setup." />
            <Field label="Display number" parameter="displayPhoneNumber" value=display_number problem=problem
                kind="tel" hint="The number buyers write to, in international form: +1 555 000 1234." />
            <SecretField label="Verify token" parameter="verifyToken" value=verify_token
                stored=is_set(|c| c.verify_token_set) problem=problem
                hint="8 to 256 characters of your choice, typed again in Meta's webhook settings." />
            <SecretField label="App secret" parameter="appSecret" value=app_secret
                stored=is_set(|c| c.app_secret_set) problem=problem
                hint="The Meta app's secret (App settings, Basic): it signs every webhook call." />
            <SecretField label="Access token" parameter="accessToken" value=access_token
                stored=is_set(|c| c.access_token_set) problem=problem
                hint="A system user's permanent token with whatsapp_business_messaging, to send replies." />
            <FormProblem problem=problem
                placed=["phoneNumberId", "displayPhoneNumber", "verifyToken", "appSecret", "accessToken"] />
            <div class="row">
                <button type="submit" prop:disabled=move || busy.get()>
                    {move || if connected() { "Save WhatsApp" } else { "Connect WhatsApp" }}
                </button>
                <span role="status">{move || done.get()}</span>
                {move || connected().then(|| view! {
                    <ConfirmButton label="Disconnect" name="Disconnect WhatsApp"
                        question="Disconnect WhatsApp? Buyers' messages to the number stop reaching the store."
                        on_confirm=disconnect />
                })}
            </div>
        </form>
    }
}

#[component]
fn TwilioForm(session: SharedSession, stored: RwSignal<Option<TwilioChannel>>) -> impl IntoView {
    let account_sid = RwSignal::new(String::new());
    let sender = RwSignal::new(String::new());
    let auth_token = RwSignal::new(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<&'static str>);
    let fill = move |channel: Option<&TwilioChannel>| {
        account_sid.set(channel.map_or_else(String::new, |c| c.account_sid.clone()));
        sender.set(channel.map_or_else(String::new, |c| c.sender.clone()));
        auth_token.set(String::new());
    };
    stored.with_untracked(|channel| fill(channel.as_ref()));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let input = TwilioChannelInput {
            account_sid: account_sid.get_untracked().trim().to_owned(),
            sender: sender.get_untracked().trim().to_owned(),
            auth_token: typed_secret(auth_token),
        };
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move { session.admin().set_twilio_channel(&input).await },
            move |channel| {
                fill(Some(&channel));
                stored.set(Some(channel));
                done.set(Some(
                    "Saved. The auth token is stored; it is never shown again.",
                ));
            },
        );
    };
    let disconnect = Callback::new(move |()| {
        done.set(None);
        call_api(
            session,
            set_problem,
            Some(busy),
            |session| async move { session.admin().delete_twilio_channel().await },
            move |channels| {
                fill(None);
                stored.set(channels.twilio);
                done.set(Some("Disconnected."));
            },
        );
    });
    let connected = move || stored.with(Option::is_some);
    view! {
        <form class="form channel" aria-labelledby="twilio-title" on:submit=save>
            <h2 id="twilio-title">"WhatsApp on Twilio"</h2>
            <p class="hint">{move || if connected() { "Connected." } else { "Not connected." }}</p>
            {move || stored.get().map(|channel| view! {
                <Webhook what="Webhook URL: paste it into the sender's \u{201c}A message comes in\u{201d} setting (HTTP POST)."
                    url=channel.webhook_url />
            })}
            <Field label="Account SID" parameter="accountSid" value=account_sid problem=problem
                hint="AC followed by 32 hexadecimal digits, from the Twilio console." />
            <Field label="WhatsApp sender" parameter="sender" value=sender problem=problem
                kind="tel" hint="The sender's number: +14155238886." />
            <SecretField label="Auth token" parameter="authToken" value=auth_token
                stored=Signal::derive(move || stored.with(|c| c.as_ref().is_some_and(|c| c.auth_token_set)))
                problem=problem hint="The account's auth token: it signs Twilio's webhook calls and sends replies." />
            <FormProblem problem=problem placed=["accountSid", "sender", "authToken"] />
            <div class="row">
                <button type="submit" prop:disabled=move || busy.get()>
                    {move || if connected() { "Save Twilio" } else { "Connect Twilio" }}
                </button>
                <span role="status">{move || done.get()}</span>
                {move || connected().then(|| view! {
                    <ConfirmButton label="Disconnect" name="Disconnect Twilio"
                        question="Disconnect Twilio? Buyers' messages to the sender stop reaching the store."
                        on_confirm=disconnect />
                })}
            </div>
        </form>
    }
}
