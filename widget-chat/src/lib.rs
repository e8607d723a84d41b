//! `<colmena-chat>`'s conversation: a WebAssembly bundle of its own, which the widget's loader
//! fetches when a shopper first opens the chat, so that the widget's first load carries none of
//! it (the launcher is the widget's).
//!
//! The launcher calls [`open`] (through the loader) with a panel of its shadow root. This
//! bundle renders the chat into it: the title and a close button, the messages (the buyer's and
//! the store's, in a live log), the clarifying questions' answers as buttons, a "Pay" button
//! when the buyer asks to pay, and the message box. Each message goes to the store's web chat
//! (`POST …/chat/messages`) with this buyer's session (a random secret kept in
//! `localStorage`, one per store) and the widget's cart (the panel's `data-cart`). The
//! conversation so far comes from the server (`POST …/chat/thread`), so it goes on from page
//! to page; while the store's staff have it, the chat asks again every few seconds and shows
//! their replies. After each reply the panel
//! dispatches a `colmena-chat` event for the widget: `{kind: "reply", cartId}` (the widget
//! makes the conversation's cart its own and re-renders the cart and the products) or
//! `{kind: "pay", url}` (the widget opens its checkout in the cart's drawer and sets
//! `opened`; without a drawer on the page the hosted checkout page opens instead). The host
//! page hears `colmena:chat-reply` with the reply as its detail.

mod i18n;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use colmena_sdk::cart::CartStorage;
use colmena_sdk::contract::{
    ChatAuthor, ChatMessageRequest, ChatReply, ChatThread, ChatThreadRequest, ConversationStatus,
};
use colmena_sdk::transport::RetryPolicy;
use colmena_sdk::{Client, Error};
use colmena_wasm::LocalStorageCartStorage;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement};

use crate::i18n::{fill, Strings};

// talc instead of dlmalloc, as in the widget: a smaller download.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The chat's own rules. The loader adopts the widget's stylesheet before them (its
/// `--colmena-*` defaults, buttons, fields, the panel's place) and the store's `theme.css` after.
const STYLES: &str = include_str!("chat.css");

/// The event the widget listens to on its shadow root (its `views::CHAT_EVENT`).
const WIDGET_EVENT: &str = "colmena-chat";

/// How often the chat asks for the staff's replies while they have the conversation, in ms.
const STAFF_POLL_MS: i32 = 4_000;
/// Message ids remembered as shown (more than a thread holds).
const KNOWN_IDS: usize = 100;

/// Readies the bundle once its wasm is instantiated. Returns the chat's stylesheet, which the
/// loader adopts into the elements' shadow roots.
#[wasm_bindgen]
pub fn setup() -> JsValue {
    JsValue::from_str(STYLES)
}

