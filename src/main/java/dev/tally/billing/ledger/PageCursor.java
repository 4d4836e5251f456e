package dev.tally.billing.ledger;

import java.time.Instant;
import java.util.UUID;

/** The position after an entry in the newest-first order of (created_at, id). */
record PageCursor(Instant createdAt, UUID id) {
    static PageCursor after(LedgerEntry entry) {
        return new PageCursor(entry.createdAt(), entry.id());
    }
}
