package dev.tally.auth;

import java.time.Instant;
import java.util.UUID;

/** A service user's credential. The secret itself is never stored, only its SHA-256. */
public record Credential(String id, UUID serviceUserId, String title, String secretSha256, Instant createdAt) {}
