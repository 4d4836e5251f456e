-- Responses to requests sent with an Idempotency-Key header, kept so that a client retrying after
-- a lost response gets the first answer instead of a second application. Keys are scoped to the
-- principal that sent them. Rows are deleted after expires_at (at least 24 hours).
CREATE TABLE idempotency_keys (
    principal        VARCHAR(255) NOT NULL,
    idempotency_key  VARCHAR(255) NOT NULL,
    request_sha256   VARCHAR(64) NOT NULL,
    state            VARCHAR(16) NOT NULL,
    response_status  INTEGER,
    response_body    VARCHAR(1048576),
    claimed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT idempotency_keys_pk PRIMARY KEY (principal, idempotency_key),
    CONSTRAINT idempotency_keys_state_valid CHECK (state IN ('in_flight', 'done'))
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
