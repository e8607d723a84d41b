//! Conversations: one per buyer, channel and store, each bound to a server cart. Every message
//! is interpreted, applied to that cart and answered in the buyer's language; replies to
//! WhatsApp and Twilio buyers go to `chat_outbox` in the same transaction, so a rolled-back
//! message sends nothing and a committed one is never lost.
//!
//! A buyer who asks for a person, or is not understood three times in a row, is handed over:
//! the conversation waits for staff, who answer in the same thread (admin API). Meanwhile
//! plain requests (add, remove, show the cart, pay) are still carried out, and everything
//! else waits for staff.

use crate::db::{Conn, Pool};
use std::sync::LazyLock;

use colmena_sdk::chat::LOW_CONFIDENCE;
use colmena_sdk::contract::{
    AddCartItemRequest, Cart, ChatAuthor, ChatChannel, ChatIntent, ChatInterpretRequest, ChatItem,
    ChatMessage, ChatThread, ConversationEventType, ConversationStatus, ErrorCode, Interpretation,
    MAX_CHAT_TEXT_CHARS,
};
use colmena_sdk::money::format_money;
use uuid::Uuid;

use super::catalog::{store_catalog, StoreCatalog};
use super::delivery::{enqueue, OutboxReply};
use super::InboundMessage;
use crate::carts::{
    add_item, cart_lines, cart_status, check_stock, line_variant, load_cart, touch_open_cart,
};
use crate::db::{self, json_text, optional_uuid_column, uuid_column};
use crate::http::ApiError;
use crate::l10n::{Source, Translations};
use crate::AppState;

/// The languages replies are written in, English first: the fallback.
const LANGUAGES: [Source; 5] = [
    ("en", include_str!("locales/en.ftl")),
    ("es", include_str!("locales/es.ftl")),
    ("fr", include_str!("locales/fr.ftl")),
    ("pt", include_str!("locales/pt.ftl")),
    ("sw", include_str!("locales/sw.ftl")),
];

static REPLIES: LazyLock<Translations> = LazyLock::new(|| Translations::new(&LANGUAGES));

/// Messages in a row not understood (or with low confidence) that hand a conversation over to
/// staff.
const HANDOVER_STREAK: i64 = 3;
/// Products a search reply lists.
const SEARCH_RESULTS: usize = 5;

/// What became of a buyer's message.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The conversation it belongs to.
    pub conversation_id: Uuid,
    /// What it was understood as; `None` for a replay.
    pub interpretation: Option<Interpretation>,
    /// The replies, in order. For WhatsApp and Twilio they are already in `chat_outbox`.
    pub replies: Vec<String>,
    /// The message id was seen before: nothing was done.
    pub replayed: bool,
    /// The conversation's cart, once it has one.
    pub cart_id: Option<Uuid>,
    /// The hosted checkout page, when the buyer asked to pay.
    pub checkout_url: Option<String>,
}

/// The store as a conversation needs it.
struct StoreVoice {
    id: Uuid,
    slug: String,
    name: String,
    /// Its language (`fr`): the catalog's names are in it.
    language: String,
    currency: String,
}

/// An open conversation, as read at the start of a message.
struct Conversation {
    id: Uuid,
    channel: ChatChannel,
    buyer: String,
    status: ConversationStatus,
    cart_id: Option<Uuid>,
    streak: i64,
    last: Option<Interpretation>,
    /// Created by this message.
    started: bool,
}

/// Writes a conversation's events.
struct Events {
    store_id: Uuid,
    conversation_id: Uuid,
    channel: ChatChannel,
}

impl Events {
    async fn write(
        &self,
        conn: &mut Conn,
        kind: ConversationEventType,
        interpretation: Option<&Interpretation>,
        payload: serde_json::Value,
    ) -> Result<(), ApiError> {
        crate::db::query(
            "INSERT INTO conversation_events \
               (id, store_id, conversation_id, event_type, channel, intent, language, payload, \
                created_at, seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
               (SELECT COALESCE(MAX(seq), 0) + 1 FROM conversation_events \
                WHERE conversation_id = $3))",
        )
        .bind(Uuid::new_v4())
        .bind(self.store_id)
        .bind(self.conversation_id)
        .bind(kind.as_str())
        .bind(self.channel.as_str())
        .bind(interpretation.map(|i| i.intent.as_str()))
        .bind(interpretation.map(|i| i.language.clone()))
        .bind(json_text(&payload)?)
        .bind(db::now())
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

/// A reply being written, line by line, in one language.
struct Reply<'a> {
    language: usize,
    store: &'a StoreVoice,
    lines: Vec<String>,
    checkout_url: Option<String>,
}

impl<'a> Reply<'a> {
    fn new(language: &str, store: &'a StoreVoice) -> Self {
        Self {
            language: REPLIES.choose(&[language, &store.language]),
            store,
            lines: Vec::new(),
            checkout_url: None,
        }
    }

