-- The language the buyer shopped in (one of the five message languages), for their order's
-- mail; NULL when their request asked for none that fits (their mail is in the store's).
ALTER TABLE orders ADD COLUMN locale TEXT;
