-- Every usage, grant and revert updates its account's row. Leaving half of each page free lets
-- PostgreSQL keep those updates HOT (heap-only: no new index entries), so the primary-key lookup
-- of a busy account does not slow down with dead index entries between vacuums.
ALTER TABLE billing_accounts SET (fillfactor = 50);
