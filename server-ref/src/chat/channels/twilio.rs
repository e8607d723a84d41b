//! Twilio's WhatsApp webhook ("A message comes in"): a form post, signed in
//! `X-Twilio-Signature` with the base64 HMAC-SHA1, under the account's auth token, of the URL
//! Twilio called followed by every parameter's name and value in name order. The URL is this
//! server's public one (`--public-url`), as configured in Twilio: behind a proxy the address
//! the request arrived at is not the one Twilio signed.
//!
//! The answer is an empty TwiML document: replies are sent through Twilio's REST API from the
//! outbox, with retries, not in the webhook's answer.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use colmena_sdk::contract::{ApiResponse, ChatWebhookReceipt, NoData};
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::settings::{self, Sealed};
use super::{bad_signature, hand_over, signature_header};
use crate::chat::{Channel, InboundMessage};
use crate::http::ApiError;
use crate::AppState;

/// The header Twilio signs its calls in.
pub const SIGNATURE_HEADER: &str = "x-twilio-signature";

/// What Twilio's webhook is answered with: no message (replies go through the REST API).
const EMPTY_TWIML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

/// The URLs Twilio may have signed for `url`: as given, and with its scheme's default port
/// written out or left out (the official helpers accept both). Done on the text: a URL parser
/// would drop a written-out default port.
fn signed_urls(url: &str) -> Vec<String> {
    let mut urls = vec![url.to_owned()];
    let Some((scheme, rest)) = url.split_once("://") else {
        return urls;
    };
    let default = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => return urls,
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    // An IPv6 host holds colons of its own: a port comes after its closing bracket.
    let host_end = authority.rfind(']').map_or(0, |at| at + 1);
    if !authority[host_end..].contains(':') {
        urls.push(format!("{scheme}://{authority}{default}{path}"));
    } else if let Some(host) = authority.strip_suffix(default) {
        urls.push(format!("{scheme}://{host}{path}"));
    }
    urls
}

