-- Letters issued for applications; numbers run per agency, 字号 (tag) and year.
CREATE TABLE letters (
    agency TEXT NOT NULL REFERENCES agencies (code),
    tag TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    application TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (agency, tag, year, seq),
    FOREIGN KEY (agency, application) REFERENCES applications (agency, number)
);
CREATE INDEX letters_by_application ON letters (agency, application);
