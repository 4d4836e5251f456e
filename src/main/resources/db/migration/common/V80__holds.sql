-- Holds (DESIGN §12): credits reserved on an account, later captured (a usage debit) or released.
-- The exactly-once rules are constraints: a hold id once (primary key), one state per row (a hold
-- is in exactly one of the four), a captured hold names its capture amount and usage id and
-- nothing else does, and a usage id captures at most one hold. Leaving 'held' is an UPDATE guarded
-- by "WHERE state = 'held'" under the row's lock, so capture, release and the sweeper cannot both win.
-- A 'held' row past expires_at counts as expired for every purpose before the sweeper marks it.
CREATE TABLE billing_holds (
    id               UUID PRIMARY KEY,
    account_id       UUID NOT NULL REFERENCES billing_accounts (id),
    amount           BIGINT NOT NULL,
    captured_amount  BIGINT,
    state            VARCHAR(16) NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    usage_id         UUID,
    source           VARCHAR(1100) NOT NULL,
    description      VARCHAR(1100) NOT NULL,
    user_id          VARCHAR(1024) NOT NULL,
    metadata         VARCHAR(65536) NOT NULL,
    created_by       VARCHAR(255) NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT billing_holds_amount_positive CHECK (amount > 0),
    CONSTRAINT billing_holds_state_valid CHECK (state IN ('held', 'captured', 'released', 'expired')),
    CONSTRAINT billing_holds_captured_fields CHECK (
        (state = 'captured') = (captured_amount IS NOT NULL AND usage_id IS NOT NULL)),
    CONSTRAINT billing_holds_capture_within CHECK (
        captured_amount IS NULL OR (captured_amount >= 0 AND captured_amount <= amount)),
    CONSTRAINT billing_holds_usage_once UNIQUE (usage_id)
);
-- The sum of an account's live holds (available = balance - held), and its listing.
CREATE INDEX billing_holds_account_state ON billing_holds (account_id, state, expires_at);
CREATE INDEX billing_holds_account_created ON billing_holds (account_id, created_at);
-- The sweeper's scan.
CREATE INDEX billing_holds_expiry ON billing_holds (state, expires_at);
