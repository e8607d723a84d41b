-- Catalog search: one document per product and language ('' is the store's own language, else a
-- translation's locale), indexed by FTS5 with diacritics removed (`creme` finds `Crème`) and
-- prefix indexes for the short prefixes shoppers type. The documents are an ordinary table
-- (with a stable INTEGER PRIMARY KEY, which VACUUM keeps) and the FTS5 index reads its content
-- from it, so triggers can address a product's documents by product id. Triggers on products
-- and product_translations keep the documents in sync on every write, whichever code path
-- makes it; prices, activity, categories and attributes are read from products at query time.
CREATE TABLE search_documents (
    id         INTEGER PRIMARY KEY,
    store_id   TEXT NOT NULL,
    product_id TEXT NOT NULL,
    locale     TEXT NOT NULL,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    UNIQUE (product_id, locale)
);
CREATE INDEX idx_search_documents_store ON search_documents (store_id, locale);

CREATE VIRTUAL TABLE search_index USING fts5(
    name, body,
    content = 'search_documents', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
-- The index's vocabulary (term, column, documents): query terms are corrected against it.
CREATE VIRTUAL TABLE search_terms USING fts5vocab(search_index, 'col');

CREATE TRIGGER search_documents_indexed AFTER INSERT ON search_documents BEGIN
    INSERT INTO search_index (rowid, name, body) VALUES (new.id, new.name, new.body);
END;
CREATE TRIGGER search_documents_unindexed AFTER DELETE ON search_documents BEGIN
    INSERT INTO search_index (search_index, rowid, name, body)
        VALUES ('delete', old.id, old.name, old.body);
END;
CREATE TRIGGER search_documents_reindexed AFTER UPDATE ON search_documents BEGIN
    INSERT INTO search_index (search_index, rowid, name, body)
        VALUES ('delete', old.id, old.name, old.body);
    INSERT INTO search_index (rowid, name, body) VALUES (new.id, new.name, new.body);
END;

CREATE TRIGGER products_search_inserted AFTER INSERT ON products BEGIN
    INSERT INTO search_documents (store_id, product_id, locale, name, body)
        VALUES (new.store_id, new.id, '', new.name, new.description);
END;
CREATE TRIGGER products_search_updated AFTER UPDATE OF name, description ON products BEGIN
    UPDATE search_documents SET name = new.name, body = new.description
        WHERE product_id = new.id AND locale = '';
END;
CREATE TRIGGER products_search_deleted AFTER DELETE ON products BEGIN
    DELETE FROM search_documents WHERE product_id = old.id;
END;

-- A translation without a description shows the product's own, which the '' document holds.
CREATE TRIGGER product_translations_search_inserted AFTER INSERT ON product_translations BEGIN
    INSERT INTO search_documents (store_id, product_id, locale, name, body)
        VALUES (new.store_id, new.product_id, new.locale, new.name, COALESCE(new.description, ''));
END;
CREATE TRIGGER product_translations_search_updated AFTER UPDATE ON product_translations BEGIN
    DELETE FROM search_documents WHERE product_id = old.product_id AND locale = old.locale;
    INSERT INTO search_documents (store_id, product_id, locale, name, body)
        VALUES (new.store_id, new.product_id, new.locale, new.name, COALESCE(new.description, ''));
END;
CREATE TRIGGER product_translations_search_deleted AFTER DELETE ON product_translations BEGIN
    DELETE FROM search_documents WHERE product_id = old.product_id AND locale = old.locale;
END;

INSERT INTO search_documents (store_id, product_id, locale, name, body)
    SELECT store_id, id, '', name, description FROM products;
INSERT INTO search_documents (store_id, product_id, locale, name, body)
    SELECT store_id, product_id, locale, name, COALESCE(description, '') FROM product_translations;
