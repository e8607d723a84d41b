-- The GIN search indexes take each new or changed document at once instead of queueing it.
-- With GIN's default fast update, entries wait in an unsorted pending list that every search
-- reads through in full until a vacuum merges it: after adding 10,000 products (the search
-- benchmark), searches of a few words took 150 to 250 ms until autovacuum came by. Catalog
-- writes pay a little more for each document; searches are as fast from the first write on.
ALTER INDEX idx_search_documents_document SET (fastupdate = off);
ALTER INDEX idx_search_words_similar SET (fastupdate = off);
-- Turning it off does not merge what is already pending: merged here.
SELECT gin_clean_pending_list('idx_search_documents_document'::regclass);
SELECT gin_clean_pending_list('idx_search_words_similar'::regclass);
