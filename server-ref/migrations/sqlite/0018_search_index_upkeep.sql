-- Kept in step with migrations/postgres, whose 0018 has its GIN search indexes take each
-- document at once instead of queueing it. FTS5 has no such queue (it merges its segments as
-- documents arrive): nothing changes here.
SELECT 1;
