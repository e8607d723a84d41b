//! Commerce in conversation (seeds 000–002): buyers message a store on WhatsApp (Cloud API or
//! Twilio) or in the widget's chat, and each message is interpreted (`colmena_sdk::chat`),
//! applied to the conversation's cart, answered in the buyer's language, and logged as
//! conversation events for analytics.
//!
//! - `conversations`: one conversation per buyer, channel and store, its cart and replies.
//! - `catalog`: each store's catalog as the interpreter reads it, cached per store.
//! - `channels`: the WhatsApp Cloud API and Twilio webhooks, authenticated by their signatures,
//!   and each store's channel settings.
//! - `delivery`: the outbox worker that sends replies through the providers, with retries.

pub mod catalog;
pub mod channels;
pub mod conversations;
pub mod delivery;

use uuid::Uuid;

/// What the chat keeps between messages, shared by every handler.
#[derive(Debug, Default)]
pub struct ChatState {
    /// Stores' indexed catalogs.
    pub catalogs: catalog::Catalogs,
}

/// Where a conversation takes place (`whatsapp`, `twilio`, `web`).
pub use colmena_sdk::contract::ChatChannel as Channel;

/// A buyer's message, once its channel has authenticated it and found the store.
#[derive(Debug, Clone)]
pub struct InboundMessage {
    /// The store whose number (or widget) received it.
    pub store_id: Uuid,
    /// How it came.
    pub channel: Channel,
    /// Who sent it: their phone number in E.164 (`+34600111222`), or the web chat session's
    /// digest.
    pub buyer: String,
    /// The name the buyer's profile shows, when the channel gives one.
    pub buyer_name: Option<String>,
    /// The channel's id of the message; a second message with the same id is a replay and is
    /// ignored. `None` for channels without ids.
    pub channel_message_id: Option<String>,
    /// The text.
    pub text: String,
    /// The buyer's language when the channel knows it (the widget's page).
    pub locale: Option<String>,
}
