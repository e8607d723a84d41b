-- Public listings read a page straight from an index in the order asked for: the newest
-- first, or by price, among the store's active products (the id breaks ties).
CREATE INDEX idx_products_store_active_created ON products (store_id, is_active, created_at DESC, id);
CREATE INDEX idx_products_store_active_price ON products (store_id, is_active, price_amount, id);
