package dev.tally.webhooks;

import java.time.Instant;
import java.util.UUID;

/** A stored webhook. {@code secret} is 32 random bytes in hex; it keys every delivery's signature. */
public record Webhook(UUID id, WebhookSpec spec, String secretId, String secret, Instant createdAt,
                      Instant updatedAt) {
    /** Frontier's id for a webhook's first (and, in Tally, only) secret. */
    static final String SECRET_ID = "1";
}
