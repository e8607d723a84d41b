//! Commerce in conversation: what a buyer's chat message asks for (`POST
//! /api/v1/stores/{store}/chat/interpret`), and the store catalog the interpreter reads.
//!
//! The interpreter itself is [`crate::chat`]; these are the types every surface exchanges with
//! it and with the server.

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Timestamp;

/// Longest chat message read, in characters (longer ones are refused).
pub const MAX_CHAT_TEXT_CHARS: usize = 1_000;

/// What a message asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ChatIntent {
    /// Put items in the cart ("add 2 wildflower honey").
    AddToCart,
    /// Take items out of the cart ("quita los guantes").
    RemoveFromCart,
    /// Change an item's quantity ("make it 3 candles").
    UpdateCart,
    /// Show the cart ("what's in my basket?").
    ViewCart,
    /// Empty the cart ("vide mon panier").
    ClearCart,
    /// Pay ("nataka kulipa").
    Checkout,
    /// Look for products ("do you have candles?").
    Search,
    /// How this works, a greeting, or a person to talk to.
    Help,
    /// Nothing understood.
    Unknown,
}

impl ChatIntent {
    /// Every intent, in the order of the contract.
    pub const ALL: [ChatIntent; 9] = [
        Self::AddToCart,
        Self::RemoveFromCart,
        Self::UpdateCart,
        Self::ViewCart,
        Self::ClearCart,
        Self::Checkout,
        Self::Search,
        Self::Help,
        Self::Unknown,
    ];

    /// The intent as sent (`add_to_cart`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AddToCart => "add_to_cart",
            Self::RemoveFromCart => "remove_from_cart",
            Self::UpdateCart => "update_cart",
            Self::ViewCart => "view_cart",
            Self::ClearCart => "clear_cart",
            Self::Checkout => "checkout",
            Self::Search => "search",
            Self::Help => "help",
            Self::Unknown => "unknown",
        }
    }

    /// The intent from its name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|intent| intent.as_str() == text)
    }

    /// Whether the intent acts on items of the cart (and so names some).
    pub fn names_items(self) -> bool {
        matches!(
            self,
            Self::AddToCart | Self::RemoveFromCart | Self::UpdateCart
        )
    }
}

/// One item a message refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatItem {
    /// The product.
    pub product_id: Uuid,
    /// The variant, when the message (or the product, having only one) settles it.
    pub variant_id: Option<Uuid>,
    /// How many: to add, to take out, or to set. `null` when the message gives no number
    /// (taking out with no number takes the whole line out).
    pub quantity: Option<u32>,
}

/// What the interpreter needs to be told before it can act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ChatQuestionKind {
    /// Several products fit the words ("honey"): which one?
    WhichProduct,
    /// The product comes in several variants and the message names none: which one?
    WhichVariant,
}

/// One answer a clarifying question offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatChoice {
    /// The product.
    pub product_id: Uuid,
    /// The variant, for a question about variants.
    pub variant_id: Option<Uuid>,
    /// What the buyer sees: the product's name, or the variant's option value (`L`).
    pub label: String,
}

/// A clarifying question: the message's reference is ambiguous or misses a required option.
/// A follow-up message ("the large one", "2") answers it when sent with this interpretation
/// as `previous`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatQuestion {
    /// What is asked.
    pub kind: ChatQuestionKind,
    /// The option asked about (`Size`, in the buyer's language when translated), for a
    /// question about variants.
    pub option_name: Option<String>,
    /// The answers offered, numbered from 1 in `text`.
    pub choices: Vec<ChatChoice>,
    /// The quantity the message gave, kept for the answer.
    pub quantity: Option<u32>,
    /// The question in the message's language, ready to send.
    pub text: String,
}

/// `POST …/chat/interpret`: a buyer's message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatInterpretRequest {
    /// The message, at most 1,000 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub text: String,
    /// The buyer's language (`es`, `fr-SN`), when known; detected from the text otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub locale: Option<String>,
    /// The interpretation of the buyer's previous message, when it asked a question: the
    /// message may answer it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub previous: Option<Interpretation>,
    /// The products in the buyer's cart: taking out or changing "the honey" means the one
    /// there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub in_cart: Vec<Uuid>,
}

