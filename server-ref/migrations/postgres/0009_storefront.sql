-- The storefront editor (issue 16): one draft per store, numbered published versions, and
-- preview tokens. Identical in migrations/sqlite (BIGINT here is INTEGER there). Which version
-- is live is not stored: it is the highest-numbered one not cancelled whose publish_at has come,
-- read at request time, so scheduled versions need no worker.

-- The last version number handed out: publishing increments it first (one row lock in
-- PostgreSQL, the write lock in SQLite), so concurrent publications get distinct numbers.
ALTER TABLE stores ADD COLUMN storefront_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE storefront_drafts (
    store_id         TEXT PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
    document         TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    updated_by_type  TEXT NOT NULL,
    updated_by_id    TEXT NOT NULL,
    updated_by_label TEXT NOT NULL
);

CREATE TABLE storefront_versions (
    store_id           TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    number             BIGINT NOT NULL CHECK (number > 0),
    document           TEXT NOT NULL,
    publish_at         TEXT NOT NULL,
    published_by_type  TEXT NOT NULL,
    published_by_id    TEXT NOT NULL,
    published_by_label TEXT NOT NULL,
    rollback_of        BIGINT,
    cancelled_at       TEXT,
    created_at         TEXT NOT NULL,
    PRIMARY KEY (store_id, number)
);
CREATE INDEX idx_storefront_versions_publish ON storefront_versions (store_id, publish_at);

-- Preview tokens, stored only as SHA-256 hashes.
CREATE TABLE storefront_preview_tokens (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX idx_storefront_preview_tokens_store ON storefront_preview_tokens (store_id, expires_at);
