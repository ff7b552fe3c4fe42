-- 全文检索: every publication change leaves a row here in its own transaction; the index
-- applies them afterwards and removes them, and replays what is left at start. On PostgreSQL
-- the index is the table below: jieba-segmented text as a tsvector ('simple' configuration).
CREATE TABLE search_outbox (
    seq BIGSERIAL PRIMARY KEY,
    agency TEXT NOT NULL,
    publication BIGINT NOT NULL
);

CREATE TABLE publication_search (
    agency TEXT NOT NULL,
    id BIGINT NOT NULL,
    categories TEXT[] NOT NULL,
    document TSVECTOR NOT NULL,
    PRIMARY KEY (agency, id)
);
CREATE INDEX publication_search_document ON publication_search USING GIN (document);
