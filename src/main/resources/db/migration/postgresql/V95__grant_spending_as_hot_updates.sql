-- Every usage group updates the remaining amount of each grant it spends from. V90 indexed
-- (account_id, remaining), so that update changed an indexed column and was never HOT: each one
-- added a row version to all three indexes of billing_grants, and between vacuums a busy
-- account's grant scan walked the dead entries (the bench's spread workload: 0 of 62,129 updates
-- HOT, 29 µs an update against 10 µs for the account row's HOT update).
-- has_remaining changes only when a grant is spent out (or refilled by a revert), so the index of
-- open grants below keeps every other spending update HOT, and holds the open grants only. Half of
-- each page is left free for the new row versions, as V2 does for billing_accounts.
ALTER TABLE billing_grants SET (fillfactor = 50);
ALTER TABLE billing_grants ADD COLUMN has_remaining BOOLEAN GENERATED ALWAYS AS (remaining > 0) STORED;
CREATE INDEX billing_grants_open_by_account ON billing_grants (account_id) WHERE has_remaining;
DROP INDEX billing_grants_account_remaining;
