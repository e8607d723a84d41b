//! Admin authentication: password login (argon2), JWT access tokens with seed 004's claims,
//! single-use refresh tokens stored as SHA-256 hashes, and access-token verification.

use crate::db::Row;
use std::time::Duration;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use colmena_sdk::contract::{ErrorCode, Permission, Role, TokenPair};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::{self, Db};
use crate::http::ApiError;
use crate::AppState;

/// Who is calling the admin API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// A signed-in store user (JWT access token).
    User,
    /// A secret API key (`sk_…`).
    ApiKey,
}

impl ActorKind {
    /// The kind as the audit log records it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::ApiKey => "api_key",
        }
    }
}

/// The authenticated caller of an admin request.
#[derive(Debug, Clone)]
pub struct Actor {
    /// User or key.
    pub kind: ActorKind,
    /// The user's or key's id.
    pub id: Uuid,
    /// The user's email or the key's name.
    pub label: String,
    /// The store the credential belongs to.
    pub store_id: Uuid,
    /// The role it acts with.
    pub role: Role,
}

/// How long an invitation can be accepted.
pub const INVITATION_TTL: time::Duration = time::Duration::days(7);
/// Lifetime of an access token.
pub const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
/// Lifetime of a refresh token.
pub const REFRESH_TOKEN_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// Shortest accepted `--jwt-secret`.
pub const MIN_SECRET_BYTES: usize = 32;

/// The claims of an access token (seed 004's `JWTPayload`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// The store (tenant) the token is for.
    pub store_id: String,
    /// The user's role in that store.
    pub role: Role,
    /// The role's permissions, spelled out.
    pub permissions: Vec<Permission>,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    /// Issue time, seconds since the epoch.
    pub iat: u64,
    /// The sign-in session the token belongs to: revoking it stops the token at once.
    pub sid: String,
}

/// The HMAC key that signs and verifies access tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Keys of order-access and download tokens, derived from the same secret.
    pub capabilities: crate::capability::CapabilityKeys,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(<secret>)")
    }
}

/// Why the signing key could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// `--jwt-secret` is too short to be safe.
    #[error("--jwt-secret must be at least {MIN_SECRET_BYTES} bytes")]
    TooShort,
    /// Reading or storing the generated secret failed.
    #[error("cannot load the token secret: {0}")]
    Database(#[from] sqlx::Error),
}

impl TokenKeys {
    fn from_secret(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            capabilities: crate::capability::CapabilityKeys::derive(secret),
        }
    }

    /// The configured secret, or else one generated on first start and kept in the database,
    /// so that tokens survive restarts.
    pub async fn load(db: &Db, configured: Option<&str>) -> Result<Self, KeyError> {
        if let Some(secret) = configured {
            if secret.len() < MIN_SECRET_BYTES {
                return Err(KeyError::TooShort);
            }
            return Ok(Self::from_secret(secret.as_bytes()));
        }
        let mut fresh = [0u8; 32];
        OsRng.fill_bytes(&mut fresh);
        crate::db::query(
            "INSERT INTO server_secrets (name, value, created_at) VALUES ('jwt', $1, $2) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(URL_SAFE_NO_PAD.encode(fresh))
        .bind(db::now())
        .execute(&db.writer)
        .await?;
        let stored: String =
            crate::db::query("SELECT value FROM server_secrets WHERE name = 'jwt'")
                .fetch_one(&db.pool)
                .await?
                .try_get("value")?;
        Ok(Self::from_secret(stored.as_bytes()))
    }

    fn validation() -> Validation {
        // Only HS256: a token claiming `alg: none` or another algorithm is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        validation
    }
}

pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

pub(crate) fn unauthorized(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, message)
}

pub(crate) fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An argon2 hash (of `no-such-user`, with the default parameters real hashes use), verified against when the email is unknown so that
/// unknown and known emails take the same time.
pub(crate) const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$QwyIpXQDxSB3sUCNvG8KQw$9KIyaNvnilygKkmPj3iZ4atvGAofXVO2AXR8FLUKlBk";