/// What a message asks for. `intent`, `items` and `confidence` are the stable core other tools
/// read; the other members help a surface answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Interpretation {
    /// What the message asks for.
    pub intent: ChatIntent,
    /// The items it refers to, for `add_to_cart`, `remove_from_cart` and `update_cart`.
    pub items: Vec<ChatItem>,
    /// How sure the interpreter is, from 0 to 1.
    #[cfg_attr(feature = "openapi", schema(minimum = 0.0, maximum = 1.0))]
    pub confidence: f64,
    /// The message's language (`en`, `es`, `fr`, `pt` or `sw`): the locale given, else the one
    /// detected.
    pub language: String,
    /// A question to ask before acting, when a reference is ambiguous or an option missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub question: Option<ChatQuestion>,
    /// For `search`: the words looked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub query: Option<String>,
    /// The buyer asked to talk to a person.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub human_requested: bool,
}

/// A name in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatName {
    /// The language (`en`, `fr`).
    pub locale: String,
    /// The name in it.
    pub name: String,
}

/// One option of a variant (`Size: L`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatOption {
    /// The option's name in the store's language, then its translations.
    pub names: Vec<ChatName>,
    /// The variant's value of it (`L`, `Indigo`, `42`).
    pub value: String,
}

/// A variant the buyer may pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatVariant {
    /// Variant id.
    pub id: Uuid,
    /// Its options (none for a product sold one way).
    pub options: Vec<ChatOption>,
}

/// A product as the interpreter knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatProduct {
    /// Product id.
    pub id: Uuid,
    /// Its name in the store's language first, then its translations.
    pub names: Vec<ChatName>,
    /// Its variants, at least one.
    pub variants: Vec<ChatVariant>,
}

/// `GET /api/v1/stores/{store}/chat/catalog`: what the interpreter matches messages against,
/// so an app can interpret on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatCatalog {
    /// The store's own language: replies fall back to it.
    pub language: String,
    /// The products on sale.
    pub products: Vec<ChatProduct>,
}

/// What happened in a conversation (seed 001), the source of conversation analytics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ConversationEventType {
    /// A buyer's first message opened a conversation.
    ConversationStarted,
    /// A buyer's message arrived.
    MessageReceived,
    /// A reply (the assistant's or staff's) was written.
    MessageSent,
    /// A message was understood (`intent`, `language`; confidence in the payload).
    IntentRecognized,
    /// A message was not understood, or with too little confidence.
    IntentFailed,
    /// The conversation's cart changed (the items in the payload).
    CartUpdated,
    /// A checkout link was sent.
    CheckoutLinkSent,
    /// The conversation's cart became a paid order (its number in the payload).
    OrderPlaced,
    /// The conversation ended: an order was paid, or staff closed it.
    ConversationClosed,
}

impl ConversationEventType {
    /// Every type.
    pub const ALL: [ConversationEventType; 9] = [
        Self::ConversationStarted,
        Self::MessageReceived,
        Self::MessageSent,
        Self::IntentRecognized,
        Self::IntentFailed,
        Self::CartUpdated,
        Self::CheckoutLinkSent,
        Self::OrderPlaced,
        Self::ConversationClosed,
    ];

    /// The type as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConversationStarted => "conversation_started",
            Self::MessageReceived => "message_received",
            Self::MessageSent => "message_sent",
            Self::IntentRecognized => "intent_recognized",
            Self::IntentFailed => "intent_failed",
            Self::CartUpdated => "cart_updated",
            Self::CheckoutLinkSent => "checkout_link_sent",
            Self::OrderPlaced => "order_placed",
            Self::ConversationClosed => "conversation_closed",
        }
    }

    /// The type from its name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Where a conversation takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ChatChannel {
    /// The WhatsApp Cloud API.
    Whatsapp,
    /// Twilio's WhatsApp API.
    Twilio,
    /// The widget's chat panel.
    Web,
}