/// Whether `header` is Twilio's signature of a call to `url` with these form `params`: the
/// base64 HMAC-SHA1, under `auth_token`, of the URL then each name and value, names in byte
/// order (a repeated name's values sorted, as the official helpers do). The comparison takes the
/// same time wherever the bytes differ.
pub fn signature_matches(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    header: &str,
) -> bool {
    let Ok(given) = STANDARD.decode(header.trim()) else {
        return false;
    };
    let mut sorted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, value) in params {
        sorted.entry(name).or_default().insert(value);
    }
    signed_urls(url).iter().any(|url| {
        let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()) else {
            return false;
        };
        mac.update(url.as_bytes());
        for (name, values) in &sorted {
            for value in values {
                mac.update(name.as_bytes());
                mac.update(value.as_bytes());
            }
        }
        mac.verify_slice(&given).is_ok()
    })
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Receives the messages of the stores' Twilio WhatsApp senders (configure it as the sender's
/// "A message comes in" webhook, HTTP POST). Text messages go to their conversations; others,
/// and messages seen before, are acknowledged and ignored.
#[utoipa::path(post, path = "/api/v1/chat/twilio/webhook", tag = "chat",
    params(("X-Twilio-Signature" = String, Header, description = "Base64 HMAC-SHA1 of the URL and the sorted parameters under the account's auth token")),
    request_body(content = String, description = "Twilio's form: `From`, `To` (`whatsapp:+…`), `Body`, `MessageSid`, `ProfileName`…", content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Received: an empty TwiML answer", body = String, content_type = "text/xml"),
        (status = 400, description = "`VALIDATION_ERROR`: no `To`", body = ApiResponse<NoData>),
        (status = 401, description = "`UNAUTHORIZED`: no signature, or one that does not verify with the auth token of the `To` sender's store", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`: no store has this sender", body = ApiResponse<NoData>),
    ))]
pub async fn twilio_webhook(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let signature = signature_header(&headers, SIGNATURE_HEADER)?;
    let params: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let to = param(&params, "To")
        .filter(|to| !to.is_empty())
        .ok_or_else(|| ApiError::invalid_field("To", "is required"))?;
    let channel = settings::twilio_by_sender(&mut *state.db.pool.acquire().await?, to)
        .await?
        .ok_or_else(|| ApiError::not_found("Twilio sender", to))?;
    let called = state.urls.absolute(
        uri.path_and_query()
            .map_or(uri.path(), |path| path.as_str()),
    );
    let genuine = Sealed::AuthToken
        .open(
            state.keys.capabilities.sealing(),
            channel.store_id,
            &channel.auth_token_sealed,
        )
        .is_some_and(|token| signature_matches(&token, &called, &params, signature));
    if !genuine {
        return Err(bad_signature("X-Twilio-Signature"));
    }
    let text = param(&params, "Body").map(str::trim).unwrap_or_default();
    let buyer = param(&params, "From")
        .and_then(|from| from.strip_prefix("whatsapp:"))
        .filter(|number| number.starts_with('+'));
    let mut receipt = ChatWebhookReceipt::default();
    if let (false, Some(buyer), true) = (text.is_empty(), buyer, channel.store_active) {
        let inbound = InboundMessage {
            store_id: channel.store_id,
            channel: Channel::Twilio,
            buyer: buyer.to_owned(),
            buyer_name: param(&params, "ProfileName")
                .filter(|name| !name.is_empty())
                .map(str::to_owned),
            channel_message_id: param(&params, "MessageSid")
                .filter(|sid| !sid.is_empty())
                .map(str::to_owned),
            text: text.to_owned(),
            locale: None,
        };
        hand_over(&state, inbound, &mut receipt).await?;
    }
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        EMPTY_TWIML,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twilio's documented example, and variants, as the official `twilio` npm package signs
    /// them (tests/node checks the server against the package itself).
    #[test]
    fn signatures_match_twilios_own() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        let mut params: Vec<(String, String)> = [
            ("To", "+18005551212"),
            ("CallSid", "CA1234567890ABCDE"),
            ("Digits", "1234"),
            ("Caller", "+12349013030"),
            ("From", "+12349013030"),
        ]
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
        assert!(signature_matches(
            "12345",
            url,
            &params,
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        ));
        // Signed with the default port written out.
        assert!(signature_matches(
            "12345",
            url,
            &params,
            "EpDEmp1PyjDYp77YxYU3GILBWzE="
        ));
        assert!(!signature_matches(
            "54321",
            url,
            &params,
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        ));
        assert!(!signature_matches(
            "12345",
            "https://mycompany.com/myapp.php",
            &params,
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        ));
        assert!(!signature_matches("12345", url, &params, "not base64!"));
        // A repeated parameter: its values sorted, each once.
        for tag in ["b", "a", "b"] {
            params.push(("Tag".to_owned(), tag.to_owned()));
        }
        assert!(signature_matches(
            "12345",
            url,
            &params,
            "S0ksA+PXEFv05pQBIp+0L2VDFLI="
        ));
        params.pop();
        params.pop();
        assert!(!signature_matches(
            "12345",
            url,
            &params,
            "S0ksA+PXEFv05pQBIp+0L2VDFLI="
        ));
    }

    #[test]
    fn default_ports_may_be_written_out_or_left_out() {
        assert_eq!(
            signed_urls("https://shop.example/hook?a=1"),
            [
                "https://shop.example/hook?a=1",
                "https://shop.example:443/hook?a=1"
            ]
        );
        assert_eq!(
            signed_urls("https://shop.example:443/hook"),
            ["https://shop.example:443/hook", "https://shop.example/hook"]
        );
        assert_eq!(
            signed_urls("http://127.0.0.1:8080/hook"),
            ["http://127.0.0.1:8080/hook"]
        );
        assert_eq!(
            signed_urls("http://[::1]/hook"),
            ["http://[::1]/hook", "http://[::1]:80/hook"]
        );
    }
}
