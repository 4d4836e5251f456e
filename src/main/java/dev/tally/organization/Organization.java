package dev.tally.organization;

import dev.tally.common.Metadata;

import java.time.Instant;
import java.util.UUID;

public record Organization(
        UUID id, String name, String title, String state, Metadata metadata,
        Instant createdAt, Instant updatedAt) {
    public static final String ENABLED = "enabled";
}
