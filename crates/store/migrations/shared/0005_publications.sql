-- 主动公开: the whole publication as JSON beside the columns lists need. The CHECK is the
-- store's own guard: nothing is saved as published without every approval, an 索引号 and a
-- 发布日期, whatever the code above it does.
CREATE TABLE publications (
    agency TEXT NOT NULL REFERENCES agencies (code),
    id BIGINT NOT NULL,
    state TEXT NOT NULL,
    fully_approved INTEGER NOT NULL,
    index_number TEXT,
    published_on TEXT,
    written_on TEXT NOT NULL,
    category TEXT NOT NULL,
    version BIGINT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (agency, id),
    CHECK (state <> 'published' OR (fully_approved = 1 AND index_number IS NOT NULL AND published_on IS NOT NULL))
);
-- 索引号 are unique and never reused (a withdrawn item keeps its number).
CREATE UNIQUE INDEX publications_by_index_number ON publications (index_number);
CREATE INDEX publications_public ON publications (agency, state, published_on);
