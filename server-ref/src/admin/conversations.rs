//! Conversations (admin): buyers' chats with the store, the ones waiting for a person, staff
//! replies in the same thread, the conversation events (seed 001) with CSV export, and their
//! analytics: intent success per intent and language, and conversations that reached an order.

use crate::db::Row;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use colmena_sdk::contract::{
    ApiResponse, ChatChannel, ChatIntent, Conversation, ConversationAnalytics, ConversationEvent,
    ConversationEventQuery, ConversationEventType, ConversationQuery, ConversationStatus,
    ConversationThread, ConversationUpdate, IntentSuccess, NoData, Permission, StaffReply,
};
use uuid::Uuid;

use crate::admin::{time_range, AdminContext};
use crate::audit::{Entity, Entry};
use crate::chat::conversations::{recent_messages, set_status, staff_reply};
use crate::db::{json_column, optional_uuid_column, total_column, uuid_column, Bind, Value};
use crate::http::{ok, ApiError, JsonBody, PageBounds, PathParams, QueryParams};
use crate::{db, AppState};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Messages a thread shows (the latest).
const THREAD_MESSAGES: i64 = 200;
/// Most events one CSV export holds.
const MAX_EXPORT: i64 = 100_000;

/// The conversation routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_conversations))
        .routes(routes!(get_conversation, update_conversation))
        .routes(routes!(reply))
        .routes(routes!(list_events))
        .routes(routes!(analytics))
}

const CONVERSATION_COLUMNS: &str = "c.id, c.channel, c.buyer, c.buyer_name, c.status, \
    c.language, c.cart_id, c.order_id, c.created_at, c.last_message_at, \
    (SELECT m.body FROM chat_messages m WHERE m.conversation_id = c.id \
     ORDER BY m.seq DESC LIMIT 1) AS last_message";

fn parsed<T>(column: &str, text: &str, parse: fn(&str) -> Option<T>) -> Result<T, ApiError> {
    parse(text).ok_or_else(|| ApiError::internal(format!("unknown {column} {text:?}")))
}

fn conversation_from_row(row: &Row) -> Result<Conversation, ApiError> {
    let channel = parsed(
        "channel",
        &row.try_get::<String, _>("channel")?,
        ChatChannel::parse,
    )?;
    let buyer: String = row.try_get("buyer")?;
    Ok(Conversation {
        id: uuid_column(row, "id")?,
        channel,
        // A web chat's buyer is its session's digest: a bearer of the conversation.
        buyer: if channel == ChatChannel::Web {
            "web".to_owned()
        } else {
            buyer
        },
        buyer_name: row.try_get("buyer_name")?,
        status: parsed(
            "status",
            &row.try_get::<String, _>("status")?,
            ConversationStatus::parse,
        )?,
        language: row.try_get("language")?,
        cart_id: optional_uuid_column(row, "cart_id")?,
        order_id: optional_uuid_column(row, "order_id")?,
        last_message: row.try_get("last_message")?,
        created_at: row.try_get::<String, _>("created_at")?.into(),
        last_message_at: row.try_get::<String, _>("last_message_at")?.into(),
    })
}

/// The store's conversations, latest activity first; `status=waiting_human` lists those a
/// person must answer.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/conversations", tag = "admin-chat",
    params(("store" = String, Path, description = "Store slug"), ConversationQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of conversations", body = ApiResponse<Vec<Conversation>>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `orders.read`", body = ApiResponse<NoData>),
    ))]
