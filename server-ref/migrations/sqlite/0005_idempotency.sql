-- Idempotency keys of mutating requests: the first request's fingerprint and its stored answer,
-- replayed for a retry with the same key and body. Identical in both dialects
-- (INTEGER here is BIGINT in PostgreSQL's copy).
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER,
    content_type TEXT,
    body         TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idx_idempotency_keys_created ON idempotency_keys (created_at);