    fn tag(&self) -> &'static str {
        REPLIES.tag(self.language)
    }

    fn text(&self, id: &str, args: &[(&str, &str)]) -> String {
        REPLIES.text(self.language, id, args)
    }

    fn say(&mut self, id: &str, args: &[(&str, &str)]) {
        let line = self.text(id, args);
        self.lines.push(line);
    }

    /// An amount in the store's currency, written as the reply's language writes it (as the
    /// widget does for the same buyer).
    fn money(&self, amount: i64) -> String {
        format_money(amount, &self.store.currency, self.tag())
    }
}

/// Refuses an empty or too long message.
pub fn check_text(text: &str) -> Result<&str, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid_field("text", "must not be empty"));
    }
    if text.chars().count() > MAX_CHAT_TEXT_CHARS {
        return Err(ApiError::invalid_field(
            "text",
            format_args!("must be at most {MAX_CHAT_TEXT_CHARS} characters"),
        ));
    }
    Ok(text)
}

/// Interprets `inbound`, applies it to its conversation's cart and writes the replies.
pub async fn receive(state: &AppState, inbound: InboundMessage) -> Result<Received, ApiError> {
    receive_with_cart(state, inbound, None).await
}

/// [`receive`], for a web chat whose page already has `cart_id`: the conversation takes it
/// while it is open.
pub async fn receive_with_cart(
    state: &AppState,
    inbound: InboundMessage,
    page_cart: Option<Uuid>,
) -> Result<Received, ApiError> {
    let text = check_text(&inbound.text)?;
    let store = store_voice(state, inbound.store_id).await?;
    let catalog = store_catalog(state, store.id, &store.language).await?;
    let mut tx = state.db.begin_write().await?;
    let mut conversation = open_conversation(&mut tx, &store, &inbound).await?;
    let recorded = record_message(
        &mut tx,
        store.id,
        conversation.id,
        ChatAuthor::Buyer,
        text,
        inbound.channel_message_id.as_deref(),
    )
    .await?;
    if !recorded {
        // A replay (providers retry deliveries): the first copy was answered.
        return Ok(Received {
            conversation_id: conversation.id,
            interpretation: None,
            replies: Vec::new(),
            replayed: true,
            cart_id: conversation.cart_id,
            checkout_url: None,
        });
    }
    // The page's cart, while open, is the conversation's: the shopper's cart on the page and
    // in the chat are one (also after the conversation's own cart was checked out, or when the
    // page started another).
    if let Some(cart_id) = page_cart.filter(|cart_id| conversation.cart_id != Some(*cart_id)) {
        if cart_is_open(&mut tx, store.id, cart_id).await? {
            conversation.cart_id = Some(cart_id);
        }
    }
    let events = Events {
        store_id: store.id,
        conversation_id: conversation.id,
        channel: conversation.channel,
    };
    if conversation.started {
        let payload = serde_json::json!({ "buyerName": inbound.buyer_name });
        events
            .write(
                &mut tx,
                ConversationEventType::ConversationStarted,
                None,
                payload,
            )
            .await?;
    }
    events
        .write(
            &mut tx,
            ConversationEventType::MessageReceived,
            None,
            serde_json::json!({ "characters": text.chars().count() }),
        )
        .await?;
    let in_cart = match conversation.cart_id {
        Some(cart_id) => products_in_cart(&mut tx, store.id, cart_id).await?,
        None => Vec::new(),
    };
    let interpretation = catalog.interpreter.interpret(&ChatInterpretRequest {
        text: text.to_owned(),
        locale: inbound.locale.clone(),
        previous: conversation.last.take(),
        in_cart,
    });
    let understood =
        interpretation.intent != ChatIntent::Unknown && interpretation.confidence >= LOW_CONFIDENCE;
    let verdict = if understood {
        ConversationEventType::IntentRecognized
    } else {
        ConversationEventType::IntentFailed
    };
    events
        .write(
            &mut tx,
            verdict,
            Some(&interpretation),
            serde_json::json!({
                "confidence": interpretation.confidence,
                "humanRequested": interpretation.human_requested,
                "question": interpretation.question.is_some(),
            }),
        )
        .await?;
    let mut reply = Reply::new(&interpretation.language, &store);
    let turn = Turn {
        state,
        store: &store,
        catalog: &catalog,
        events: &events,
        interpretation: &interpretation,
    };
    turn.act(&mut tx, &mut conversation, understood, &mut reply)
        .await?;
    let replies = if reply.lines.is_empty() {
        Vec::new()
    } else {
        vec![reply.lines.join("\n")]
    };
    for body in &replies {
        send(&mut tx, &events, &conversation, ChatAuthor::Assistant, body).await?;
    }
    crate::db::query(
        "UPDATE chat_conversations SET language = $1, pending_question = $2, \
           low_confidence_streak = $3, status = $4, cart_id = $5, updated_at = $6, \
           last_message_at = $6 \
         WHERE id = $7 AND store_id = $8",
    )
    .bind(reply.tag())
    .bind(json_text(&interpretation)?)
    .bind(conversation.streak)
    .bind(conversation.status.as_str())
    .bind(conversation.cart_id)
    .bind(db::now())
    .bind(conversation.id)
    .bind(store.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Received {
        conversation_id: conversation.id,
        interpretation: Some(interpretation),
        replies,
        replayed: false,
        cart_id: conversation.cart_id,
        checkout_url: reply.checkout_url,
    })
}

