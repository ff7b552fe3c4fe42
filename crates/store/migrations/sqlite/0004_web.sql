-- What the web server needs: passwords, sessions and API tokens (hashes only), attachment
-- bytes, holiday notices loaded at run time, and the series online and registered
-- applications are numbered in.
CREATE TABLE credentials (
    user_name TEXT PRIMARY KEY REFERENCES users (name),
    password_hash TEXT NOT NULL
);

CREATE TABLE access_tokens (
    hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    user_name TEXT NOT NULL REFERENCES users (name),
    created_at TEXT NOT NULL,
    expires_at TEXT
);
CREATE INDEX access_tokens_by_user ON access_tokens (user_name);

CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY,
    content BLOB NOT NULL
);

CREATE TABLE calendar_notices (
    year INTEGER PRIMARY KEY,
    notice TEXT NOT NULL
);

CREATE TABLE number_series (
    agency TEXT NOT NULL REFERENCES agencies (code),
    prefix TEXT NOT NULL,
    last_value INTEGER NOT NULL,
    PRIMARY KEY (agency, prefix)
);
