-- Credit grants (DESIGN §13). Every credit added by AddBillingCredits opens a grant (id = the
-- credit entry's id) with a remaining amount that debits spend in order: priority, then
-- expires_at (none last), then created_at, then id. What no grant covers is the account's debt,
-- paid first by the next credit. Grant rows change only under their account's row lock, like the
-- balance, so "sum of remaining - debt = balance" holds at every commit.

-- Expiry entries are debits of their own kind (not usage: they cannot be reverted and are not
-- counted as debited or in usage summaries).
ALTER TABLE billing_transactions DROP CONSTRAINT billing_transactions_kind_valid;
ALTER TABLE billing_transactions ADD CONSTRAINT billing_transactions_kind_valid
    CHECK (kind IN ('usage', 'grant', 'revert', 'expiry'));
ALTER TABLE billing_transactions DROP CONSTRAINT billing_transactions_kind_type;
ALTER TABLE billing_transactions ADD CONSTRAINT billing_transactions_kind_type CHECK (
    (kind IN ('usage', 'expiry') AND type = 'debit') OR (kind IN ('grant', 'revert') AND type = 'credit'));

-- What debits took beyond every grant's remaining (an overdraft under a negative credit_min).
ALTER TABLE billing_accounts ADD COLUMN debt BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE billing_accounts ADD CONSTRAINT billing_accounts_debt_not_negative CHECK (debt >= 0);

-- expiry_pending: has an expires_at whose expiry entry is not written yet (the sweeper's queue).
-- expired: what the expiry took (0 when the grant was spent before it expired).
CREATE TABLE billing_grants (
    id              UUID PRIMARY KEY REFERENCES billing_transactions (id),
    account_id      UUID NOT NULL REFERENCES billing_accounts (id),
    amount          BIGINT NOT NULL,
    remaining       BIGINT NOT NULL,
    expired         BIGINT DEFAULT 0 NOT NULL,
    priority        INTEGER NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE,
    expiry_pending  BOOLEAN NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT billing_grants_remaining_within CHECK (remaining >= 0 AND remaining <= amount),
    CONSTRAINT billing_grants_expired_within CHECK (expired >= 0 AND expired <= amount),
    CONSTRAINT billing_grants_priority_range CHECK (priority >= 0 AND priority <= 100),
    CONSTRAINT billing_grants_pending_has_expiry CHECK (expiry_pending = FALSE OR expires_at IS NOT NULL)
);
-- A debit's scan of its account's grants that still have something left.
CREATE INDEX billing_grants_account_remaining ON billing_grants (account_id, remaining);
-- The sweeper's scan.
CREATE INDEX billing_grants_expiry ON billing_grants (expiry_pending, expires_at);

-- What each debit took from which grant (grant_id NULL: the part that became debt), and what each
-- revert gave back. Written in the transaction of the entry; spent_order is the order of spending,
-- which a revert walks backwards.
CREATE TABLE billing_allocations (
    entry_id     UUID NOT NULL REFERENCES billing_transactions (id),
    spent_order  INTEGER NOT NULL,
    grant_id     UUID REFERENCES billing_grants (id),
    amount       BIGINT NOT NULL,
    CONSTRAINT billing_allocations_pk PRIMARY KEY (entry_id, spent_order),
    CONSTRAINT billing_allocations_amount_positive CHECK (amount > 0)
);
CREATE INDEX billing_allocations_grant ON billing_allocations (grant_id);

-- Credits added before grants existed: one grant per earlier grant entry, spent first-in
-- first-out by the account's net usage (debited), so that the remainders sum to a positive
-- balance and a negative one is debt. Their debits have no allocations.
INSERT INTO billing_grants (id, account_id, amount, remaining, expired, priority, expires_at, expiry_pending,
                            created_at)
SELECT g.id, g.account_id, g.amount,
       GREATEST(0, LEAST(g.amount, g.running - a.debited)), 0, 50, NULL, FALSE, g.created_at
FROM (SELECT id, account_id, amount, created_at,
             SUM(amount) OVER (PARTITION BY account_id ORDER BY created_at, id ROWS UNBOUNDED PRECEDING) AS running
      FROM billing_transactions WHERE kind = 'grant') g
JOIN billing_accounts a ON a.id = g.account_id;
UPDATE billing_accounts SET debt = CASE WHEN balance < 0 THEN -balance ELSE 0 END;
