package dev.tally.webhooks;

import java.time.Instant;
import java.util.UUID;

/** One billing event as the outbox keeps it; {@code id} is what every delivery of it carries. */
record OutboxEvent(UUID id, WebhookAction action, String dataJson, Instant createdAt) {}
