-- The audit trail of admin changes that are not ledger entries (DESIGN §15): one row per change,
-- inserted in the transaction of the change, so a row exists exactly when its change committed.
-- before_state/after_state are JSON objects that never hold a secret or a secret's hash.
CREATE TABLE audit_log (
    id            UUID PRIMARY KEY,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    actor         VARCHAR(255) NOT NULL,
    action        VARCHAR(64) NOT NULL,
    target_type   VARCHAR(64) NOT NULL,
    target_id     VARCHAR(255) NOT NULL,
    org_id        UUID,
    before_state  VARCHAR(1048576) NOT NULL,
    after_state   VARCHAR(1048576) NOT NULL
);
-- Newest first, overall and per organization (the two ways the list is read).
CREATE INDEX audit_log_newest ON audit_log (created_at, id);
CREATE INDEX audit_log_org_newest ON audit_log (org_id, created_at, id);
