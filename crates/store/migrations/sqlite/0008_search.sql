-- 全文检索: every publication change leaves a row here in its own transaction; the index
-- applies them afterwards and removes them, and replays what is left at start.
CREATE TABLE search_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    agency TEXT NOT NULL,
    publication BIGINT NOT NULL
);
