-- PostgreSQL stores flags as boolean from this version on. SQLite has no boolean type (TRUE and
-- FALSE are 1 and 0): its integer flags stay as they are; the file keeps both engines' schema
-- versions in step.
SELECT 1;
