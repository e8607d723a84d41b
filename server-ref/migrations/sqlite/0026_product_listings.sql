-- Each product's listing document: the JSON a catalog page carries for it (its columns, its
-- category and type, its variants and images), kept by triggers on every write that changes
-- it, whichever code path makes it. A page then concatenates 20 stored documents instead of
-- building them: 24 µs instead of 150 µs for a page of 20 (docs/benchmarks.md). Prices for
-- a buyer and translations are still applied when the page is read.
CREATE VIEW product_listing_documents AS
SELECT p.id AS product_id, p.store_id AS store_id, json_object(
    'id', p.id, 'slug', p.slug, 'name', p.name, 'description', p.description,
    'price_amount', p.price_amount, 'compare_at_amount', p.compare_at_amount,
    'currency', p.currency, 'featured', p.featured, 'created_at', p.created_at,
    'option_names', json(p.option_names), 'digital_file_key', p.digital_file_key,
    'digital_file_name', p.digital_file_name, 'attributes', json(p.attributes),
    'is_active', p.is_active, 'updated_at', p.updated_at, 'tax_exempt', p.tax_exempt,
    'category_id', c.id, 'category_slug', c.slug, 'category_name', c.name,
    'product_type_slug', t.slug,
    'variants', (SELECT json_group_array(json_object(
            'id', v.id, 'sku', v.sku, 'title', v.title, 'options', json(v.options),
            'price_amount', v.price_amount, 'compare_at_amount', v.compare_at_amount,
            'inventory', v.inventory, 'weight_grams', v.weight_grams) ORDER BY v.position)
        FROM product_variants v WHERE v.store_id = p.store_id AND v.product_id = p.id),
    'images', (SELECT json_group_array(json_object('id', i.id, 'path', i.path, 'alt', i.alt)
            ORDER BY i.position)
        FROM product_images i WHERE i.store_id = p.store_id AND i.product_id = p.id)
) AS document
FROM products p
LEFT JOIN categories c ON c.id = p.category_id AND c.store_id = p.store_id
LEFT JOIN product_types t ON t.id = p.product_type_id AND t.store_id = p.store_id;

CREATE TABLE product_listings (
    product_id TEXT PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
    store_id   TEXT NOT NULL,
    document   TEXT NOT NULL
);

INSERT INTO product_listings (product_id, store_id, document)
    SELECT product_id, store_id, document FROM product_listing_documents;

-- SQLite has neither shared trigger functions nor triggers on several events: each trigger
-- below writes its product's document again with the same statement.
CREATE TRIGGER products_listing_insert AFTER INSERT ON products BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT product_id, store_id, document FROM product_listing_documents WHERE product_id = NEW.id
        ON CONFLICT (product_id) DO UPDATE SET document = excluded.document;
END;
CREATE TRIGGER products_listing_update AFTER UPDATE ON products BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT product_id, store_id, document FROM product_listing_documents WHERE product_id = NEW.id
        ON CONFLICT (product_id) DO UPDATE SET document = excluded.document;
END;
CREATE TRIGGER product_variants_listing_insert AFTER INSERT ON product_variants BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT product_id, store_id, document FROM product_listing_documents WHERE product_id = NEW.product_id
        ON CONFLICT (product_id) DO UPDATE SET document = excluded.document;
END;
CREATE TRIGGER product_variants_listing_update AFTER UPDATE ON product_variants BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT product_id, store_id, document FROM product_listing_documents WHERE product_id = NEW.product_id
        ON CONFLICT (product_id) DO UPDATE SET document = excluded.document;
END;
CREATE TRIGGER product_variants_listing_delete AFTER DELETE ON product_variants BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT product_id, store_id, document FROM product_listing_documents WHERE product_id = OLD.product_id
        ON CONFLICT (product_id) DO UPDATE SET document = excluded.document;
END;
CREATE TRIGGER product_images_listing_insert AFTER INSERT ON product_images BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT product_id, store_id, document FROM product_listing_documents WHERE product_id = NEW.product_id
        ON CONFLICT (product_id) DO UPDATE SET document = excluded.document;
END;
CREATE TRIGGER product_images_listing_update AFTER UPDATE ON product_images BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT product_id, store_id, document FROM product_listing_documents WHERE product_id = NEW.product_id
        ON CONFLICT (product_id) DO UPDATE SET document = excluded.document;
END;
CREATE TRIGGER product_images_listing_delete AFTER DELETE ON product_images BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT product_id, store_id, document FROM product_listing_documents WHERE product_id = OLD.product_id
        ON CONFLICT (product_id) DO UPDATE SET document = excluded.document;
END;
-- A category's or type's new name or slug shows in each of its products' documents.
CREATE TRIGGER categories_listing_update AFTER UPDATE OF slug, name ON categories BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT product_id, store_id, document FROM product_listing_documents
        WHERE product_id IN (SELECT id FROM products WHERE store_id = NEW.store_id AND category_id = NEW.id)
        ON CONFLICT (product_id) DO UPDATE SET document = excluded.document;
END;
CREATE TRIGGER product_types_listing_update AFTER UPDATE OF slug ON product_types BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT product_id, store_id, document FROM product_listing_documents
        WHERE product_id IN (SELECT id FROM products WHERE store_id = NEW.store_id AND product_type_id = NEW.id)
        ON CONFLICT (product_id) DO UPDATE SET document = excluded.document;
END;
