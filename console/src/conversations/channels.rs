//! The store's chat channels (owners): its WhatsApp Business number on Meta's Cloud API and its
//! WhatsApp sender on Twilio. Secrets are write-only: the API says only whether each is set, so
//! their fields start empty ("set" beside them when one is stored) and empty again once saved;
//! a secret left empty keeps the stored one. The webhook URLs the API answers with are shown,
//! to paste into Meta's and Twilio's settings, with a copy button; the API's refusals show
//! beside the fields they name.

use colmena_sdk::contract::{
    ChatChannels, TwilioChannel, TwilioChannelInput, WhatsAppChannel, WhatsAppChannelInput,
};
use colmena_sdk::AdminClient;
use leptos::prelude::*;

use crate::calls::call_api;
use crate::catalog::ConfirmButton;
use crate::field::{field_id, Field, FieldError, FormProblem};
use crate::{CopyButton, Problem, ProblemView, SharedSession};

/// A secret as typed: `None` (keep the stored one) when left empty.
fn typed_secret(value: &str) -> Option<String> {
    Some(value.to_owned()).filter(|secret| !secret.is_empty())
}

/// A field of a channel's form.
struct Spec {
    label: &'static str,
    /// Its name in the API.
    parameter: &'static str,
    hint: &'static str,
    /// A write-only secret.
    secret: bool,
    /// The input's type, for the others.
    kind: Option<&'static str>,
}

const WHATSAPP_FIELDS: [Spec; 5] = [
    Spec {
        label: "Phone number id",
        parameter: "phoneNumberId",
        hint: "Digits, from WhatsApp Manager's API Setup.",
        secret: false,
        kind: None,
    },
    Spec {
        label: "Display number",
        parameter: "displayPhoneNumber",
        hint: "The number buyers write to, in international form: +1 555 000 1234.",
        secret: false,
        kind: Some("tel"),
    },
    Spec {
        label: "Verify token",
        parameter: "verifyToken",
        hint: "8 to 256 characters of your choice, typed again in Meta's webhook settings.",
        secret: true,
        kind: None,
    },
    Spec {
        label: "App secret",
        parameter: "appSecret",
        hint: "The Meta app's secret (App settings, Basic): it signs every webhook call.",
        secret: true,
        kind: None,
    },
    Spec {
        label: "Access token",
        parameter: "accessToken",
        hint: "A system user's permanent token with whatsapp_business_messaging, to send replies.",
        secret: true,
        kind: None,
    },
];

const TWILIO_FIELDS: [Spec; 3] = [
    Spec {
        label: "Account SID",
        parameter: "accountSid",
        hint: "AC followed by 32 hexadecimal digits, from the Twilio console.",
        secret: false,
        kind: None,
    },
    Spec {
        label: "WhatsApp sender",
        parameter: "sender",
        hint: "The sender's number: +14155238886.",
        secret: false,
        kind: Some("tel"),
    },
    Spec {
        label: "Auth token",
        parameter: "authToken",
        hint: "The account's auth token: it signs Twilio's webhook calls and sends replies.",
        secret: true,
        kind: None,
    },
];

/// The two channels: one form does both, from their fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    WhatsApp,
    Twilio,
}

