-- 全文检索 kept by every server: the outbox becomes a log that each index reads from its own
-- position (kept in the index's commit), instead of a queue one index empties. Entries carry
-- the time they were written so old ones can be forgotten; `through` is the last entry
-- forgotten: an index behind it rebuilds, as does one built in another `generation` (raised by
-- `gongkai search reindex` and by a restore).
-- PostgreSQL's own full-text table is gone: each server keeps a tantivy index (BENCHMARKS.md,
-- "Search at province scale": 1 000 000 items, common word p99 18 ms against 1.3 s).
ALTER TABLE search_outbox ADD COLUMN recorded BIGINT NOT NULL DEFAULT 0;
CREATE TABLE search_outbox_horizon (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    through BIGINT NOT NULL,
    generation BIGINT NOT NULL
);
INSERT INTO search_outbox_horizon (id, through, generation) VALUES (1, 0, 1);
DROP TABLE publication_search;
