//! Commerce in conversation, for storefronts and tools: interpret a message without side
//! effects, read the catalog the interpreter matches against (to interpret on the device), and
//! chat with the store in the widget (`<colmena-chat>`).

use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, ChatCatalog, ChatInterpretRequest, ChatMessageRequest, ChatReply, ChatThread,
    ChatThreadRequest, Interpretation, NoData,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::hash_token;
use crate::chat::catalog::store_catalog;
use crate::chat::conversations::{check_text, receive_with_cart, web_thread};
use crate::chat::{Channel, InboundMessage};
use crate::http::{ok, ApiError, CachedJson, JsonBody, PathParams};
use crate::l10n::language_of;
use crate::public::cached;
use crate::stores::load_open_store;
use crate::AppState;

/// Shortest and longest web chat session secret.
const SESSION_CHARS: std::ops::RangeInclusive<usize> = 32..=128;
/// Longest locale accepted (`zh-Hant-TW-x-private` fits).
const MAX_LOCALE_CHARS: usize = 35;

/// The chat routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(interpret))
        .routes(routes!(chat_catalog))
        .routes(routes!(send_message))
        .routes(routes!(read_thread))
}

/// Messages a web chat's thread shows.
const THREAD_MESSAGES: i64 = 50;

/// Refuses a web chat session that is not a real secret.
fn check_session(session: &str) -> Result<(), ApiError> {
    if SESSION_CHARS.contains(&session.chars().count()) {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            "session",
            "must be a random secret of 32 to 128 characters",
        ))
    }
}

fn check_locale(locale: Option<&str>) -> Result<(), ApiError> {
    match locale {
        Some(locale)
            if locale.is_empty()
                || locale.len() > MAX_LOCALE_CHARS
                || !locale
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')) =>
        {
            Err(ApiError::invalid_field(
                "locale",
                "must be a language tag such as `es` or `fr-SN`",
            ))
        }
        _ => Ok(()),
    }
}

/// What a buyer's message asks for, matched against the store's catalog: the intent (one of
/// `add_to_cart`, `remove_from_cart`, `update_cart`, `view_cart`, `clear_cart`, `checkout`,
/// `search`, `help`, `unknown`), the items it refers to, and a confidence from 0 to 1. Nothing
/// changes: a cart or conversation is not touched. Pass the previous answer as `previous` when
/// it asked a question, to read this message as the answer.
#[utoipa::path(post, path = "/api/v1/stores/{store}/chat/interpret", tag = "chat",
    params(("store" = String, Path, description = "Store slug")),
    request_body = ChatInterpretRequest,
    responses(
        (status = 200, description = "The interpretation", body = ApiResponse<Interpretation>),
        (status = 400, description = "`VALIDATION_ERROR`: empty or too long `text`, a malformed `locale`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`", body = ApiResponse<NoData>),
    ))]
pub async fn interpret(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    JsonBody(request): JsonBody<ChatInterpretRequest>,
) -> Result<Json<ApiResponse<Interpretation>>, ApiError> {
    let text = check_text(&request.text)?.to_owned();
    check_locale(request.locale.as_deref())?;
    let store = load_open_store(&state, &slug).await?;
    let catalog = store_catalog(&state, store.id, &language_of(&store.locale)).await?;
    let request = ChatInterpretRequest { text, ..request };
    Ok(ok(catalog.interpreter.interpret(&request)))
}

/// The catalog the interpreter matches messages against: every active product's names (the
/// store's and its translations) and its variants' options. With `colmena_sdk::chat` (Rust,
/// JavaScript, Kotlin, Swift), an app interprets messages on the device.
#[utoipa::path(get, path = "/api/v1/stores/{store}/chat/catalog", tag = "chat",
    params(("store" = String, Path, description = "Store slug")),
    responses(
        (status = 200, description = "The chat catalog", body = ApiResponse<ChatCatalog>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn chat_catalog(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
) -> Result<CachedJson, ApiError> {
    cached(&state, format!("chat catalog {slug}"), async {
        let store = load_open_store(&state, &slug).await?;
        let catalog = store_catalog(&state, store.id, &language_of(&store.locale)).await?;
        Ok((catalog.catalog.clone(), None))
    })
    .await
}

/// A buyer's message in the widget's chat: it is interpreted, applied to the conversation's
/// cart (the page's cart, when given and open) and answered in the buyer's language. Every
/// message is logged as conversation events for the store's analytics.
#[utoipa::path(post, path = "/api/v1/stores/{store}/chat/messages", tag = "chat",
    params(("store" = String, Path, description = "Store slug")),
    request_body = ChatMessageRequest,
    responses(
        (status = 200, description = "What the message did, and the replies", body = ApiResponse<ChatReply>),
        (status = 400, description = "`VALIDATION_ERROR`: a session of the wrong length, empty or too long `text`, a malformed `locale`", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`", body = ApiResponse<NoData>),
    ))]
pub async fn send_message(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    JsonBody(request): JsonBody<ChatMessageRequest>,
) -> Result<Json<ApiResponse<ChatReply>>, ApiError> {
    check_session(&request.session)?;
    check_locale(request.locale.as_deref())?;
    let store = load_open_store(&state, &slug).await?;
    let inbound = InboundMessage {
        store_id: store.id,
        channel: Channel::Web,
        // Only the session's digest is stored: the secret alone continues the conversation.
        buyer: hash_token(&request.session),
        buyer_name: None,
        channel_message_id: None,
        text: request.text,
        locale: request.locale,
    };
    let received = receive_with_cart(&state, inbound, request.cart_id).await?;
    let interpretation = received
        .interpretation
        .ok_or_else(|| ApiError::internal("a web chat message has no channel id to replay"))?;
    Ok(ok(ChatReply {
        conversation_id: received.conversation_id,
        interpretation,
        replies: received.replies,
        cart_id: received.cart_id,
        checkout_url: received.checkout_url,
    }))
}

/// The widget's chat reads its open conversation: its state (`waiting_human` while staff have
/// it) and its last 50 messages, staff replies included. A POST, so that the session's secret
/// stays out of URLs and logs.
#[utoipa::path(post, path = "/api/v1/stores/{store}/chat/thread", tag = "chat",
    params(("store" = String, Path, description = "Store slug")),
    request_body = ChatThreadRequest,
    responses(
        (status = 200, description = "The open conversation (none yet: no id, no messages)", body = ApiResponse<ChatThread>),
        (status = 400, description = "`VALIDATION_ERROR`: a session of the wrong length", body = ApiResponse<NoData>),
        (status = 404, description = "`STORE_NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 415, description = "`UNSUPPORTED_MEDIA_TYPE`", body = ApiResponse<NoData>),
    ))]
pub async fn read_thread(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    JsonBody(request): JsonBody<ChatThreadRequest>,
) -> Result<Json<ApiResponse<ChatThread>>, ApiError> {
    check_session(&request.session)?;
    let store = load_open_store(&state, &slug).await?;
    let buyer = hash_token(&request.session);
    Ok(ok(web_thread(
        &state.db.pool,
        store.id,
        &buyer,
        THREAD_MESSAGES,
    )
    .await?))
}
