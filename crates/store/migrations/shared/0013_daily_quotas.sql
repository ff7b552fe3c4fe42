-- Online submissions counted per Beijing day and key (sha256 of an address or an applicant),
-- shared by every server on the database.
CREATE TABLE daily_quotas (
    day TEXT NOT NULL,
    key TEXT NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (day, key)
);