/// One message being acted on.
struct Turn<'a> {
    state: &'a AppState,
    store: &'a StoreVoice,
    catalog: &'a StoreCatalog,
    events: &'a Events,
    interpretation: &'a Interpretation,
}

impl Turn<'_> {
    async fn act(
        &self,
        conn: &mut Conn,
        conversation: &mut Conversation,
        understood: bool,
        reply: &mut Reply<'_>,
    ) -> Result<(), ApiError> {
        let interpretation = self.interpretation;
        let intent = interpretation.intent;
        if conversation.status == ConversationStatus::WaitingHuman {
            // Staff have the conversation: only plain cart requests are still carried out.
            let plain = understood
                && (intent.names_items()
                    || matches!(intent, ChatIntent::ViewCart | ChatIntent::Checkout));
            if !plain {
                return Ok(());
            }
        }
        if interpretation.human_requested {
            return self.hand_over(conversation, reply);
        }
        if !understood {
            conversation.streak += 1;
            if conversation.streak >= HANDOVER_STREAK {
                return self.hand_over(conversation, reply);
            }
            let example = self.example();
            reply.say("not-understood", &[("example", &example)]);
            return Ok(());
        }
        conversation.streak = 0;
        match intent {
            ChatIntent::AddToCart | ChatIntent::RemoveFromCart | ChatIntent::UpdateCart => {
                self.change_cart(conn, conversation, reply).await?;
                if let Some(question) = &interpretation.question {
                    reply.lines.push(question.text.clone());
                }
            }
            ChatIntent::ViewCart => self.summary(conn, conversation, reply).await?,
            ChatIntent::ClearCart => {
                if let Some(cart_id) = self.open_cart(conn, conversation).await? {
                    crate::db::query("DELETE FROM cart_items WHERE cart_id = $1 AND store_id = $2")
                        .bind(cart_id)
                        .bind(self.store.id)
                        .execute(&mut *conn)
                        .await?;
                    self.cart_updated(conn).await?;
                }
                reply.say("cleared", &[]);
            }
            ChatIntent::Checkout => self.checkout(conn, conversation, reply).await?,
            ChatIntent::Search => self.search(conn, reply).await?,
            ChatIntent::Help | ChatIntent::Unknown => {
                let example = self.example();
                reply.say(
                    "help",
                    &[("store", &self.store.name), ("example", &example)],
                );
            }
        }
        Ok(())
    }

    fn hand_over(
        &self,
        conversation: &mut Conversation,
        reply: &mut Reply<'_>,
    ) -> Result<(), ApiError> {
        conversation.streak = 0;
        conversation.status = ConversationStatus::WaitingHuman;
        reply.say("handover", &[("store", &self.store.name)]);
        Ok(())
    }

    /// A product name for examples: the catalog's shortest, in the buyer's language.
    fn example(&self) -> String {
        self.catalog
            .catalog
            .products
            .iter()
            .filter_map(|product| {
                self.catalog
                    .product_name(product.id, self.interpretation_language())
            })
            .min_by_key(|name| (name.chars().count(), *name))
            .unwrap_or("…")
            .to_lowercase()
    }

    fn interpretation_language(&self) -> &str {
        &self.interpretation.language
    }

    fn name(&self, product_id: Uuid) -> String {
        self.catalog
            .product_name(product_id, self.interpretation_language())
            .unwrap_or("?")
            .to_owned()
    }

    /// The conversation's cart if it is open, without creating one.
    async fn open_cart(
        &self,
        conn: &mut Conn,
        conversation: &mut Conversation,
    ) -> Result<Option<Uuid>, ApiError> {
        match conversation.cart_id {
            Some(cart_id) if cart_is_open(conn, self.store.id, cart_id).await? => {
                touch_open_cart(conn, self.store.id, cart_id).await?;
                Ok(Some(cart_id))
            }
            _ => {
                conversation.cart_id = None;
                Ok(None)
            }
        }
    }

    /// The conversation's open cart, created when it has none (or its last was checked out).
    async fn cart(
        &self,
        conn: &mut Conn,
        conversation: &mut Conversation,
    ) -> Result<Uuid, ApiError> {
        if let Some(cart_id) = self.open_cart(conn, conversation).await? {
            return Ok(cart_id);
        }
        let cart_id =
            crate::carts::insert_cart(conn, self.store.id, &self.store.currency, None).await?;
        conversation.cart_id = Some(cart_id);
        Ok(cart_id)
    }

    /// Adds, takes out or changes the interpretation's items, then shows the cart.
    async fn change_cart(
        &self,
        conn: &mut Conn,
        conversation: &mut Conversation,
        reply: &mut Reply<'_>,
    ) -> Result<(), ApiError> {
        let interpretation = self.interpretation;
        let settled: Vec<&ChatItem> = interpretation
            .items
            .iter()
            .filter(|item| {
                item.variant_id.is_some() || interpretation.intent != ChatIntent::AddToCart
            })
            .collect();
        if settled.is_empty() {
            if interpretation.question.is_none() {
                let example = self.example();
                reply.say("which-item", &[("example", &example)]);
            }
            return Ok(());
        }
        let cart_id = self.cart(conn, conversation).await?;
        let mut done = Vec::new();
        for item in settled {
            let name = self.name(item.product_id);
            let outcome = match interpretation.intent {
                ChatIntent::AddToCart => self.add(conn, cart_id, item).await,
                ChatIntent::RemoveFromCart => self.remove(conn, cart_id, item).await,
                _ => self.set(conn, cart_id, item).await,
            };
            match outcome {
                Ok(Some(quantity)) => done.push(format!("{quantity} × {name}")),
                Ok(None) => reply.say("not-in-cart", &[("product", &name)]),
                Err(error) if error.code() == ErrorCode::InternalError => return Err(error),
                Err(error) => {
                    let reason = match error.details().and_then(|details| details.available) {
                        Some(available) => {
                            reply.text("only-left", &[("available", &available.to_string())])
                        }
                        None => error.message().to_owned(),
                    };
                    reply.say("not-added", &[("product", &name), ("reason", &reason)]);
                }
            }
        }
        if !done.is_empty() {
            let id = match interpretation.intent {
                ChatIntent::AddToCart => "added",
                ChatIntent::RemoveFromCart => "removed",
                _ => "changed",
            };
            reply.say(id, &[("items", &done.join(", "))]);
            self.cart_updated(conn).await?;
        }
        self.cart_lines(conn, cart_id, reply).await
    }

    /// Logs `cart_updated` with the message's intent and items.
    async fn cart_updated(&self, conn: &mut Conn) -> Result<(), ApiError> {
        let payload = serde_json::json!({
            "intent": self.interpretation.intent,
            "items": self.interpretation.items,
        });
        self.events
            .write(
                conn,
                ConversationEventType::CartUpdated,
                Some(self.interpretation),
                payload,
            )
            .await
    }

    /// Adds the item; the units added.
    async fn add(
        &self,
        conn: &mut Conn,
        cart_id: Uuid,
        item: &ChatItem,
    ) -> Result<Option<u32>, ApiError> {
        let quantity = item.quantity.unwrap_or(1);
        let request = AddCartItemRequest {
            variant_id: item.variant_id,
            product_id: None,
            quantity,
        };
        add_item(conn, self.store.id, cart_id, &request).await?;
        Ok(Some(quantity))
    }

    /// The cart's lines for the item (its variant, or every variant of its product).
    async fn lines_of(
        &self,
        conn: &mut Conn,
        cart_id: Uuid,
        item: &ChatItem,
    ) -> Result<Vec<crate::carts::CartLine>, ApiError> {
        let lines = cart_lines(conn, &self.state.urls, self.store.id, cart_id).await?;
        Ok(lines
            .into_iter()
            .filter(|line| match item.variant_id {
                Some(variant) => line.variant_id == variant,
                None => line.product_id == item.product_id,
            })
            .collect())
    }

    /// Takes the item's units (or its whole lines) out; the units taken, `None` when the cart
    /// has none.
    async fn remove(
        &self,
        conn: &mut Conn,
        cart_id: Uuid,
        item: &ChatItem,
    ) -> Result<Option<u32>, ApiError> {
        let lines = self.lines_of(conn, cart_id, item).await?;
        if lines.is_empty() {
            return Ok(None);
        }
        let mut taken = 0u32;
        for line in lines {
            let keep = item.quantity.map_or(0, |quantity| {
                line.quantity.saturating_sub(quantity.saturating_sub(taken))
            });
            taken = taken.saturating_add(line.quantity - keep);
            let statement = if keep == 0 {
                crate::db::query("DELETE FROM cart_items WHERE id = $1 AND store_id = $2")
                    .bind(line.item_id)
                    .bind(self.store.id)
            } else {
                crate::db::query(
                    "UPDATE cart_items SET quantity = $3 WHERE id = $1 AND store_id = $2",
                )
                .bind(line.item_id)
                .bind(self.store.id)
                .bind(i64::from(keep))
            };
            statement.execute(&mut *conn).await?;
            if item.quantity.is_some_and(|quantity| taken >= quantity) {
                break;
            }
        }
        Ok(Some(taken))
    }

    /// Sets the item's quantity (adding it when the cart lacks it); the new quantity.
    async fn set(
        &self,
        conn: &mut Conn,
        cart_id: Uuid,
        item: &ChatItem,
    ) -> Result<Option<u32>, ApiError> {
        let Some(quantity) = item.quantity else {
            return Ok(None);
        };
        colmena_sdk::contract::validate_quantity(quantity)
            .map_err(|message| ApiError::invalid_field("quantity", message))?;
        let lines = self.lines_of(conn, cart_id, item).await?;
        let Some(line) = lines.first() else {
            if item.variant_id.is_none() {
                return Ok(None);
            }
            return self.add(conn, cart_id, item).await;
        };
        let variant = line_variant(conn, self.store.id, cart_id, line.item_id).await?;
        check_stock(&variant, quantity)?;
        crate::db::query("UPDATE cart_items SET quantity = $1 WHERE id = $2 AND store_id = $3")
            .bind(i64::from(quantity))
            .bind(line.item_id)
            .bind(self.store.id)
            .execute(&mut *conn)
            .await?;
        Ok(Some(quantity))
    }

    /// The cart's lines and total, or that it is empty.
    async fn cart_lines(
        &self,
        conn: &mut Conn,
        cart_id: Uuid,
        reply: &mut Reply<'_>,
    ) -> Result<(), ApiError> {
        let cart = load_cart(conn, &self.state.urls, self.store.id, cart_id)
            .await?
            .ok_or_else(|| ApiError::not_found("cart", &cart_id.to_string()))?;
        self.describe(&cart, reply);
        Ok(())
    }

    fn describe(&self, cart: &Cart, reply: &mut Reply<'_>) {
        if cart.items.is_empty() {
            reply.say("cart-empty", &[]);
            return;
        }
        let mut text = reply.text("cart-heading", &[]);
        for item in &cart.items {
            let several = self
                .catalog
                .catalog
                .products
                .iter()
                .find(|product| product.id == item.product_id)
                .is_some_and(|product| product.variants.len() > 1);
            let variant = if several {
                format!(" ({})", item.variant_title)
            } else {
                String::new()
            };
            text.push_str(&format!(
                "\n• {} × {}{} — {}",
                item.quantity,
                self.name(item.product_id),
                variant,
                reply.money(item.line_total.amount)
            ));
        }
        reply.lines.push(text);
        reply.say("cart-total", &[("total", &reply.money(cart.total.amount))]);
    }

    async fn summary(
        &self,
        conn: &mut Conn,
        conversation: &mut Conversation,
        reply: &mut Reply<'_>,
    ) -> Result<(), ApiError> {
        match self.open_cart(conn, conversation).await? {
            Some(cart_id) => self.cart_lines(conn, cart_id, reply).await,
            None => {
                reply.say("cart-empty", &[]);
                Ok(())
            }
        }
    }

    /// The hosted checkout page's link, for a cart with something in it.
    async fn checkout(
        &self,
        conn: &mut Conn,
        conversation: &mut Conversation,
        reply: &mut Reply<'_>,
    ) -> Result<(), ApiError> {
        let cart = match self.open_cart(conn, conversation).await? {
            Some(cart_id) => load_cart(conn, &self.state.urls, self.store.id, cart_id).await?,
            None => None,
        };
        let Some(cart) = cart.filter(|cart| !cart.items.is_empty()) else {
            let example = self.example();
            reply.say("checkout-empty", &[("example", &example)]);
            return Ok(());
        };
        self.describe(&cart, reply);
        let url = checkout_url(self.state, &self.store.slug, cart.id, reply.tag());
        reply.say("checkout", &[("url", &url)]);
        reply.checkout_url = Some(url.clone());
        let payload = serde_json::json!({ "cartId": cart.id, "total": cart.total });
        self.events
            .write(
                conn,
                ConversationEventType::CheckoutLinkSent,
                Some(self.interpretation),
                payload,
            )
            .await
    }

    /// The products matching the search, with their prices.
    async fn search(&self, conn: &mut Conn, reply: &mut Reply<'_>) -> Result<(), ApiError> {
        let query = self.interpretation.query.clone().unwrap_or_default();
        let found = self.catalog.interpreter.find(&query, SEARCH_RESULTS);
        if found.is_empty() {
            reply.say("search-none", &[("query", &query)]);
            return Ok(());
        }
        let prices = crate::pricing::price_lists::shown_prices(conn, self.store.id, &found).await?;
        let mut text = reply.text("search-found", &[]);
        for product_id in &found {
            let price = prices
                .get(product_id)
                .map(|amount| format!(" — {}", reply.money(*amount)))
                .unwrap_or_default();
            text.push_str(&format!("\n• {}{price}", self.name(*product_id)));
        }
        reply.lines.push(text);
        let example = found
            .first()
            .map(|product_id| self.name(*product_id).to_lowercase())
            .unwrap_or_default();
        reply.say("search-hint", &[("example", &example)]);
        Ok(())
    }
}

