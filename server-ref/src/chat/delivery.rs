//! Replies to WhatsApp and Twilio buyers: written to `chat_outbox` in the transaction of the
//! message that caused them, then sent by a worker through the store's provider (Meta's Graph
//! API, Twilio's REST API), with retries and exponential backoff. Every attempt is recorded on
//! its row: attempts, last error, the provider's message id and when it was sent.
//!
//! One conversation's replies are sent one after another, in the order they were written; when
//! one must wait for a retry, the replies behind it wait with it.

use crate::db::{Conn, Row};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{json, Value};
use tokio::sync::Notify;
use uuid::Uuid;

use super::channels::settings::{self, Sealed};
use super::Channel;
use crate::db::{count_column, uuid_column};
use crate::http::ApiError;
use crate::ops::metrics::{self, DeliveryOutcome};
use crate::retry::{self, OutboxWorker};
use crate::{db, AppState};

/// How replies are sent.
#[derive(Debug, Clone)]
pub struct ChatDeliveryConfig {
    /// Meta's Graph API (`https://graph.facebook.com`; tests point it at a mock).
    pub graph_url: String,
    /// The Graph API version called (`v23.0`).
    pub graph_version: String,
    /// Twilio's REST API (`https://api.twilio.com`; tests point it at a mock).
    pub twilio_url: String,
    /// Wait before the second attempt; doubles with each further attempt (at most an hour).
    pub retry_base: Duration,
    /// Attempts before a reply is marked failed.
    pub max_attempts: u32,
    /// How often the worker looks for due replies when nobody wakes it.
    pub poll_interval: Duration,
    /// Timeout of one attempt.
    pub timeout: Duration,
}

impl Default for ChatDeliveryConfig {
    fn default() -> Self {
        Self {
            graph_url: "https://graph.facebook.com".to_owned(),
            graph_version: "v23.0".to_owned(),
            twilio_url: "https://api.twilio.com".to_owned(),
            retry_base: Duration::from_secs(10),
            max_attempts: 8,
            poll_interval: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
        }
    }
}

/// The outbox of replies: its configuration, and the wake-up of its worker.
#[derive(Debug)]
pub struct ChatOutbox {
    config: ChatDeliveryConfig,
    due: Arc<Notify>,
}

