-- Shipments (partial fulfilment with carriers and tracking) and refunds (by line or amount,
-- with restocking). Column-for-column identical to migrations/postgres (INTEGER here is BIGINT
-- there). The lines of each are a JSON array of {orderItemId, quantity}.
CREATE TABLE shipments (
    id              TEXT PRIMARY KEY,
    store_id        TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    order_id        TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    carrier         TEXT NOT NULL,
    tracking_number TEXT,
    tracking_url    TEXT,
    items           TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX idx_shipments_order ON shipments (store_id, order_id, created_at);

CREATE TABLE refunds (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    order_id   TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    items      TEXT NOT NULL,
    restocked  INTEGER NOT NULL,
    reason     TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX idx_refunds_order ON refunds (store_id, order_id, created_at);
