//! Capability tokens: secrets that grant one thing (reading one order, downloading one file)
//! without being stored anywhere. Each is an HMAC-SHA256 of a row id under a key derived from
//! the server secret, so the database holds nothing a thief could replay, and checking one is a
//! constant-time MAC comparison.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

/// Keys for the capability tokens, and the key that seals stored secrets ([`crate::sealed`]),
/// each derived from the server secret for its purpose.
#[derive(Clone)]
pub struct CapabilityKeys {
    order_access: Vec<u8>,
    download: Vec<u8>,
    webhook_signing: Vec<u8>,
    sealing: crate::sealed::SealingKey,
}

impl std::fmt::Debug for CapabilityKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CapabilityKeys(<secret>)")
    }
}

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length; this cannot fail.
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
}

fn sign(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = mac(key);
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// The sealing key: HMAC-SHA256 gives exactly the 32 bytes XChaCha20-Poly1305 takes.
fn sealing_key(secret: &[u8]) -> [u8; 32] {
    let mut mac = mac(secret);
    mac.update(b"colmena/sealed-secrets/v1");
    mac.finalize().into_bytes().into()
}

fn verify(key: &[u8], message: &[u8], tag: &[u8]) -> bool {
    let mut mac = mac(key);
    mac.update(message);
    mac.verify_slice(tag).is_ok()
}

impl CapabilityKeys {
    /// Keys derived from `secret`, one per purpose, so a token of one kind never works as
    /// another.
    pub fn derive(secret: &[u8]) -> Self {
        Self {
            order_access: sign(secret, b"colmena/order-access/v1"),
            download: sign(secret, b"colmena/download/v1"),
            webhook_signing: sign(secret, b"colmena/webhook-signing/v1"),
            sealing: crate::sealed::SealingKey::new(&sealing_key(secret)),
        }
    }

    /// The key that seals the store secrets the server must read back (`crate::sealed`).
    pub fn sealing(&self) -> &crate::sealed::SealingKey {
        &self.sealing
    }

    /// The token that lets a customer read order `order_id`.
    pub fn order_token(&self, order_id: Uuid) -> String {
        URL_SAFE_NO_PAD.encode(sign(&self.order_access, order_id.as_bytes()))
    }

    /// Whether `token` is the access token of order `order_id`.
    pub fn order_token_matches(&self, order_id: Uuid, token: &str) -> bool {
        URL_SAFE_NO_PAD
            .decode(token.trim())
            .is_ok_and(|tag| verify(&self.order_access, order_id.as_bytes(), &tag))
    }

    /// The token of download `id`: the id and its MAC, URL-safe.
    pub fn download_token(&self, id: Uuid) -> String {
        let mut bytes = id.as_bytes().to_vec();
        bytes.extend(sign(&self.download, id.as_bytes()));
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The signing secret of webhook endpoint `endpoint_id` in its `version`: derived, never
    /// stored, so the database holds nothing that could forge deliveries.
    pub fn webhook_secret(&self, endpoint_id: Uuid, version: i64) -> String {
        let mut message = endpoint_id.as_bytes().to_vec();
        message.extend(version.to_be_bytes());
        format!(
            "whsec_{}",
            URL_SAFE_NO_PAD.encode(sign(&self.webhook_signing, &message))
        )
    }

    /// The download id inside `token`, if the token is genuine.
    pub fn download_id(&self, token: &str) -> Option<Uuid> {
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != 48 {
            return None;
        }
        let (id, tag) = bytes.split_at(16);
        verify(&self.download, id, tag)
            .then(|| Uuid::from_slice(id).ok())
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_for_their_id_and_purpose() {
        let keys = CapabilityKeys::derive(b"0123456789abcdef0123456789abcdef");
        let other = CapabilityKeys::derive(b"another secret, also 32 bytes ok");
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let order = keys.order_token(a);
        assert!(keys.order_token_matches(a, &order));
        assert!(!keys.order_token_matches(b, &order));
        assert!(!other.order_token_matches(a, &order));
        assert!(!keys.order_token_matches(a, "not base64!"));

        let download = keys.download_token(a);
        assert_eq!(keys.download_id(&download), Some(a));
        assert_eq!(other.download_id(&download), None);
        let mut tampered = download.into_bytes();
        tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            keys.download_id(&String::from_utf8(tampered).unwrap()),
            None
        );
        // An order token is not a download token.
        assert_eq!(keys.download_id(&order), None);
    }
}
