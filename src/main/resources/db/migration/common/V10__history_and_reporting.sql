-- History and reporting (DESIGN §11, docs/adr/0003-history-and-reporting.md).
--
-- balance_after: the account's balance once every entry created at or before this entry's
-- created_at is counted. Written with the entry, in its transaction, so that the balance at any
-- instant is one index probe: the balance_after of the newest entry at or before that instant.
ALTER TABLE billing_transactions ADD COLUMN balance_after BIGINT;

UPDATE billing_transactions SET balance_after = (
    SELECT SUM(CASE WHEN earlier.type = 'credit' THEN earlier.amount ELSE -earlier.amount END)
    FROM billing_transactions earlier
    WHERE earlier.account_id = billing_transactions.account_id
      AND earlier.created_at <= billing_transactions.created_at);

ALTER TABLE billing_transactions ALTER COLUMN balance_after SET NOT NULL;

-- Keyset pages walk (created_at, id) newest first; the id breaks ties of one transaction's entries.
CREATE INDEX billing_transactions_account_created_id ON billing_transactions (account_id, created_at, id);
DROP INDEX billing_transactions_account_created;

-- Usage per account, UTC hour and source, kept in the transaction that writes the entries, so a
-- summary reads at most one row per hour and source whatever the account's history length.
-- hour_number is hours since 1970-01-01T00:00Z. A revert counts under the reverted usage's source.
CREATE TABLE usage_rollups (
    account_id       UUID NOT NULL REFERENCES billing_accounts (id),
    hour_number      BIGINT NOT NULL,
    source           VARCHAR(1100) NOT NULL,
    usage_amount     BIGINT NOT NULL,
    reverted_amount  BIGINT NOT NULL,
    usage_count      BIGINT NOT NULL,
    CONSTRAINT usage_rollups_pk PRIMARY KEY (account_id, hour_number, source)
);

INSERT INTO usage_rollups (account_id, hour_number, source, usage_amount, reverted_amount, usage_count)
SELECT account_id, hour_number, source, SUM(usage_amount), SUM(reverted_amount), SUM(usage_count)
FROM (
    SELECT entry.account_id,
           CAST(FLOOR(EXTRACT(EPOCH FROM entry.created_at) / 3600) AS BIGINT) AS hour_number,
           COALESCE(reverted.source, entry.source) AS source,
           CASE WHEN entry.kind = 'usage' THEN entry.amount ELSE 0 END AS usage_amount,
           CASE WHEN entry.kind = 'revert' THEN entry.amount ELSE 0 END AS reverted_amount,
           CASE WHEN entry.kind = 'usage' THEN 1 ELSE 0 END AS usage_count
    FROM billing_transactions entry
    LEFT JOIN billing_transactions reverted ON reverted.id = entry.reverted_usage_id
    WHERE entry.kind IN ('usage', 'revert')
) AS hourly
GROUP BY account_id, hour_number, source;
