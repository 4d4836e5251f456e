package dev.tally.idempotency;

import java.time.Instant;

/** A claimed Idempotency-Key and, once the request finished, its response. */
record StoredKey(String requestSha256, boolean done, int responseStatus, String responseBody, Instant expiresAt) {}
