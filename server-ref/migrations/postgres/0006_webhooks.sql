-- Stripe payments and webhooks in and out. Identical in both dialects (BIGINT in PostgreSQL is
-- INTEGER in SQLite's copy).

-- The store's Stripe Connect account (an id, not a secret: the platform key is the server's).
ALTER TABLE stores ADD COLUMN stripe_account_id TEXT;
CREATE UNIQUE INDEX idx_stores_stripe_account ON stores (stripe_account_id);
-- The provider's payment id (Stripe's PaymentIntent), which refunds name.
ALTER TABLE orders ADD COLUMN payment_intent TEXT;
CREATE INDEX idx_orders_payment_intent ON orders (payment_intent);

-- Stripe events already handled: a redelivered event changes nothing.
CREATE TABLE stripe_events (
    id          TEXT PRIMARY KEY,
    store_id    TEXT REFERENCES stores(id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    received_at TEXT NOT NULL
);

-- Partners' endpoints. The signing secret is not stored: it is an HMAC of the id and
-- secret_version under a key derived from the server secret.
CREATE TABLE webhook_endpoints (
    id                    TEXT PRIMARY KEY,
    store_id              TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    url                   TEXT NOT NULL,
    events                TEXT NOT NULL,
    secret_version        BIGINT NOT NULL DEFAULT 1,
    previous_secret_until TEXT,
    active                BIGINT NOT NULL DEFAULT 1,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX idx_webhook_endpoints_store ON webhook_endpoints (store_id, created_at);

-- The outbox: written in the same transaction as the change that caused the event.
CREATE TABLE webhook_events (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- One delivery per event and subscribed endpoint, retried with backoff until delivered.
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    store_id         TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    event_id         TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    last_status_code BIGINT,
    last_error       TEXT,
    next_attempt_at  TEXT,
    delivered_at     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX idx_webhook_deliveries_endpoint ON webhook_deliveries (store_id, endpoint_id, created_at);

-- Every attempt of a delivery: the delivery log.
CREATE TABLE webhook_attempts (
    id           TEXT PRIMARY KEY,
    store_id     TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    delivery_id  TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at TEXT NOT NULL,
    status_code  BIGINT,
    error        TEXT,
    duration_ms  BIGINT NOT NULL
);
CREATE INDEX idx_webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);