/// The hosted checkout page of a cart, in the conversation's `language`: the widget's cart
/// and checkout on a page of this server. The cart id is in the fragment, which browsers never
/// send to servers or logs.
pub fn checkout_url(state: &AppState, store_slug: &str, cart_id: Uuid, language: &str) -> String {
    state.urls.absolute(&format!(
        "/shop/{store_slug}/checkout?lang={language}#cart={cart_id}"
    ))
}

async fn store_voice(state: &AppState, store_id: Uuid) -> Result<StoreVoice, ApiError> {
    let row = crate::db::query("SELECT slug, name, locale, currency FROM stores WHERE id = $1")
        .bind(store_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("store", &store_id.to_string()))?;
    let locale: String = row.try_get("locale")?;
    let language = crate::l10n::language_of(&locale);
    Ok(StoreVoice {
        id: store_id,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        language,
        currency: row.try_get("currency")?,
    })
}

async fn products_in_cart(
    conn: &mut Conn,
    store_id: Uuid,
    cart_id: Uuid,
) -> Result<Vec<Uuid>, ApiError> {
    let rows = crate::db::query(
        "SELECT DISTINCT v.product_id FROM cart_items ci \
         JOIN product_variants v ON v.id = ci.variant_id AND v.store_id = ci.store_id \
         WHERE ci.cart_id = $1 AND ci.store_id = $2",
    )
    .bind(cart_id)
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|row| uuid_column(row, "product_id"))
        .collect::<Result<_, _>>()?)
}

