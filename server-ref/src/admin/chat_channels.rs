//! The store's chat channels (admin): its WhatsApp Cloud API number and its Twilio WhatsApp
//! sender, each created or replaced with `PUT` and removed with `DELETE`. Secrets are
//! write-only: answers and the audit log say only whether each is set (and which a change
//! replaced), never their values.
//!
//! Each kind has routes of its own (`…/chat/channels/whatsapp`, `…/twilio`) rather than a
//! `{kind}` parameter: the two take different settings.

use crate::db::Conn;
use axum::extract::State;
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, ChatChannels, ErrorCode, ErrorDetails, NoData, Permission, TwilioChannel,
    TwilioChannelInput, WhatsAppChannel, WhatsAppChannelInput,
};
use serde::Serialize;
use uuid::Uuid;

use crate::admin::AdminContext;
use crate::audit::{Entity, Entry};
use crate::chat::channels::settings::{self, Sealed, TwilioSettings, WhatsAppSettings};
use crate::chat::channels::{TWILIO_WEBHOOK_PATH, WHATSAPP_WEBHOOK_PATH};
use crate::chat::Channel;
use crate::http::{ok, ApiError, JsonBody};
use crate::{db, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The chat channel routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_channels))
        .routes(routes!(put_whatsapp, delete_whatsapp))
        .routes(routes!(put_twilio, delete_twilio))
}

/// Longest secret accepted (Meta's access tokens run to a few hundred characters).
const MAX_SECRET_CHARS: usize = 4096;

fn whatsapp_view(state: &AppState, stored: &WhatsAppSettings) -> WhatsAppChannel {
    WhatsAppChannel {
        phone_number_id: stored.phone_number_id.clone(),
        display_phone_number: stored.display_phone_number.clone(),
        verify_token_set: !stored.verify_token_hash.is_empty(),
        app_secret_set: !stored.app_secret_sealed.is_empty(),
        access_token_set: stored.access_token_sealed.is_some(),
        webhook_url: state.urls.absolute(WHATSAPP_WEBHOOK_PATH),
        created_at: db::api_time(stored.created_at),
        updated_at: db::api_time(stored.updated_at),
    }
}

fn twilio_view(state: &AppState, stored: &TwilioSettings) -> TwilioChannel {
    TwilioChannel {
        account_sid: stored.account_sid.clone(),
        sender: stored.sender.clone(),
        auth_token_set: !stored.auth_token_sealed.is_empty(),
        webhook_url: state.urls.absolute(TWILIO_WEBHOOK_PATH),
        created_at: db::api_time(stored.created_at),
        updated_at: db::api_time(stored.updated_at),
    }
}

async fn channels(
    state: &AppState,
    conn: &mut Conn,
    store_id: Uuid,
) -> Result<ChatChannels, ApiError> {
    Ok(ChatChannels {
        whatsapp: settings::whatsapp(conn, store_id)
            .await?
            .map(|stored| whatsapp_view(state, &stored)),
        twilio: settings::twilio(conn, store_id)
            .await?
            .map(|stored| twilio_view(state, &stored)),
    })
}

/// A channel as the audit log records a change to it: its view, and which secrets the change
/// replaced (their values are never recorded).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Audited<'a, T> {
    #[serde(flatten)]
    channel: &'a T,
    secrets_replaced: Vec<&'static str>,
}

/// The audit entry of a channel saved as `after` (`before` when it replaced one).
fn saved_entry<T: Serialize>(
    channel: Channel,
    before: Option<&T>,
    after: &T,
    secrets_replaced: Vec<&'static str>,
) -> Result<Entry, ApiError> {
    let after = Audited {
        channel: after,
        secrets_replaced,
    };
    match before {
        Some(before) => Entry::updated(Entity::ChatChannel, channel.as_str(), before, &after),
        None => Entry::created(Entity::ChatChannel, channel.as_str(), &after),
    }
}

/// A secret as given: 1 to 4,096 printable characters without spaces, or `None` (keep the
/// stored one).
fn secret<'a>(field: &str, given: Option<&'a str>) -> Result<Option<&'a str>, ApiError> {
    given
        .map(|value| {
            let fits = (1..=MAX_SECRET_CHARS).contains(&value.chars().count())
                && value.chars().all(|c| c.is_ascii_graphic());
            if fits {
                Ok(value)
            } else {
                Err(ApiError::invalid_field(
                    field,
                    "must be 1 to 4096 printable ASCII characters without spaces (leave it out \
                     to keep the stored one)",
                ))
            }
        })
        .transpose()
}

/// What a replacement keeps when a secret is left out; a new channel must be given it.
fn given_or_kept(
    field: &str,
    given: Option<String>,
    stored: Option<String>,
) -> Result<String, ApiError> {
    given
        .or(stored)
        .ok_or_else(|| ApiError::invalid_field(field, "is required to connect the channel"))
}

