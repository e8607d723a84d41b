-- Variants, digital files, carts, orders and download tokens. Column-for-column identical to
-- migrations/postgres (INTEGER here is BIGINT there). Stock lives on the variant as the
-- number of units that can still be sold: checkout subtracts (reserves), cancellation adds
-- back, and the CHECK makes overselling impossible even for a buggy query.
ALTER TABLE stores ADD COLUMN payment_provider TEXT NOT NULL DEFAULT 'test';

ALTER TABLE products ADD COLUMN option_names TEXT NOT NULL DEFAULT '[]';
ALTER TABLE products ADD COLUMN digital_file_key TEXT;
ALTER TABLE products ADD COLUMN digital_file_name TEXT;

CREATE TABLE product_variants (
    id                TEXT PRIMARY KEY,
    store_id          TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    product_id        TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    sku               TEXT NOT NULL,
    title             TEXT NOT NULL,
    options           TEXT NOT NULL DEFAULT '{}',
    price_amount      INTEGER NOT NULL CHECK (price_amount >= 0),
    compare_at_amount INTEGER CHECK (compare_at_amount >= 0),
    inventory         INTEGER CHECK (inventory >= 0),
    position          INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (store_id, sku)
);
CREATE INDEX idx_variants_product ON product_variants (store_id, product_id, position);

-- Products created before variants existed get one default variant each.
INSERT INTO product_variants (id, store_id, product_id, sku, title, options, price_amount,
                              compare_at_amount, inventory, position, created_at, updated_at)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
             || '-8' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
       store_id, id, slug, 'Default', '{}', price_amount, compare_at_amount, NULL, 0,
       created_at, updated_at
FROM products;

CREATE TABLE carts (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    currency   TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE cart_items (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    cart_id    TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    variant_id TEXT NOT NULL REFERENCES product_variants(id) ON DELETE CASCADE,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    created_at TEXT NOT NULL,
    UNIQUE (cart_id, variant_id)
);

CREATE TABLE orders (
    id                 TEXT PRIMARY KEY,
    store_id           TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    cart_id            TEXT REFERENCES carts(id) ON DELETE SET NULL,
    customer_email     TEXT NOT NULL,
    status             TEXT NOT NULL,
    currency           TEXT NOT NULL,
    subtotal_amount    INTEGER NOT NULL CHECK (subtotal_amount >= 0),
    total_amount       INTEGER NOT NULL CHECK (total_amount >= 0),
    payment_provider   TEXT NOT NULL,
    payment_reference  TEXT UNIQUE,
    payment_status     TEXT NOT NULL,
    payment_url        TEXT,
    payment_expires_at TEXT NOT NULL,
    paid_at            TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX idx_orders_store_status_date ON orders (store_id, status, created_at DESC);
CREATE INDEX idx_orders_payment_expiry ON orders (status, payment_expires_at);

CREATE TABLE order_items (
    id            TEXT PRIMARY KEY,
    store_id      TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    order_id      TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    product_id    TEXT NOT NULL,
    variant_id    TEXT NOT NULL,
    product_name  TEXT NOT NULL,
    variant_title TEXT NOT NULL,
    sku           TEXT NOT NULL,
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    unit_amount   INTEGER NOT NULL CHECK (unit_amount >= 0),
    line_amount   INTEGER NOT NULL CHECK (line_amount >= 0),
    digital       INTEGER NOT NULL DEFAULT 0,
    position      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_order_items_order ON order_items (store_id, order_id, position);

-- The token itself is never stored: it is an HMAC of the row id under the server secret.
CREATE TABLE download_tokens (
    id             TEXT PRIMARY KEY,
    store_id       TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    order_id       TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    order_item_id  TEXT NOT NULL REFERENCES order_items(id) ON DELETE CASCADE,
    product_id     TEXT NOT NULL,
    file_key       TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    download_count INTEGER NOT NULL DEFAULT 0,
    max_downloads  INTEGER NOT NULL,
    revoked_at     TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX idx_download_tokens_order ON download_tokens (store_id, order_id);
