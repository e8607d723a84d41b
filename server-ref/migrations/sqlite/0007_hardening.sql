-- Hardening. Identical in both dialects (INTEGER is BIGINT in PostgreSQL's copy).

-- An idempotency claim is a lease: a request that died with its server leaves a claim that
-- expires, and the next retry takes it over. `rebuilt` marks answers that are not stored
-- (they hold a secret) and are rebuilt by their handler on replay.
ALTER TABLE idempotency_keys ADD COLUMN locked_until TEXT;
ALTER TABLE idempotency_keys ADD COLUMN rebuilt INTEGER NOT NULL DEFAULT 0;

-- The idempotency key a checkout was placed with (a digest), so that its retry after a crash
-- finds the order instead of placing a second one.
ALTER TABLE orders ADD COLUMN checkout_key TEXT;
CREATE UNIQUE INDEX idx_orders_checkout_key ON orders (store_id, checkout_key);

-- A sign-in session: the chain of refresh tokens from one login. Access tokens name their
-- session, so revoking it stops them at once.
CREATE TABLE admin_sessions (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES store_users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX idx_admin_sessions_user ON admin_sessions (store_id, user_id);
ALTER TABLE refresh_tokens ADD COLUMN session_id TEXT REFERENCES admin_sessions(id) ON DELETE CASCADE;