/// Renders a chat into `panel` (an element of a `<colmena-chat>`'s shadow root). `options`:
/// `host` (the element), `api`, `store`, `locale` (of the strings), `language` (the buyer's
/// language when the page says it, else null: the server reads it from each message) and
/// `name` (the store's).
#[wasm_bindgen]
pub fn open(panel: HtmlElement, options: JsValue) -> Result<(), JsValue> {
    let member = |name: &str| string_of(&options, name).unwrap_or_default();
    let host: HtmlElement = Reflect::get(&options, &"host".into())?.dyn_into()?;
    let (api, store) = (member("api"), member("store"));
    // The widget's client settings: a shopper waits on the page, so a few quick retries. The
    // message carries an idempotency key, so a retry never adds twice.
    let client = colmena_wasm::client(&api, &store)
        .map_err(|e| colmena_wasm::to_js_error(&e))?
        .with_retry_policy(RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(1),
            max_total_delay: Duration::from_secs(2),
            attempt_timeout: Duration::from_secs(15),
        });
    let strings = i18n::strings(&member("locale"));
    let saved = LocalStorageCartStorage::new(["colmena:chat:", &api, "|", &store].concat());
    let session = session(&saved);
    let name = Some(member("name"))
        .filter(|n| !n.is_empty())
        .unwrap_or(store);

    let panel: Element = panel.into();
    let header = el("header", "chat-header");
    append(
        &header,
        &text("h2", "chat-title", &fill(strings.title, "{name}", &name)),
    );
    let close = text("button", "close", "\u{d7}");
    set(&close, "type", "button");
    // The launcher's action: the widget closes the panel.
    set(&close, "data-action", "close");
    set(&close, "data-key", "chat-close");
    set(&close, "aria-label", strings.close);
    append(&header, &close);
    let scroller = el("div", "chat-log");
    set(&scroller, "role", "log");
    set(&scroller, "aria-live", "polite");
    // Scrollable by keyboard too.
    set(&scroller, "tabindex", "0");
    set(
        &scroller,
        "aria-label",
        &fill(strings.title, "{name}", &name),
    );
    let messages = el("div", "messages");
    append(&scroller, &messages);
    let form = el("form", "chat-form");
    let input = el("input", "chat-input");
    set(&input, "type", "text");
    set(&input, "data-key", "chat-input");
    set(&input, "aria-label", strings.message);
    set(&input, "placeholder", strings.message);
    set(&input, "autocomplete", "off");
    set(&input, "maxlength", "1000");
    append(&form, &input);
    let send = text("button", "primary send", strings.send);
    set(&send, "type", "submit");
    append(&form, &send);
    panel.replace_children_with_node_3(&header, &scroller, &form);

    let chat = Rc::new(Chat {
        panel,
        host,
        client,
        strings,
        language: string_of(&options, "language").filter(|l| !l.is_empty()),
        session,
        messages,
        input,
        form,
        known: RefCell::new(Vec::new()),
        shown: RefCell::new(VecDeque::new()),
        offers: RefCell::new(Vec::new()),
        busy: Cell::new(false),
        waiting: Cell::new(false),
    });
    chat.bubble(ChatAuthor::Assistant, strings.greeting);
    listen(&chat);
    if let Some(input) = chat.input.dyn_ref::<HtmlElement>() {
        let _ = input.focus();
    }
    // The conversation so far, then the staff's replies while they have it.
    let chat = chat.clone();
    spawn(async move {
        chat.refresh().await;
        loop {
            sleep(STAFF_POLL_MS).await;
            if chat.waiting.get() && !chat.busy.get() && chat.panel.is_connected() {
                chat.refresh().await;
            }
        }
    });
    Ok(())
}

/// One chat, in one launcher's panel.
struct Chat {
    panel: Element,
    /// The element, where the host page hears `colmena:chat-reply` and `colmena:error`.
    host: HtmlElement,
    client: Client,
    strings: &'static Strings,
    /// The buyer's language, when the page says it.
    language: Option<String>,
    /// This buyer's chat session with the store: a random secret.
    session: String,
    messages: Element,
    input: Element,
    form: Element,
    /// The ids of the thread's messages shown.
    known: RefCell<Vec<uuid::Uuid>>,
    /// Messages shown from an answer, before the thread gave their ids.
    shown: RefCell<VecDeque<(ChatAuthor, String)>>,
    /// The last reply's buttons (a question's answers, "Pay"): gone with the next message.
    offers: RefCell<Vec<Element>>,
    /// A message is on its way.
    busy: Cell<bool>,
    /// The store's staff have the conversation: their replies are asked for.
    waiting: Cell<bool>,
}

impl Chat {
    /// Shows a message, its author named for screen readers; returns it.
    fn bubble(&self, author: ChatAuthor, words: &str) -> Element {
        let (class, who) = match author {
            ChatAuthor::Buyer => ("bubble buyer", self.strings.you),
            ChatAuthor::Assistant => ("bubble assistant", self.strings.assistant),
            ChatAuthor::Staff => ("bubble assistant staff", self.strings.staff),
        };
        let bubble = el("p", class);
        append(&bubble, &text("span", "sr", who));
        let _ = bubble.append_with_str_2(" ", words);
        append(&self.messages, &bubble);
        bubble
    }

    /// Shows a message of this page's exchange, which the thread will list later.
    fn say(&self, author: ChatAuthor, words: &str, shown: &str) {
        self.bubble(author, shown);
        self.shown
            .borrow_mut()
            .push_back((author, words.to_owned()));
    }

