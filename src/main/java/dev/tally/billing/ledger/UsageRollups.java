package dev.tally.billing.ledger;

import dev.tally.storage.BatchWrites;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The hourly usage rollups (table {@code usage_rollups}), kept in the transaction that writes the
 * entries. Callers hold the account row lock, so no two transactions add to one account's rows at
 * once: an update that finds no row can insert it without racing (the primary key would refuse a
 * second row if a writer ever skipped the lock).
 */
final class UsageRollups {
    private static final long SECONDS_PER_HOUR = 3_600;
    /** {@link BatchWrites#updatesByArrays}; the keys it returns are the rows that exist, the rest are inserted. */
    private static final String UPDATE_BY_ARRAYS = "UPDATE usage_rollups r SET usage_amount = r.usage_amount + v.usage,"
            + " reverted_amount = r.reverted_amount + v.reverted, usage_count = r.usage_count + v.usage_count"
            + " FROM UNNEST(?::uuid[], ?::bigint[], ?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[])"
            + " AS v(account_id, hour_number, source, usage, reverted, usage_count)"
            + " WHERE r.account_id = v.account_id AND r.hour_number = v.hour_number AND r.source = v.source"
            + " RETURNING r.account_id, r.hour_number, r.source";

    private final BatchWrites batchWrites;

    UsageRollups(BatchWrites batchWrites) {
        this.batchWrites = batchWrites;
    }

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
        List<Map.Entry<Key, Sums>> missing = batchWrites.updatesByArrays(changes.size())
                ? updateByArrays(connection, changes) : update(connection, changes);
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

    private static List<Map.Entry<Key, Sums>> updateByArrays(Connection connection, Map<Key, Sums> changes)
            throws SQLException {
        int size = changes.size();
        UUID[] accountIds = new UUID[size];
        Long[] hours = new Long[size];
        String[] sources = new String[size];
        Long[] usage = new Long[size];
        Long[] reverted = new Long[size];
        Long[] counts = new Long[size];
        int index = 0;
        for (Map.Entry<Key, Sums> change : changes.entrySet()) {
            accountIds[index] = change.getKey().accountId();
            hours[index] = change.getKey().hourNumber();
            sources[index] = change.getKey().source();
            usage[index] = change.getValue().usage;
            reverted[index] = change.getValue().reverted;
            counts[index] = change.getValue().usageCount;
            index++;
        }
        Set<Key> updated = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(UPDATE_BY_ARRAYS)) {
            statement.setArray(1, connection.createArrayOf("uuid", accountIds));
            statement.setArray(2, connection.createArrayOf("bigint", hours));
            statement.setArray(3, connection.createArrayOf("varchar", sources));
            statement.setArray(4, connection.createArrayOf("bigint", usage));
            statement.setArray(5, connection.createArrayOf("bigint", reverted));
            statement.setArray(6, connection.createArrayOf("bigint", counts));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    updated.add(new Key(rows.getObject(1, UUID.class), rows.getLong(2), rows.getString(3)));
                }
            }
        }
        List<Map.Entry<Key, Sums>> missing = new ArrayList<>();
        for (Map.Entry<Key, Sums> change : changes.entrySet()) {
            if (!updated.contains(change.getKey())) {
                missing.add(change);
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
