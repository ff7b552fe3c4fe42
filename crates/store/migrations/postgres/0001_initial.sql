-- Agencies form a tree; every tenant table is keyed by the agency first.
CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent TEXT REFERENCES agencies (code),
    settings TEXT NOT NULL
);

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    agency TEXT NOT NULL REFERENCES agencies (code),
    display_name TEXT NOT NULL,
    roles TEXT NOT NULL,
    active BOOLEAN NOT NULL
);

-- The whole application is kept as JSON in data; the columns beside it are what queries
-- and statistics need. Dates are YYYY-MM-DD text.
CREATE TABLE applications (
    agency TEXT NOT NULL REFERENCES agencies (code),
    number TEXT NOT NULL,
    applicant_kind TEXT NOT NULL,
    received TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    answered_on TEXT,
    version BIGINT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (agency, number)
);
CREATE INDEX applications_by_received ON applications (agency, received);
CREATE INDEX applications_by_answer ON applications (agency, answered_on);

-- Append-only; each entry carries the hash of the one before.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    agency TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
