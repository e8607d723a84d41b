//! Verifying the signatures of Colmena's outbound webhooks, for partners' servers.
//!
//! Every delivery carries a header
//!
//! ```text
//! Colmena-Signature: t=1795000000,v1=5f2b…(64 lowercase hex digits)
//! ```
//!
//! where `t` is the Unix time of signing and each `v1` is HMAC-SHA256, keyed with the
//! endpoint's secret, over `"{t}.{raw body}"`. While a secret is being rotated the header holds
//! one `v1` per secret; one match is enough. A delivery is genuine when some `v1` matches and
//! `t` is within the tolerance (default five minutes) of the receiver's clock, which bounds
//! replays. Comparison is constant-time.
//!
//! ```
//! use colmena_sdk::webhook;
//! let body = br#"{"type":"order.paid"}"#;
//! let header = webhook::sign("whsec_example", 1_795_000_000, body);
//! assert!(webhook::verify("whsec_example", &header, body, 1_795_000_042, webhook::DEFAULT_TOLERANCE).is_ok());
//! ```
//!
//! The same test vectors (`sdk-core/tests/vectors/webhook-signatures.json`) are checked by the
//! Rust, JavaScript and Kotlin SDKs.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "Colmena-Signature";

/// How far the signing time may be from the receiver's clock.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Why a delivery's signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// The header is missing its timestamp, or is not `t=…,v1=…`.
    #[error("the signature header is malformed")]
    MalformedHeader,
    /// The header has no `v1` signature.
    #[error("the signature header has no v1 signature")]
    NoSignature,
    /// The signing time is too far from now: a replay, or a badly wrong clock.
    #[error("the signature's timestamp is outside the tolerance")]
    TimestampOutOfTolerance,
    /// No signature matches the body and the secret.
    #[error("no signature matches")]
    SignatureMismatch,
}

impl WebhookError {
    /// A stable code, the same in every SDK.
    pub fn code(self) -> &'static str {
        match self {
            Self::MalformedHeader => "MALFORMED_HEADER",
            Self::NoSignature => "NO_SIGNATURE",
            Self::TimestampOutOfTolerance => "TIMESTAMP_OUT_OF_TOLERANCE",
            Self::SignatureMismatch => "SIGNATURE_MISMATCH",
        }
    }
}

/// The header value signing `body` at Unix time `timestamp` with `secret`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    let mut header = format!("t={timestamp},v1=");
    for byte in digest {
        header.push(char::from(HEX[usize::from(byte >> 4)]));
        header.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    header
}

/// Checks `header` (the value of [`SIGNATURE_HEADER`]) against the raw `body` as received,
/// at Unix time `now`.
pub fn verify(
    secret: &str,
    header: &str,
    body: &[u8],
    now: i64,
    tolerance: Duration,
) -> Result<(), WebhookError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let (key, value) = part
            .trim()
            .split_once('=')
            .ok_or(WebhookError::MalformedHeader)?;
        match key {
            "t" => {
                timestamp = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| WebhookError::MalformedHeader)?,
                );
            }
            "v1" => signatures.push(value),
            // Other schemes may be added later; they are not ours to check.
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(WebhookError::MalformedHeader)?;
    if signatures.is_empty() {
        return Err(WebhookError::NoSignature);
    }
    let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    if now.abs_diff(timestamp) > tolerance.unsigned_abs() {
        return Err(WebhookError::TimestampOutOfTolerance);
    }
    let expected = mac(secret, timestamp, body);
    let matches = signatures.iter().any(|signature| {
        decode_hex(signature).is_some_and(|bytes| expected.clone().verify_slice(&bytes).is_ok())
    });
    if matches {
        Ok(())
    } else {
        Err(WebhookError::SignatureMismatch)
    }
}

/// [`verify`] at the system clock's current time, with the default tolerance.
#[cfg(not(target_arch = "wasm32"))]
pub fn verify_now(secret: &str, header: &str, body: &[u8]) -> Result<(), WebhookError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    verify(secret, header, body, now, DEFAULT_TOLERANCE)
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Lowercase hex only: the scheme's form. Anything else matches nothing.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| {
        HEX.iter()
            .position(|&h| h == c)
            .and_then(|p| u8::try_from(p).ok())
    };
    if text.len() % 2 != 0 {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}
