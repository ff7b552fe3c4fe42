-- What waits on a role (答复待审核 for the reviewers, counted on every back-office page): an
-- agency's applications in one state, found without reading the rest.
CREATE INDEX applications_by_state ON applications (agency, state);
