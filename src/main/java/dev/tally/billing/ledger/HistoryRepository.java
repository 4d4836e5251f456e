package dev.tally.billing.ledger;

import dev.tally.common.Metadata;
import dev.tally.common.PageCursor;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The reads of history and reporting: keyset pages, the balance as of an instant, usage rollups. */
final class HistoryRepository {
    /**
     * What {@link #entry} reads, in this order: a page's entries less what its query already knows
     * (the account) or the kind decides (the type), which would be bytes sent and decoded per row.
     * Nor the audit column created_by, which no history reply prints (LedgerEntry).
     */
    private static final String PAGE_COLUMNS = "id, kind, amount, source, description, user_id, metadata,"
            + " reverted_usage_id, created_at";

    /** A balance as of an instant, and when it last changed before then. */
    record BalanceAt(long amount, Instant changedAt) {}

    /** One usage_rollups row. */
    record Rollup(long hourNumber, String source, long usage, long reverted, long usageCount) {}

    /**
     * Up to {@code limit} entries matching the filter, newest first by (created_at, id), after the
     * cursor when there is one. Index billing_transactions_account_created_id serves the order.
     */
    List<LedgerEntry> page(Connection connection, UUID accountId, HistoryFilter filter, Optional<PageCursor> after,
                           int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + PAGE_COLUMNS + " FROM billing_transactions"
                + " WHERE account_id = ? AND created_at >= " + Sql.INSTANT_PARAMETER
                + " AND created_at < " + Sql.INSTANT_PARAMETER);
        filter.type().ifPresent(type -> sql.append(" AND type = ?"));
        filter.source().ifPresent(source -> sql.append(" AND source = ?"));
        // The plain bound on created_at lets both databases start the index scan at the cursor's
        // instant, so a page deep in a long history costs what the first one does. The row comparison
        // drops the ties before the cursor: PostgreSQL takes it into the index condition and starts
        // at the cursor itself, rather than fetching and discarding the entries of the cursor's
        // instant already paged (a transaction's entries share one instant: up to 1,000 of them).
        after.ifPresent(cursor -> sql.append(" AND created_at <= ").append(Sql.INSTANT_PARAMETER)
                .append(" AND (created_at, id) < (").append(Sql.INSTANT_PARAMETER).append(", ?)"));
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            statement.setObject(index++, accountId);
            // Entries are stored in whole microseconds, so [start, end) holds the entries that
            // [start, end) rounded up to microseconds holds: exact on both databases, where
            // PostgreSQL's driver would round a bound's nanoseconds half up.
            Sql.setInstant(statement, index++, microsUp(filter.start()));
            Sql.setInstant(statement, index++, microsUp(filter.end()));
            if (filter.type().isPresent()) {
                statement.setString(index++, filter.type().get().wireName());
            }
            if (filter.source().isPresent()) {
                statement.setString(index++, filter.source().get());
            }
            if (after.isPresent()) {
                Sql.setInstant(statement, index++, after.get().createdAt());
                Sql.setInstant(statement, index++, after.get().createdAt());
                statement.setObject(index++, after.get().id());
            }
            statement.setInt(index, limit);
            // No fetch size: LIMIT already bounds the rows held, and PostgreSQL's driver would read
            // them through a portal that stops at exactly the fetch size, costing a further round
            // trip to learn that the page ended.
            try (ResultSet rows = statement.executeQuery()) {
                List<LedgerEntry> entries = new ArrayList<>();
                while (rows.next()) {
                    entries.add(entry(rows, accountId));
                }
                return entries;
            }
        }
    }

    /** The entry in the current row of a page query, read by position. */
    private static LedgerEntry entry(ResultSet rows, UUID accountId) throws SQLException {
        return new LedgerEntry(
                rows.getObject(1, UUID.class),
                accountId,
                EntryKind.fromStoredName(rows.getString(2)),
                rows.getLong(3),
                rows.getString(4),
                rows.getString(5),
                rows.getString(6),
                new Metadata(rows.getString(7)),
                Optional.ofNullable(rows.getObject(8, UUID.class)),
                Sql.instant(rows, 9));
    }

    private static Instant microsUp(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        return micros.equals(instant) ? instant : micros.plus(1, ChronoUnit.MICROS);
    }

    /** The stored balance of the newest entry created at or before {@code at}; empty when there is none. */
    Optional<BalanceAt> balanceAt(Connection connection, UUID accountId, Instant at) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT balance_after, created_at FROM billing_transactions WHERE account_id = ? AND created_at <= "
                        + Sql.INSTANT_PARAMETER + " ORDER BY created_at DESC LIMIT 1")) {
            statement.setObject(1, accountId);
            // Entries are stored in whole microseconds: at or before the instant is at or before it
            // rounded down, where the driver would round its nanoseconds to the nearest microsecond.
            Sql.setInstant(statement, 2, at.truncatedTo(ChronoUnit.MICROS));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next()
                        ? Optional.of(new BalanceAt(rows.getLong("balance_after"), Sql.instant(rows, "created_at")))
                        : Optional.empty();
            }
        }
    }

    /** The account's rollup rows of hours [fromHour, toHour), oldest first. */
    List<Rollup> rollups(Connection connection, UUID accountId, long fromHour, long toHour) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT hour_number, source, usage_amount, reverted_amount, usage_count FROM usage_rollups"
                        + " WHERE account_id = ? AND hour_number >= ? AND hour_number < ?"
                        + " ORDER BY hour_number, source")) {
            statement.setObject(1, accountId);
            statement.setLong(2, fromHour);
            statement.setLong(3, toHour);
            try (ResultSet rows = statement.executeQuery()) {
                List<Rollup> rollups = new ArrayList<>();
                while (rows.next()) {
                    rollups.add(new Rollup(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getLong(4),
                            rows.getLong(5)));
                }
                return rollups;
            }
        }
    }
}