impl Kind {
    fn fields(self) -> &'static [Spec] {
        match self {
            Self::WhatsApp => &WHATSAPP_FIELDS,
            Self::Twilio => &TWILIO_FIELDS,
        }
    }

    /// The form's heading, its id, and the name its buttons use.
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::WhatsApp => ("WhatsApp (Meta Cloud API)", "whatsapp-title", "WhatsApp"),
            Self::Twilio => ("WhatsApp on Twilio", "twilio-title", "Twilio"),
        }
    }

    /// Where the webhook URL goes.
    fn webhook_hint(self) -> &'static str {
        match self {
            Self::WhatsApp => "Callback URL: paste it into the Meta app's WhatsApp webhook settings, with the verify token.",
            Self::Twilio => "Webhook URL: paste it into the sender's \u{201c}A message comes in\u{201d} setting (HTTP POST).",
        }
    }

    /// This kind's channel among the store's.
    fn of(self, channels: ChatChannels) -> Option<Stored> {
        match self {
            Self::WhatsApp => channels.whatsapp.map(Stored::from),
            Self::Twilio => channels.twilio.map(Stored::from),
        }
    }

    /// Saves the typed fields (in [`Kind::fields`]' order).
    async fn save(self, admin: &AdminClient, typed: &[String]) -> colmena_sdk::Result<Stored> {
        let field = |i: usize| typed.get(i).cloned().unwrap_or_default();
        match self {
            Self::WhatsApp => {
                let input = WhatsAppChannelInput {
                    phone_number_id: field(0),
                    display_phone_number: field(1),
                    verify_token: typed_secret(&field(2)),
                    app_secret: typed_secret(&field(3)),
                    access_token: typed_secret(&field(4)),
                };
                admin.set_whatsapp_channel(&input).await.map(Stored::from)
            }
            Self::Twilio => {
                let input = TwilioChannelInput {
                    account_sid: field(0),
                    sender: field(1),
                    auth_token: typed_secret(&field(2)),
                };
                admin.set_twilio_channel(&input).await.map(Stored::from)
            }
        }
    }

    /// Disconnects the channel; the channels left.
    async fn delete(self, admin: &AdminClient) -> colmena_sdk::Result<ChatChannels> {
        match self {
            Self::WhatsApp => admin.delete_whatsapp_channel().await,
            Self::Twilio => admin.delete_twilio_channel().await,
        }
    }
}

/// A connected channel as its form shows it: each field's stored value (empty for secrets) and
/// whether it is set, and the webhook URL.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    values: Vec<(String, bool)>,
    webhook_url: String,
}

impl From<WhatsAppChannel> for Stored {
    fn from(channel: WhatsAppChannel) -> Self {
        Self {
            values: vec![
                (channel.phone_number_id, true),
                (channel.display_phone_number, true),
                (String::new(), channel.verify_token_set),
                (String::new(), channel.app_secret_set),
                (String::new(), channel.access_token_set),
            ],
            webhook_url: channel.webhook_url,
        }
    }
}

impl From<TwilioChannel> for Stored {
    fn from(channel: TwilioChannel) -> Self {
        Self {
            values: vec![
                (channel.account_sid, true),
                (channel.sender, true),
                (String::new(), channel.auth_token_set),
            ],
            webhook_url: channel.webhook_url,
        }
    }
}