/// A phone number in international form: `+` and 6 to 15 digits, the first not 0; spaces,
/// hyphens, dots and parentheses are dropped.
fn international_number(field: &str, text: &str) -> Result<String, ApiError> {
    let kept: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    kept.strip_prefix('+')
        .filter(|digits| {
            (6..=15).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && !digits.starts_with('0')
        })
        .map(|digits| format!("+{digits}"))
        .ok_or_else(|| {
            ApiError::invalid_field(
                field,
                "must be a number in international form: + and 6 to 15 digits",
            )
        })
}

/// 409 when another store's channel already routes by `value`.
fn taken(field: &str, value: &str) -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        format!("{field} {value:?} is connected to another store"),
    )
    .with_details(ErrorDetails {
        parameter: Some(field.to_owned()),
        ..ErrorDetails::default()
    })
}

/// Whether `table`'s `column` holds `value` for a store other than `store_id`.
async fn used_elsewhere(
    conn: &mut Conn,
    table: &str,
    column: &str,
    value: &str,
    store_id: Uuid,
) -> Result<bool, ApiError> {
    Ok(crate::db::query(&format!(
        "SELECT 1 FROM {table} WHERE {column} = $1 AND store_id <> $2"
    ))
    .bind(value)
    .bind(store_id)
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// The store's chat channels and the webhook URLs to give their providers.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/chat/channels", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The connected channels (secrets never shown)", body = ApiResponse<ChatChannels>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
    ))]
pub async fn list_channels(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<ChatChannels>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ok(channels(&state, &mut conn, ctx.store.id).await?))
}

/// Connects the store's WhatsApp Business number (Cloud API), or replaces its settings.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/chat/channels/whatsapp", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    request_body = WhatsAppChannelInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The channel, with the webhook URL to give Meta", body = ApiResponse<WhatsAppChannel>),
        (status = 400, description = "`VALIDATION_ERROR`: a malformed field, or a secret a new channel needs", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: another store has this phone number id", body = ApiResponse<NoData>),
    ))]
pub async fn put_whatsapp(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<WhatsAppChannelInput>,
) -> Result<Json<ApiResponse<WhatsAppChannel>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let store_id = ctx.store.id;
    let phone_number_id = input.phone_number_id.trim();
    if !(1..=32).contains(&phone_number_id.len())
        || !phone_number_id.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(ApiError::invalid_field(
            "phoneNumberId",
            "must be Meta's phone number id: 1 to 32 digits",
        ));
    }
    let display_phone_number =
        international_number("displayPhoneNumber", &input.display_phone_number)?;
    let verify_token = input
        .verify_token
        .as_deref()
        .map(|token| {
            let fits =
                (8..=256).contains(&token.chars().count()) && !token.chars().any(char::is_control);
            fits.then_some(token).ok_or_else(|| {
                ApiError::invalid_field(
                    "verifyToken",
                    "must be 8 to 256 characters without control characters",
                )
            })
        })
        .transpose()?;
    let app_secret = secret("appSecret", input.app_secret.as_deref())?;
    let access_token = secret("accessToken", input.access_token.as_deref())?;

    let mut tx = state.db.begin_write().await?;
    if used_elsewhere(
        &mut tx,
        "chat_whatsapp_channels",
        "phone_number_id",
        phone_number_id,
        store_id,
    )
    .await?
    {
        return Err(taken("phoneNumberId", phone_number_id));
    }
    let before = settings::whatsapp(&mut tx, store_id).await?;
    let key = state.keys.capabilities.sealing();
    let now = db::now();
    let after = WhatsAppSettings {
        store_id,
        phone_number_id: phone_number_id.to_owned(),
        display_phone_number,
        verify_token_hash: given_or_kept(
            "verifyToken",
            verify_token.map(crate::auth::hash_token),
            before.as_ref().map(|b| b.verify_token_hash.clone()),
        )?,
        app_secret_sealed: given_or_kept(
            "appSecret",
            app_secret.map(|value| Sealed::AppSecret.seal(key, store_id, value)),
            before.as_ref().map(|b| b.app_secret_sealed.clone()),
        )?,
        access_token_sealed: access_token
            .map(|value| Sealed::AccessToken.seal(key, store_id, value))
            .or_else(|| before.as_ref().and_then(|b| b.access_token_sealed.clone())),
        created_at: before.as_ref().map_or(now, |b| b.created_at),
        updated_at: now,
        store_active: true,
    };
    settings::save_whatsapp(&mut tx, &after).await?;
    let view = whatsapp_view(&state, &after);
    let replaced = [
        ("verifyToken", verify_token.is_some()),
        ("appSecret", app_secret.is_some()),
        ("accessToken", access_token.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, given)| given.then_some(name))
    .collect();
    let before = before.map(|b| whatsapp_view(&state, &b));
    let entry = saved_entry(Channel::Whatsapp, before.as_ref(), &view, replaced)?;
    ctx.commit(tx, entry).await?;
    Ok(ok(view))
}

