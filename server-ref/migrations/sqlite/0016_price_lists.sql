-- Price lists (seed 003): sales with a start and an end, and prices for customer groups.
-- Column-for-column identical to migrations/postgres (INTEGER here is BIGINT there).
-- A variant's price for a buyer is the lowest of its own and those of the lists in force
-- for that buyer, worked out when it is read, so a scheduled sale needs no worker.

-- Buyers by email (lower case). A member proves their email with an access link.
CREATE TABLE customer_groups (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (store_id, name)
);

CREATE TABLE customer_group_members (
    group_id TEXT NOT NULL REFERENCES customer_groups(id) ON DELETE CASCADE,
    store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    email    TEXT NOT NULL,
    PRIMARY KEY (group_id, email)
);
CREATE INDEX idx_customer_group_members_email ON customer_group_members (store_id, email);

CREATE TABLE price_lists (
    id                TEXT PRIMARY KEY,
    store_id          TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    -- 'sale' (shown against the regular price) or 'override' (replaces it).
    kind              TEXT NOT NULL,
    -- NULL: every shopper.
    customer_group_id TEXT REFERENCES customer_groups(id) ON DELETE CASCADE,
    active            INTEGER NOT NULL DEFAULT 1,
    starts_at         TEXT,
    ends_at           TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX idx_price_lists_store ON price_lists (store_id, created_at);

-- product_id is the variant's, kept here so that sorting products by price can read a
-- product's lowest list price with one index lookup.
CREATE TABLE price_list_prices (
    price_list_id TEXT NOT NULL REFERENCES price_lists(id) ON DELETE CASCADE,
    store_id      TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    variant_id    TEXT NOT NULL REFERENCES product_variants(id) ON DELETE CASCADE,
    product_id    TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    amount        INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (price_list_id, variant_id)
);
CREATE INDEX idx_price_list_prices_variant ON price_list_prices (store_id, variant_id);
CREATE INDEX idx_price_list_prices_product ON price_list_prices (store_id, product_id);

-- The cart's buyer, when a customer session bound it: their groups' prices apply.
ALTER TABLE carts ADD COLUMN customer_email TEXT;
