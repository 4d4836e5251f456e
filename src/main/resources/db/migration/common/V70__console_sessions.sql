-- Operator console sign-ins (DESIGN §16). Only a SHA-256 of the session token is kept, as for
-- credential secrets; the CSRF token is not a credential on its own (it is useless without the
-- HttpOnly cookie) and is kept as it is, to be handed back to the signed-in page.
-- The principal is not copied here: every request joins the service user, so a disabled one loses
-- its sessions at once.
CREATE TABLE console_sessions (
    token_sha256     VARCHAR(64) PRIMARY KEY,
    csrf_token       VARCHAR(64) NOT NULL,
    service_user_id  UUID NOT NULL REFERENCES service_users (id),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX console_sessions_last_seen ON console_sessions (last_seen_at);
