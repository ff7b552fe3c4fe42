-- What the public reads changes with publications, agencies, settings, reports and notices —
-- not with each application, letter or login. Pages kept as rendered are keyed by the last
-- audit entry of the first kind (`Store::site_generation`); this index finds it at once.
CREATE INDEX audit_public_changes ON audit_log (seq)
    WHERE action NOT LIKE 'application.%' AND action NOT LIKE 'applicant.%'
      AND action NOT LIKE 'letter.%' AND action NOT LIKE 'user.%';
