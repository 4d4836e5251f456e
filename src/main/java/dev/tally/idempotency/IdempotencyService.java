package dev.tally.idempotency;

import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.common.Times;
import dev.tally.storage.Database;
import dev.tally.storage.SqlStates;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Safe retries with the {@code Idempotency-Key} header. The first request with a key claims it;
 * its response is recorded and replayed to every later request with the same key and the same
 * body, for at least {@link #RETENTION}. The same key with another body is a conflict, and so is a
 * request whose twin is still being served.
 *
 * <p>A claim whose process died before recording the response is taken over after
 * the lease (60 seconds unless configured). Re-running such a request cannot apply anything twice, because every ledger write
 * is already exactly-once by its own ids (usage ids, grant ids, the derived revert id); only its
 * answer may differ from the lost first one (for example 409 "already exists").
 */
public final class IdempotencyService {
    public static final String HEADER = "Idempotency-Key";
    public static final Duration RETENTION = Duration.ofHours(24);
    public static final Duration LEASE_DEFAULT = Duration.ofSeconds(60);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final int CLAIM_ATTEMPTS_MAX = 3;

    private final Database database;
    private final IdempotencyRepository keys = new IdempotencyRepository();
    private final Clock clock;
    private final Duration lease;

    /** @param lease how long an unanswered claim is honoured before a retry may take it over */
    public IdempotencyService(Database database, Clock clock, Duration lease) {
        this.database = database;
        this.clock = clock;
        this.lease = lease;
    }

    /** What a claim gives: the right to run the request (a holder), or the answer to replay. */
    public sealed interface Claim permits Holder, Replay {}

    /** This caller runs the request; {@code claimedAt} identifies its claim when it completes. */
    public record Holder(Instant claimedAt) implements Claim {}

    /** The answer to give without running the request. */
    public record Replay(int status, String body) implements Claim {}

    /**
     * Claims {@code key} for this request. A {@link Holder} runs the request and then calls
     * {@link #complete}; a {@link Replay} is answered as it is, running nothing.
     */
    public Claim claim(String principal, String key, String requestSha256) {
        if (!KEY.matcher(key).matches()) {
            throw TallyException.invalidArgument(
                    HEADER + ": " + Text.quote(key) + " (expected: 1 to 255 visible ASCII characters)");
        }
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS_MAX; attempt++) {
            Instant now = Times.now(clock);
            if (tryInsert(principal, key, requestSha256, now)) {
                return new Holder(now);
            }
            Optional<StoredKey> stored = database.inTransaction(connection -> keys.find(connection, principal, key));
            if (stored.isEmpty()) {
                continue; // expired and deleted meanwhile: claim again
            }
            StoredKey existing = stored.get();
            if (existing.expiresAt().isBefore(now)) {
                database.inTransaction(connection -> keys.deleteExpired(connection, principal, key, now));
                continue;
            }
            if (!existing.requestSha256().equals(requestSha256)) {
                throw TallyException.alreadyExists(HEADER + " " + Text.quote(key) + " was used with a different request");
            }
            if (existing.done()) {
                return new Replay(existing.responseStatus(), existing.responseBody());
            }
            boolean takenOver = database.inTransaction(connection ->
                    keys.takeOver(connection, principal, key, now.minus(lease), now));
            if (takenOver) {
                return new Holder(now);
            }
            throw new TallyException(ErrorCode.ABORTED,
                    "a request with " + HEADER + " " + Text.quote(key) + " is still being served");
        }
        throw new TallyException(ErrorCode.ABORTED, HEADER + " " + Text.quote(key) + " is contended; retry");
    }

    /**
     * Records the response of a claimed request. A server failure (5xx) releases the key instead,
     * so that the retry runs the request again: nothing was applied, or the ledger's own ids keep
     * a second run from applying twice.
     */
    public void complete(String principal, String key, Holder holder, int status, String body) {
        // Only while this caller still holds the claim: after a lease takeover the answer is the
        // new holder's to record.
        database.inTransaction(connection -> status >= 500
                ? keys.deleteClaim(connection, principal, key, holder.claimedAt())
                : keys.recordResponse(connection, principal, key, holder.claimedAt(), status, body));
    }

    /** Deletes keys past their retention; returns how many. */
    public int purgeExpired() {
        return database.inTransaction(connection -> keys.deleteExpired(connection, Times.now(clock)));
    }

    private boolean tryInsert(String principal, String key, String requestSha256, Instant now) {
        return database.inTransaction(connection -> {
            try {
                keys.insertClaim(connection, principal, key, requestSha256, now, now.plus(RETENTION));
                return true;
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }
}
