//! The WhatsApp Cloud API's webhook: Meta's verification request (`GET`, answered with its
//! challenge when the verify token is a store's), and its notifications (`POST`), signed in
//! `X-Hub-Signature-256` with the HMAC-SHA256 of the raw body under the Meta app's secret.
//!
//! A notification may carry several numbers' messages (one app, several numbers): it is taken
//! only when its signature verifies with the app secret of every store it names.

use std::collections::{BTreeSet, HashMap};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use colmena_sdk::contract::{ApiResponse, ChatWebhookReceipt, ErrorCode, NoData};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use uuid::Uuid;

use super::settings::{self, Sealed, WhatsAppSettings};
use super::{bad_signature, hand_over, signature_header};
use crate::chat::{Channel, InboundMessage};
use crate::http::{ok, ApiError, QueryParams};
use crate::AppState;

/// The header Meta signs its calls in: `sha256=` and the hex HMAC-SHA256 of the body.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// Longest challenge echoed back (Meta's are short numbers).
const MAX_CHALLENGE_CHARS: usize = 256;

/// Meta's verification request.
#[derive(Debug, Deserialize)]
pub struct Verification {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// Meta's verification of the callback URL: answers `hub.challenge` when `hub.verify_token` is
/// the verify token of a store's WhatsApp channel.
#[utoipa::path(get, path = "/api/v1/chat/whatsapp/webhook", tag = "chat",
    params(
        ("hub.mode" = Option<String>, Query, description = "`subscribe`"),
        ("hub.verify_token" = Option<String>, Query, description = "The verify token set in the store's WhatsApp channel"),
        ("hub.challenge" = Option<String>, Query, description = "Echoed back when the token matches"),
    ),
    responses(
        (status = 200, description = "The challenge, as plain text", body = String, content_type = "text/plain"),
        (status = 400, description = "`VALIDATION_ERROR`: no challenge, or not a short printable one", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: not a subscription, or no store has this verify token", body = ApiResponse<NoData>),
    ))]
pub async fn verify_whatsapp_webhook(
    State(state): State<AppState>,
    QueryParams(query): QueryParams<Verification>,
) -> Result<impl IntoResponse, ApiError> {
    let refused = || {
        ApiError::new(
            ErrorCode::Forbidden,
            "not a subscription with a store's verify token",
        )
    };
    let (Some("subscribe"), Some(token)) = (query.mode.as_deref(), query.verify_token.as_deref())
    else {
        return Err(refused());
    };
    let challenge = query
        .challenge
        .filter(|challenge| {
            !challenge.is_empty()
                && challenge.chars().count() <= MAX_CHALLENGE_CHARS
                && challenge.chars().all(|c| c.is_ascii_graphic())
        })
        .ok_or_else(|| {
            ApiError::invalid_field(
                "hub.challenge",
                "must be 1 to 256 printable ASCII characters",
            )
        })?;
    // Only the token's hash is kept: finding it by its hash compares no secret byte by byte.
    let known =
        crate::db::query("SELECT 1 FROM chat_whatsapp_channels WHERE verify_token_hash = $1")
            .bind(crate::auth::hash_token(token))
            .fetch_optional(&state.db.pool)
            .await?
            .is_some();
    if !known {
        return Err(refused());
    }
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        challenge,
    ))
}