impl ChatChannel {
    /// Every channel.
    pub const ALL: [ChatChannel; 3] = [Self::Whatsapp, Self::Twilio, Self::Web];

    /// The channel as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Whatsapp => "whatsapp",
            Self::Twilio => "twilio",
            Self::Web => "web",
        }
    }

    /// The channel from its name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|channel| channel.as_str() == text)
    }
}

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ConversationStatus {
    /// The assistant answers.
    Open,
    /// The buyer asked for a person, or was not understood several times: staff answer.
    WaitingHuman,
    /// Ended by a paid order or by staff; the buyer's next message starts a new one.
    Closed,
}

impl ConversationStatus {
    /// Every status.
    pub const ALL: [ConversationStatus; 3] = [Self::Open, Self::WaitingHuman, Self::Closed];

    /// The status as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::WaitingHuman => "waiting_human",
            Self::Closed => "closed",
        }
    }

    /// The status from its name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

/// Who wrote a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ChatAuthor {
    /// The buyer.
    Buyer,
    /// The store's assistant (the interpreter's replies).
    Assistant,
    /// A person from the store.
    Staff,
}

impl ChatAuthor {
    /// The author as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Buyer => "buyer",
            Self::Assistant => "assistant",
            Self::Staff => "staff",
        }
    }

    /// The author from its name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Buyer, Self::Assistant, Self::Staff]
            .into_iter()
            .find(|author| author.as_str() == text)
    }
}

/// `POST /api/v1/stores/{store}/chat/messages`: a buyer's message in the widget's chat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatMessageRequest {
    /// The chat session: a random secret of 32 to 128 characters the widget keeps for this
    /// buyer (only its digest is stored). The same session continues the same conversation.
    #[cfg_attr(feature = "openapi", schema(min_length = 32, max_length = 128))]
    pub session: String,
    /// The message, at most 1,000 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub text: String,
    /// The buyer's language, when the page knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub locale: Option<String>,
    /// The cart the buyer already has on the page: the conversation adopts it while it is
    /// open, so chat and storefront share one cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub cart_id: Option<Uuid>,
}

/// The answer to a buyer's message in the widget's chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatReply {
    /// The conversation.
    pub conversation_id: Uuid,
    /// What the message was understood as.
    pub interpretation: Interpretation,
    /// The replies, in order (empty while staff have the conversation and have not answered).
    pub replies: Vec<String>,
    /// The conversation's cart after the message, once it has one.
    pub cart_id: Option<Uuid>,
    /// The hosted checkout page, when the buyer asked to pay.
    pub checkout_url: Option<String>,
}

/// Filters of `GET /api/v1/admin/stores/{store}/conversations`, latest activity first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConversationQuery {
    /// Only conversations in this state: `waiting_human` lists those staff must answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub status: Option<ConversationStatus>,
    /// Only conversations on this channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub channel: Option<ChatChannel>,
    /// Page size, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub limit: Option<u32>,
    /// Conversations to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub offset: Option<u64>,
}

/// A buyer's conversation with the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Conversation {
    /// Conversation id.
    pub id: Uuid,
    /// Where it takes place.
    pub channel: ChatChannel,
    /// The buyer: their phone number (E.164) on WhatsApp and Twilio; `web` for the widget's
    /// chat, whose session is never shown.
    pub buyer: String,
    /// The name the buyer's profile shows, when the channel gives one.
    pub buyer_name: Option<String>,
    /// Where it stands.
    pub status: ConversationStatus,
    /// The language replies are written in.
    pub language: String,
    /// Its cart, once it has one.
    pub cart_id: Option<Uuid>,
    /// The paid order it ended with.
    pub order_id: Option<Uuid>,
    /// Its last message.
    pub last_message: Option<String>,
    /// When it started, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    /// When its last message was written, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub last_message_at: Timestamp,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatMessage {
    /// Message id.
    pub id: Uuid,
    /// Who wrote it.
    pub author: ChatAuthor,
    /// What it says.
    pub body: String,
    /// When it was written, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

