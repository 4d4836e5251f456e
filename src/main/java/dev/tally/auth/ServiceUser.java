package dev.tally.auth;

import dev.tally.common.Metadata;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

public record ServiceUser(
        UUID id, Optional<UUID> organizationId, String title, String state, Metadata metadata,
        boolean platformAdmin, Instant createdAt, Instant updatedAt) {
    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";
    /** Kept as a row (ledger entries and idempotency keys name it) but invisible and unable to authenticate. */
    public static final String DELETED = "deleted";
}