/// A notification, as much of it as is read. Everything is optional: other fields and other
/// kinds of change are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Notification {
    entry: Vec<Entry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Entry {
    changes: Vec<Change>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Change {
    value: ChangeValue,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ChangeValue {
    metadata: Option<Metadata>,
    contacts: Vec<Contact>,
    messages: Vec<Message>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Metadata {
    phone_number_id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Contact {
    wa_id: String,
    profile: Profile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Profile {
    name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Message {
    from: String,
    id: String,
    #[serde(rename = "type")]
    kind: String,
    text: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Text {
    body: String,
}

/// Whether `header` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `app_secret`; the
/// comparison takes the same time wherever the bytes differ.
pub fn signature_matches(app_secret: &str, body: &[u8], header: &str) -> bool {
    let Some(tag) = header
        .trim()
        .strip_prefix("sha256=")
        .and_then(|hex| hex::decode(hex).ok())
    else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&tag).is_ok()
}

/// Receives the messages of the stores' WhatsApp numbers (subscribe the Meta app's webhook to
/// `messages`). Text messages go to their conversations; statuses and other message types are
/// acknowledged and ignored, as are messages seen before.
#[utoipa::path(post, path = "/api/v1/chat/whatsapp/webhook", tag = "chat",
    params(("X-Hub-Signature-256" = String, Header, description = "`sha256=` and the hex HMAC-SHA256 of the body under the Meta app's secret")),
    request_body(content = String, description = "The notification, exactly as Meta sent it", content_type = "application/json"),
    responses(
        (status = 200, description = "Received (also when nothing in it was a new text message)", body = ApiResponse<ChatWebhookReceipt>),
        (status = 400, description = "`VALIDATION_ERROR`: not a notification, or one naming no phone number id", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: no signature, or one that does not verify with the app secret of the number's store", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`: no store has this phone number id", body = ApiResponse<NoData>),
    ))]
pub async fn whatsapp_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ApiResponse<ChatWebhookReceipt>>, ApiError> {
    let signature = signature_header(&headers, SIGNATURE_HEADER)?;
    let notification: Notification = serde_json::from_slice(&body).map_err(|error| {
        ApiError::invalid_field("body", format!("is not a WhatsApp notification: {error}"))
    })?;
    let changes = || {
        notification
            .entry
            .iter()
            .flat_map(|entry| &entry.changes)
            .filter_map(|change| Some((change.value.metadata.as_ref()?, &change.value)))
    };
    let numbers: BTreeSet<&str> = changes()
        .map(|(metadata, _)| metadata.phone_number_id.as_str())
        .collect();
    if numbers.is_empty() {
        return Err(ApiError::invalid_field(
            "entry[].changes[].value.metadata.phone_number_id",
            "is missing: the notification names no number",
        ));
    }
    let mut stores: HashMap<&str, WhatsAppSettings> = HashMap::new();
    let mut verified: BTreeSet<Uuid> = BTreeSet::new();
    let mut conn = state.db.pool.acquire().await?;
    for number in numbers {
        let channel = settings::whatsapp_by_number(&mut conn, number)
            .await?
            .ok_or_else(|| ApiError::not_found("WhatsApp phone number id", number))?;
        if verified.insert(channel.store_id) {
            let genuine = Sealed::AppSecret
                .open(
                    state.keys.capabilities.sealing(),
                    channel.store_id,
                    &channel.app_secret_sealed,
                )
                .is_some_and(|secret| signature_matches(&secret, &body, signature));
            if !genuine {
                return Err(bad_signature("X-Hub-Signature-256"));
            }
        }
        stores.insert(number, channel);
    }
    drop(conn);
    let mut receipt = ChatWebhookReceipt::default();
    for (metadata, value) in changes() {
        let Some(channel) = stores.get(metadata.phone_number_id.as_str()) else {
            continue;
        };
        let names: HashMap<&str, &str> = value
            .contacts
            .iter()
            .filter_map(|contact| Some((contact.wa_id.as_str(), contact.profile.name.as_deref()?)))
            .collect();
        for message in &value.messages {
            let text = message
                .text
                .as_ref()
                .map(|text| text.body.trim())
                .filter(|text| message.kind == "text" && !text.is_empty());
            // WhatsApp ids are the buyer's number in international form, without the `+`.
            let sender = !message.from.is_empty()
                && message.from.len() <= 20
                && message.from.bytes().all(|b| b.is_ascii_digit());
            let (Some(text), true, true) = (text, sender, channel.store_active) else {
                receipt.skipped += 1;
                continue;
            };
            let inbound = InboundMessage {
                store_id: channel.store_id,
                channel: Channel::Whatsapp,
                buyer: format!("+{}", message.from),
                buyer_name: names
                    .get(message.from.as_str())
                    .map(|name| (*name).to_owned()),
                channel_message_id: (!message.id.is_empty()).then(|| message.id.clone()),
                text: text.to_owned(),
                locale: None,
            };
            hand_over(&state, inbound, &mut receipt).await?;
        }
    }
    Ok(ok(receipt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_the_hex_hmac_of_the_raw_body() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
        let mut mac = Hmac::<Sha256>::new_from_slice(b"app-secret").unwrap();
        mac.update(body);
        let header = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert!(signature_matches("app-secret", body, &header));
        assert!(signature_matches(
            "app-secret",
            body,
            &header.to_uppercase().replace("SHA256=", "sha256=")
        ));
        assert!(!signature_matches("other-secret", body, &header));
        assert!(!signature_matches("app-secret", b"{}", &header));
        assert!(!signature_matches(
            "app-secret",
            body,
            header.trim_start_matches("sha256=")
        ));
        assert!(!signature_matches("app-secret", body, "sha256=zz"));
        assert!(!signature_matches("app-secret", body, "sha256="));
        assert!(!signature_matches(
            "app-secret",
            body,
            &header[..header.len() - 2]
        ));
    }
}
