-- Times as PostgreSQL's timestamptz instead of RFC 3339 text. The text was written by the server
-- in one fixed-width UTC form, which PostgreSQL reads as it is. SQLite keeps that text (it has no
-- time type; the fixed width makes text order time order there).

ALTER TABLE admin_sessions
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN revoked_at TYPE timestamptz USING revoked_at::timestamptz;

ALTER TABLE api_keys
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN last_used_at TYPE timestamptz USING last_used_at::timestamptz,
    ALTER COLUMN revoked_at TYPE timestamptz USING revoked_at::timestamptz;

ALTER TABLE audit_logs
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE cart_items
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE carts
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE categories
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE category_translations
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE chat_conversations
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN last_message_at TYPE timestamptz USING last_message_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE chat_messages
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE chat_outbox
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN next_attempt_at TYPE timestamptz USING next_attempt_at::timestamptz,
    ALTER COLUMN sent_at TYPE timestamptz USING sent_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE chat_twilio_channels
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE chat_whatsapp_channels
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE conversation_events
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE customer_access_links
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN expires_at TYPE timestamptz USING expires_at::timestamptz,
    ALTER COLUMN used_at TYPE timestamptz USING used_at::timestamptz;

ALTER TABLE customer_groups
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE customer_sessions
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN expires_at TYPE timestamptz USING expires_at::timestamptz;

ALTER TABLE discount_redemptions
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE discounts
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN ends_at TYPE timestamptz USING ends_at::timestamptz,
    ALTER COLUMN starts_at TYPE timestamptz USING starts_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE download_events
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE download_tokens
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN expires_at TYPE timestamptz USING expires_at::timestamptz,
    ALTER COLUMN revoked_at TYPE timestamptz USING revoked_at::timestamptz;

ALTER TABLE idempotency_keys
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN locked_until TYPE timestamptz USING locked_until::timestamptz;

ALTER TABLE mail_outbox
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN next_attempt_at TYPE timestamptz USING next_attempt_at::timestamptz,
    ALTER COLUMN sent_at TYPE timestamptz USING sent_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE orders
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN paid_at TYPE timestamptz USING paid_at::timestamptz,
    ALTER COLUMN payment_expires_at TYPE timestamptz USING payment_expires_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE price_lists
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN ends_at TYPE timestamptz USING ends_at::timestamptz,
    ALTER COLUMN starts_at TYPE timestamptz USING starts_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE product_translations
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE product_types
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE product_variants
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE products
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE refresh_tokens
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN expires_at TYPE timestamptz USING expires_at::timestamptz,
    ALTER COLUMN used_at TYPE timestamptz USING used_at::timestamptz;

ALTER TABLE refunds
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE server_secrets
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE shipments
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE shipping_zones
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE store_users
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN invitation_expires_at TYPE timestamptz USING invitation_expires_at::timestamptz,
    ALTER COLUMN reset_expires_at TYPE timestamptz USING reset_expires_at::timestamptz;

ALTER TABLE storefront_drafts
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE storefront_preview_tokens
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN expires_at TYPE timestamptz USING expires_at::timestamptz;

ALTER TABLE storefront_versions
    ALTER COLUMN cancelled_at TYPE timestamptz USING cancelled_at::timestamptz,
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN publish_at TYPE timestamptz USING publish_at::timestamptz;

ALTER TABLE stores
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;

ALTER TABLE stripe_events
    ALTER COLUMN received_at TYPE timestamptz USING received_at::timestamptz;

ALTER TABLE webhook_attempts
    ALTER COLUMN attempted_at TYPE timestamptz USING attempted_at::timestamptz;

ALTER TABLE webhook_deliveries
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN delivered_at TYPE timestamptz USING delivered_at::timestamptz,
    ALTER COLUMN next_attempt_at TYPE timestamptz USING next_attempt_at::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE webhook_endpoints
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
    ALTER COLUMN previous_secret_until TYPE timestamptz USING previous_secret_until::timestamptz,
    ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;

ALTER TABLE webhook_events
    ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
