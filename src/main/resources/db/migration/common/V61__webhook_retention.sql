-- Retention of delivered webhook events (issue 13, docs/webhooks.md "Retention"). The purge deletes
-- an event once no delivery refers to it; that lookup, and PostgreSQL's foreign-key check when an
-- event is deleted, go by event_id alone, which the primary key (webhook_id, event_id) cannot serve.
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
