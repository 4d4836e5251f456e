-- Every capture moves a hold out of 'held' with an UPDATE of state and usage_id, both indexed, so it
-- is never HOT: PostgreSQL inserts the new row version into every index of billing_holds whose
-- predicate it meets. The held sum (available = balance - held) and the sweeper read live holds
-- only (state = 'held'), so their two indexes become partial: a captured, released or expired row
-- leaves them instead of adding an entry to each (5 index entries per capture become 3), and they
-- stay as small as the live holds. The listing keeps (account_id, created_at) for every state.
-- The queries keep their index plans (HoldIndexPlansTest EXPLAINs each with sequential scans off).
CREATE INDEX billing_holds_live_by_account ON billing_holds (account_id, expires_at) WHERE state = 'held';
CREATE INDEX billing_holds_live_by_expiry ON billing_holds (expires_at, id) WHERE state = 'held';
DROP INDEX billing_holds_account_state;
DROP INDEX billing_holds_expiry;
-- A usage id captures at most one hold: still a unique index, now over the captured rows only (a
-- placement's NULL usage_id never conflicted and no longer costs an index entry).
CREATE UNIQUE INDEX billing_holds_usage_once_captured ON billing_holds (usage_id) WHERE usage_id IS NOT NULL;
ALTER TABLE billing_holds DROP CONSTRAINT billing_holds_usage_once;
-- As V91 for entries: the account key is checked per inserted hold by a query of its own (FOR KEY
-- SHARE), and guards nothing the write path does not hold: a hold is placed only by the usage group,
-- under the FOR UPDATE lock of the very account row it names, and no account is ever deleted. H2
-- (every test run) keeps the key, so a code change that writes a dangling account id fails there.
ALTER TABLE billing_holds DROP CONSTRAINT billing_holds_account_id_fkey;
