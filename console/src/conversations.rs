//! Conversations with buyers (WhatsApp, Twilio's WhatsApp and the widget's chat): an inbox
//! filtered by state (those waiting for a person first to mind, with their count) and channel;
//! a conversation's thread, where staff reply, hand it back to the assistant or close it; the
//! conversations' analytics over a period, with their events exported as CSV; and the chat
//! channels' settings (the number, tokens and secrets the server keeps, secrets write-only).
//! The inbox and an open thread refresh themselves every few seconds.

mod analytics;
mod channels;
mod thread;

use std::time::Duration;

use colmena_sdk::contract::{
    ChatChannel, ChatIntent, Conversation, ConversationQuery, ConversationStatus, Permission,
};
use colmena_sdk::{Page, Uuid};
use leptos::prelude::*;

use crate::calls::call_api;
use crate::paging::{Pager, PAGE_SIZE};
use crate::storefront::local_time::local_display;
use crate::{Problem, ProblemView, SharedSession};

/// How often the inbox and an open thread ask for news.
const REFRESH: Duration = Duration::from_secs(10);

/// A channel in words.
fn channel_words(channel: ChatChannel) -> &'static str {
    match channel {
        ChatChannel::Whatsapp => "WhatsApp",
        ChatChannel::Twilio => "WhatsApp (Twilio)",
        ChatChannel::Web => "Web chat",
    }
}

/// Who the buyer is: their phone number, or "Web chat" (a web chat's session is never shown).
fn buyer_words(conversation: &Conversation) -> String {
    if conversation.channel == ChatChannel::Web {
        "Web chat".to_owned()
    } else {
        conversation.buyer.clone()
    }
}

/// A state in words.
fn status_words(status: ConversationStatus) -> &'static str {
    match status {
        ConversationStatus::Open => "Open",
        ConversationStatus::WaitingHuman => "Waiting for a person",
        ConversationStatus::Closed => "Closed",
    }
}

/// The badge of a state.
fn status_badge(status: ConversationStatus) -> impl IntoView {
    view! { <span class=format!("status chat-{}", status.as_str())>{status_words(status)}</span> }
}

/// A language tag in words: the chat's five languages by name, any other as it is.
fn language_words(tag: &str) -> String {
    let name = match tag.get(..2).unwrap_or(tag) {
        "en" => "English",
        "es" => "Spanish",
        "fr" => "French",
        "pt" => "Portuguese",
        "sw" => "Swahili",
        _ => return tag.to_owned(),
    };
    name.to_owned()
}

/// An intent in words.
fn intent_words(intent: Option<ChatIntent>) -> &'static str {
    match intent {
        Some(ChatIntent::AddToCart) => "Add to cart",
        Some(ChatIntent::RemoveFromCart) => "Remove from cart",
        Some(ChatIntent::UpdateCart) => "Change a quantity",
        Some(ChatIntent::ViewCart) => "Show the cart",
        Some(ChatIntent::ClearCart) => "Empty the cart",
        Some(ChatIntent::Checkout) => "Pay",
        Some(ChatIntent::Search) => "Find products",
        Some(ChatIntent::Help) => "Help or a person",
        Some(ChatIntent::Unknown) | None => "Not understood",
    }
}

/// A share from 0 to 1 as a percentage to one decimal (`87.5 %`, `100 %`), without float
/// formatting (the WebAssembly's size).
fn percent(share: f64) -> String {
    let tenths = (share.clamp(0.0, 1.0) * 1000.0).round() as u32;
    match tenths % 10 {
        0 => format!("{} %", tenths / 10),
        rest => format!("{}.{rest} %", tenths / 10),
    }
}

/// Runs `refresh` every [`REFRESH`] while the calling component is shown.
fn keep_fresh(refresh: impl Fn() + 'static) {
    if let Ok(handle) = set_interval_with_handle(refresh, REFRESH) {
        on_cleanup(move || handle.clear());
    }
}

/// The parts of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Inbox,
    Analytics,
    Channels,
}

#[component]
pub fn Conversations(session: SharedSession) -> impl IntoView {
    let part = RwSignal::new(Part::Inbox);
    // The analytics need analytics.read, the channels settings.write (owners).
    let parts: Vec<_> = [
        (Part::Inbox, "Inbox", None),
        (
            Part::Analytics,
            "Analytics",
            Some(Permission::AnalyticsRead),
        ),
        (Part::Channels, "Channels", Some(Permission::SettingsWrite)),
    ]
    .into_iter()
    .filter(|(_, _, needs)| needs.is_none_or(|n| session.with_value(|s| s.can(n))))
    .collect();
    let switch = (parts.len() > 1).then(|| {
        view! {
            <div class="segments" role="group" aria-label="Part of the page">
                {parts.into_iter().map(|(target, label, _)| view! {
                    <button type="button" aria-pressed=move || (part.get() == target).to_string()
                        on:click=move |_| part.set(target)>{label}</button>
                }).collect_view()}
            </div>
        }
    });
    view! {
        <section aria-labelledby="conversations-title" class="conversations">
            <div class="row">
                <h1 id="conversations-title">"Conversations"</h1>
                {switch}
            </div>
            {move || match part.get() {
                Part::Inbox => view! { <Inbox session=session /> }.into_any(),
                Part::Analytics => view! { <analytics::Analytics session=session /> }.into_any(),
                Part::Channels => view! { <channels::Channels session=session /> }.into_any(),
            }}
        </section>
    }
}