impl ChatOutbox {
    /// The outbox, sending as `config` says.
    pub fn new(config: ChatDeliveryConfig) -> Self {
        Self {
            config,
            due: Arc::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ChatDeliveryConfig {
        &self.config
    }

    /// Tells the worker that replies were just committed, so that it sends them now rather than
    /// at its next poll. Call it after the commit: woken before, the worker could look before
    /// the rows are visible. A wake-up while the worker is busy is kept for its next wait.
    pub fn wake(&self) {
        self.due.notify_one();
    }
}

/// A reply for [`enqueue`].
#[derive(Debug, Clone)]
pub struct OutboxReply<'a> {
    /// The store.
    pub store_id: Uuid,
    /// The conversation.
    pub conversation_id: Uuid,
    /// The reply's row in `chat_messages`.
    pub message_id: Uuid,
    /// WhatsApp or Twilio (web chat replies are not sent).
    pub channel: Channel,
    /// The buyer's number, E.164 (`+34600111222`).
    pub recipient: &'a str,
    /// The text.
    pub body: &'a str,
}

/// Writes `replies` to the outbox in the caller's transaction, due at once. A conversation's
/// replies are sent in the order of their messages (`chat_messages.seq`).
pub async fn enqueue(conn: &mut Conn, replies: &[OutboxReply<'_>]) -> Result<(), ApiError> {
    let at = db::now();
    for reply in replies {
        crate::db::query(
            "INSERT INTO chat_outbox (id, store_id, conversation_id, message_id, channel, \
               recipient, body, status, attempts, next_attempt_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8, $8)",
        )
        .bind(Uuid::new_v4())
        .bind(reply.store_id)
        .bind(reply.conversation_id)
        .bind(reply.message_id)
        .bind(reply.channel.as_str())
        .bind(reply.recipient)
        .bind(reply.body)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The provider's id of a sent message (`wamid.…`, `SM…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderMessageId(pub String);

/// Why a message was not sent, and whether trying again may help: a network failure, a
/// timeout, 408, 429 or a 5xx may pass; another 4xx (a bad token, a number that is not on
/// WhatsApp) will not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct SendError {
    /// What went wrong, for the outbox's `last_error` (never a secret).
    pub reason: String,
    /// Whether to retry.
    pub retry: bool,
}

impl SendError {
    fn permanent(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            retry: false,
        }
    }
}

/// A service that delivers a text to a buyer's number.
#[async_trait]
pub trait MessagingProvider: Send + Sync {
    /// Sends `body` to `to` (E.164, `+34600111222`).
    async fn send(&self, to: &str, body: &str) -> Result<ProviderMessageId, SendError>;
}

/// Longest provider error kept in `last_error`.
const MAX_ERROR_CHARS: usize = 300;

/// The provider's answer as JSON, or why the call failed. Both providers answer errors in JSON:
/// Graph as `{"error": {"message", "code"}}`, Twilio as `{"message", "code"}`.
async fn answer(sent: Result<reqwest::Response, reqwest::Error>) -> Result<Value, SendError> {
    let response = sent.map_err(|error| SendError {
        reason: if error.is_timeout() {
            "timed out".to_owned()
        } else if error.is_connect() {
            "connection failed".to_owned()
        } else {
            "request failed".to_owned()
        },
        retry: true,
    })?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if status.is_success() {
        return Ok(body);
    }
    let error = body.get("error").unwrap_or(&body);
    let mut reason = format!("HTTP {}", status.as_u16());
    if let Some(code) = error.get("code").filter(|code| !code.is_null()) {
        reason.push_str(&format!(" (code {code})"));
    }
    if let Some(message) = error.get("message").and_then(Value::as_str) {
        reason.push_str(": ");
        reason.extend(message.chars().take(MAX_ERROR_CHARS));
    }
    let retry = status.is_server_error()
        || status == reqwest::StatusCode::TOO_MANY_REQUESTS
        || status == reqwest::StatusCode::REQUEST_TIMEOUT;
    Err(SendError { reason, retry })
}

/// The provider's id in a successful answer; a missing one is logged, not a failure (the
/// message went, and sending it again would send it twice).
fn message_id(answer: &Value, pointer: &str) -> ProviderMessageId {
    let id = answer.pointer(pointer).and_then(Value::as_str);
    if id.is_none() {
        tracing::warn!(pointer, "a sent chat reply's answer holds no message id");
    }
    ProviderMessageId(id.unwrap_or_default().to_owned())
}

/// Meta's Graph API: `POST /{version}/{phone number id}/messages` with the number's access
/// token.
pub struct GraphApi {
    http: reqwest::Client,
    messages_url: String,
    access_token: String,
    timeout: Duration,
}

impl std::fmt::Debug for GraphApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphApi")
            .field("messages_url", &self.messages_url)
            .finish_non_exhaustive()
    }
}

impl GraphApi {
    /// Sends from `phone_number_id` with `access_token`.
    pub fn new(
        http: reqwest::Client,
        config: &ChatDeliveryConfig,
        phone_number_id: &str,
        access_token: String,
    ) -> Self {
        Self {
            http,
            messages_url: format!(
                "{}/{}/{phone_number_id}/messages",
                config.graph_url.trim_end_matches('/'),
                config.graph_version
            ),
            access_token,
            timeout: config.timeout,
        }
    }
}

#[async_trait]
impl MessagingProvider for GraphApi {
    async fn send(&self, to: &str, body: &str) -> Result<ProviderMessageId, SendError> {
        let sent = self
            .http
            .post(&self.messages_url)
            .bearer_auth(&self.access_token)
            .timeout(self.timeout)
            .json(&json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                // WhatsApp ids are numbers without the `+`.
                "to": to.trim_start_matches('+'),
                "type": "text",
                "text": { "body": body },
            }))
            .send()
            .await;
        Ok(message_id(&answer(sent).await?, "/messages/0/id"))
    }
}

/// Twilio's REST API: `POST /2010-04-01/Accounts/{sid}/Messages.json` with the account's SID
/// and auth token, from the store's WhatsApp sender.
pub struct TwilioApi {
    http: reqwest::Client,
    messages_url: String,
    account_sid: String,
    auth_token: String,
    sender: String,
    timeout: Duration,
}

impl std::fmt::Debug for TwilioApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioApi")
            .field("messages_url", &self.messages_url)
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

