-- PostgreSQL stores JSON documents as jsonb here; SQLite keeps JSON text.
SELECT 1;