/// The state filters, in order.
const FILTERS: [(Option<ConversationStatus>, &str); 4] = [
    (None, "All"),
    (
        Some(ConversationStatus::WaitingHuman),
        "Waiting for a person",
    ),
    (Some(ConversationStatus::Open), "Open"),
    (Some(ConversationStatus::Closed), "Closed"),
];

/// The conversations, latest activity first, and the open one's thread.
#[component]
fn Inbox(session: SharedSession) -> impl IntoView {
    let status = RwSignal::new(None::<ConversationStatus>);
    let channel = RwSignal::new(None::<ChatChannel>);
    let offset = RwSignal::new(0u64);
    let page = RwSignal::new(None::<Page<Conversation>>);
    let waiting = RwSignal::new(None::<u64>);
    let opened = RwSignal::new(None::<Uuid>);
    let (problem, set_problem) = signal(None::<Problem>);
    // Only the latest request's answer is shown: a refresh sent before a filter changed must
    // not put the old filter's rows back.
    let latest = StoredValue::new(0u32);
    let load = move || {
        let asked = latest.get_value().wrapping_add(1);
        latest.set_value(asked);
        let query = ConversationQuery {
            status: status.get_untracked(),
            channel: channel.get_untracked(),
            limit: Some(PAGE_SIZE),
            offset: Some(offset.get_untracked()),
        };
        let count = ConversationQuery {
            status: Some(ConversationStatus::WaitingHuman),
            channel: channel.get_untracked(),
            limit: Some(1),
            offset: None,
        };
        call_api(
            session,
            set_problem,
            None,
            move |session| async move {
                let admin = session.admin();
                let found = admin.conversations(&query).await?;
                let waiting = admin.conversations(&count).await?.pagination.total;
                Ok::<_, colmena_sdk::Error>((found, waiting))
            },
            move |(found, count)| {
                // The inbox may be gone by then (another part of the page opened).
                if latest.try_get_value() == Some(asked) {
                    page.set(Some(found));
                    waiting.set(Some(count));
                }
            },
        );
    };
    load();
    keep_fresh(move || {
        if opened.get_untracked().is_none() {
            load();
        }
    });
    let closed = Callback::new(move |()| {
        opened.set(None);
        load();
    });
    let filters = FILTERS
        .into_iter()
        .map(|(value, label)| {
            let count = (value == Some(ConversationStatus::WaitingHuman)).then(|| {
                // A space before the count: the button reads "Waiting for a person 2".
                view! { " " <span class="count">{move || waiting.get().filter(|n| *n > 0).map(|n| n.to_string())}</span> }
            });
            view! {
                <button type="button" aria-pressed=move || (status.get() == value).to_string()
                    on:click=move |_| {
                        status.set(value);
                        offset.set(0);
                        load();
                    }>{label}{count}</button>
            }
        })
        .collect_view();
    let rows = move || {
        page.get().map(|found| {
            if found.items.is_empty() {
                return view! { <p class="hint">"No conversations here yet."</p> }.into_any();
            }
            let rows = found
                .items
                .into_iter()
                .map(|conversation| conversation_row(conversation, opened))
                .collect_view();
            view! {
                <table class="conversation-list">
                    <thead><tr>
                        <th>"Buyer"</th>
                        <th>"Language"</th>
                        <th>"Channel"</th>
                        <th>"Status"</th>
                        <th>"Last message"</th>
                        <th>"Last activity"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        })
    };
    view! {
        {move || opened.get().map(|id| view! {
            <thread::Thread session=session conversation_id=id on_close=closed />
        })}
        <div class:hidden=move || opened.get().is_some()>
            <div class="row filters">
                <div class="segments" role="group" aria-label="Show">{filters}</div>
                <label>"Channel "
                    <select on:change=move |ev| {
                        let value = event_target_value(&ev);
                        channel.set(ChatChannel::parse(&value));
                        offset.set(0);
                        load();
                    }>
                        <option value="">"All channels"</option>
                        {ChatChannel::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str()>{channel_words(c)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" on:click=move |_| load()>"Refresh"</button>
            </div>
            <ProblemView problem=problem />
            {rows}
            <Pager offset=offset page=page reload=load />
        </div>
    }
}

/// One conversation in the inbox; its buyer opens the thread.
fn conversation_row(conversation: Conversation, opened: RwSignal<Option<Uuid>>) -> impl IntoView {
    let id = conversation.id;
    let buyer = buyer_words(&conversation);
    let name = conversation.buyer_name.clone().map(|name| {
        view! { <span class="buyer-name">{name}</span> }
    });
    view! {
        <tr class:waiting=conversation.status == ConversationStatus::WaitingHuman>
            <td>
                <button class="link" on:click=move |_| opened.set(Some(id))>{buyer}</button>
                {name}
            </td>
            <td>{language_words(&conversation.language)}</td>
            <td>{channel_words(conversation.channel)}</td>
            <td>{status_badge(conversation.status)}</td>
            <td class="last-message">{conversation.last_message.clone().unwrap_or_default()}</td>
            <td><time datetime=conversation.last_message_at.as_str().to_owned()>
                {local_display(&conversation.last_message_at)}
            </time></td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_as_percentages() {
        assert_eq!(percent(0.875), "87.5 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(percent(0.0), "0 %");
        assert_eq!(percent(2.0 / 3.0), "66.7 %");
        assert_eq!(percent(f64::NAN), "0 %");
    }

    #[test]
    fn languages_by_name() {
        assert_eq!(language_words("sw"), "Swahili");
        assert_eq!(language_words("pt-BR"), "Portuguese");
        assert_eq!(language_words("de"), "de");
    }
}
