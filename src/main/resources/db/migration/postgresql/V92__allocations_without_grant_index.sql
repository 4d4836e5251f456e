-- Every usage of a batch writes one allocation row, and with it an entry in each of the table's
-- indexes. billing_allocations_grant (grant_id) served the foreign key to billing_grants, which V91
-- dropped on PostgreSQL; no query reads allocations by grant (a revert walks an entry's allocations
-- by the primary key, entry_id then spent_order), and grants are never deleted. So the index is
-- maintained for no reader: one B-tree insertion and WAL record per usage (docs/adr/0005, addendum
-- 2026-12-03, issue 8). H2 keeps it with its foreign key. A query by grant would add it back.
DROP INDEX billing_allocations_grant;
