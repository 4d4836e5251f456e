-- Webhooks (DESIGN §14). The secret is kept as is: it keys the HMAC of every delivery, so it
-- cannot be a one-way hash like a service user's secret. url is unique (a second webhook with the
-- same URL is a 409) and ASCII, at most 2,048 characters, so it fits a btree entry.
CREATE TABLE webhooks (
    id                 UUID PRIMARY KEY,
    url                VARCHAR(2048) NOT NULL,
    description        VARCHAR(1024) NOT NULL,
    subscribed_events  VARCHAR(4096) NOT NULL,
    headers            VARCHAR(65536) NOT NULL,
    state              VARCHAR(16) NOT NULL,
    metadata           VARCHAR(65536) NOT NULL,
    secret_id          VARCHAR(16) NOT NULL,
    secret             VARCHAR(128) NOT NULL,
    created_by         VARCHAR(255) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT webhooks_url_unique UNIQUE (url),
    CONSTRAINT webhooks_state_valid CHECK (state IN ('enabled', 'disabled'))
);

-- The outbox: one row per billing event, inserted in the transaction of the change that causes
-- it, so an event exists exactly when its change committed. fanned_out turns true once the
-- dispatcher has made the event's deliveries (one per webhook subscribed at that moment).
CREATE TABLE webhook_events (
    id          UUID PRIMARY KEY,
    action      VARCHAR(64) NOT NULL,
    data        VARCHAR(1048576) NOT NULL,
    fanned_out  BOOLEAN NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webhook_events_fanout ON webhook_events (fanned_out, created_at);

-- One event's delivery to one webhook. A dispatcher claims a due row by setting claim_id and
-- moving next_attempt_at a lease ahead; only the holder of claim_id may record the outcome, and
-- nobody else can claim the row before the lease ends, so one event is never sent to one webhook
-- by two processes at once.
CREATE TABLE webhook_deliveries (
    webhook_id       UUID NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         UUID NOT NULL REFERENCES webhook_events (id),
    state            VARCHAR(16) NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    give_up_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    claim_id         UUID,
    last_status      INTEGER NOT NULL,
    last_error       VARCHAR(1024) NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT webhook_deliveries_pk PRIMARY KEY (webhook_id, event_id),
    CONSTRAINT webhook_deliveries_state_valid CHECK (state IN ('pending', 'delivered', 'failed'))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, created_at, event_id);

-- Balance alerts of an account: its thresholds (a JSON array of int64, ascending) and whether
-- balance.depleted has fired since the balance last rose. Written only under the account's row
-- lock, so a read followed by an insert cannot race.
CREATE TABLE billing_alerts (
    account_id          UUID PRIMARY KEY REFERENCES billing_accounts (id),
    balance_thresholds  VARCHAR(4096) NOT NULL,
    depleted            BOOLEAN NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
