package dev.tally.webhooks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Whether any enabled webhook names the usage.created firehose, so that usage writes no event at
 * all when nobody listens. Read from the database at most once per {@link #FRESHNESS}; a change
 * made through this process is seen at once, one made through another process within that time.
 */
final class FirehoseSubscription {
    static final Duration FRESHNESS = Duration.ofSeconds(1);

    private volatile boolean wanted;
    private volatile long checkedAtNanos;
    private volatile boolean stale = true;

    boolean isWanted(Connection connection) throws SQLException {
        if (stale || System.nanoTime() - checkedAtNanos > FRESHNESS.toNanos()) {
            stale = false;
            wanted = anyEnabledWebhookNamesIt(connection);
            checkedAtNanos = System.nanoTime();
        }
        return wanted;
    }

    /** A webhook changed here: read again next time. */
    void invalidate() {
        stale = true;
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
