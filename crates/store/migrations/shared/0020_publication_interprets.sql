-- 政策解读: the policy document a 解读 explains (its id in the same agency), so a document's
-- page finds its 解读 without reading the agency's other items.
ALTER TABLE publications ADD COLUMN interprets BIGINT;
CREATE INDEX publications_by_interprets ON publications (agency, interprets);