pub async fn list_conversations(
    State(state): State<AppState>,
    ctx: AdminContext,
    QueryParams(query): QueryParams<ConversationQuery>,
) -> Result<Json<ApiResponse<Vec<Conversation>>>, ApiError> {
    ctx.require(Permission::OrdersRead)?;
    let bounds = PageBounds::new(query.limit, query.offset)?;
    // Absent filters bind as '' and match everything, keeping one statement.
    let filter = "WHERE c.store_id = $1 AND ($2 = '' OR c.status = $2) \
                  AND ($3 = '' OR c.channel = $3)";
    let status = query.status.map_or("", ConversationStatus::as_str);
    let channel = query.channel.map_or("", ChatChannel::as_str);
    let total = total_column(
        &crate::db::query(&format!(
            "SELECT COUNT(*) AS n FROM chat_conversations c {filter}"
        ))
        .bind(ctx.store.id)
        .bind(status)
        .bind(channel)
        .fetch_one(&state.db.pool)
        .await?,
        "n",
    )?;
    let rows = crate::db::query(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM chat_conversations c {filter} \
         ORDER BY c.last_message_at DESC, c.id LIMIT $4 OFFSET $5"
    ))
    .bind(ctx.store.id)
    .bind(status)
    .bind(channel)
    .bind(bounds.sql_limit())
    .bind(bounds.sql_offset())
    .fetch_all(&state.db.pool)
    .await?;
    let conversations = rows
        .iter()
        .map(conversation_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(bounds.answer(conversations, total))
}

async fn thread(
    state: &AppState,
    store_id: Uuid,
    conversation_id: Uuid,
) -> Result<ConversationThread, ApiError> {
    let row = crate::db::query(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM chat_conversations c \
         WHERE c.id = $1 AND c.store_id = $2"
    ))
    .bind(conversation_id)
    .bind(store_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| ApiError::not_found("conversation", &conversation_id.to_string()))?;
    let conversation = conversation_from_row(&row)?;
    let messages =
        recent_messages(&state.db.pool, store_id, conversation_id, THREAD_MESSAGES).await?;
    Ok(ConversationThread {
        conversation,
        messages,
    })
}

/// A conversation and its last 200 messages, oldest first.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/conversations/{conversationId}", tag = "admin-chat",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("conversationId" = Uuid, Path, description = "Conversation id"),
    ),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The thread", body = ApiResponse<ConversationThread>),
        (status = 403, description = "`FORBIDDEN`: no `orders.read`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
    ))]
pub async fn get_conversation(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, conversation_id)): PathParams<(String, Uuid)>,
) -> Result<Json<ApiResponse<ConversationThread>>, ApiError> {
    ctx.require(Permission::OrdersRead)?;
    Ok(ok(thread(&state, ctx.store.id, conversation_id).await?))
}

/// Hands a conversation back to the assistant (`open`) or ends it (`closed`).
#[utoipa::path(patch, path = "/api/v1/admin/stores/{store}/conversations/{conversationId}", tag = "admin-chat",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("conversationId" = Uuid, Path, description = "Conversation id"),
    ),
    request_body = ConversationUpdate,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The thread", body = ApiResponse<ConversationThread>),
        (status = 400, description = "`VALIDATION_ERROR`: `status` must be `open` or `closed`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `orders.write`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the conversation is closed", body = ApiResponse<NoData>),
    ))]
pub async fn update_conversation(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, conversation_id)): PathParams<(String, Uuid)>,
    JsonBody(update): JsonBody<ConversationUpdate>,
) -> Result<Json<ApiResponse<ConversationThread>>, ApiError> {
    ctx.require(Permission::OrdersWrite)?;
    let mut tx = state.db.begin_write().await?;
    let before = set_status(&mut tx, ctx.store.id, conversation_id, update.status).await?;
    let entry = Entry::updated(
        Entity::Conversation,
        conversation_id,
        &serde_json::json!({ "status": before }),
        &serde_json::json!({ "status": update.status }),
    )?;
    ctx.commit(tx, entry).await?;
    Ok(ok(thread(&state, ctx.store.id, conversation_id).await?))
}

/// A person from the store answers the buyer in the thread: sent on the conversation's
/// channel (WhatsApp and Twilio from the outbox; the widget's chat shows it on its next read).
#[utoipa::path(post, path = "/api/v1/admin/stores/{store}/conversations/{conversationId}/replies", tag = "admin-chat",
    params(
        ("store" = String, Path, description = "Store slug"),
        ("conversationId" = Uuid, Path, description = "Conversation id"),
    ),
    request_body = StaffReply,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The thread with the reply", body = ApiResponse<ConversationThread>),
        (status = 400, description = "`VALIDATION_ERROR`: empty or too long `text`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `orders.write`", body = ApiResponse<NoData>),
        (status = 404, description = "`NOT_FOUND`", body = ApiResponse<NoData>),
        (status = 409, description = "`CONFLICT`: the conversation is closed", body = ApiResponse<NoData>),
    ))]
