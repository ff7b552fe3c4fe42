-- 批量导入: a job is applied a piece at a time off the request path; its checked items wait
-- in import_items until their piece is applied. Times are Unix seconds (compared for leases).
CREATE TABLE import_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency TEXT NOT NULL,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    state TEXT NOT NULL,
    total BIGINT NOT NULL,
    done BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    runner TEXT,
    lease_until BIGINT,
    message TEXT
);
CREATE INDEX import_jobs_by_agency ON import_jobs (agency, id);
CREATE INDEX import_jobs_by_state ON import_jobs (state, id);

-- reserved: an application number held while it waits, so no submission takes it meanwhile.
CREATE TABLE import_items (
    job BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    line BIGINT NOT NULL,
    agency TEXT NOT NULL,
    reserved TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (job, seq)
);
CREATE UNIQUE INDEX import_items_reserved ON import_items (agency, reserved);
