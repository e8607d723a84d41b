-- Each product's listing document: the JSON a catalog page carries for it (its columns, its
-- category and type, its variants and images), kept by triggers on every write that changes
-- it, whichever code path makes it. A page then concatenates 20 stored documents instead of
-- building them (docs/benchmarks.md). Prices for a buyer and translations are still applied
-- when the page is read. Text rather than jsonb: pages are assembled from it as it is.
CREATE VIEW product_listing_documents AS
SELECT p.id AS product_id, p.store_id AS store_id, json_build_object(
    'id', p.id, 'slug', p.slug, 'name', p.name, 'description', p.description,
    'price_amount', p.price_amount, 'compare_at_amount', p.compare_at_amount,
    'currency', p.currency, 'featured', p.featured, 'created_at', p.created_at,
    'option_names', p.option_names, 'digital_file_key', p.digital_file_key,
    'digital_file_name', p.digital_file_name, 'attributes', p.attributes,
    'is_active', p.is_active, 'updated_at', p.updated_at, 'tax_exempt', p.tax_exempt,
    'category_id', c.id, 'category_slug', c.slug, 'category_name', c.name,
    'product_type_slug', t.slug,
    'variants', (SELECT COALESCE(json_agg(json_build_object(
            'id', v.id, 'sku', v.sku, 'title', v.title, 'options', v.options,
            'price_amount', v.price_amount, 'compare_at_amount', v.compare_at_amount,
            'inventory', v.inventory, 'weight_grams', v.weight_grams) ORDER BY v.position), '[]'::json)
        FROM product_variants v WHERE v.store_id = p.store_id AND v.product_id = p.id),
    'images', (SELECT COALESCE(json_agg(json_build_object('id', i.id, 'path', i.path, 'alt', i.alt)
            ORDER BY i.position), '[]'::json)
        FROM product_images i WHERE i.store_id = p.store_id AND i.product_id = p.id)
)::text AS document
FROM products p
LEFT JOIN categories c ON c.id = p.category_id AND c.store_id = p.store_id
LEFT JOIN product_types t ON t.id = p.product_type_id AND t.store_id = p.store_id;

CREATE TABLE product_listings (
    product_id uuid PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
    store_id   uuid NOT NULL,
    document   text NOT NULL
);

INSERT INTO product_listings (product_id, store_id, document)
    SELECT product_id, store_id, document FROM product_listing_documents;

-- Writes the listing document of the products `changed` again (none when they are gone).
-- PL/pgSQL keeps the statement's plan for the session; an SQL function would plan it anew on
-- every write.
CREATE FUNCTION product_listings_refresh(changed uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO product_listings (product_id, store_id, document)
        SELECT d.product_id, d.store_id, d.document FROM product_listing_documents d
        WHERE d.product_id = ANY (changed)
        ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document;
END $$;

CREATE FUNCTION product_listings_follow_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM product_listings_refresh(ARRAY[NEW.id]);
    RETURN NULL;
END $$;
CREATE TRIGGER products_listing AFTER INSERT OR UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION product_listings_follow_product();

-- Variants and images never move to another product.
CREATE FUNCTION product_listings_follow_part() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM product_listings_refresh(ARRAY[COALESCE(NEW.product_id, OLD.product_id)]);
    RETURN NULL;
END $$;
CREATE TRIGGER product_variants_listing AFTER INSERT OR UPDATE OR DELETE ON product_variants
    FOR EACH ROW EXECUTE FUNCTION product_listings_follow_part();
CREATE TRIGGER product_images_listing AFTER INSERT OR UPDATE OR DELETE ON product_images
    FOR EACH ROW EXECUTE FUNCTION product_listings_follow_part();

-- A category's or type's new name or slug shows in each of its products' documents. Ids are
-- uuids, so a category's id is no type's id: one function serves both tables.
CREATE FUNCTION product_listings_follow_group() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM product_listings_refresh(ARRAY(
        SELECT id FROM products WHERE store_id = NEW.store_id
            AND (category_id = NEW.id OR product_type_id = NEW.id)));
    RETURN NULL;
END $$;
CREATE TRIGGER categories_listing AFTER UPDATE OF slug, name ON categories
    FOR EACH ROW EXECUTE FUNCTION product_listings_follow_group();
CREATE TRIGGER product_types_listing AFTER UPDATE OF slug ON product_types
    FOR EACH ROW EXECUTE FUNCTION product_listings_follow_group();