pub async fn reply(
    State(state): State<AppState>,
    ctx: AdminContext,
    PathParams((_, conversation_id)): PathParams<(String, Uuid)>,
    JsonBody(body): JsonBody<StaffReply>,
) -> Result<(StatusCode, Json<ApiResponse<ConversationThread>>), ApiError> {
    ctx.require(Permission::OrdersWrite)?;
    let mut tx = state.db.begin_write().await?;
    staff_reply(&mut tx, ctx.store.id, conversation_id, &body.text).await?;
    // The log says who answered, not what: the thread keeps the text.
    let entry = Entry::new(
        "reply",
        Entity::Conversation,
        conversation_id,
        None::<&()>,
        Some(&serde_json::json!({ "characters": body.text.trim().chars().count() })),
    )?;
    ctx.commit(tx, entry).await?;
    state.chat_outbox.wake();
    Ok((
        StatusCode::CREATED,
        ok(thread(&state, ctx.store.id, conversation_id).await?),
    ))
}

/// The conversation events, newest first: a page of JSON, or with `format=csv` every matching
/// event as a CSV file (at most 100,000).
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/conversation-events", tag = "admin-chat",
    params(("store" = String, Path, description = "Store slug"), ConversationEventQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of events (JSON), or all of them (`text/csv`)", body = ApiResponse<Vec<ConversationEvent>>),
        (status = 400, description = "`VALIDATION_ERROR`, naming the parameter", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `analytics.read`", body = ApiResponse<NoData>),
    ))]
