package dev.tally.webhooks;

import java.time.Instant;
import java.util.UUID;

/** One event's delivery to one webhook, as the delivery log shows it. */
public record Delivery(UUID webhookId, UUID eventId, String action, State state, int attempts, int lastStatus,
                       String lastError, Instant nextAttemptAt, Instant createdAt, Instant updatedAt) {
    public enum State {
        PENDING, DELIVERED, FAILED;

        String storedName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State fromStoredName(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
