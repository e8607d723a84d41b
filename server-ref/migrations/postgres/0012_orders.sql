-- Real orders: tax settings, shipping zones and rates, discounts, order numbers, and the
-- buyer's details and totals breakdown on carts and orders. Column-for-column identical to
-- migrations/sqlite (BIGINT here is INTEGER there). JSON documents are TEXT on both engines
-- until PostgreSQL gets its own types.

-- Tax: how prices are meant, where tax is rounded, and whether shipping is taxed.
ALTER TABLE stores ADD COLUMN prices_include_tax BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN tax_rounding TEXT NOT NULL DEFAULT 'per_line';
ALTER TABLE stores ADD COLUMN shipping_taxable BIGINT NOT NULL DEFAULT 0;
-- The number the next order gets; checkout takes it and adds one in its transaction, so the
-- store's row lock makes numbers unique and gapless under concurrency.
ALTER TABLE stores ADD COLUMN next_order_number BIGINT NOT NULL DEFAULT 1001;

CREATE TABLE tax_rates (
    store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    country  TEXT NOT NULL,
    region   TEXT NOT NULL DEFAULT '',
    rate     BIGINT NOT NULL CHECK (rate >= 0 AND rate <= 10000),
    name     TEXT NOT NULL,
    PRIMARY KEY (store_id, country, region)
);

ALTER TABLE products ADD COLUMN tax_exempt BIGINT NOT NULL DEFAULT 0;
ALTER TABLE product_variants ADD COLUMN weight_grams BIGINT CHECK (weight_grams >= 0);

CREATE TABLE shipping_zones (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    -- JSON array of "FR" / "US-CA"; [] covers every destination no other zone covers.
    regions    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_shipping_zones_store ON shipping_zones (store_id, created_at);

CREATE TABLE shipping_rates (
    id               TEXT PRIMARY KEY,
    store_id         TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    zone_id          TEXT NOT NULL REFERENCES shipping_zones(id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    price_amount     BIGINT NOT NULL CHECK (price_amount >= 0),
    min_weight_grams BIGINT,
    max_weight_grams BIGINT,
    free_over_amount BIGINT,
    position         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX idx_shipping_rates_zone ON shipping_rates (store_id, zone_id, position);

CREATE TABLE discounts (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    -- Upper case; NULL for automatic rules.
    code       TEXT,
    -- The rule as the admin API wrote it (JSON).
    rule       TEXT NOT NULL,
    active     BIGINT NOT NULL DEFAULT 1,
    starts_at  TEXT,
    ends_at    TEXT,
    usage_limit BIGINT,
    times_used BIGINT NOT NULL DEFAULT 0 CHECK (times_used >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (store_id, code)
);

-- One row per order that used a discount: per-customer limits count them, and a cancelled
-- order gives its use back.
CREATE TABLE discount_redemptions (
    discount_id    TEXT NOT NULL REFERENCES discounts(id) ON DELETE CASCADE,
    store_id       TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    order_id       TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    customer_email TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (discount_id, order_id)
);
CREATE INDEX idx_discount_redemptions_customer
    ON discount_redemptions (store_id, discount_id, customer_email);

-- What the buyer chose on the cart before checkout (JSON addresses, upper-case codes).
ALTER TABLE carts ADD COLUMN shipping_address TEXT;
ALTER TABLE carts ADD COLUMN billing_address TEXT;
ALTER TABLE carts ADD COLUMN shipping_rate_id TEXT;
ALTER TABLE carts ADD COLUMN discount_codes TEXT NOT NULL DEFAULT '[]';

ALTER TABLE orders ADD COLUMN number BIGINT;
ALTER TABLE orders ADD COLUMN customer_name TEXT;
ALTER TABLE orders ADD COLUMN customer_phone TEXT;
ALTER TABLE orders ADD COLUMN shipping_address TEXT;
ALTER TABLE orders ADD COLUMN billing_address TEXT;
ALTER TABLE orders ADD COLUMN shipping_name TEXT;
-- The totals breakdown (JSON `Totals`) as charged.
ALTER TABLE orders ADD COLUMN totals TEXT;
-- Orders placed before numbers existed get theirs in creation order.
UPDATE orders SET number = 1000 + (
    SELECT COUNT(*) FROM orders earlier
    WHERE earlier.store_id = orders.store_id
      AND (earlier.created_at < orders.created_at
           OR (earlier.created_at = orders.created_at AND earlier.id <= orders.id)));
UPDATE stores SET next_order_number = 1001 + (
    SELECT COUNT(*) FROM orders WHERE orders.store_id = stores.id);
CREATE UNIQUE INDEX idx_orders_number ON orders (store_id, number);

ALTER TABLE order_items ADD COLUMN discount_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_items ADD COLUMN tax_amount BIGINT NOT NULL DEFAULT 0;