impl TwilioApi {
    /// Sends from `sender` (`whatsapp:+…`) of account `account_sid`.
    pub fn new(
        http: reqwest::Client,
        config: &ChatDeliveryConfig,
        account_sid: &str,
        auth_token: String,
        sender: &str,
    ) -> Self {
        Self {
            http,
            messages_url: format!(
                "{}/2010-04-01/Accounts/{account_sid}/Messages.json",
                config.twilio_url.trim_end_matches('/')
            ),
            account_sid: account_sid.to_owned(),
            auth_token,
            sender: sender.to_owned(),
            timeout: config.timeout,
        }
    }
}

#[async_trait]
impl MessagingProvider for TwilioApi {
    async fn send(&self, to: &str, body: &str) -> Result<ProviderMessageId, SendError> {
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("From", &self.sender)
            .append_pair("To", &format!("whatsapp:{to}"))
            .append_pair("Body", body)
            .finish();
        let sent = self
            .http
            .post(&self.messages_url)
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .timeout(self.timeout)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form)
            .send()
            .await;
        Ok(message_id(&answer(sent).await?, "/sid"))
    }
}

/// The provider that sends `channel`'s replies for the store, from its settings.
async fn provider(
    state: &AppState,
    store_id: Uuid,
    channel: &str,
) -> Result<Box<dyn MessagingProvider>, SendError> {
    let mut conn = state.db.pool.acquire().await.map_err(|_| SendError {
        reason: "the database is unavailable".to_owned(),
        retry: true,
    })?;
    let unavailable = |_| SendError {
        reason: "the channel's settings could not be read".to_owned(),
        retry: true,
    };
    let key = state.keys.capabilities.sealing();
    let config = state.chat_outbox.config();
    match Channel::parse(channel) {
        Some(Channel::Whatsapp) => {
            let settings = settings::whatsapp(&mut conn, store_id)
                .await
                .map_err(unavailable)?
                .ok_or_else(|| SendError::permanent("the store has no WhatsApp channel"))?;
            let token = settings
                .access_token_sealed
                .as_deref()
                .ok_or_else(|| SendError::permanent("the WhatsApp channel has no access token"))?;
            let token = Sealed::AccessToken
                .open(key, store_id, token)
                .ok_or_else(|| SendError::permanent("the access token cannot be opened"))?;
            Ok(Box::new(GraphApi::new(
                state.http.clone(),
                config,
                &settings.phone_number_id,
                token,
            )))
        }
        Some(Channel::Twilio) => {
            let settings = settings::twilio(&mut conn, store_id)
                .await
                .map_err(unavailable)?
                .ok_or_else(|| SendError::permanent("the store has no Twilio channel"))?;
            let token = Sealed::AuthToken
                .open(key, store_id, &settings.auth_token_sealed)
                .ok_or_else(|| SendError::permanent("the auth token cannot be opened"))?;
            Ok(Box::new(TwilioApi::new(
                state.http.clone(),
                config,
                &settings.account_sid,
                token,
                &settings.sender,
            )))
        }
        Some(Channel::Web) | None => Err(SendError::permanent(format!(
            "replies are not sent on channel {channel:?}"
        ))),
    }
}

/// Starts the worker that sends due replies; [`ChatOutbox::wake`] makes it look at once.
pub fn spawn_delivery_worker(state: AppState) -> OutboxWorker {
    let poll = state.chat_outbox.config.poll_interval;
    let wake = Arc::clone(&state.chat_outbox.due);
    OutboxWorker::spawn("chat", poll, wake, move || {
        let state = state.clone();
        async move { send_due(&state).await }
    })
}

/// A reply claimed for an attempt.
struct Due {
    id: Uuid,
    store_id: Uuid,
    conversation_id: Uuid,
    channel: String,
    recipient: String,
    body: String,
    attempts: u32,
}

fn due_from_row(row: &Row) -> Result<Due, sqlx::Error> {
    Ok(Due {
        id: uuid_column(row, "id")?,
        store_id: uuid_column(row, "store_id")?,
        conversation_id: uuid_column(row, "conversation_id")?,
        channel: row.try_get("channel")?,
        recipient: row.try_get("recipient")?,
        body: row.try_get("body")?,
        attempts: count_column(row, "attempts")?,
    })
}

