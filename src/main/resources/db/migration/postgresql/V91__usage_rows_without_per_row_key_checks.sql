-- A usage writes an entry and an allocation, and PostgreSQL checks each of their foreign keys with a
-- query of its own per row (a trigger, FOR KEY SHARE): for a 1,000-usage batch that was 3,000 queries,
-- about two thirds of the two inserts' time (EXPLAIN ANALYZE, docs/benchmarks.md 2026-12-02, issue 8).
-- These three keys guard nothing the write path does not already hold: every entry's account is the
-- row the transaction locked FOR UPDATE, every allocation names an entry inserted just before it in
-- the same transaction and a grant read from the locked account's open grants, and no account, entry
-- or grant is ever deleted. H2 (every test run) keeps the keys, so a code change that writes a
-- dangling id fails there. Unique keys (exactly-once) and the revert's key stay (docs/adr/0005).
ALTER TABLE billing_transactions DROP CONSTRAINT billing_transactions_account_id_fkey;
ALTER TABLE billing_allocations DROP CONSTRAINT billing_allocations_entry_id_fkey;
ALTER TABLE billing_allocations DROP CONSTRAINT billing_allocations_grant_id_fkey;
