package dev.tally.common;

import java.time.Instant;
import java.util.UUID;

/** The position after a row in the newest-first order of (created_at, id), which keyset pages use. */
public record PageCursor(Instant createdAt, UUID id) {}