/// A conversation with its messages, oldest first (the last 200).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConversationThread {
    /// The conversation.
    pub conversation: Conversation,
    /// Its messages.
    pub messages: Vec<ChatMessage>,
}

/// `POST …/conversations/{id}/replies`: a person from the store answers in the thread.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StaffReply {
    /// The reply, at most 1,000 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub text: String,
}

/// `PATCH …/conversations/{id}`: hand the conversation back to the assistant (`open`) or end
/// it (`closed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConversationUpdate {
    /// `open` or `closed`.
    pub status: ConversationStatus,
}

/// Filters of `GET …/conversation-events`, newest first. `format=csv` exports every matching
/// event as CSV instead of a page of JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConversationEventQuery {
    /// Only events of this type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(rename = "type"))]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub event_type: Option<ConversationEventType>,
    /// Only events of this conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub conversation_id: Option<Uuid>,
    /// Only events on this channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub channel: Option<ChatChannel>,
    /// Only events about this intent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub intent: Option<ChatIntent>,
    /// Only events in this language (`es`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub language: Option<String>,
    /// From this time (RFC 3339 or `YYYY-MM-DD`), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub from: Option<String>,
    /// Until this time (RFC 3339 or `YYYY-MM-DD`), exclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub to: Option<String>,
    /// `json` (default, one page) or `csv` (every matching event, as a file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub format: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub limit: Option<u32>,
    /// Events to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub offset: Option<u64>,
}

/// One conversation event (its JSON payload keeps it out of the uniffi records, like the
/// audit log's entries).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationEvent {
    /// Event id.
    pub id: Uuid,
    /// Its conversation.
    pub conversation_id: Uuid,
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: ConversationEventType,
    /// The conversation's channel.
    pub channel: ChatChannel,
    /// The intent, for `intent_recognized`, `intent_failed`, `cart_updated` and
    /// `checkout_link_sent`.
    pub intent: Option<ChatIntent>,
    /// The message's language, where one was read.
    pub language: Option<String>,
    /// Details: the confidence, the items, the order's number…
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: serde_json::Value,
    /// When it happened, RFC 3339 in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

/// How often one intent (or language) was understood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IntentSuccess {
    /// The intent, or `null` for every intent of `language`.
    pub intent: Option<ChatIntent>,
    /// The language, or `null` for every language of `intent`.
    pub language: Option<String>,
    /// Messages understood.
    pub recognized: u64,
    /// Messages not understood (or with too little confidence).
    pub failed: u64,
    /// `recognized / (recognized + failed)`, from 0 to 1.
    pub success_rate: f64,
}

/// `GET …/conversation-analytics`: conversations and how well they went over a period
/// (default: the last 30 days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConversationAnalytics {
    /// Conversations started in the period.
    pub conversations: u64,
    /// Of those, the ones that reached a paid order.
    pub conversations_with_order: u64,
    /// `conversations_with_order / conversations`, from 0 to 1.
    pub conversion_rate: f64,
    /// Buyers' messages.
    pub messages_received: u64,
    /// Replies (the assistant's and staff's).
    pub messages_sent: u64,
    /// Checkout links sent.
    pub checkout_links_sent: u64,
    /// Understood messages over all messages, from 0 to 1.
    pub intent_success_rate: f64,
    /// Success per intent, every language together.
    pub by_intent: Vec<IntentSuccess>,
    /// Success per language, every intent together.
    pub by_language: Vec<IntentSuccess>,
    /// Success per intent and language.
    pub by_intent_and_language: Vec<IntentSuccess>,
}

// Channel settings: each store's WhatsApp number (Cloud API) and Twilio WhatsApp sender, set in
// the admin API. Secrets are write-only: answers say only whether each is set.

