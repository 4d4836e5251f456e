-- The same column as PostgreSQL's V95 (which says why), so that both databases run the same
-- queries. H2 has no partial indexes and no HOT updates: the index keeps its shape, on the column.
ALTER TABLE billing_grants ADD COLUMN has_remaining BOOLEAN GENERATED ALWAYS AS (remaining > 0);
CREATE INDEX billing_grants_open_by_account ON billing_grants (account_id, has_remaining);
DROP INDEX billing_grants_account_remaining;