    /// Shows the thread's messages not shown yet (the staff's replies; on opening, the whole
    /// conversation), and whether the staff have it.
    fn show_thread(&self, thread: &ChatThread) {
        for message in &thread.messages {
            if self.known.borrow().contains(&message.id) {
                continue;
            }
            let mut shown = self.shown.borrow_mut();
            if shown.front() == Some(&(message.author, message.body.clone())) {
                shown.pop_front();
            } else {
                drop(shown);
                self.bubble(message.author, &message.body);
            }
            let mut known = self.known.borrow_mut();
            known.push(message.id);
            let extra = known.len().saturating_sub(KNOWN_IDS);
            known.drain(..extra);
        }
        self.waiting
            .set(thread.status == Some(ConversationStatus::WaitingHuman));
    }

    /// Reads the thread and shows what is new. A failure waits for the next time.
    async fn refresh(&self) {
        let request = ChatThreadRequest {
            session: self.session.clone(),
        };
        if let Ok(thread) = self.client.chat_thread(&request).await {
            self.show_thread(&thread);
        }
    }

    /// A button for the last reply (a question's answer, "Pay").
    fn offer(&self, class: &str, label: &str, action: &str) -> Element {
        let offer = text("button", class, label);
        set(&offer, "type", "button");
        set(&offer, "data-chat", action);
        self.offers.borrow_mut().push(offer.clone());
        offer
    }

    /// Shows a reply: its messages, the answers its question offers, "Pay" with a checkout.
    fn answer(&self, reply: &ChatReply) {
        for words in &reply.replies {
            // The hosted checkout page's link is the "Pay" button below.
            match &reply.checkout_url {
                Some(url) => self.say(
                    ChatAuthor::Assistant,
                    words,
                    words.replace(url.as_str(), "").trim_end(),
                ),
                None => self.say(ChatAuthor::Assistant, words, words),
            }
        }
        if reply.replies.is_empty() {
            // The staff have the conversation: their replies come with the thread.
            self.bubble(ChatAuthor::Assistant, self.strings.handed_over);
            self.waiting.set(true);
        }
        if let Some(question) = &reply.interpretation.question {
            let choices = el("div", "choices");
            for choice in &question.choices {
                append(&choices, &self.offer("choice", &choice.label, "choice"));
            }
            self.offers.borrow_mut().push(choices.clone());
            append(&self.messages, &choices);
        }
        if let Some(url) = &reply.checkout_url {
            let pay = self.offer("primary pay", self.strings.pay, "pay");
            set(&pay, "data-url", url);
            append(&self.messages, &pay);
        }
    }

    /// Shows why a message could not be sent, and gives its text back to the message box.
    fn failed(&self, error: &Error, words: &str) {
        let message = if error.is_transient() {
            self.strings.unreachable.to_owned()
        } else {
            fill(self.strings.failed, "{n}", &error.message())
        };
        let bubble = self.bubble(ChatAuthor::Assistant, &message);
        bubble.set_class_name("bubble assistant error");
        set(&bubble, "role", "alert");
        if value_of(&self.input).is_empty() {
            let _ = Reflect::set(&self.input, &"value".into(), &words.into());
        }
        dispatch(
            &self.host,
            "colmena:error",
            &colmena_wasm::to_js_error(error),
            true,
        );
    }
}

/// This buyer's saved session with the store, or a new one (64 hex digits from
/// `crypto.getRandomValues`, through the uuid crate), kept for the next pages. Without
/// `localStorage` the conversation lasts as long as the page.
fn session(saved: &LocalStorageCartStorage) -> String {
    if let Some(session) = saved
        .load()
        .ok()
        .flatten()
        .filter(|session| (32..=128).contains(&session.len()))
    {
        return session;
    }
    let fresh = [uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()]
        .map(|half| half.to_string())
        .concat();
    let _ = saved.save(&fresh);
    fresh
}

/// One listener for the panel's clicks and its form's submit.
fn listen(chat: &Rc<Chat>) {
    let owner = chat.clone();
    // One closure per panel, living as long as the page (as the panel does).
    let listener =
        Closure::<dyn Fn(Event)>::new(move |event: Event| on_event(&owner, &event)).into_js_value();
    for kind in ["click", "submit"] {
        let _ = chat
            .panel
            .add_event_listener_with_callback(kind, listener.unchecked_ref());
    }
}

