-- A case's whole story on its page (办理经过): every audit entry about one application of one
-- agency, in order, found at once however long the log.
CREATE INDEX audit_by_subject ON audit_log (agency, subject, seq);