#[component]
pub fn Channels(session: SharedSession) -> impl IntoView {
    let channels = RwSignal::new(None::<ChatChannels>);
    let (problem, set_problem) = signal(None::<Problem>);
    call_api(
        session,
        set_problem,
        None,
        |session| async move { session.admin().chat_channels().await },
        move |found| channels.set(Some(found)),
    );
    view! {
        <p class="hint">
            "Buyers write to the store's WhatsApp number; the assistant answers, and hands the conversation to "
            "a person when asked. Connect the number on Meta's WhatsApp Cloud API, or a WhatsApp sender on Twilio."
        </p>
        <ProblemView problem=problem />
        {move || channels.get().map(|found| view! {
            <div class="channel-forms">
                <ChannelForm session=session kind=Kind::WhatsApp stored=Kind::WhatsApp.of(found.clone()) />
                <ChannelForm session=session kind=Kind::Twilio stored=Kind::Twilio.of(found) />
            </div>
        })}
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
fn Webhook(what: &'static str, url: String) -> impl IntoView {
    view! {
        <div class="webhook-url">
            <p>{what}</p>
            <code>{url.clone()}</code>
            <CopyButton text=url label="Copy the URL" />
        </div>
    }
}

/// A channel's settings: created or replaced, or disconnected after a confirmation.
#[component]
fn ChannelForm(session: SharedSession, kind: Kind, stored: Option<Stored>) -> impl IntoView {
    let stored = RwSignal::new(stored);
    let values: Vec<RwSignal<String>> = kind
        .fields()
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let values = StoredValue::new(values);
    let (problem, set_problem) = signal(None::<Problem>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<&'static str>);
    // The stored settings fill the form; secrets are never given back, their fields empty.
    // (After a save, the form may be gone: another part of the page opened.)
    let fill = move |channel: Option<&Stored>| {
        values.try_with_value(|values| {
            for (i, value) in values.iter().enumerate() {
                let shown = channel
                    .and_then(|c| c.values.get(i))
                    .map(|(v, _)| v.clone());
                value.set(shown.unwrap_or_default());
            }
        });
    };
    stored.with_untracked(|channel| fill(channel.as_ref()));
    let (title, title_id, name) = kind.names();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let typed: Vec<String> = values.with_value(|values| {
            values
                .iter()
                .map(|v| v.get_untracked().trim().to_owned())
                .collect()
        });
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move { kind.save(session.admin(), &typed).await },
            move |channel| {
                fill(Some(&channel));
                stored.set(Some(channel));
                done.set(Some("Saved. Secrets are stored, and never shown again."));
            },
        );
    };
    let disconnect = Callback::new(move |()| {
        done.set(None);
        call_api(
            session,
            set_problem,
            Some(busy),
            move |session| async move { kind.delete(session.admin()).await },
            move |channels| {
                let left = kind.of(channels);
                fill(left.as_ref());
                stored.set(left);
                done.set(Some("Disconnected."));
            },
        );
    });
    let connected = move || stored.with(Option::is_some);
    let fields = kind
        .fields()
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let value = values.with_value(|values| values[i]);
            if spec.secret {
                let set = Signal::derive(move || {
                    stored.with(|c| {
                        c.as_ref()
                            .is_some_and(|c| c.values.get(i).is_some_and(|(_, set)| *set))
                    })
                });
                view! {
                    <SecretField label=spec.label parameter=spec.parameter value=value stored=set
                        problem=problem hint=spec.hint />
                }
                .into_any()
            } else {
                let kind = spec.kind.unwrap_or("text");
                view! {
                    <Field label=spec.label parameter=spec.parameter value=value problem=problem
                        kind=kind hint=spec.hint />
                }
                .into_any()
            }
        })
        .collect_view();
    let placed: Vec<String> = kind
        .fields()
        .iter()
        .map(|spec| spec.parameter.to_owned())
        .collect();
    view! {
        <form class="form channel" aria-labelledby=title_id on:submit=save>
            <h2 id=title_id>{title}</h2>
            <p class="hint">{move || if connected() { "Connected." } else { "Not connected." }}</p>
            {move || stored.get().map(|channel| view! {
                <Webhook what=kind.webhook_hint() url=channel.webhook_url />
            })}
            {fields}
            <FormProblem problem=problem placed=placed />
            <div class="row">
                <button type="submit" prop:disabled=move || busy.get()>
                    {move || format!("{} {name}", if connected() { "Save" } else { "Connect" })}
                </button>
                <span role="status">{move || done.get()}</span>
                {move || connected().then(|| view! {
                    <ConfirmButton label="Disconnect" name=format!("Disconnect {name}")
                        question=format!("Disconnect {name}? Buyers' messages to it stop reaching the store.")
                        on_confirm=disconnect />
                })}
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use colmena_sdk::contract::Timestamp;

    #[test]
    fn stored_settings_follow_the_forms_fields() {
        let at = || Timestamp::new("2026-12-07T09:00:00Z");
        let whatsapp = Stored::from(WhatsAppChannel {
            phone_number_id: "106540352242922".to_owned(),
            display_phone_number: "+15550100000".to_owned(),
            verify_token_set: true,
            app_secret_set: true,
            access_token_set: false,
            webhook_url: "https://shop.example/api/v1/chat/whatsapp/webhook".to_owned(),
            created_at: at(),
            updated_at: at(),
        });
        let twilio = Stored::from(TwilioChannel {
            account_sid: "AC0123456789abcdef0123456789abcdef".to_owned(),
            sender: "whatsapp:+14155238886".to_owned(),
            auth_token_set: true,
            webhook_url: "https://shop.example/api/v1/chat/twilio/webhook".to_owned(),
            created_at: at(),
            updated_at: at(),
        });
        for (kind, stored) in [(Kind::WhatsApp, &whatsapp), (Kind::Twilio, &twilio)] {
            assert_eq!(stored.values.len(), kind.fields().len());
            for (spec, (value, _)) in kind.fields().iter().zip(&stored.values) {
                // Secrets are never filled in; settings are.
                assert_eq!(value.is_empty(), spec.secret, "{}", spec.parameter);
            }
        }
        let set: Vec<bool> = whatsapp.values.iter().map(|(_, set)| *set).collect();
        assert_eq!(set, [true, true, true, true, false]);
        assert_eq!(twilio.values[1].0, "whatsapp:+14155238886");
    }

    #[test]
    fn an_empty_secret_keeps_the_stored_one() {
        assert_eq!(typed_secret(""), None);
        assert_eq!(typed_secret("s3cret"), Some("s3cret".to_owned()));
    }
}
