-- API tokens carry a name (what they are for) so that they can be listed and revoked.
ALTER TABLE access_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