/// Connects the store's Twilio WhatsApp sender, or replaces its settings.
#[utoipa::path(put, path = "/api/v1/admin/stores/{store}/chat/channels/twilio", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    request_body = TwilioChannelInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The channel, with the webhook URL to give Twilio", body = ApiResponse<TwilioChannel>),
        (status = 400, description = "`VALIDATION_ERROR`: a malformed field, or the auth token a new channel needs", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: another store has this sender", body = ApiResponse<NoData>),
    ))]
pub async fn put_twilio(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(input): JsonBody<TwilioChannelInput>,
) -> Result<Json<ApiResponse<TwilioChannel>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let store_id = ctx.store.id;
    let account_sid = input.account_sid.trim();
    let sid_fits = account_sid.len() == 34
        && account_sid.starts_with("AC")
        && account_sid[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if !sid_fits {
        return Err(ApiError::invalid_field(
            "accountSid",
            "must be a Twilio account SID: AC and 32 hexadecimal digits",
        ));
    }
    let number = input.sender.trim();
    let number = number.strip_prefix("whatsapp:").unwrap_or(number);
    let sender = format!("whatsapp:{}", international_number("sender", number)?);
    let auth_token = secret("authToken", input.auth_token.as_deref())?;

    let mut tx = state.db.begin_write().await?;
    if used_elsewhere(&mut tx, "chat_twilio_channels", "sender", &sender, store_id).await? {
        return Err(taken("sender", &sender));
    }
    let before = settings::twilio(&mut tx, store_id).await?;
    let key = state.keys.capabilities.sealing();
    let now = db::now();
    let after = TwilioSettings {
        store_id,
        account_sid: account_sid.to_owned(),
        sender,
        auth_token_sealed: given_or_kept(
            "authToken",
            auth_token.map(|value| Sealed::AuthToken.seal(key, store_id, value)),
            before.as_ref().map(|b| b.auth_token_sealed.clone()),
        )?,
        created_at: before.as_ref().map_or(now, |b| b.created_at),
        updated_at: now,
        store_active: true,
    };
    settings::save_twilio(&mut tx, &after).await?;
    let view = twilio_view(&state, &after);
    let replaced = auth_token.map(|_| "authToken").into_iter().collect();
    let before = before.map(|b| twilio_view(&state, &b));
    let entry = saved_entry(Channel::Twilio, before.as_ref(), &view, replaced)?;
    ctx.commit(tx, entry).await?;
    Ok(ok(view))
}

/// Removes a channel (its settings in `table`, its view in `listed`): its number no longer
/// reaches the store, and replies waiting for it fail.
async fn delete_channel(
    state: &AppState,
    ctx: &AdminContext,
    channel: Channel,
    table: &str,
    listed: fn(&ChatChannels) -> Option<Result<serde_json::Value, serde_json::Error>>,
) -> Result<Json<ApiResponse<ChatChannels>>, ApiError> {
    ctx.require(Permission::SettingsWrite)?;
    let store_id = ctx.store.id;
    let mut tx = state.db.begin_write().await?;
    let before = channels(state, &mut tx, store_id).await?;
    let deleted = listed(&before)
        .ok_or_else(|| ApiError::not_found("chat channel", channel.as_str()))?
        .map_err(ApiError::internal)?;
    crate::db::query(&format!("DELETE FROM {table} WHERE store_id = $1"))
        .bind(store_id)
        .execute(&mut *tx)
        .await?;
    let after = channels(state, &mut tx, store_id).await?;
    ctx.commit(
        tx,
        Entry::deleted(Entity::ChatChannel, channel.as_str(), &deleted)?,
    )
    .await?;
    Ok(ok(after))
}

/// Disconnects the store's WhatsApp number.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/chat/channels/whatsapp", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The channels left", body = ApiResponse<ChatChannels>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`: no WhatsApp channel", body = ApiResponse<NoData>),
    ))]
pub async fn delete_whatsapp(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<ChatChannels>>, ApiError> {
    delete_channel(
        &state,
        &ctx,
        Channel::Whatsapp,
        "chat_whatsapp_channels",
        |listed| listed.whatsapp.as_ref().map(serde_json::to_value),
    )
    .await
}

/// Disconnects the store's Twilio sender.
#[utoipa::path(delete, path = "/api/v1/admin/stores/{store}/chat/channels/twilio", tag = "admin",
    params(("store" = String, Path, description = "Store slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The channels left", body = ApiResponse<ChatChannels>),
        (status = 403, description = "`FORBIDDEN`: needs `settings.write`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`: no Twilio channel", body = ApiResponse<NoData>),
    ))]
pub async fn delete_twilio(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<ApiResponse<ChatChannels>>, ApiError> {
    delete_channel(
        &state,
        &ctx,
        Channel::Twilio,
        "chat_twilio_channels",
        |listed| listed.twilio.as_ref().map(serde_json::to_value),
    )
    .await
}
