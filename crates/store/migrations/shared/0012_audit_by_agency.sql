-- An agency's audit page reads its own entries a page at a time, newest first.
CREATE INDEX audit_log_agency_seq ON audit_log (agency, seq);
