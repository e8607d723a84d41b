-- PostgreSQL converts its time columns to timestamptz here; SQLite keeps RFC 3339 text.
SELECT 1;
