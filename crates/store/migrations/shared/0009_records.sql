-- Records kept as documents (appeals, report facts, annual report versions, imported reports),
-- keyed by agency first, then kind and key; optimistic version.
CREATE TABLE agency_records (
    agency TEXT NOT NULL REFERENCES agencies (code),
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    version BIGINT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (agency, kind, key)
);
