-- Catalog search: one document per product and language ('' is the store's own language, else a
-- translation's locale), as a weighted tsvector (name A, description B) of the text folded to
-- lower case without accents (`creme` finds `Crème`), and each store's vocabulary, which query
-- terms are corrected against (pg_trgm finds the similar words through an index). Triggers on
-- products and product_translations keep the documents in sync on every write, whichever code
-- path makes it; prices, activity, categories and attributes are read from products at query
-- time. The 'simple' configuration does not stem: a catalog mixes languages.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Attribute filters and facets read the attributes as jsonb; stored once, not parsed from the
-- text column by every search for every product.
ALTER TABLE products ADD COLUMN attributes_document jsonb GENERATED ALWAYS AS (attributes::jsonb) STORED;

-- unaccent() is only STABLE (its dictionary could change); naming the dictionary makes the
-- fold a pure function, which generated columns and indexes require.
CREATE FUNCTION search_fold(input TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, input)) $$;

CREATE TABLE search_documents (
    store_id   TEXT NOT NULL,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    locale     TEXT NOT NULL,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    document   tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', search_fold(name)), 'A')
        || setweight(to_tsvector('simple', search_fold(body)), 'B')) STORED,
    PRIMARY KEY (product_id, locale)
);
CREATE INDEX idx_search_documents_store ON search_documents (store_id, locale);
CREATE INDEX idx_search_documents_document ON search_documents USING GIN (document);

-- Grows with the documents and is never pruned: a word no product has any more only widens a
-- query with an alternative that matches nothing, and pruning would make concurrent catalog
-- writes contend for the same rows.
CREATE TABLE search_words (
    store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    word     TEXT NOT NULL,
    PRIMARY KEY (store_id, word)
);
CREATE INDEX idx_search_words_similar ON search_words USING GIN (word gin_trgm_ops);

CREATE FUNCTION search_words_learn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Lexemes come sorted, so concurrent writers take the words' locks in one order.
    INSERT INTO search_words (store_id, word)
        SELECT NEW.store_id, lexeme FROM unnest(NEW.document)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER search_documents_words AFTER INSERT OR UPDATE ON search_documents
    FOR EACH ROW EXECUTE FUNCTION search_words_learn();

CREATE FUNCTION products_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_documents (store_id, product_id, locale, name, body)
            VALUES (NEW.store_id, NEW.id, '', NEW.name, NEW.description);
    ELSIF NEW.name IS DISTINCT FROM OLD.name OR NEW.description IS DISTINCT FROM OLD.description THEN
        UPDATE search_documents SET name = NEW.name, body = NEW.description
            WHERE product_id = NEW.id AND locale = '';
    END IF;
    RETURN NULL;
END $$;
-- Deleting a product deletes its documents through the foreign key.
CREATE TRIGGER products_search AFTER INSERT OR UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION products_search_sync();

-- A translation without a description shows the product's own, which the '' document holds.
CREATE FUNCTION product_translations_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM search_documents WHERE product_id = OLD.product_id AND locale = OLD.locale;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO search_documents (store_id, product_id, locale, name, body)
            VALUES (NEW.store_id, NEW.product_id, NEW.locale, NEW.name, COALESCE(NEW.description, ''));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER product_translations_search AFTER INSERT OR UPDATE OR DELETE ON product_translations
    FOR EACH ROW EXECUTE FUNCTION product_translations_search_sync();

INSERT INTO search_documents (store_id, product_id, locale, name, body)
    SELECT store_id, id, '', name, description FROM products;
INSERT INTO search_documents (store_id, product_id, locale, name, body)
    SELECT store_id, product_id, locale, name, COALESCE(description, '') FROM product_translations;
