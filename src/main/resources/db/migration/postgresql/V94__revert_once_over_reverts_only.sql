-- One revert per usage was a UNIQUE constraint on reverted_usage_id, whose B-tree holds an entry for
-- every row, NULLs too: every usage, grant and expiry (all but the reverts) added one index insertion
-- and its WAL record for a key that can never conflict (NULLs are distinct). Now a unique index of the
-- same name over the reverts only, so a second revert of a usage still fails with 23505 naming
-- billing_transactions_revert_once, and a usage costs one index entry less (docs/adr/0005, addendum
-- "the revert-once key over reverts only", issue 8). Dropped and created in this migration's one
-- transaction, so no commit sees the table without the rule. H2 keeps V1's constraint.
ALTER TABLE billing_transactions DROP CONSTRAINT billing_transactions_revert_once;
CREATE UNIQUE INDEX billing_transactions_revert_once ON billing_transactions (reverted_usage_id)
    WHERE reverted_usage_id IS NOT NULL;
