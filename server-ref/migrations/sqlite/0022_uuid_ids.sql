-- PostgreSQL stores ids as uuid from this version on. SQLite has no uuid type: ids stay the
-- hyphenated lower-case text they always were, so there is nothing to change here; the file
-- keeps both engines' schema versions in step.
SELECT 1;
