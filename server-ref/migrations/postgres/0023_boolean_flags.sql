-- Flags as PostgreSQL's boolean instead of 0/1 integers. SQLite keeps its integers (it has no
-- boolean type; TRUE and FALSE are 1 and 0 there), and queries on both engines say TRUE/FALSE.

ALTER TABLE discounts
    ALTER COLUMN active DROP DEFAULT,
    ALTER COLUMN active TYPE boolean USING active <> 0,
    ALTER COLUMN active SET DEFAULT TRUE;

ALTER TABLE idempotency_keys
    ALTER COLUMN rebuilt DROP DEFAULT,
    ALTER COLUMN rebuilt TYPE boolean USING rebuilt <> 0,
    ALTER COLUMN rebuilt SET DEFAULT FALSE;

ALTER TABLE order_items
    ALTER COLUMN digital DROP DEFAULT,
    ALTER COLUMN digital TYPE boolean USING digital <> 0,
    ALTER COLUMN digital SET DEFAULT FALSE;

ALTER TABLE price_lists
    ALTER COLUMN active DROP DEFAULT,
    ALTER COLUMN active TYPE boolean USING active <> 0,
    ALTER COLUMN active SET DEFAULT TRUE;

ALTER TABLE products
    ALTER COLUMN featured DROP DEFAULT,
    ALTER COLUMN featured TYPE boolean USING featured <> 0,
    ALTER COLUMN featured SET DEFAULT FALSE,
    ALTER COLUMN is_active DROP DEFAULT,
    ALTER COLUMN is_active TYPE boolean USING is_active <> 0,
    ALTER COLUMN is_active SET DEFAULT TRUE,
    ALTER COLUMN tax_exempt DROP DEFAULT,
    ALTER COLUMN tax_exempt TYPE boolean USING tax_exempt <> 0,
    ALTER COLUMN tax_exempt SET DEFAULT FALSE;

ALTER TABLE refunds
    ALTER COLUMN restocked TYPE boolean USING restocked <> 0;

ALTER TABLE stores
    ALTER COLUMN prices_include_tax DROP DEFAULT,
    ALTER COLUMN prices_include_tax TYPE boolean USING prices_include_tax <> 0,
    ALTER COLUMN prices_include_tax SET DEFAULT FALSE,
    ALTER COLUMN shipping_taxable DROP DEFAULT,
    ALTER COLUMN shipping_taxable TYPE boolean USING shipping_taxable <> 0,
    ALTER COLUMN shipping_taxable SET DEFAULT FALSE;

ALTER TABLE webhook_endpoints
    ALTER COLUMN active DROP DEFAULT,
    ALTER COLUMN active TYPE boolean USING active <> 0,
    ALTER COLUMN active SET DEFAULT TRUE;
