-- 申请人: one record per applicant of an agency, found by identity document or by name and
-- contact; each application names its record (applicant_id), so the applicant's other
-- applications are one indexed query.
CREATE TABLE applicants (
    agency TEXT NOT NULL REFERENCES agencies (code),
    id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    document_key TEXT,
    contact_key TEXT NOT NULL,
    PRIMARY KEY (agency, id)
);
CREATE INDEX applicants_by_document ON applicants (agency, document_key);
CREATE INDEX applicants_by_name ON applicants (agency, name, contact_key);
ALTER TABLE applications ADD COLUMN applicant_id BIGINT;
CREATE INDEX applications_by_applicant ON applications (agency, applicant_id, received);