pub async fn list_events(
    State(state): State<AppState>,
    ctx: AdminContext,
    QueryParams(query): QueryParams<ConversationEventQuery>,
) -> Result<Response, ApiError> {
    ctx.require(Permission::AnalyticsRead)?;
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::invalid_field("format", "must be `json` or `csv`")),
    };
    if query
        .language
        .as_deref()
        .is_some_and(|language| language.len() > 35)
    {
        return Err(ApiError::invalid_field(
            "language",
            "must be a language tag",
        ));
    }
    let (from, to) = time_range(query.from.as_deref(), query.to.as_deref())?;
    let bounds = PageBounds::new(query.limit, query.offset)?;
    let filter = "WHERE store_id = $1 AND created_at >= $2 AND created_at < $3 \
                  AND ($4 = '' OR event_type = $4) AND ($5 IS NULL OR conversation_id = $5) \
                  AND ($6 = '' OR channel = $6) AND ($7 = '' OR intent = $7) \
                  AND ($8 = '' OR language = $8)";
    let binds = [
        Value::Uuid(ctx.store.id),
        Value::Time(from),
        Value::Time(to),
        Value::Text(
            query
                .event_type
                .map_or_else(String::new, |kind| kind.as_str().to_owned()),
        ),
        query.conversation_id.into_value(),
        Value::Text(
            query
                .channel
                .map_or_else(String::new, |channel| channel.as_str().to_owned()),
        ),
        Value::Text(
            query
                .intent
                .map_or_else(String::new, |intent| intent.as_str().to_owned()),
        ),
        Value::Text(query.language.unwrap_or_default()),
    ];
    let (limit, offset) = if csv {
        (MAX_EXPORT, 0)
    } else {
        (bounds.sql_limit(), bounds.sql_offset())
    };
    let sql = format!(
        "SELECT id, conversation_id, event_type, channel, intent, language, payload, created_at \
         FROM conversation_events {filter} \
         ORDER BY created_at DESC, conversation_id, seq DESC LIMIT $9 OFFSET $10"
    );
    let mut select = crate::db::query(&sql);
    for bind in &binds {
        select = select.bind(bind.clone());
    }
    let rows = select
        .bind(limit)
        .bind(offset)
        .fetch_all(&state.db.pool)
        .await?;
    let events = rows
        .iter()
        .map(|row| {
            let intent: Option<String> = row.try_get("intent")?;
            Ok(ConversationEvent {
                id: uuid_column(row, "id")?,
                conversation_id: uuid_column(row, "conversation_id")?,
                event_type: parsed(
                    "event type",
                    &row.try_get::<String, _>("event_type")?,
                    ConversationEventType::parse,
                )?,
                channel: parsed(
                    "channel",
                    &row.try_get::<String, _>("channel")?,
                    ChatChannel::parse,
                )?,
                intent: intent
                    .map(|intent| parsed("intent", &intent, ChatIntent::parse))
                    .transpose()?,
                language: row.try_get("language")?,
                payload: json_column(row, "payload")?,
                created_at: row.try_get::<String, _>("created_at")?.into(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    if csv {
        return events_csv(&ctx.store.slug, &events);
    }
    let count_sql = format!("SELECT COUNT(*) AS n FROM conversation_events {filter}");
    let mut count = crate::db::query(&count_sql);
    for bind in &binds {
        count = count.bind(bind.clone());
    }
    let total = total_column(&count.fetch_one(&state.db.pool).await?, "n")?;
    Ok(bounds.answer(events, total).into_response())
}

/// The events as a CSV file, one row each.
fn events_csv(store_slug: &str, events: &[ConversationEvent]) -> Result<Response, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |error: csv::Error| ApiError::internal(format!("writing CSV: {error}"));
    writer
        .write_record([
            "id",
            "created_at",
            "conversation_id",
            "type",
            "channel",
            "intent",
            "language",
            "payload",
        ])
        .map_err(failed)?;
    for event in events {
        writer
            .write_record([
                event.id.to_string(),
                event.created_at.to_string(),
                event.conversation_id.to_string(),
                event.event_type.as_str().to_owned(),
                event.channel.as_str().to_owned(),
                event
                    .intent
                    .map_or_else(String::new, |i| i.as_str().to_owned()),
                event.language.clone().unwrap_or_default(),
                event.payload.to_string(),
            ])
            .map_err(failed)?;
    }
    let body = writer
        .into_inner()
        .map_err(|error| ApiError::internal(format!("writing CSV: {error}")))?;
    let disposition = format!("attachment; filename=\"{store_slug}-conversation-events.csv\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .map_err(|error| ApiError::internal(format!("CSV file name: {error}")))?,
            ),
        ],
        body,
    )
        .into_response())
}

fn success(
    intent: Option<ChatIntent>,
    language: Option<String>,
    recognized: u64,
    failed: u64,
) -> IntentSuccess {
    IntentSuccess {
        intent,
        language,
        recognized,
        failed,
        success_rate: rate(recognized, recognized + failed),
    }
}

fn rate(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Conversations and how well they went over a period (default: the last 30 days): messages,
/// intent success per intent and language, and conversations that reached a paid order.
#[utoipa::path(get, path = "/api/v1/admin/stores/{store}/conversation-analytics", tag = "admin-chat",
    operation_id = "conversation_analytics",
    params(("store" = String, Path, description = "Store slug"), colmena_sdk::contract::AnalyticsQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The analytics", body = ApiResponse<ConversationAnalytics>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ApiResponse<NoData>),
        (status = 403, description = "`FORBIDDEN`: no `analytics.read`", body = ApiResponse<NoData>),
    ))]
