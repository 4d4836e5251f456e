package dev.tally.billing.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The hourly usage rollups (table {@code usage_rollups}), kept in the transaction that writes the
 * entries. Callers hold the account row lock, so no two transactions add to one account's rows at
 * once: an update that finds no row can insert it without racing (the primary key would refuse a
 * second row if a writer ever skipped the lock).
 */
final class UsageRollups {
    private static final long SECONDS_PER_HOUR = 3_600;

    /** One rollup row's key and what a transaction adds to it. */
    private record Key(UUID accountId, long hourNumber, String source) {}

    private static final class Sums {
        long usage;
        long reverted;
        long usageCount;
    }

    static long hourNumber(java.time.Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), SECONDS_PER_HOUR);
    }

    void add(Connection connection, List<LedgerEntry> entries) throws SQLException {
        Map<Key, Sums> changes = new LinkedHashMap<>();
        for (LedgerEntry entry : entries) {
            if (entry.kind() != EntryKind.USAGE && entry.kind() != EntryKind.REVERT) {
                continue; // grants and expiries are not usage
            }
            Sums sums = changes.computeIfAbsent(
                    new Key(entry.accountId(), hourNumber(entry.createdAt()), usageSource(entry)), key -> new Sums());
            if (entry.kind() == EntryKind.USAGE) {
                sums.usage = Math.addExact(sums.usage, entry.amount());
                sums.usageCount++;
            } else {
                sums.reverted = Math.addExact(sums.reverted, entry.amount());
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        List<Map.Entry<Key, Sums>> missing = update(connection, changes);
        if (!missing.isEmpty()) {
            insert(connection, missing);
        }
    }

    /** The source a usage summary files the entry under: a revert's is the reverted usage's. */
    static String usageSource(LedgerEntry entry) {
        return entry.kind() == EntryKind.REVERT
                ? entry.source().substring(RevertService.SOURCE_PREFIX.length())
                : entry.source();
    }

    private static List<Map.Entry<Key, Sums>> update(Connection connection, Map<Key, Sums> changes)
            throws SQLException {
        List<Map.Entry<Key, Sums>> ordered = new ArrayList<>(changes.entrySet());
        int[] counts;
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE usage_rollups SET usage_amount = usage_amount + ?, reverted_amount = reverted_amount + ?,"
                        + " usage_count = usage_count + ? WHERE account_id = ? AND hour_number = ? AND source = ?")) {
            for (Map.Entry<Key, Sums> change : ordered) {
                statement.setLong(1, change.getValue().usage);
                statement.setLong(2, change.getValue().reverted);
                statement.setLong(3, change.getValue().usageCount);
                statement.setObject(4, change.getKey().accountId());
                statement.setLong(5, change.getKey().hourNumber());
                statement.setString(6, change.getKey().source());
                statement.addBatch();
            }
            counts = statement.executeBatch();
        }
        List<Map.Entry<Key, Sums>> missing = new ArrayList<>();
        for (int index = 0; index < counts.length; index++) {
            if (counts[index] == 0) {
                missing.add(ordered.get(index));
            }
        }
        return missing;
    }

    private static void insert(Connection connection, List<Map.Entry<Key, Sums>> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO usage_rollups (account_id, hour_number, source, usage_amount, reverted_amount, usage_count)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Key, Sums> row : rows) {
                statement.setObject(1, row.getKey().accountId());
                statement.setLong(2, row.getKey().hourNumber());
                statement.setString(3, row.getKey().source());
                statement.setLong(4, row.getValue().usage);
                statement.setLong(5, row.getValue().reverted);
                statement.setLong(6, row.getValue().usageCount);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }
}
