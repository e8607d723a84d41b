-- Password reset by emailed link: the link's token is stored only as its SHA-256 hash, and
-- works once, for one hour.
ALTER TABLE store_users ADD COLUMN reset_hash TEXT;
ALTER TABLE store_users ADD COLUMN reset_expires_at TEXT;
CREATE UNIQUE INDEX idx_store_users_reset ON store_users (reset_hash);
