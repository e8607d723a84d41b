-- Transactional email and buyer access without passwords. Identical in both dialects (BIGINT in
-- PostgreSQL is INTEGER in SQLite's copy).

-- The mail outbox: each message is rendered and written in the same transaction as the change
-- that causes it, and a worker sends it with retries. The bodies are erased once sent (they may
-- hold one-time links); the delivery record stays.
CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY,
    store_id        TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    sender_name     TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT,
    html_body       TEXT,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT,
    sent_at         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX idx_mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX idx_mail_outbox_store ON mail_outbox (store_id, created_at);

-- One-time links a buyer asks for by email; only the SHA-256 of the token is kept.
CREATE TABLE customer_access_links (
    token_hash TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX idx_customer_access_links_email ON customer_access_links (store_id, email, created_at);

-- The short-lived sessions those links open: they read the buyer's orders in that store.
CREATE TABLE customer_sessions (
    token_hash TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A buyer's orders, newest first.
CREATE INDEX idx_orders_customer_email ON orders (store_id, customer_email, created_at);
