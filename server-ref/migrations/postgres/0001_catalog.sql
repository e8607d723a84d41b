-- Catalog schema. Kept column-for-column identical to migrations/postgres so that one set of
-- queries serves both databases: ids are UUID text, times are fixed-width UTC text
-- (lexically sortable), booleans are 0/1 integers, money is integer minor units.
CREATE TABLE stores (
    id            TEXT PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    currency      TEXT NOT NULL,
    locale        TEXT NOT NULL,
    primary_color TEXT NOT NULL,
    accent_color  TEXT NOT NULL,
    logo_path     TEXT,
    created_at    TEXT NOT NULL
);

CREATE TABLE store_allowed_origins (
    store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    origin   TEXT NOT NULL,
    PRIMARY KEY (store_id, origin)
);

CREATE TABLE store_users (
    id            TEXT PRIMARY KEY,
    store_id      TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (store_id, email)
);

CREATE TABLE categories (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    parent_id  TEXT REFERENCES categories(id) ON DELETE SET NULL,
    slug       TEXT NOT NULL,
    name       TEXT NOT NULL,
    position   BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (store_id, slug)
);

CREATE TABLE products (
    id                TEXT PRIMARY KEY,
    store_id          TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    category_id       TEXT REFERENCES categories(id) ON DELETE SET NULL,
    slug              TEXT NOT NULL,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    price_amount      BIGINT NOT NULL CHECK (price_amount >= 0),
    compare_at_amount BIGINT CHECK (compare_at_amount >= 0),
    currency          TEXT NOT NULL,
    featured          BIGINT NOT NULL DEFAULT 0,
    is_active         BIGINT NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (store_id, slug)
);
CREATE INDEX idx_products_store_active_featured ON products (store_id, is_active, featured);
CREATE INDEX idx_products_store_created ON products (store_id, created_at DESC);
CREATE INDEX idx_products_store_category ON products (store_id, category_id);

CREATE TABLE product_images (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    alt        TEXT NOT NULL,
    position   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX idx_product_images_product ON product_images (store_id, product_id, position);
