//! The channels buyers write through: the WhatsApp Cloud API's webhook and Twilio's WhatsApp
//! webhook. Each call is authenticated by its provider's signature, made with a secret of the
//! store whose number it is addressed to, before any message is handed to its conversation
//! ([`super::conversations::receive`]). Replies go out later, from the outbox
//! ([`super::delivery`]).
//!
//! Both webhooks have one URL for every store: the number a message is addressed to (Meta's
//! phone number id, Twilio's `To`) names the store. A Meta app sends every number's messages to
//! its one callback URL, so a platform operator's app can serve many stores; and the number is
//! what the signature is then checked against, so a call signed for one store cannot reach
//! another.

pub(crate) mod settings;
pub mod twilio;
pub mod whatsapp;

use colmena_sdk::contract::{ChatWebhookReceipt, ErrorCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::conversations::receive;
use super::InboundMessage;
use crate::http::ApiError;
use crate::AppState;

/// Where Meta sends a WhatsApp number's messages (and its verification request).
pub const WHATSAPP_WEBHOOK_PATH: &str = "/api/v1/chat/whatsapp/webhook";
/// Where Twilio sends a WhatsApp sender's messages.
pub const TWILIO_WEBHOOK_PATH: &str = "/api/v1/chat/twilio/webhook";

/// Largest webhook body accepted from Meta: its documented maximum, 3 MB.
pub const MAX_WHATSAPP_BODY_BYTES: usize = 3 * 1024 * 1024;
/// Largest webhook body accepted from Twilio: one message's form (its text is at most 1,600
/// characters), with room to spare.
pub const MAX_TWILIO_BODY_BYTES: usize = 64 * 1024;

/// The webhook routes (public: the providers authenticate with signatures).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            whatsapp::verify_whatsapp_webhook,
            whatsapp::whatsapp_webhook
        ))
        .routes(routes!(twilio::twilio_webhook))
}

/// A request header's value, required: its absence is an unauthenticated call (401).
fn signature_header<'a>(
    headers: &'a axum::http::HeaderMap,
    name: &str,
) -> Result<&'a str, ApiError> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::Unauthorized,
                format!("{name} is required: the call is not signed"),
            )
        })
}

/// 401 for a call whose signature does not verify with the secret of the store it names.
fn bad_signature(header: &str) -> ApiError {
    ApiError::new(
        ErrorCode::Unauthorized,
        format!("{header} does not match the body signed with the channel's secret"),
    )
}

/// Hands an authenticated message to its conversation and counts what became of it. A failure
/// of the server (5xx) is passed on, so that the provider retries (the message id then makes
/// the retry harmless); a refused message (its text too long, say) is counted and skipped, as
/// retrying it would not help.
async fn hand_over(
    state: &AppState,
    inbound: InboundMessage,
    receipt: &mut ChatWebhookReceipt,
) -> Result<(), ApiError> {
    let store = inbound.store_id;
    let channel = inbound.channel.as_str();
    match receive(state, inbound).await {
        Ok(received) if received.replayed => receipt.replayed += 1,
        Ok(received) => {
            receipt.accepted += 1;
            // The replies are committed: send them now rather than at the worker's next poll.
            if !received.replies.is_empty() {
                state.chat_outbox.wake();
            }
        }
        Err(error) if error.code().http_status() >= 500 => {
            return Err(ApiError::new(
                ErrorCode::ServiceUnavailable,
                "the message could not be taken in; retry",
            )
            .with_retry_after(5))
        }
        Err(error) => {
            tracing::info!(%store, channel, code = %error.code(), "a chat message was not taken in");
            receipt.skipped += 1;
        }
    }
    Ok(())
}
