//! Each store's channel settings as stored: the routing keys (phone number id, sender) in the
//! clear, the verify token hashed, the other secrets sealed ([`crate::sealed`]). Secrets are
//! opened only where they are used: checking a signature, sending a reply.

use crate::db::{Conn, Row};
use uuid::Uuid;

use crate::db::uuid_column;
use crate::sealed::SealingKey;

/// A secret kept sealed, named by its column: the column and the store are the associated data
/// it is sealed with, so a value copied to another row or column does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sealed {
    /// The Meta app's secret (verifies `X-Hub-Signature-256`).
    AppSecret,
    /// The WhatsApp Cloud API access token (sends).
    AccessToken,
    /// The Twilio auth token (verifies `X-Twilio-Signature`, and sends).
    AuthToken,
}

impl Sealed {
    fn place(self, store_id: Uuid) -> String {
        let column = match self {
            Self::AppSecret => "chat_whatsapp_channels.app_secret_sealed",
            Self::AccessToken => "chat_whatsapp_channels.access_token_sealed",
            Self::AuthToken => "chat_twilio_channels.auth_token_sealed",
        };
        format!("{column}/{store_id}")
    }

    /// `secret` sealed for its column of `store_id`'s row.
    pub(crate) fn seal(self, key: &SealingKey, store_id: Uuid, secret: &str) -> String {
        key.seal(&self.place(store_id), secret)
    }

    /// The secret, or `None` if it no longer opens (the server secret changed). Logged, since
    /// the store must then enter it again.
    pub(crate) fn open(self, key: &SealingKey, store_id: Uuid, sealed: &str) -> Option<String> {
        let opened = key.open(&self.place(store_id), sealed);
        if opened.is_none() {
            tracing::error!(
                store = %store_id,
                secret = ?self,
                "a chat channel secret cannot be opened (was the server secret changed?); the \
                 store must enter it again"
            );
        }
        opened
    }
}

/// A store's WhatsApp Cloud API channel, as stored.
#[derive(Debug, Clone)]
pub(crate) struct WhatsAppSettings {
    pub store_id: Uuid,
    pub phone_number_id: String,
    pub display_phone_number: String,
    pub verify_token_hash: String,
    pub app_secret_sealed: String,
    pub access_token_sealed: Option<String>,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
    /// Whether the store sells (not suspended).
    pub store_active: bool,
}

/// A store's Twilio WhatsApp channel, as stored.
#[derive(Debug, Clone)]
pub(crate) struct TwilioSettings {
    pub store_id: Uuid,
    pub account_sid: String,
    pub sender: String,
    pub auth_token_sealed: String,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
    /// Whether the store sells (not suspended).
    pub store_active: bool,
}

const WHATSAPP_SELECT: &str = "SELECT c.store_id, c.phone_number_id, c.display_phone_number, \
       c.verify_token_hash, c.app_secret_sealed, c.access_token_sealed, c.created_at, \
       c.updated_at, s.status \
     FROM chat_whatsapp_channels c JOIN stores s ON s.id = c.store_id";

const TWILIO_SELECT: &str = "SELECT c.store_id, c.account_sid, c.sender, c.auth_token_sealed, \
       c.created_at, c.updated_at, s.status \
     FROM chat_twilio_channels c JOIN stores s ON s.id = c.store_id";

fn active(row: &Row) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<String, _>("status")? == "active")
}

fn whatsapp_from_row(row: &Row) -> Result<WhatsAppSettings, sqlx::Error> {
    Ok(WhatsAppSettings {
        store_id: uuid_column(row, "store_id")?,
        phone_number_id: row.try_get("phone_number_id")?,
        display_phone_number: row.try_get("display_phone_number")?,
        verify_token_hash: row.try_get("verify_token_hash")?,
        app_secret_sealed: row.try_get("app_secret_sealed")?,
        access_token_sealed: row.try_get("access_token_sealed")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        store_active: active(row)?,
    })
}

fn twilio_from_row(row: &Row) -> Result<TwilioSettings, sqlx::Error> {
    Ok(TwilioSettings {
        store_id: uuid_column(row, "store_id")?,
        account_sid: row.try_get("account_sid")?,
        sender: row.try_get("sender")?,
        auth_token_sealed: row.try_get("auth_token_sealed")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        store_active: active(row)?,
    })
}

/// The store's WhatsApp channel, if connected.
pub(crate) async fn whatsapp(
    conn: &mut Conn,
    store_id: Uuid,
) -> Result<Option<WhatsAppSettings>, sqlx::Error> {
    crate::db::query(&format!("{WHATSAPP_SELECT} WHERE c.store_id = $1"))
        .bind(store_id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(whatsapp_from_row)
        .transpose()
}

/// The WhatsApp channel of Meta's phone number id, whichever store's it is (routing).
pub(crate) async fn whatsapp_by_number(
    conn: &mut Conn,
    phone_number_id: &str,
) -> Result<Option<WhatsAppSettings>, sqlx::Error> {
    crate::db::query(&format!("{WHATSAPP_SELECT} WHERE c.phone_number_id = $1"))
        .bind(phone_number_id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(whatsapp_from_row)
        .transpose()
}

/// The store's Twilio channel, if connected.
pub(crate) async fn twilio(
    conn: &mut Conn,
    store_id: Uuid,
) -> Result<Option<TwilioSettings>, sqlx::Error> {
    crate::db::query(&format!("{TWILIO_SELECT} WHERE c.store_id = $1"))
        .bind(store_id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(twilio_from_row)
        .transpose()
}

/// The Twilio channel of a sender (`whatsapp:+…`), whichever store's it is (routing).
pub(crate) async fn twilio_by_sender(
    conn: &mut Conn,
    sender: &str,
) -> Result<Option<TwilioSettings>, sqlx::Error> {
    crate::db::query(&format!("{TWILIO_SELECT} WHERE c.sender = $1"))
        .bind(sender)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(twilio_from_row)
        .transpose()
}

/// Writes the store's WhatsApp channel (created or replaced).
pub(crate) async fn save_whatsapp(
    conn: &mut Conn,
    settings: &WhatsAppSettings,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO chat_whatsapp_channels (store_id, phone_number_id, display_phone_number, \
           verify_token_hash, app_secret_sealed, access_token_sealed, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (store_id) DO UPDATE SET phone_number_id = $2, display_phone_number = $3, \
           verify_token_hash = $4, app_secret_sealed = $5, access_token_sealed = $6, \
           updated_at = $8",
    )
    .bind(settings.store_id)
    .bind(&settings.phone_number_id)
    .bind(&settings.display_phone_number)
    .bind(&settings.verify_token_hash)
    .bind(&settings.app_secret_sealed)
    .bind(settings.access_token_sealed.as_deref())
    .bind(settings.created_at)
    .bind(settings.updated_at)
    .execute(conn)
    .await
    .map(drop)
}

/// Writes the store's Twilio channel (created or replaced).
pub(crate) async fn save_twilio(
    conn: &mut Conn,
    settings: &TwilioSettings,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO chat_twilio_channels (store_id, account_sid, sender, auth_token_sealed, \
           created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (store_id) DO UPDATE SET account_sid = $2, sender = $3, \
           auth_token_sealed = $4, updated_at = $6",
    )
    .bind(settings.store_id)
    .bind(&settings.account_sid)
    .bind(&settings.sender)
    .bind(&settings.auth_token_sealed)
    .bind(settings.created_at)
    .bind(settings.updated_at)
    .execute(conn)
    .await
    .map(drop)
}
