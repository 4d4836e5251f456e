package dev.tally.billing.ledger;

import dev.tally.storage.BatchWrites;
import dev.tally.storage.CopyRows;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Tables {@code billing_grants} and {@code billing_allocations}, and the account's {@code debt}.
 * Every writer holds the row lock of the grants' account, as for the balance.
 */
public final class GrantRepository {
    private static final String COLUMNS = "g.id, g.account_id, g.amount, g.remaining, g.expired, g.priority,"
            + " g.expires_at, g.expiry_pending, g.created_at";

    /** A grant with the source and description of its credit entry, for the grants list. */
    public record Listed(Grant grant, String source, String description) {}

    private final BatchWrites batchWrites;

    /** {@code batchWrites}: how allocations are written, as the entries they allocate are. */
    public GrantRepository(BatchWrites batchWrites) {
        this.batchWrites = batchWrites;
    }

    void insert(Connection connection, Grant grant) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO billing_grants (id, account_id,"
                + " amount, remaining, expired, priority, expires_at, expiry_pending, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setObject(1, grant.id());
            statement.setObject(2, grant.accountId());
            statement.setLong(3, grant.amount());
            statement.setLong(4, grant.remaining());
            statement.setLong(5, grant.expired());
            statement.setInt(6, grant.priority());
            statement.setObject(7, grant.expiresAt().map(Sql::timestamp).orElse(null));
            statement.setBoolean(8, grant.expiryPending());
            statement.setObject(9, Sql.timestamp(grant.createdAt()));
            statement.executeUpdate();
        }
    }

    /**
     * The grants of these accounts with something left, spent or expired alike. {@code has_remaining}
     * is {@code remaining > 0}, stored (V95): the index of open grants is on it, not on the amount
     * every debit changes.
     */
    List<Grant> open(Connection connection, Collection<UUID> accountIds) throws SQLException {
        return select(connection, "SELECT " + COLUMNS + " FROM billing_grants g WHERE g.account_id IN ("
                + placeholders(accountIds.size()) + ") AND g.has_remaining", new ArrayList<>(accountIds));
    }

    List<Grant> byIds(Connection connection, Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        return select(connection, "SELECT " + COLUMNS + " FROM billing_grants g WHERE g.id IN ("
                + placeholders(ids.size()) + ")", new ArrayList<>(ids));
    }

    /** Up to {@code limit} grants whose expiry entry is due and not written, oldest expiry first. */
    List<Grant> dueForExpiry(Connection connection, Instant now, int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM billing_grants g WHERE g.expiry_pending = TRUE AND g.expires_at <= ?"
                + " ORDER BY g.expires_at FETCH FIRST " + limit + " ROWS ONLY")) {
            statement.setObject(1, Sql.timestamp(now));
            return read(statement);
        }
    }

    /** The expired remainders on the account whose expiry entries are not written yet. */
    long unspendable(Connection connection, UUID accountId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT COALESCE(SUM(remaining), 0)"
                + " FROM billing_grants WHERE account_id = ? AND has_remaining AND expires_at <= ?")) {
            statement.setObject(1, accountId);
            statement.setObject(2, Sql.timestamp(now));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    List<Listed> list(Connection connection, UUID accountId) throws SQLException {
        List<Listed> listed = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + ", t.source, t.description FROM billing_grants g JOIN billing_transactions t ON t.id = g.id"
                + " WHERE g.account_id = ? ORDER BY g.created_at DESC, g.id DESC")) {
            statement.setObject(1, accountId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    listed.add(new Listed(readGrant(rows), rows.getString("source"), rows.getString("description")));
                }
            }
        }
        return listed;
    }

    void updateRemaining(Connection connection, Map<UUID, Long> remaining) throws SQLException {
        if (batchWrites.updatesByArrays(remaining.size())) {
            updateRemainingByArrays(connection, remaining);
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE billing_grants SET remaining = ? WHERE id = ?")) {
            for (Map.Entry<UUID, Long> entry : remaining.entrySet()) {
                statement.setLong(1, entry.getValue());
                statement.setObject(2, entry.getKey());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** {@link BatchWrites#updatesByArrays}: every grant's remainder in one UPDATE. */
    private static void updateRemainingByArrays(Connection connection, Map<UUID, Long> remaining) throws SQLException {
        UUID[] ids = new UUID[remaining.size()];
        Long[] values = new Long[remaining.size()];
        int index = 0;
        for (Map.Entry<UUID, Long> entry : remaining.entrySet()) {
            ids[index] = entry.getKey();
            values[index] = entry.getValue();
            index++;
        }
        try (PreparedStatement statement = connection.prepareStatement("UPDATE billing_grants g SET remaining ="
                + " v.remaining FROM UNNEST(?::uuid[], ?::bigint[]) AS v(id, remaining) WHERE g.id = v.id")) {
            statement.setArray(1, connection.createArrayOf("uuid", ids));
            statement.setArray(2, connection.createArrayOf("bigint", values));
            statement.executeUpdate();
        }
    }

    /** The expiry entry of the grant is written: its remainder is gone and it leaves the sweeper's queue. */
    void markExpired(Connection connection, UUID grantId, long expiredAmount) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE billing_grants SET remaining = 0,"
                + " expired = expired + ?, expiry_pending = FALSE WHERE id = ?")) {
            statement.setLong(1, expiredAmount);
            statement.setObject(2, grantId);
            statement.executeUpdate();
        }
    }

    /** What a revert gave back to an expired grant expired at once: counted in its expired total. */
    void addExpired(Connection connection, UUID grantId, long expiredAmount) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE billing_grants SET expired = expired + ? WHERE id = ?")) {
            statement.setLong(1, expiredAmount);
            statement.setObject(2, grantId);
            statement.executeUpdate();
        }
    }

    void insertAllocations(Connection connection, List<Allocation> allocations) throws SQLException {
        if (allocations.isEmpty()) {
            return;
        }
        if (batchWrites.copies(allocations.size())) {
            // One COPY for a large batch's allocations, as for its entries (docs/adr/0005).
            CopyRows rows = new CopyRows(allocations.size());
            for (Allocation allocation : allocations) {
                rows.uuid(allocation.entryId()).number(allocation.spentOrder())
                        .uuid(allocation.grantId().orElse(null)).number(allocation.amount()).endRow();
            }
            rows.copyInto(connection, "billing_allocations", "entry_id, spent_order, grant_id, amount");
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO billing_allocations (entry_id, spent_order, grant_id, amount) VALUES (?, ?, ?, ?)")) {
            for (Allocation allocation : allocations) {
                statement.setObject(1, allocation.entryId());
                statement.setInt(2, allocation.spentOrder());
                statement.setObject(3, allocation.grantId().orElse(null));
                statement.setLong(4, allocation.amount());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** An entry's allocations in the order they were spent. */
    List<Allocation> allocations(Connection connection, UUID entryId) throws SQLException {
        List<Allocation> allocations = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT entry_id, spent_order, grant_id,"
                + " amount FROM billing_allocations WHERE entry_id = ? ORDER BY spent_order")) {
            statement.setObject(1, entryId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    allocations.add(new Allocation(rows.getObject(1, UUID.class), rows.getInt(2),
                            Optional.ofNullable(rows.getObject(3, UUID.class)), rows.getLong(4)));
                }
            }
        }
        return allocations;
    }

    long debt(Connection connection, UUID accountId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT debt FROM billing_accounts WHERE id = ?")) {
            statement.setObject(1, accountId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Adds to (or, negative, takes from) each account's debt. */
    void addDebt(Connection connection, Map<UUID, Long> added) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE billing_accounts SET debt = debt + ? WHERE id = ?")) {
            for (Map.Entry<UUID, Long> entry : added.entrySet()) {
                statement.setLong(1, entry.getValue());
                statement.setObject(2, entry.getKey());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static List<Grant> select(Connection connection, String sql, List<UUID> ids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int index = 0; index < ids.size(); index++) {
                statement.setObject(index + 1, ids.get(index));
            }
            return read(statement);
        }
    }

    private static List<Grant> read(PreparedStatement statement) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                grants.add(readGrant(rows));
            }
        }
        return grants;
    }

    private static Grant readGrant(ResultSet rows) throws SQLException {
        return new Grant(rows.getObject("id", UUID.class), rows.getObject("account_id", UUID.class),
                rows.getLong("amount"), rows.getLong("remaining"), rows.getLong("expired"), rows.getInt("priority"),
                rows.getObject("expires_at") == null ? Optional.empty() : Optional.of(Sql.instant(rows, "expires_at")),
                rows.getBoolean("expiry_pending"), Sql.instant(rows, "created_at"));
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