fn on_event(chat: &Rc<Chat>, event: &Event) {
    if event.type_() == "submit" {
        event.prevent_default();
        let words = value_of(&chat.input).trim().to_owned();
        if !words.is_empty() {
            send(chat, words);
        }
        return;
    }
    let Some(target) = event
        .composed_path()
        .get(0)
        .dyn_into::<Element>()
        .ok()
        .and_then(|element| element.closest("[data-chat]").ok().flatten())
    else {
        return;
    };
    match target.get_attribute("data-chat").as_deref() {
        // A question's answer, sent as the buyer's message.
        Some("choice") => send(chat, target.text_content().unwrap_or_default()),
        Some("pay") => pay(chat, &target.get_attribute("data-url").unwrap_or_default()),
        _ => {}
    }
}

/// Sends the buyer's message and shows the reply.
fn send(chat: &Rc<Chat>, words: String) {
    if chat.busy.replace(true) {
        return;
    }
    for offer in chat.offers.borrow_mut().drain(..) {
        offer.remove();
    }
    chat.say(ChatAuthor::Buyer, &words, &words);
    let _ = Reflect::set(&chat.input, &"value".into(), &"".into());
    set(&chat.form, "aria-busy", "true");
    let typing = chat.bubble(ChatAuthor::Assistant, chat.strings.typing);
    typing.set_class_name("bubble assistant typing");
    let request = ChatMessageRequest {
        session: chat.session.clone(),
        text: words.clone(),
        locale: chat.language.clone(),
        // The widget's cart: the conversation uses it.
        cart_id: chat
            .panel
            .get_attribute("data-cart")
            .and_then(|id| colmena_sdk::json::parse_uuid(&id)),
    };
    let chat = chat.clone();
    spawn(async move {
        let result = chat.client.chat_message(&request).await;
        typing.remove();
        let _ = chat.form.remove_attribute("aria-busy");
        chat.busy.set(false);
        match result {
            Ok(reply) => {
                chat.answer(&reply);
                // The ids of this exchange, and staff replies that came meanwhile.
                chat.refresh().await;
                let cart = reply
                    .cart_id
                    .map_or(JsValue::NULL, |id| id.to_string().into());
                let detail = object(&[("kind", "reply".into()), ("cartId", cart)]);
                dispatch(&chat.panel, WIDGET_EVENT, &detail, false);
                if let Ok(reply) = colmena_wasm::to_js(&reply) {
                    dispatch(&chat.host, "colmena:chat-reply", &reply, true);
                }
            }
            Err(error) => {
                // Not in the thread, unless the server got it after all (then shown again).
                chat.shown.borrow_mut().pop_back();
                chat.failed(&error, &words);
            }
        }
    });
}

/// "Pay": the widget opens its checkout with the same cart; without a cart drawer on the page,
/// the hosted checkout page does.
fn pay(chat: &Chat, url: &str) {
    let detail = object(&[("kind", "pay".into()), ("url", url.into())]);
    dispatch(&chat.panel, WIDGET_EVENT, &detail, false);
    let opened = Reflect::get(&detail, &"opened".into()).is_ok_and(|opened| opened.is_truthy());
    if !opened && !url.is_empty() {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(url);
        }
    }
}

/// Runs `task` in the background.
fn spawn(task: impl Future<Output = ()> + 'static) {
    let task: Pin<Box<dyn Future<Output = ()>>> = Box::pin(task);
    wasm_bindgen_futures::spawn_local(task);
}

/// Resolves after `milliseconds`.
async fn sleep(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("no document")
}

/// A new `<tag class="class" part="class">`, a `::part` the host page can style, as the
/// widget's elements are.
fn el(tag: &str, class: &str) -> Element {
    let element = document().create_element(tag).unwrap_throw();
    element.set_class_name(class);
    set(&element, "part", class);
    element
}

fn text(tag: &str, class: &str, content: &str) -> Element {
    let element = el(tag, class);
    element.set_text_content(Some(content));
    element
}

fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

fn string_of(object: &JsValue, name: &str) -> Option<String> {
    Reflect::get(object, &name.into()).ok()?.as_string()
}

fn value_of(element: &Element) -> String {
    string_of(element, "value").unwrap_or_default()
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// Dispatches a `CustomEvent` that bubbles: out of the shadow root too (`composed`) for the host
/// page, inside it for the widget.
fn dispatch(target: &web_sys::EventTarget, name: &str, detail: &JsValue, composed: bool) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(composed);
    init.set_detail(detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}
