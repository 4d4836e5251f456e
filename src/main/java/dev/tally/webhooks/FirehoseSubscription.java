package dev.tally.webhooks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether any enabled webhook names the usage.created firehose, so that usage writes no event at
 * all when nobody listens. Read from the database at most once per {@link #FRESHNESS}; a change
 * made through this process is seen at once, one made through another process within that time.
 *
 * <p>"At once" means: a call that starts after {@link #invalidate()} returned answers from a read
 * that started after it too. Each invalidation starts a new generation, and a reading serves only
 * callers of its own generation; so while one thread re-reads, the others do not fall back on the
 * reading from before the change (they read for themselves), and a usage reported after a webhook
 * naming the firehose was created always gets its event.
 */
final class FirehoseSubscription {
    static final Duration FRESHNESS = Duration.ofSeconds(1);

    /** What one read found, and the generation it was started in. */
    private record Reading(long generation, boolean wanted, long readAtNanos) {}

    private final AtomicLong generation = new AtomicLong();
    private volatile Reading last = new Reading(-1, false, 0);

    boolean isWanted(Connection connection) throws SQLException {
        long current = generation.get();
        Reading reading = last;
        if (reading.generation() == current && System.nanoTime() - reading.readAtNanos() <= FRESHNESS.toNanos()) {
            return reading.wanted();
        }
        long startedAtNanos = System.nanoTime();
        boolean wanted = anyEnabledWebhookNamesIt(connection);
        // A reading of an older generation published late is harmless: its generation no longer
        // matches, so the next caller reads again.
        last = new Reading(current, wanted, startedAtNanos);
        return wanted;
    }

    /** A webhook changed here (after its transaction committed): read again next time. */
    void invalidate() {
        generation.incrementAndGet();
    }

    private static boolean anyEnabledWebhookNamesIt(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT COUNT(*) FROM webhooks WHERE state = 'enabled' AND subscribed_events LIKE ?")) {
            statement.setString(1, "%\"" + WebhookAction.USAGE_CREATED.wireName() + "\"%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }
}