async fn cart_is_open(conn: &mut Conn, store_id: Uuid, cart_id: Uuid) -> Result<bool, ApiError> {
    Ok(cart_status(conn, store_id, cart_id).await?.as_deref() == Some("open"))
}

/// The buyer's open conversation on this channel, created when they have none. The insert
/// comes first: on SQLite it takes the write lock before any read.
async fn open_conversation(
    conn: &mut Conn,
    store: &StoreVoice,
    inbound: &InboundMessage,
) -> Result<Conversation, ApiError> {
    let now = db::now();
    let id = Uuid::new_v4();
    let created = crate::db::query(
        "INSERT INTO chat_conversations \
           (id, store_id, channel, buyer, buyer_name, language, status, created_at, updated_at, \
            last_message_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7, $7) \
         ON CONFLICT (store_id, channel, buyer) WHERE status <> 'closed' DO NOTHING",
    )
    .bind(id)
    .bind(store.id)
    .bind(inbound.channel.as_str())
    .bind(&inbound.buyer)
    .bind(inbound.buyer_name.as_deref())
    .bind(&store.language)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    let row = crate::db::query(
        "SELECT id, status, cart_id, low_confidence_streak, pending_question \
         FROM chat_conversations \
         WHERE store_id = $1 AND channel = $2 AND buyer = $3 AND status <> 'closed'",
    )
    .bind(store.id)
    .bind(inbound.channel.as_str())
    .bind(&inbound.buyer)
    .fetch_one(&mut *conn)
    .await?;
    let status: String = row.try_get("status")?;
    let last: Option<String> = row.try_get("pending_question")?;
    Ok(Conversation {
        id: uuid_column(&row, "id")?,
        channel: inbound.channel,
        buyer: inbound.buyer.clone(),
        status: ConversationStatus::parse(&status)
            .ok_or_else(|| ApiError::internal(format!("unknown conversation status {status:?}")))?,
        cart_id: optional_uuid_column(&row, "cart_id")?,
        streak: row.try_get("low_confidence_streak")?,
        // A reading from an older interpreter that no longer parses is simply forgotten.
        last: last.and_then(|text| serde_json::from_str(&text).ok()),
        started: created,
    })
}

