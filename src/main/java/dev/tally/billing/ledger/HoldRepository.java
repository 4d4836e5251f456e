package dev.tally.billing.ledger;

import dev.tally.common.Metadata;
import dev.tally.storage.Sql;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The holds table. A hold leaves {@code held} only through {@link #finish}, whose
 * {@code WHERE state = 'held'} makes the first of capture, release and the sweeper the only one.
 */
public final class HoldRepository {
    private static final String COLUMNS = "id, account_id, amount, captured_amount, state, expires_at, usage_id,"
            + " source, description, user_id, metadata, created_by, created_at, updated_at";
    private static final String HELD = "'" + HoldState.HELD.wireName() + "'";

    public void insert(Connection connection, Hold hold) throws SQLException {
        insertAll(connection, List.of(hold));
    }

    /** Inserts the holds in one batch, in id order (so that two batches never wait on each other in a cycle). */
    public void insertAll(Connection connection, Collection<Hold> holds) throws SQLException {
        List<Hold> sorted = holds.stream().sorted(java.util.Comparator.comparing(Hold::id)).toList();
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO billing_holds (" + COLUMNS
                + ") VALUES (?, ?, ?, NULL, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Hold hold : sorted) {
                statement.setObject(1, hold.id());
                statement.setObject(2, hold.accountId());
                statement.setLong(3, hold.amount());
                statement.setString(4, hold.storedState().wireName());
                statement.setObject(5, Sql.timestamp(hold.expiresAt()));
                statement.setString(6, hold.source());
                statement.setString(7, hold.description());
                statement.setString(8, hold.userId());
                statement.setString(9, hold.metadata().json());
                statement.setString(10, hold.createdBy());
                statement.setObject(11, Sql.timestamp(hold.createdAt()));
                statement.setObject(12, Sql.timestamp(hold.updatedAt()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    public Optional<Hold> find(Connection connection, UUID id) throws SQLException {
        return one(connection, "SELECT " + COLUMNS + " FROM billing_holds WHERE id = ?", id);
    }

    /** Reads the hold and locks its row until the transaction ends. */
    public Optional<Hold> lock(Connection connection, UUID id) throws SQLException {
        return one(connection, "SELECT " + COLUMNS + " FROM billing_holds WHERE id = ? FOR UPDATE", id);
    }

    /** Reads and locks several holds, in id order (the order every writer uses). */
    public Map<UUID, Hold> lockAll(Connection connection, Collection<UUID> ids) throws SQLException {
        return byIds(connection, ids, " ORDER BY id FOR UPDATE");
    }

    /** The holds among {@code ids} that exist, read without a lock. */
    public Map<UUID, Hold> findAll(Connection connection, Collection<UUID> ids) throws SQLException {
        return ids.isEmpty() ? Map.of() : byIds(connection, ids, "");
    }

    private Map<UUID, Hold> byIds(Connection connection, Collection<UUID> ids, String suffix) throws SQLException {
        List<UUID> sorted = ids.stream().distinct().sorted().toList();
        String placeholders = String.join(", ", Collections.nCopies(sorted.size(), "?"));
        Map<UUID, Hold> locked = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM billing_holds WHERE id IN (" + placeholders + ")" + suffix)) {
            for (int index = 0; index < sorted.size(); index++) {
                statement.setObject(index + 1, sorted.get(index));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Hold hold = read(rows);
                    locked.put(hold.id(), hold);
                }
            }
        }
        return locked;
    }

    /**
     * The credits each account's live holds reserve at {@code now}: held and not past expires_at,
     * whatever the sweeper has done. Accounts without live holds are absent.
     */
    public Map<UUID, Long> heldSums(Connection connection, Collection<UUID> accountIds, Instant now)
            throws SQLException {
        List<UUID> ids = new ArrayList<>(accountIds);
        String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
        Map<UUID, Long> sums = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT account_id, SUM(amount)"
                + " FROM billing_holds WHERE account_id IN (" + placeholders + ") AND state = " + HELD
                + " AND expires_at > ? GROUP BY account_id")) {
            for (int index = 0; index < ids.size(); index++) {
                statement.setObject(index + 1, ids.get(index));
            }
            statement.setObject(ids.size() + 1, Sql.timestamp(now));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sums.put(rows.getObject(1, UUID.class), saturated(rows.getBigDecimal(2)));
                }
            }
        }
        return sums;
    }

    public long heldSum(Connection connection, UUID accountId, Instant now) throws SQLException {
        return heldSums(connection, List.of(accountId), now).getOrDefault(accountId, 0L);
    }

    /**
     * Moves a live hold to {@code state}; false when it was no longer live (another writer or the
     * clock got there first), in which case nothing changed.
     */
    public boolean finish(Connection connection, UUID id, HoldState state, OptionalLong capturedAmount,
                          Optional<UUID> usageId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE billing_holds SET state = ?,"
                + " captured_amount = ?, usage_id = ?, updated_at = ? WHERE id = ? AND state = " + HELD
                + " AND expires_at > ?")) {
            statement.setString(1, state.wireName());
            statement.setObject(2, capturedAmount.isPresent() ? capturedAmount.getAsLong() : null);
            statement.setObject(3, usageId.orElse(null));
            statement.setObject(4, Sql.timestamp(now));
            statement.setObject(5, id);
            statement.setObject(6, Sql.timestamp(now));
            return statement.executeUpdate() == 1;
        }
    }

    /**
     * Marks the live holds captured, each with its amount and usage id, in one statement (a
     * group's captures, whose rows it has locked: one execution in the database rather than one per
     * capture); answers whether every one of them was still live. Same guard as {@link #finish}.
     */
    public boolean captureAll(Connection connection, List<UsageRequest.HoldCapture> captures, Instant now)
            throws SQLException {
        List<UsageRequest.HoldCapture> sorted = captures.stream()
                .sorted(java.util.Comparator.comparing(UsageRequest.HoldCapture::holdId)).toList();
        String whens = String.join(" ", Collections.nCopies(sorted.size(), "WHEN ? THEN ?"));
        String placeholders = String.join(", ", Collections.nCopies(sorted.size(), "?"));
        try (PreparedStatement statement = connection.prepareStatement("UPDATE billing_holds SET state = '"
                + HoldState.CAPTURED.wireName() + "', captured_amount = CASE id " + whens + " END, usage_id = CASE id "
                + whens + " END, updated_at = ? WHERE id IN (" + placeholders + ") AND state = " + HELD
                + " AND expires_at > ?")) {
            int index = 1;
            for (UsageRequest.HoldCapture capture : sorted) {
                statement.setObject(index++, capture.holdId());
                statement.setLong(index++, capture.amount());
            }
            for (UsageRequest.HoldCapture capture : sorted) {
                statement.setObject(index++, capture.holdId());
                statement.setObject(index++, capture.usageId());
            }
            statement.setObject(index++, Sql.timestamp(now));
            for (UsageRequest.HoldCapture capture : sorted) {
                statement.setObject(index++, capture.holdId());
            }
            statement.setObject(index, Sql.timestamp(now));
            return statement.executeUpdate() == sorted.size();
        }
    }

    /**
     * Marks up to {@code limit} holds past expires_at as expired and returns them as marked. Safe
     * in several processes at once: each takes due rows no other transaction has locked (a
     * capture's group, a release or another sweeper), and the guarded UPDATE marks a row once, so
     * a row is returned by exactly one sweep.
     */
    public List<Hold> expire(Connection connection, Instant now, int limit) throws SQLException {
        List<Hold> due = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM billing_holds"
                + " WHERE state = " + HELD + " AND expires_at <= ? ORDER BY expires_at, id LIMIT ?"
                + " FOR UPDATE SKIP LOCKED")) {
            statement.setObject(1, Sql.timestamp(now));
            statement.setInt(2, limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    due.add(read(rows));
                }
            }
        }
        if (due.isEmpty()) {
            return due;
        }
        List<Hold> expired = new ArrayList<>(due.size());
        try (PreparedStatement statement = connection.prepareStatement("UPDATE billing_holds SET state = '"
                + HoldState.EXPIRED.wireName() + "', updated_at = ? WHERE id = ? AND state = " + HELD
                + " AND expires_at <= ?")) {
            for (Hold hold : due) {
                statement.setObject(1, Sql.timestamp(now));
                statement.setObject(2, hold.id());
                statement.setObject(3, Sql.timestamp(now));
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            for (int index = 0; index < due.size(); index++) {
                // The rows are locked, so the guard cannot miss; it states the rule all the same.
                // (A driver may answer SUCCESS_NO_INFO rather than 1: anything but 0 is a marked row.)
                if (counts[index] != 0) {
                    Hold hold = due.get(index);
                    expired.add(new Hold(hold.id(), hold.accountId(), hold.amount(), hold.capturedAmount(),
                            HoldState.EXPIRED, hold.expiresAt(), hold.usageId(), hold.source(), hold.description(),
                            hold.userId(), hold.metadata(), hold.createdBy(), hold.createdAt(), now));
                }
            }
        }
        return expired;
    }

    /**
     * A page of the account's holds, newest first by (created_at, id), starting after
     * {@code after} when given; {@code state} filters by the state as of {@code now}.
     */
    public List<Hold> page(Connection connection, UUID accountId, Optional<HoldState> state, Instant now,
                           Optional<HoldPageToken> after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM billing_holds WHERE account_id = ?");
        List<Object> parameters = new ArrayList<>(List.of(accountId));
        state.ifPresent(wanted -> {
            switch (wanted) {
                case HELD -> {
                    sql.append(" AND state = ").append(HELD).append(" AND expires_at > ?");
                    parameters.add(Sql.timestamp(now));
                }
                case EXPIRED -> {
                    sql.append(" AND (state = '").append(HoldState.EXPIRED.wireName())
                            .append("' OR (state = ").append(HELD).append(" AND expires_at <= ?))");
                    parameters.add(Sql.timestamp(now));
                }
                default -> {
                    sql.append(" AND state = ?");
                    parameters.add(wanted.wireName());
                }
            }
        });
        after.ifPresent(token -> {
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            parameters.add(Sql.timestamp(token.createdAt()));
            parameters.add(Sql.timestamp(token.createdAt()));
            parameters.add(token.id());
        });
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        parameters.add(limit);
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int index = 0; index < parameters.size(); index++) {
                statement.setObject(index + 1, parameters.get(index));
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Hold> holds = new ArrayList<>();
                while (rows.next()) {
                    holds.add(read(rows));
                }
                return holds;
            }
        }
    }

    private static long saturated(BigDecimal sum) {
        return sum.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : sum.longValueExact();
    }

    private Optional<Hold> one(Connection connection, String sql, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private static Hold read(ResultSet rows) throws SQLException {
        long captured = rows.getLong("captured_amount");
        OptionalLong capturedAmount = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(captured);
        return new Hold(
                rows.getObject("id", UUID.class),
                rows.getObject("account_id", UUID.class),
                rows.getLong("amount"),
                capturedAmount,
                HoldState.fromWireName(rows.getString("state")).orElseThrow(),
                Sql.instant(rows, "expires_at"),
                Optional.ofNullable(rows.getObject("usage_id", UUID.class)),
                rows.getString("source"),
                rows.getString("description"),
                rows.getString("user_id"),
                new Metadata(rows.getString("metadata")),
                rows.getString("created_by"),
                Sql.instant(rows, "created_at"),
                Sql.instant(rows, "updated_at"));
    }
}