/// `PUT /api/v1/admin/stores/{store}/chat/channels/whatsapp`: the store's WhatsApp Business
/// number on the Cloud API. Creates the channel or replaces it; a secret left out of a
/// replacement keeps its stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WhatsAppChannelInput {
    /// Meta's phone number id (WhatsApp Manager, API Setup): digits. Inbound messages are
    /// routed by it, so no two stores may share one.
    pub phone_number_id: String,
    /// The number buyers write to, in international form (`+1 555 000 1234`).
    pub display_phone_number: String,
    /// The token Meta's webhook verification sends back (`hub.verify_token`), 8 to 256
    /// characters of your choice. Required to create the channel. Only its hash is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub verify_token: Option<String>,
    /// The Meta app's secret (App settings, Basic), which signs every webhook call. Required to
    /// create the channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub app_secret: Option<String>,
    /// A permanent access token (a system user's) with `whatsapp_business_messaging`, to send
    /// replies. Without one the channel receives but cannot answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub access_token: Option<String>,
}

/// A store's WhatsApp Cloud API channel. Its secrets are never shown: only whether each is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WhatsAppChannel {
    /// Meta's phone number id.
    pub phone_number_id: String,
    /// The number buyers write to, E.164 (`+15550001234`).
    pub display_phone_number: String,
    /// Whether a verify token is set.
    pub verify_token_set: bool,
    /// Whether the app secret is set.
    pub app_secret_set: bool,
    /// Whether an access token is set (replies can be sent).
    pub access_token_set: bool,
    /// The callback URL to paste into the Meta app's WhatsApp webhook configuration.
    pub webhook_url: String,
    /// When it was connected.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    /// When its settings last changed.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// `PUT /api/v1/admin/stores/{store}/chat/channels/twilio`: the store's WhatsApp sender on
/// Twilio. Creates the channel or replaces it; an auth token left out of a replacement keeps
/// the stored one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TwilioChannelInput {
    /// The Twilio account SID (`AC` and 32 hexadecimal digits).
    pub account_sid: String,
    /// The WhatsApp sender, `whatsapp:+14155238886` or `+14155238886`. Inbound messages are
    /// routed by it, so no two stores may share one.
    pub sender: String,
    /// The account's auth token, which signs Twilio's webhook calls and authenticates replies.
    /// Required to create the channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub auth_token: Option<String>,
}

/// A store's Twilio WhatsApp channel. Its auth token is never shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TwilioChannel {
    /// The Twilio account SID.
    pub account_sid: String,
    /// The WhatsApp sender, `whatsapp:+14155238886`.
    pub sender: String,
    /// Whether the auth token is set.
    pub auth_token_set: bool,
    /// The URL to paste into the sender's "A message comes in" webhook (HTTP POST).
    pub webhook_url: String,
    /// When it was connected.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
    /// When its settings last changed.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: Timestamp,
}

/// `GET /api/v1/admin/stores/{store}/chat/channels`: the store's connected channels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatChannels {
    /// The WhatsApp Cloud API number, when connected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub whatsapp: Option<WhatsAppChannel>,
    /// The Twilio WhatsApp sender, when connected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub twilio: Option<TwilioChannel>,
}

/// The answer to a WhatsApp Cloud API webhook call: what became of the messages it carried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatWebhookReceipt {
    /// Text messages handed to their conversations.
    pub accepted: u32,
    /// Messages seen before (a provider's retry): ignored.
    pub replayed: u32,
    /// Messages not acted on: other types than text (images, reactions), or refused.
    pub skipped: u32,
}

/// `POST /api/v1/stores/{store}/chat/thread`: the widget's chat reads its conversation (staff
/// replies arrive between the buyer's messages).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatThreadRequest {
    /// The chat session's secret, as sent with its messages.
    #[cfg_attr(feature = "openapi", schema(min_length = 32, max_length = 128))]
    pub session: String,
}

/// The web chat's open conversation: its state and its last 50 messages, oldest first (none
/// before the buyer's first message, or after the conversation closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChatThread {
    /// The conversation, when one is open.
    pub conversation_id: Option<Uuid>,
    /// `open`, or `waiting_human` while staff have it.
    pub status: Option<ConversationStatus>,
    /// Its messages.
    pub messages: Vec<ChatMessage>,
}
