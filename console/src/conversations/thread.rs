//! A conversation's thread: the buyer's, the assistant's and staff's messages as bubbles with
//! their times; staff reply (sent on the conversation's channel), hand the conversation back to
//! the assistant, or close it. A conversation that ended with an order links to it.

use colmena_sdk::contract::{
    ChatAuthor, ConversationStatus, ConversationThread, ConversationUpdate, Permission, StaffReply,
};
use colmena_sdk::Uuid;
use leptos::prelude::*;

use super::{buyer_words, channel_words, keep_fresh, language_words, status_badge};
use crate::calls::call_api;
use crate::catalog::ConfirmButton;
use crate::field::{Field, FormProblem};
use crate::storefront::local_time::local_display;
use crate::{Navigation, Problem, ProblemView, SharedSession};

/// Who wrote a message, in words.
fn author_words(author: ChatAuthor) -> &'static str {
    match author {
        ChatAuthor::Buyer => "Buyer",
        ChatAuthor::Assistant => "Assistant",
        ChatAuthor::Staff => "Staff",
    }
}

#[component]
pub fn Thread(
    session: SharedSession,
    conversation_id: Uuid,
    on_close: Callback<()>,
) -> impl IntoView {
    let thread = RwSignal::new(None::<ConversationThread>);
    // The number of the order it ended with (`#1001`), once read.
    let order_number = RwSignal::new(None::<u32>);
    let (problem, set_problem) = signal(None::<Problem>);
    let (refused, set_refused) = signal(None::<Problem>);
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let may_write = session.with_value(|s| s.can(Permission::OrdersWrite));
    let navigation = use_context::<Navigation>();
    let latest = StoredValue::new(0u32);
    let load = move || {
        let asked = latest.get_value().wrapping_add(1);
        latest.set_value(asked);
        let number_known = order_number.get_untracked().is_some();
        call_api(
            session,
            set_problem,
            None,
            move |session| async move {
                let admin = session.admin();
                let found = admin.conversation(conversation_id).await?;
                let number = match found.conversation.order_id {
                    Some(order) if !number_known => {
                        admin.order(order).await.ok().map(|order| order.number)
                    }
                    _ => None,
                };
                Ok::<_, colmena_sdk::Error>((found, number))
            },
            move |(found, number)| {
                // The thread may be closed by then.
                if latest.try_get_value() == Some(asked) {
                    thread.set(Some(found));
                }
                if number.is_some() {
                    order_number.set(number);
                }
            },
        );
    };
    load();
    keep_fresh(move || {
        if !busy.get_untracked() {
            load();
        }
    });
    // Every change answers with the thread as it now is.
    let changed = move |found: ConversationThread| {
        latest.try_update_value(|n| *n = n.wrapping_add(1));
        thread.set(Some(found));
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reply = StaffReply {
            text: text.get_untracked(),
        };
        call_api(
            session,
            set_refused,
            Some(busy),
            move |session| async move {
                session
                    .admin()
                    .reply_to_conversation(conversation_id, &reply)
                    .await
            },
            move |found| {
                text.set(String::new());
                changed(found);
            },
        );
    };
    let set_status = move |status: ConversationStatus| {
        let update = ConversationUpdate { status };
        call_api(
            session,
            set_refused,
            Some(busy),
            move |session| async move {
                session
                    .admin()
                    .update_conversation(conversation_id, &update)
                    .await
            },
            changed,
        );
    };
    let close = Callback::new(move |()| set_status(ConversationStatus::Closed));
    let header = move || {
        thread.with(|found| {
            let conversation = &found.as_ref()?.conversation;
            let buyer = buyer_words(conversation);
            let title = match &conversation.buyer_name {
                Some(name) => format!("{name} · {buyer}"),
                None => buyer,
            };
            let order = conversation.order_id.map(|order| {
                let open = move |_| {
                    if let Some(navigation) = navigation {
                        navigation.open_order(order);
                    }
                };
                let label = move || match order_number.get() {
                    Some(number) => format!("Open order #{number}"),
                    None => "Open the order".to_owned(),
                };
                view! {
                    <p class="ended-with-order">"This conversation ended with an order. "
                        <button type="button" class="link" on:click=open>{label}</button>
                    </p>
                }
            });
            Some(view! {
                <h2 id="thread-title" tabindex="-1">{title}</h2>
                <p class="thread-facts">
                    {status_badge(conversation.status)}
                    {format!(" {} · {} · started {}", channel_words(conversation.channel),
                        language_words(&conversation.language), local_display(&conversation.created_at))}
                </p>
                {order}
            })
        })
    };
    let messages = move || {
        thread.with(|found| {
            found.as_ref().map(|found| {
                if found.messages.is_empty() {
                    return view! { <p class="hint">"No messages yet."</p> }.into_any();
                }
                found
                    .messages
                    .iter()
                    .map(|message| {
                        let author = message.author;
                        view! {
                            <li class=format!("bubble {}", author.as_str())>
                                <span class="author">{author_words(author)}</span>
                                <p>{message.body.clone()}</p>
                                <time datetime=message.created_at.as_str().to_owned()>
                                    {local_display(&message.created_at)}
                                </time>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any()
            })
        })
    };
    let status = move || thread.with(|t| t.as_ref().map(|t| t.conversation.status));
    let is_closed = move || status() == Some(ConversationStatus::Closed);
    let actions = move || {
        let status = status()?;
        (may_write && status != ConversationStatus::Closed).then(|| {
            view! {
                <div class="row actions">
                    {(status == ConversationStatus::WaitingHuman).then(|| view! {
                        <button type="button" prop:disabled=move || busy.get()
                            on:click=move |_| set_status(ConversationStatus::Open)>"Hand back to the assistant"</button>
                    })}
                    <ConfirmButton label="Close conversation"
                        question="Close this conversation? The buyer's next message starts a new one."
                        on_confirm=close />
                </div>
            }
        })
    };
    view! {
        <section aria-labelledby="thread-title" class="thread">
            <button type="button" class="quiet" on:click=move |_| on_close.run(())>"← All conversations"</button>
            <ProblemView problem=problem />
            {header}
            <ol class="messages" aria-label="Messages">{messages}</ol>
            {actions}
            {may_write.then(|| view! {
                <form class="reply" on:submit=send aria-label="Reply">
                    // A closed conversation takes no reply: the whole box is disabled.
                    <fieldset class="bare" prop:disabled=is_closed>
                        <Field label="Reply as the store" parameter="text" value=text problem=refused multiline=true rows=3 />
                        <FormProblem problem=refused placed=["text"] />
                        <p class="hint" hidden=move || !is_closed()>
                            "This conversation is closed: the buyer's next message starts a new one."
                        </p>
                        <div class="row">
                            <button type="submit" prop:disabled=move || busy.get()>"Send reply"</button>
                        </div>
                    </fieldset>
                </form>
            })}
        </section>
    }
}