/// Attempts every due reply once (up to a batch): conversations in parallel, each one's replies
/// in order. Returns how many were claimed.
pub async fn send_due(state: &AppState) -> Result<usize, ApiError> {
    let now = db::now();
    let rows = crate::db::query(&format!(
        "SELECT o.id, o.store_id, o.conversation_id, o.channel, o.recipient, o.body, \
           o.attempts, o.next_attempt_at FROM chat_outbox o \
         JOIN chat_messages m ON m.id = o.message_id AND m.store_id = o.store_id \
         WHERE o.status = 'pending' AND o.next_attempt_at <= $1 \
         ORDER BY o.created_at, m.seq LIMIT {}",
        retry::BATCH
    ))
    .bind(now)
    .fetch_all(&state.db.pool)
    .await?;
    let lease_until = now + retry::claim_lease(state.chat_outbox.config().timeout);
    let claimed = retry::claim_due(&state.db.writer, "chat_outbox", &rows, lease_until, |row| {
        due_from_row(row).map(|due| (due.id, due))
    })
    .await?;
    let count = claimed.len();
    let mut conversations: Vec<Vec<Due>> = Vec::new();
    for due in claimed {
        match conversations
            .iter_mut()
            .find(|replies| replies[0].conversation_id == due.conversation_id)
        {
            Some(replies) => replies.push(due),
            None => conversations.push(vec![due]),
        }
    }
    retry::attempt_all(conversations, |replies| {
        let state = state.clone();
        async move { send_in_order(&state, replies).await }
    })
    .await;
    Ok(count)
}

/// Sends one conversation's replies in order. Once one must wait for a retry, the ones behind it
/// are put back to become due with it (not counted as attempts), so they stay behind it.
async fn send_in_order(state: &AppState, replies: Vec<Due>) {
    let mut held_until: Option<time::OffsetDateTime> = None;
    for due in replies {
        let recorded = match &held_until {
            Some(until) => hold(state, &due, *until).await.map(|()| None),
            None => {
                let outcome = match provider(state, due.store_id, &due.channel).await {
                    Ok(provider) => provider.send(&due.recipient, &due.body).await,
                    Err(error) => Err(error),
                };
                record(state, &due, outcome).await
            }
        };
        match recorded {
            Ok(next) => held_until = held_until.or(next),
            Err(error) => {
                tracing::warn!(?error, reply = %due.id, "cannot record a chat reply's attempt");
            }
        }
    }
}

async fn hold(state: &AppState, due: &Due, until: time::OffsetDateTime) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE chat_outbox SET next_attempt_at = $1 WHERE id = $2")
        .bind(until)
        .bind(due.id)
        .execute(&state.db.writer)
        .await
        .map(drop)
}

/// Records an attempt; returns when the reply is tried again, if it will be.
async fn record(
    state: &AppState,
    due: &Due,
    outcome: Result<ProviderMessageId, SendError>,
) -> Result<Option<time::OffsetDateTime>, sqlx::Error> {
    let now = db::now();
    let attempts = due.attempts.saturating_add(1);
    let config = state.chat_outbox.config();
    match outcome {
        Ok(ProviderMessageId(id)) => {
            metrics::delivery("chat", DeliveryOutcome::Sent);
            crate::db::query(
                "UPDATE chat_outbox SET status = 'sent', attempts = $1, last_error = NULL, \
                   next_attempt_at = NULL, provider_message_id = $2, sent_at = $3, \
                   updated_at = $3 WHERE id = $4",
            )
            .bind(i64::from(attempts))
            .bind((!id.is_empty()).then_some(id))
            .bind(now)
            .bind(due.id)
            .execute(&state.db.writer)
            .await?;
            Ok(None)
        }
        Err(failure) => {
            let given_up = !failure.retry || attempts >= config.max_attempts;
            metrics::delivery(
                "chat",
                if given_up {
                    DeliveryOutcome::Failed
                } else {
                    DeliveryOutcome::Retrying
                },
            );
            let next = (!given_up).then(|| {
                let wait = retry::backoff(config.retry_base, attempts);
                let wait = time::Duration::try_from(wait).unwrap_or(time::Duration::HOUR);
                now + wait
            });
            tracing::warn!(
                reply = %due.id,
                channel = %due.channel,
                attempts,
                given_up,
                error = %failure.reason,
                "chat reply not sent"
            );
            crate::db::query(
                "UPDATE chat_outbox SET status = $1, attempts = $2, last_error = $3, \
                   next_attempt_at = $4, updated_at = $5 WHERE id = $6",
            )
            .bind(if given_up { "failed" } else { "pending" })
            .bind(i64::from(attempts))
            .bind(&failure.reason)
            .bind(next)
            .bind(now)
            .bind(due.id)
            .execute(&state.db.writer)
            .await?;
            Ok(next)
        }
    }
}
