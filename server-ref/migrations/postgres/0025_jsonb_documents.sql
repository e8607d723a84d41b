-- JSON documents as PostgreSQL's jsonb instead of text: attributes, option names and values,
-- product type schemas, discount rules, shipping regions, storefront documents, webhook event
-- subscriptions, order and cart addresses and totals, shipment and refund lines, conversation
-- event payloads and audit values. Every one was written by serialising JSON, so each casts.
-- Two JSON texts stay text on purpose: a webhook event's payload and an idempotent response's
-- body are signed or replayed byte for byte, and jsonb would reorder their keys.
--
-- SQLite keeps JSON text (its JSON functions read it as it is).

-- The generated copy of the attributes as jsonb (0013) is the column itself now.
ALTER TABLE products DROP COLUMN attributes_document;

ALTER TABLE audit_logs
    ALTER COLUMN old_values TYPE jsonb USING old_values::jsonb,
    ALTER COLUMN new_values TYPE jsonb USING new_values::jsonb;

ALTER TABLE carts
    ALTER COLUMN shipping_address TYPE jsonb USING shipping_address::jsonb,
    ALTER COLUMN billing_address TYPE jsonb USING billing_address::jsonb,
    ALTER COLUMN discount_codes DROP DEFAULT,
    ALTER COLUMN discount_codes TYPE jsonb USING discount_codes::jsonb,
    ALTER COLUMN discount_codes SET DEFAULT '[]'::jsonb;

ALTER TABLE conversation_events
    ALTER COLUMN payload TYPE jsonb USING payload::jsonb;

ALTER TABLE discounts
    ALTER COLUMN rule TYPE jsonb USING rule::jsonb;

ALTER TABLE orders
    ALTER COLUMN shipping_address TYPE jsonb USING shipping_address::jsonb,
    ALTER COLUMN billing_address TYPE jsonb USING billing_address::jsonb,
    ALTER COLUMN totals TYPE jsonb USING totals::jsonb;

ALTER TABLE product_translations
    ALTER COLUMN option_names TYPE jsonb USING option_names::jsonb;

ALTER TABLE product_types
    ALTER COLUMN schema TYPE jsonb USING schema::jsonb;

ALTER TABLE product_variants
    ALTER COLUMN options DROP DEFAULT,
    ALTER COLUMN options TYPE jsonb USING options::jsonb,
    ALTER COLUMN options SET DEFAULT '{}'::jsonb;

ALTER TABLE products
    ALTER COLUMN attributes DROP DEFAULT,
    ALTER COLUMN attributes TYPE jsonb USING attributes::jsonb,
    ALTER COLUMN attributes SET DEFAULT '{}'::jsonb,
    ALTER COLUMN option_names DROP DEFAULT,
    ALTER COLUMN option_names TYPE jsonb USING option_names::jsonb,
    ALTER COLUMN option_names SET DEFAULT '[]'::jsonb;

ALTER TABLE refunds
    ALTER COLUMN items TYPE jsonb USING items::jsonb;

ALTER TABLE shipments
    ALTER COLUMN items TYPE jsonb USING items::jsonb;

ALTER TABLE shipping_zones
    ALTER COLUMN regions TYPE jsonb USING regions::jsonb;

ALTER TABLE storefront_drafts
    ALTER COLUMN document TYPE jsonb USING document::jsonb;

ALTER TABLE storefront_versions
    ALTER COLUMN document TYPE jsonb USING document::jsonb;

ALTER TABLE webhook_endpoints
    ALTER COLUMN events TYPE jsonb USING events::jsonb;

-- Attribute containment (`attributes @> '{"origin":"Spain"}'`) answered from an index.
CREATE INDEX idx_products_attributes ON products USING gin (attributes jsonb_path_ops);