pub(crate) fn password_matches(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Signs a user in: a new session, and its first tokens.
pub(crate) async fn start_session(
    state: &AppState,
    user_id: Uuid,
    store_id: Uuid,
    role: Role,
) -> Result<TokenPair, ApiError> {
    let session_id = Uuid::new_v4();
    crate::db::query(
        "INSERT INTO admin_sessions (id, store_id, user_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(session_id)
    .bind(store_id)
    .bind(user_id)
    .bind(db::now())
    .execute(&state.db.writer)
    .await?;
    issue_tokens(state, user_id, store_id, role, session_id).await
}

/// Ends every session of a user: their refresh tokens are deleted and their access tokens stop
/// working at the next request.
pub(crate) async fn revoke_sessions(
    state: &AppState,
    store_id: Uuid,
    user_id: Uuid,
) -> Result<(), ApiError> {
    let mut tx = state.db.begin_write().await?;
    crate::db::query(
        "UPDATE admin_sessions SET revoked_at = $1 \
         WHERE store_id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(db::now())
    .bind(store_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    crate::db::query("DELETE FROM refresh_tokens WHERE store_id = $1 AND user_id = $2")
        .bind(store_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// New access and refresh tokens in `session_id`.
pub(crate) async fn issue_tokens(
    state: &AppState,
    user_id: Uuid,
    store_id: Uuid,
    role: Role,
    session_id: Uuid,
) -> Result<TokenPair, ApiError> {
    let iat = unix_now();
    let claims = Claims {
        sub: user_id.to_string(),
        store_id: store_id.to_string(),
        role,
        permissions: role.permissions().to_vec(),
        exp: iat + ACCESS_TOKEN_TTL.as_secs(),
        iat,
        sid: session_id.to_string(),
    };
    let access_token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &state.keys.encoding,
    )
    .map_err(|error| {
        tracing::error!(%error, "cannot sign an access token");
        ApiError::new(ErrorCode::InternalError, "cannot issue tokens")
    })?;
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let refresh_token = URL_SAFE_NO_PAD.encode(secret);
    let expires = db::now() + REFRESH_TOKEN_TTL;
    crate::db::query(
        "INSERT INTO refresh_tokens (id, store_id, user_id, token_hash, expires_at, created_at, \
           session_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::new_v4())
    .bind(store_id)
    .bind(user_id)
    .bind(hash_token(&refresh_token))
    .bind(expires)
    .bind(db::now())
    .bind(session_id)
    .execute(&state.db.writer)
    .await?;
    Ok(TokenPair {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_TTL.as_secs(),
        refresh_token,
        store_id,
        role,
    })
}

/// The `role` column of a user row.
pub(crate) fn role_column(row: &Row) -> Result<Role, ApiError> {
    Role::parse(&row.try_get::<String, _>("role")?)
        .ok_or_else(|| ApiError::new(ErrorCode::InternalError, "unknown role"))
}

/// The claims of a genuine, unexpired access token.
pub fn verify_access_token(keys: &TokenKeys, token: &str) -> Option<Claims> {
    jsonwebtoken::decode::<Claims>(token.trim(), &keys.decoding, &TokenKeys::validation())
        .ok()
        .map(|data| data.claims)
}

pub(crate) fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// seed 004's password policy: 8+ characters, an upper-case letter, a digit and a symbol.
/// A refusal names `field`, the request member that held the password.
pub(crate) fn check_password(field: &str, password: &str) -> Result<(), ApiError> {
    let strong = password.chars().count() >= 8
        && password.chars().any(char::is_uppercase)
        && password.chars().any(|c| c.is_ascii_digit())
        && password.chars().any(|c| !c.is_alphanumeric());
    if strong && password.len() <= 256 {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            field,
            "needs 8 to 256 characters with an upper-case letter, a digit and a symbol",
        ))
    }
}

/// An argon2 hash of `password`, computed off the async workers (it takes tens of
/// milliseconds of CPU).
pub(crate) async fn hash_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHasher, SaltString};
        Argon2::default()
            .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(|e| ApiError::internal(format!("password hashing did not finish: {e}")))?
    .map_err(|e| ApiError::internal(format!("cannot hash the password: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_tokens_are_stored_as_sha256_hex() {
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn passwords_verify_against_their_hash_only() {
        assert!(!password_matches("demo-password", DUMMY_HASH));
        assert!(password_matches("no-such-user", DUMMY_HASH));
        assert!(!password_matches("x", "not a hash"));
    }
}