pub async fn analytics(
    State(state): State<AppState>,
    ctx: AdminContext,
    QueryParams(query): QueryParams<colmena_sdk::contract::AnalyticsQuery>,
) -> Result<Json<ApiResponse<ConversationAnalytics>>, ApiError> {
    ctx.require(Permission::AnalyticsRead)?;
    let default_from =
        db::timestamp_text(time::OffsetDateTime::now_utc() - time::Duration::days(30));
    let (from, to) = time_range(
        Some(query.from.as_deref().unwrap_or(&default_from)),
        query.to.as_deref(),
    )?;
    // PostgreSQL sums into NUMERIC; the casts keep both engines on 64-bit integers.
    let count_of = |kind: ConversationEventType| {
        format!(
            "CAST(COALESCE(SUM(CASE WHEN event_type = '{}' THEN 1 ELSE 0 END), 0) AS BIGINT)",
            kind.as_str()
        )
    };
    let totals = crate::db::query(&format!(
        "SELECT {} AS started, {} AS received, {} AS sent, {} AS links \
         FROM conversation_events WHERE store_id = $1 AND created_at >= $2 AND created_at < $3",
        count_of(ConversationEventType::ConversationStarted),
        count_of(ConversationEventType::MessageReceived),
        count_of(ConversationEventType::MessageSent),
        count_of(ConversationEventType::CheckoutLinkSent),
    ))
    .bind(ctx.store.id)
    .bind(from)
    .bind(to)
    .fetch_one(&state.db.pool)
    .await?;
    // Conversations started in the period that reached an order, whenever they did.
    let converted = crate::db::query(
        "SELECT COUNT(DISTINCT s.conversation_id) AS n FROM conversation_events s \
         JOIN conversation_events o ON o.conversation_id = s.conversation_id \
           AND o.store_id = s.store_id AND o.event_type = 'order_placed' \
         WHERE s.store_id = $1 AND s.event_type = 'conversation_started' \
           AND s.created_at >= $2 AND s.created_at < $3",
    )
    .bind(ctx.store.id)
    .bind(from)
    .bind(to)
    .fetch_one(&state.db.pool)
    .await?;
    let rows = crate::db::query(&format!(
        "SELECT intent, language, {} AS recognized, {} AS failed \
         FROM conversation_events \
         WHERE store_id = $1 AND created_at >= $2 AND created_at < $3 \
           AND event_type IN ('intent_recognized', 'intent_failed') \
         GROUP BY intent, language ORDER BY intent, language",
        count_of(ConversationEventType::IntentRecognized),
        count_of(ConversationEventType::IntentFailed),
    ))
    .bind(ctx.store.id)
    .bind(from)
    .bind(to)
    .fetch_all(&state.db.pool)
    .await?;
    let mut by_intent_and_language = Vec::new();
    for row in &rows {
        let intent: Option<String> = row.try_get("intent")?;
        by_intent_and_language.push(success(
            intent.and_then(|intent| ChatIntent::parse(&intent)),
            row.try_get("language")?,
            total_column(row, "recognized")?,
            total_column(row, "failed")?,
        ));
    }
    let rollup = |key: &dyn Fn(&IntentSuccess) -> IntentSuccess| {
        let mut groups: Vec<IntentSuccess> = Vec::new();
        for cell in &by_intent_and_language {
            let keyed = key(cell);
            match groups
                .iter_mut()
                .find(|group| group.intent == keyed.intent && group.language == keyed.language)
            {
                Some(group) => {
                    group.recognized += cell.recognized;
                    group.failed += cell.failed;
                }
                None => groups.push(IntentSuccess {
                    recognized: cell.recognized,
                    failed: cell.failed,
                    ..keyed
                }),
            }
        }
        for group in &mut groups {
            group.success_rate = rate(group.recognized, group.recognized + group.failed);
        }
        groups
    };
    let by_intent = rollup(&|cell| success(cell.intent, None, 0, 0));
    let by_language = rollup(&|cell| success(None, cell.language.clone(), 0, 0));
    let recognized: u64 = by_intent.iter().map(|group| group.recognized).sum();
    let failed: u64 = by_intent.iter().map(|group| group.failed).sum();
    let conversations = total_column(&totals, "started")?;
    let conversations_with_order = total_column(&converted, "n")?;
    Ok(ok(ConversationAnalytics {
        conversations,
        conversations_with_order,
        conversion_rate: rate(conversations_with_order, conversations),
        messages_received: total_column(&totals, "received")?,
        messages_sent: total_column(&totals, "sent")?,
        checkout_links_sent: total_column(&totals, "links")?,
        intent_success_rate: rate(recognized, recognized + failed),
        by_intent,
        by_language,
        by_intent_and_language,
    }))
}
