package dev.tally.billing.account;

import dev.tally.common.Metadata;
import dev.tally.storage.BatchWrites;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public final class BillingAccountRepository {
    private static final String UPDATE_BALANCES_BY_ARRAYS = "UPDATE billing_accounts a SET balance = v.balance,"
            + " debited = v.debited, balance_updated_at = ?"
            + " FROM UNNEST(?::uuid[], ?::bigint[], ?::bigint[]) AS v(id, balance, debited) WHERE a.id = v.id";
    private static final String COLUMNS = "id, org_id, name, email, phone, address, currency, state, credit_min,"
            + " due_in_days, balance, debited, metadata, created_at, updated_at, balance_updated_at";

    private final BatchWrites batchWrites;

    /** {@code batchWrites}: how several accounts' balances are written at once ({@link BatchWrites#updatesByArrays}). */
    public BillingAccountRepository(BatchWrites batchWrites) {
        this.batchWrites = batchWrites;
    }

    public void insert(Connection connection, BillingAccount account, String createdBy) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO billing_accounts (" + COLUMNS + ", created_by)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setObject(1, account.id());
            statement.setObject(2, account.organizationId());
            statement.setString(3, account.name());
            statement.setString(4, account.email());
            statement.setString(5, account.phone());
            statement.setString(6, account.address());
            statement.setString(7, account.currency());
            statement.setString(8, account.state());
            statement.setLong(9, account.creditMin());
            statement.setLong(10, account.dueInDays());
            statement.setLong(11, account.balance());
            statement.setLong(12, account.debited());
            statement.setString(13, account.metadata().json());
            statement.setObject(14, Sql.timestamp(account.createdAt()));
            statement.setObject(15, Sql.timestamp(account.updatedAt()));
            statement.setObject(16, Sql.timestamp(account.balanceUpdatedAt()));
            statement.setString(17, createdBy);
            statement.executeUpdate();
        }
    }

    public Optional<BillingAccount> findById(Connection connection, UUID id) throws SQLException {
        return findOne(connection, "SELECT " + COLUMNS + " FROM billing_accounts WHERE id = ?", id);
    }

    /**
     * Reads the account and locks its row until the transaction ends, so that the balance a
     * writer checks is the balance it updates.
     */
    public Optional<BillingAccount> lockById(Connection connection, UUID id) throws SQLException {
        return findOne(connection, "SELECT " + COLUMNS + " FROM billing_accounts WHERE id = ? FOR UPDATE", id);
    }

    /** The organization's default account: its oldest active one. */
    public Optional<BillingAccount> findDefault(Connection connection, UUID orgId) throws SQLException {
        return findOne(connection, "SELECT " + COLUMNS + " FROM billing_accounts WHERE org_id = ? AND state = '"
                + BillingAccount.ACTIVE + "' ORDER BY created_at, id LIMIT 1", orgId);
    }

    public List<BillingAccount> listByOrganization(Connection connection, UUID orgId) throws SQLException {
        return list(connection, "SELECT " + COLUMNS + " FROM billing_accounts WHERE org_id = ? ORDER BY created_at, id",
                orgId);
    }

    public List<BillingAccount> listAll(Connection connection) throws SQLException {
        return list(connection, "SELECT " + COLUMNS + " FROM billing_accounts ORDER BY created_at, id", null);
    }

    /**
     * Reads and locks several accounts. Rows are locked in id order, the same order every writer
     * uses, so that two groups sharing accounts cannot deadlock.
     */
    public Map<UUID, BillingAccount> lockAll(Connection connection, Collection<UUID> ids) throws SQLException {
        List<UUID> sorted = ids.stream().sorted().toList();
        Map<UUID, BillingAccount> locked = new HashMap<>();
        String placeholders = String.join(", ", Collections.nCopies(sorted.size(), "?"));
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM billing_accounts WHERE id IN (" + placeholders + ") ORDER BY id FOR UPDATE")) {
            for (int index = 0; index < sorted.size(); index++) {
                statement.setObject(index + 1, sorted.get(index));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    BillingAccount account = read(rows);
                    locked.put(account.id(), account);
                }
            }
        }
        return locked;
    }

    /** Stores new sums for several accounts, each {@code {balance, debited}}; rows are locked by the caller. */
    public void updateBalances(Connection connection, Map<UUID, long[]> sums, Instant now) throws SQLException {
        if (batchWrites.updatesByArrays(sums.size())) {
            updateBalancesByArrays(connection, sums, now);
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE billing_accounts SET balance = ?, debited = ?, balance_updated_at = ? WHERE id = ?")) {
            for (Map.Entry<UUID, long[]> entry : sums.entrySet()) {
                statement.setLong(1, entry.getValue()[0]);
                statement.setLong(2, entry.getValue()[1]);
                statement.setObject(3, Sql.timestamp(now));
                statement.setObject(4, entry.getKey());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void updateBalancesByArrays(Connection connection, Map<UUID, long[]> sums, Instant now)
            throws SQLException {
        UUID[] ids = new UUID[sums.size()];
        Long[] balances = new Long[sums.size()];
        Long[] debited = new Long[sums.size()];
        int index = 0;
        for (Map.Entry<UUID, long[]> entry : sums.entrySet()) {
            ids[index] = entry.getKey();
            balances[index] = entry.getValue()[0];
            debited[index] = entry.getValue()[1];
            index++;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPDATE_BALANCES_BY_ARRAYS)) {
            statement.setObject(1, Sql.timestamp(now));
            statement.setArray(2, connection.createArrayOf("uuid", ids));
            statement.setArray(3, connection.createArrayOf("bigint", balances));
            statement.setArray(4, connection.createArrayOf("bigint", debited));
            statement.executeUpdate();
        }
    }

    public void updateState(Connection connection, UUID id, String state, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE billing_accounts SET state = ?, updated_at = ? WHERE id = ?")) {
            statement.setString(1, state);
            statement.setObject(2, Sql.timestamp(now));
            statement.setObject(3, id);
            statement.executeUpdate();
        }
    }

    public void updateCreditMin(Connection connection, UUID id, long creditMin, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE billing_accounts SET credit_min = ?, updated_at = ? WHERE id = ?")) {
            statement.setLong(1, creditMin);
            statement.setObject(2, Sql.timestamp(now));
            statement.setObject(3, id);
            statement.executeUpdate();
        }
    }

    /**
     * Stores the sums after entries were added. Callers hold the row lock taken by
     * {@link #lockById} and insert the entries in the same transaction.
     */
    public void updateBalance(Connection connection, UUID id, long balance, long debited, Instant now)
            throws SQLException {
        updateBalances(connection, Map.of(id, new long[] {balance, debited}), now);
    }

    private Optional<BillingAccount> findOne(Connection connection, String sql, UUID key) throws SQLException {
        List<BillingAccount> accounts = list(connection, sql, key);
        return accounts.isEmpty() ? Optional.empty() : Optional.of(accounts.get(0));
    }

    private List<BillingAccount> list(Connection connection, String sql, UUID key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (key != null) {
                statement.setObject(1, key);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<BillingAccount> accounts = new ArrayList<>();
                while (rows.next()) {
                    accounts.add(read(rows));
                }
                return accounts;
            }
        }
    }

    private static BillingAccount read(ResultSet rows) throws SQLException {
        return new BillingAccount(
                rows.getObject("id", UUID.class),
                rows.getObject("org_id", UUID.class),
                rows.getString("name"),
                rows.getString("email"),
                rows.getString("phone"),
                rows.getString("address"),
                rows.getString("currency"),
                rows.getString("state"),
                rows.getLong("credit_min"),
                rows.getLong("due_in_days"),
                rows.getLong("balance"),
                rows.getLong("debited"),
                new Metadata(rows.getString("metadata")),
                Sql.instant(rows, "created_at"),
                Sql.instant(rows, "updated_at"),
                Sql.instant(rows, "balance_updated_at"));
    }
}
