//! Secrets the server must read back (a store's WhatsApp app secret and access token, its Twilio
//! auth token): unlike passwords and API keys they cannot be hashed, since the server uses them
//! to check signatures and to send. They are sealed with XChaCha20-Poly1305 under a key derived
//! from the server secret ([`crate::capability::CapabilityKeys`]), so a copy of the database
//! alone reveals none of them.
//!
//! Each sealed value is bound to its place (store and column) as associated data: moved to
//! another store's row or another column, it no longer opens. Changing the server secret makes
//! every sealed value unreadable; the stores then enter their tokens again.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// Bytes of an XChaCha20 nonce: random ones this long never repeat in practice.
const NONCE_BYTES: usize = 24;

/// Seals and opens secrets.
#[derive(Clone)]
pub struct SealingKey(XChaCha20Poly1305);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(<secret>)")
    }
}

impl SealingKey {
    /// The key `bytes` (32 of them, derived from the server secret).
    pub fn new(bytes: &[u8; 32]) -> Self {
        Self(XChaCha20Poly1305::new(bytes.into()))
    }

    /// `secret` sealed for `place` (e.g. `chat_twilio_channels.auth_token/<store id>`): base64
    /// of the nonce followed by the ciphertext and its tag.
    pub fn seal(&self, place: &str, secret: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: secret.as_bytes(),
            aad: place.as_bytes(),
        };
        // Encryption fails only for messages of gigabytes.
        let sealed = self
            .0
            .encrypt(&nonce, payload)
            .unwrap_or_else(|_| unreachable!("secrets are far below the AEAD's size limit"));
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        STANDARD.encode(bytes)
    }

    /// The secret sealed for `place`, or `None` when `sealed` was not sealed for it with this
    /// key (another place, another server secret, altered).
    pub fn open(&self, place: &str, sealed: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let payload = Payload {
            msg: ciphertext,
            aad: place.as_bytes(),
        };
        let plain = self.0.decrypt(XNonce::from_slice(nonce), payload).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_in_their_place_with_their_key() {
        let key = SealingKey::new(&[7; 32]);
        let sealed = key.seal("twilio/store-a", "auth-token");
        assert!(!sealed.contains("auth-token"));
        assert_eq!(
            key.open("twilio/store-a", &sealed).as_deref(),
            Some("auth-token")
        );
        // A fresh nonce each time: the same secret never seals the same way twice.
        assert_ne!(sealed, key.seal("twilio/store-a", "auth-token"));
        assert_eq!(key.open("twilio/store-b", &sealed), None);
        assert_eq!(
            SealingKey::new(&[8; 32]).open("twilio/store-a", &sealed),
            None
        );
        let mut altered = STANDARD.decode(&sealed).unwrap();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert_eq!(key.open("twilio/store-a", &STANDARD.encode(altered)), None);
        assert_eq!(key.open("twilio/store-a", "not base64!"), None);
        assert_eq!(key.open("twilio/store-a", "c2hvcnQ="), None);
    }
}
