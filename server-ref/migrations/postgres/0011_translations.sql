-- Product and category content in other languages than the store's own. A translation
-- without a description or option names leaves the product's own in place.
CREATE TABLE product_translations (
    store_id     TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    product_id   TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    locale       TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT,
    option_names TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (product_id, locale)
);
CREATE INDEX idx_product_translations_store ON product_translations (store_id, locale);

CREATE TABLE category_translations (
    store_id    TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    locale      TEXT NOT NULL,
    name        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (category_id, locale)
);
CREATE INDEX idx_category_translations_store ON category_translations (store_id, locale);
