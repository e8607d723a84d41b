-- Ids as PostgreSQL's uuid (16 bytes, checked on write) instead of their text form. Ids that
-- are not ours (Stripe's, a chat provider's) and the audit log's free-form actor and entity ids
-- stay text. A value that is not a UUID fails the cast, and with it the whole migration: nothing
-- is converted half-way or lost.
--
-- Foreign keys must join columns of the same type, so they are dropped first and recreated, as
-- they were, once both sides are uuid.
CREATE TEMPORARY TABLE colmena_foreign_keys AS
    SELECT conrelid::regclass AS owner, conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint
    WHERE contype = 'f' AND connamespace = 'public'::regnamespace;

DO $$
DECLARE fk record;
BEGIN
    FOR fk IN SELECT * FROM colmena_foreign_keys LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.owner, fk.name);
    END LOOP;
END $$;

ALTER TABLE admin_sessions
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid,
    ALTER COLUMN user_id TYPE uuid USING user_id::uuid;

ALTER TABLE api_keys
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE audit_logs
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE cart_items
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN cart_id TYPE uuid USING cart_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid,
    ALTER COLUMN variant_id TYPE uuid USING variant_id::uuid;

ALTER TABLE carts
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN shipping_rate_id TYPE uuid USING shipping_rate_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE categories
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN parent_id TYPE uuid USING parent_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE category_translations
    ALTER COLUMN category_id TYPE uuid USING category_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE chat_conversations
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN cart_id TYPE uuid USING cart_id::uuid,
    ALTER COLUMN order_id TYPE uuid USING order_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE chat_messages
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN conversation_id TYPE uuid USING conversation_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE chat_outbox
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN conversation_id TYPE uuid USING conversation_id::uuid,
    ALTER COLUMN message_id TYPE uuid USING message_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE chat_twilio_channels
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE chat_whatsapp_channels
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE conversation_events
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN conversation_id TYPE uuid USING conversation_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE customer_access_links
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE customer_group_members
    ALTER COLUMN group_id TYPE uuid USING group_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE customer_groups
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE customer_sessions
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE discount_redemptions
    ALTER COLUMN discount_id TYPE uuid USING discount_id::uuid,
    ALTER COLUMN order_id TYPE uuid USING order_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE discounts
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE download_events
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid,
    ALTER COLUMN token_id TYPE uuid USING token_id::uuid;

ALTER TABLE download_tokens
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN order_id TYPE uuid USING order_id::uuid,
    ALTER COLUMN order_item_id TYPE uuid USING order_item_id::uuid,
    ALTER COLUMN product_id TYPE uuid USING product_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE mail_outbox
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE order_items
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN order_id TYPE uuid USING order_id::uuid,
    ALTER COLUMN product_id TYPE uuid USING product_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid,
    ALTER COLUMN variant_id TYPE uuid USING variant_id::uuid;

ALTER TABLE orders
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN cart_id TYPE uuid USING cart_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE price_list_prices
    ALTER COLUMN price_list_id TYPE uuid USING price_list_id::uuid,
    ALTER COLUMN product_id TYPE uuid USING product_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid,
    ALTER COLUMN variant_id TYPE uuid USING variant_id::uuid;

ALTER TABLE price_lists
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN customer_group_id TYPE uuid USING customer_group_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE product_images
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN product_id TYPE uuid USING product_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE product_translations
    ALTER COLUMN product_id TYPE uuid USING product_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE product_types
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE product_variants
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN product_id TYPE uuid USING product_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE products
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN category_id TYPE uuid USING category_id::uuid,
    ALTER COLUMN product_type_id TYPE uuid USING product_type_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE refresh_tokens
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN session_id TYPE uuid USING session_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid,
    ALTER COLUMN user_id TYPE uuid USING user_id::uuid;

ALTER TABLE refunds
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN order_id TYPE uuid USING order_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE search_documents
    ALTER COLUMN product_id TYPE uuid USING product_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE search_words
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE shipments
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN order_id TYPE uuid USING order_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE shipping_rates
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid,
    ALTER COLUMN zone_id TYPE uuid USING zone_id::uuid;

ALTER TABLE shipping_zones
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE store_allowed_origins
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE store_users
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE storefront_drafts
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE storefront_preview_tokens
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE storefront_versions
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE stores
    ALTER COLUMN id TYPE uuid USING id::uuid;

ALTER TABLE stripe_events
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE tax_rates
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE webhook_attempts
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN delivery_id TYPE uuid USING delivery_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE webhook_deliveries
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN endpoint_id TYPE uuid USING endpoint_id::uuid,
    ALTER COLUMN event_id TYPE uuid USING event_id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE webhook_endpoints
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

ALTER TABLE webhook_events
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN store_id TYPE uuid USING store_id::uuid;

DO $$
DECLARE fk record;
BEGIN
    FOR fk IN SELECT * FROM colmena_foreign_keys LOOP
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.owner, fk.name, fk.definition);
    END LOOP;
END $$;
DROP TABLE colmena_foreign_keys;
