package dev.tally.audit;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** One row of the audit trail; {@code before} and {@code after} are JSON objects. */
public record AuditRecord(UUID id, Instant createdAt, String actor, String action, String targetType,
                          String targetId, Optional<UUID> orgId, String before, String after) {}
