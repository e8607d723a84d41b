//! The platform operator's API (`/api/v1/platform/…`): opening and running stores. It answers
//! only to the platform key the server was started with (`--platform-key`), which the server
//! keeps as a SHA-256 digest and compares in constant time.

pub mod stores;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use colmena_sdk::contract::ErrorCode;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use utoipa_axum::router::OpenApiRouter;

use crate::http::{bearer_token, ApiError};
use crate::AppState;

/// Fewest characters of a platform key: it guards every store.
pub const MIN_PLATFORM_KEY_LENGTH: usize = 32;

/// The platform key, as the server keeps it: its SHA-256 digest only.
#[derive(Clone)]
pub struct PlatformKey([u8; 32]);

impl std::fmt::Debug for PlatformKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlatformKey(…)")
    }
}

impl PlatformKey {
    /// Keeps the digest of `key`, which must be at least [`MIN_PLATFORM_KEY_LENGTH`] characters.
    pub fn new(key: &str) -> Result<Self, String> {
        if key.chars().count() < MIN_PLATFORM_KEY_LENGTH {
            return Err(format!(
                "the platform key must be at least {MIN_PLATFORM_KEY_LENGTH} characters"
            ));
        }
        Ok(Self(Sha256::digest(key.as_bytes()).into()))
    }

    fn matches(&self, presented: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        self.0.ct_eq(&digest).into()
    }
}

/// A request made with the platform key.
#[derive(Debug, Clone, Copy)]
pub struct PlatformOperator;

impl FromRequestParts<AppState> for PlatformOperator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unauthorized = |message: &str| ApiError::new(ErrorCode::Unauthorized, message);
        let Some(key) = &state.platform_key else {
            return Err(unauthorized(
                "the platform API is off: start the server with --platform-key",
            ));
        };
        let presented =
            bearer_token(&parts.headers).ok_or_else(|| unauthorized("missing bearer token"))?;
        if key.matches(presented) {
            Ok(Self)
        } else {
            Err(unauthorized("invalid platform key"))
        }
    }
}

/// The platform API's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(stores::router())
}
