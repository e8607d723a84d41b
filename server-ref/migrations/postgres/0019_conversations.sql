-- Commerce in conversation: buyers' conversations with a store (WhatsApp, Twilio, the web
-- chat), their messages, the events analytics are counted from, and the replies waiting to be
-- sent. Column-for-column identical in both dialects (INTEGER in SQLite is BIGINT in
-- PostgreSQL).

-- One open conversation per buyer (a phone number, or a web chat session's digest), channel and
-- store, bound to a server cart. Placing an order or staff closing it ends it; the buyer's next
-- message starts a new one.
CREATE TABLE chat_conversations (
    id                    TEXT PRIMARY KEY,
    store_id              TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    -- 'whatsapp', 'twilio' or 'web'.
    channel               TEXT NOT NULL,
    buyer                 TEXT NOT NULL,
    buyer_name            TEXT,
    cart_id               TEXT REFERENCES carts(id) ON DELETE SET NULL,
    -- The language of the buyer's last understood message: replies are written in it.
    language              TEXT NOT NULL,
    -- 'open', 'waiting_human' (handed over to staff) or 'closed'.
    status                TEXT NOT NULL,
    -- Messages in a row understood with low confidence; a streak hands over to staff.
    low_confidence_streak BIGINT NOT NULL DEFAULT 0,
    -- The last interpretation, when it asked a question the next message may answer (JSON).
    pending_question      TEXT,
    order_id              TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    last_message_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX idx_chat_conversations_open
    ON chat_conversations (store_id, channel, buyer) WHERE status <> 'closed';
CREATE INDEX idx_chat_conversations_recent ON chat_conversations (store_id, last_message_at);

-- Every message of a conversation, both ways. An inbound message keeps its channel id, and a
-- replayed id is refused by the unique index.
CREATE TABLE chat_messages (
    id                 TEXT PRIMARY KEY,
    store_id           TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    conversation_id    TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    -- 'buyer', 'assistant' or 'staff'.
    author             TEXT NOT NULL,
    body               TEXT NOT NULL,
    channel_message_id TEXT,
    -- Order within the conversation (messages written in one millisecond keep their order).
    seq                BIGINT NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE UNIQUE INDEX idx_chat_messages_channel_id ON chat_messages (store_id, channel_message_id);
CREATE INDEX idx_chat_messages_conversation ON chat_messages (conversation_id, seq);

-- Conversation events (seed 001), the source of conversation analytics.
CREATE TABLE conversation_events (
    id              TEXT PRIMARY KEY,
    store_id        TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    event_type      TEXT NOT NULL,
    channel         TEXT NOT NULL,
    intent          TEXT,
    language        TEXT,
    -- Details of the event (JSON object).
    payload         TEXT NOT NULL,
    -- Order within the conversation (events written in one millisecond keep their order).
    seq             BIGINT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX idx_conversation_events_store ON conversation_events (store_id, created_at);
CREATE INDEX idx_conversation_events_conversation ON conversation_events (conversation_id, seq);

-- Replies to WhatsApp and Twilio buyers, written in the same transaction as the message that
-- caused them and sent by a worker with retries.
CREATE TABLE chat_outbox (
    id                  TEXT PRIMARY KEY,
    store_id            TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    conversation_id     TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    message_id          TEXT NOT NULL REFERENCES chat_messages(id) ON DELETE CASCADE,
    channel             TEXT NOT NULL,
    recipient           TEXT NOT NULL,
    body                TEXT NOT NULL,
    -- 'pending', 'sent' or 'failed' (retries exhausted).
    status              TEXT NOT NULL,
    attempts            BIGINT NOT NULL DEFAULT 0,
    last_error          TEXT,
    next_attempt_at     TEXT,
    provider_message_id TEXT,
    sent_at             TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX idx_chat_outbox_due ON chat_outbox (status, next_attempt_at);