/// Records a message; `false` when its channel id was recorded before (a replay).
async fn record_message(
    conn: &mut Conn,
    store_id: Uuid,
    conversation_id: Uuid,
    author: ChatAuthor,
    body: &str,
    channel_message_id: Option<&str>,
) -> Result<bool, ApiError> {
    let inserted = crate::db::query(
        "INSERT INTO chat_messages \
           (id, store_id, conversation_id, author, body, channel_message_id, created_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, \
           (SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE conversation_id = $3)) \
         ON CONFLICT (store_id, channel_message_id) DO NOTHING",
    )
    .bind(Uuid::new_v4())
    .bind(store_id)
    .bind(conversation_id)
    .bind(author.as_str())
    .bind(body)
    .bind(channel_message_id)
    .bind(db::now())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// Writes a reply (the assistant's or staff's) to the conversation: recorded, logged as
/// `message_sent`, and queued for the buyer's channel unless it is the web chat, whose page
/// reads replies from the answer.
async fn send(
    conn: &mut Conn,
    events: &Events,
    conversation: &Conversation,
    author: ChatAuthor,
    body: &str,
) -> Result<(), ApiError> {
    let message_id = Uuid::new_v4();
    let now = db::now();
    crate::db::query(
        "INSERT INTO chat_messages (id, store_id, conversation_id, author, body, created_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, \
           (SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE conversation_id = $3))",
    )
    .bind(message_id)
    .bind(events.store_id)
    .bind(conversation.id)
    .bind(author.as_str())
    .bind(body)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if conversation.channel != ChatChannel::Web {
        let reply = OutboxReply {
            store_id: events.store_id,
            conversation_id: conversation.id,
            message_id,
            channel: conversation.channel,
            recipient: &conversation.buyer,
            body,
        };
        enqueue(conn, &[reply]).await?;
    }
    events
        .write(
            conn,
            ConversationEventType::MessageSent,
            None,
            serde_json::json!({ "author": author, "characters": body.chars().count() }),
        )
        .await
}

/// A conversation's last `limit` messages, oldest first.
pub(crate) async fn recent_messages(
    pool: &Pool,
    store_id: Uuid,
    conversation_id: Uuid,
    limit: i64,
) -> Result<Vec<ChatMessage>, ApiError> {
    let rows = crate::db::query(
        "SELECT id, author, body, created_at FROM chat_messages \
         WHERE conversation_id = $1 AND store_id = $2 \
         ORDER BY seq DESC LIMIT $3",
    )
    .bind(conversation_id)
    .bind(store_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let mut messages = rows
        .iter()
        .map(|row| {
            let author: String = row.try_get("author")?;
            Ok(ChatMessage {
                id: uuid_column(row, "id")?,
                author: ChatAuthor::parse(&author)
                    .ok_or_else(|| ApiError::internal(format!("unknown author {author:?}")))?,
                body: row.try_get("body")?,
                created_at: row.try_get::<String, _>("created_at")?.into(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    messages.reverse();
    Ok(messages)
}

/// The web chat session's open conversation: its id, status and last `limit` messages.
pub(crate) async fn web_thread(
    pool: &Pool,
    store_id: Uuid,
    buyer: &str,
    limit: i64,
) -> Result<ChatThread, ApiError> {
    let row = crate::db::query(
        "SELECT id, status FROM chat_conversations \
         WHERE store_id = $1 AND channel = 'web' AND buyer = $2 AND status <> 'closed'",
    )
    .bind(store_id)
    .bind(buyer)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(ChatThread {
            conversation_id: None,
            status: None,
            messages: Vec::new(),
        });
    };
    let conversation_id = uuid_column(&row, "id")?;
    let status: String = row.try_get("status")?;
    Ok(ChatThread {
        conversation_id: Some(conversation_id),
        status: ConversationStatus::parse(&status),
        messages: recent_messages(pool, store_id, conversation_id, limit).await?,
    })
}

/// A conversation of the store, as staff act on it; 404 when the store has none with `id`.
async fn staff_conversation(
    conn: &mut Conn,
    store_id: Uuid,
    conversation_id: Uuid,
) -> Result<Conversation, ApiError> {
    // The write first: it takes SQLite's write lock before any read.
    crate::db::query(
        "UPDATE chat_conversations SET updated_at = $1 WHERE id = $2 AND store_id = $3",
    )
    .bind(db::now())
    .bind(conversation_id)
    .bind(store_id)
    .execute(&mut *conn)
    .await?;
    let row = crate::db::query(
        "SELECT channel, buyer, status FROM chat_conversations WHERE id = $1 AND store_id = $2",
    )
    .bind(conversation_id)
    .bind(store_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ApiError::not_found("conversation", &conversation_id.to_string()))?;
    let channel: String = row.try_get("channel")?;
    let status: String = row.try_get("status")?;
    Ok(Conversation {
        id: conversation_id,
        channel: ChatChannel::parse(&channel)
            .ok_or_else(|| ApiError::internal(format!("unknown chat channel {channel:?}")))?,
        buyer: row.try_get("buyer")?,
        status: ConversationStatus::parse(&status)
            .ok_or_else(|| ApiError::internal(format!("unknown conversation status {status:?}")))?,
        cart_id: None,
        streak: 0,
        last: None,
        started: false,
    })
}

/// A person from the store answers in the thread (queued for the buyer's channel). A closed
/// conversation is 409: the buyer's next message starts a new one.
pub(crate) async fn staff_reply(
    conn: &mut Conn,
    store_id: Uuid,
    conversation_id: Uuid,
    text: &str,
) -> Result<(), ApiError> {
    let text = check_text(text)?;
    let conversation = staff_conversation(conn, store_id, conversation_id).await?;
    if conversation.status == ConversationStatus::Closed {
        return Err(ApiError::conflict(
            "this conversation is closed; the buyer's next message starts a new one",
            ConversationStatus::Closed.as_str(),
        ));
    }
    let events = Events {
        store_id,
        conversation_id,
        channel: conversation.channel,
    };
    send(conn, &events, &conversation, ChatAuthor::Staff, text).await?;
    crate::db::query(
        "UPDATE chat_conversations SET last_message_at = $1 WHERE id = $2 AND store_id = $3",
    )
    .bind(db::now())
    .bind(conversation_id)
    .bind(store_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Staff hand the conversation back to the assistant (`open`) or end it (`closed`, logged as
/// `conversation_closed`); its status before.
pub(crate) async fn set_status(
    conn: &mut Conn,
    store_id: Uuid,
    conversation_id: Uuid,
    status: ConversationStatus,
) -> Result<ConversationStatus, ApiError> {
    let conversation = staff_conversation(conn, store_id, conversation_id).await?;
    if conversation.status == ConversationStatus::Closed {
        return Err(ApiError::conflict(
            "this conversation is closed; the buyer's next message starts a new one",
            ConversationStatus::Closed.as_str(),
        ));
    }
    if status == ConversationStatus::WaitingHuman {
        return Err(ApiError::invalid_field(
            "status",
            "must be `open` (back to the assistant) or `closed`",
        ));
    }
    crate::db::query(
        "UPDATE chat_conversations SET status = $1, low_confidence_streak = 0          WHERE id = $2 AND store_id = $3",
    )
    .bind(status.as_str())
    .bind(conversation_id)
    .bind(store_id)
    .execute(&mut *conn)
    .await?;
    if status == ConversationStatus::Closed {
        let events = Events {
            store_id,
            conversation_id,
            channel: conversation.channel,
        };
        events
            .write(
                conn,
                ConversationEventType::ConversationClosed,
                None,
                serde_json::json!({ "reason": "staff" }),
            )
            .await?;
    }
    Ok(conversation.status)
}

/// After an order is paid, in the payment's transaction: the conversation whose cart it was
/// logs `order_placed`, thanks the buyer, and closes (`conversation_closed`).
pub(crate) async fn order_paid(
    conn: &mut Conn,
    store_id: Uuid,
    order_id: Uuid,
) -> Result<(), ApiError> {
    let row = crate::db::query(
        "SELECT c.id, c.channel, c.buyer, c.language, o.number, s.name AS store_name \
         FROM orders o \
         JOIN chat_conversations c ON c.cart_id = o.cart_id AND c.store_id = o.store_id \
         JOIN stores s ON s.id = o.store_id \
         WHERE o.id = $1 AND o.store_id = $2 AND c.status <> 'closed'",
    )
    .bind(order_id)
    .bind(store_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(());
    };
    let channel: String = row.try_get("channel")?;
    let channel = ChatChannel::parse(&channel)
        .ok_or_else(|| ApiError::internal(format!("unknown chat channel {channel:?}")))?;
    let conversation = Conversation {
        id: uuid_column(&row, "id")?,
        channel,
        buyer: row.try_get("buyer")?,
        status: ConversationStatus::Closed,
        cart_id: None,
        streak: 0,
        last: None,
        started: false,
    };
    let events = Events {
        store_id,
        conversation_id: conversation.id,
        channel,
    };
    let number: Option<i64> = row.try_get("number")?;
    let number = number
        .map(|number| format!("#{number}"))
        .unwrap_or_default();
    events
        .write(
            conn,
            ConversationEventType::OrderPlaced,
            None,
            serde_json::json!({ "orderId": order_id, "number": number }),
        )
        .await?;
    let language: String = row.try_get("language")?;
    let replies = REPLIES.choose(&[&language]);
    let body = REPLIES.text(replies, "order-paid", &[("number", &number)]);
    send(conn, &events, &conversation, ChatAuthor::Assistant, &body).await?;
    crate::db::query(
        "UPDATE chat_conversations SET status = 'closed', order_id = $1, pending_question = NULL, \
           updated_at = $2 WHERE id = $3 AND store_id = $4",
    )
    .bind(order_id)
    .bind(db::now())
    .bind(conversation.id)
    .bind(store_id)
    .execute(&mut *conn)
    .await?;
    events
        .write(
            conn,
            ConversationEventType::ConversationClosed,
            None,
            serde_json::json!({ "reason": "order_paid" }),
        )
        .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_language_parses_and_has_every_reply_of_english() {
        crate::l10n::check_complete(&super::LANGUAGES);
    }
}
