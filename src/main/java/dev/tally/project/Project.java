package dev.tally.project;

import dev.tally.common.Metadata;

import java.time.Instant;
import java.util.UUID;

public record Project(
        UUID id, UUID organizationId, String name, String title, String state, Metadata metadata,
        Instant createdAt, Instant updatedAt) {
    public static final String ENABLED = "enabled";
}
