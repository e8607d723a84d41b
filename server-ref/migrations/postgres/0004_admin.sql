-- Product types with JSON schemas, custom attributes, invitations, API keys and the audit log.
-- Column-for-column identical to migrations/sqlite (BIGINT here is INTEGER there).
CREATE TABLE product_types (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    slug       TEXT NOT NULL,
    name       TEXT NOT NULL,
    schema     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (store_id, slug)
);

ALTER TABLE products ADD COLUMN product_type_id TEXT REFERENCES product_types(id);
ALTER TABLE products ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
ALTER TABLE product_images ADD COLUMN storage_key TEXT;

-- An invited user has no password until they accept; the invitation token is stored hashed.
ALTER TABLE store_users ADD COLUMN invitation_hash TEXT;
ALTER TABLE store_users ADD COLUMN invitation_expires_at TEXT;
CREATE UNIQUE INDEX idx_store_users_invitation ON store_users (invitation_hash);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    store_id     TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    role         TEXT,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX idx_api_keys_store ON api_keys (store_id, created_at);

CREATE TABLE audit_logs (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    actor_type  TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    old_values  TEXT,
    new_values  TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX idx_audit_logs_store_date ON audit_logs (store_id, created_at DESC);

-- One row per delivered download, for analytics over date ranges.
CREATE TABLE download_events (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    token_id   TEXT NOT NULL REFERENCES download_tokens(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX idx_download_events_store_date ON download_events (store_id, created_at);

-- Cart lines keep the order they were added in (several may share a timestamp).
ALTER TABLE cart_items ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
