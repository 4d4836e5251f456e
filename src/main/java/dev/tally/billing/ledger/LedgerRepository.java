package dev.tally.billing.ledger;

import dev.tally.common.Metadata;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The ledger table: entries are inserted and read, never updated or deleted. */
public final class LedgerRepository {
    private static final int LOOKUP_CHUNK = 100;
    private static final String COLUMNS = "id, account_id, kind, type, amount, source, description, user_id,"
            + " metadata, reverted_usage_id, created_by, created_at";

    /** Inserts the entries in one batch; a duplicate id or second revert fails with a unique violation. */
    public void insert(Connection connection, List<LedgerEntry> entries) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO billing_transactions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (LedgerEntry entry : entries) {
                statement.setObject(1, entry.id());
                statement.setObject(2, entry.accountId());
                statement.setString(3, entry.kind().storedName());
                statement.setString(4, entry.type().wireName());
                statement.setLong(5, entry.amount());
                statement.setString(6, entry.source());
                statement.setString(7, entry.description());
                statement.setString(8, entry.userId());
                statement.setString(9, entry.metadata().json());
                statement.setObject(10, entry.revertedUsageId().orElse(null));
                statement.setString(11, entry.createdBy());
                statement.setObject(12, Sql.timestamp(entry.createdAt()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    public Optional<LedgerEntry> findById(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM billing_transactions WHERE id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    /** Whether a revert of this usage is in the ledger. */
    public boolean isReverted(Connection connection, UUID usageId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM billing_transactions WHERE reverted_usage_id = ?")) {
            statement.setObject(1, usageId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Which of {@code ids} are already in the ledger, on any account. */
    public Set<UUID> existingIds(Connection connection, Collection<UUID> ids) throws SQLException {
        Set<UUID> existing = new HashSet<>();
        List<UUID> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            String placeholders = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT id FROM billing_transactions WHERE id IN (" + placeholders + ")")) {
                for (int index = 0; index < chunk.size(); index++) {
                    statement.setObject(index + 1, chunk.get(index));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        existing.add(rows.getObject(1, UUID.class));
                    }
                }
            }
        }
        return existing;
    }

    /** The account's entries created in [start, end), newest first. */
    public List<LedgerEntry> list(Connection connection, UUID accountId, Instant start, Instant end)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM billing_transactions"
                        + " WHERE account_id = ? AND created_at >= ? AND created_at < ?"
                        + " ORDER BY created_at DESC, id DESC")) {
            statement.setObject(1, accountId);
            statement.setObject(2, Sql.timestamp(start));
            statement.setObject(3, Sql.timestamp(end));
            try (ResultSet rows = statement.executeQuery()) {
                List<LedgerEntry> entries = new ArrayList<>();
                while (rows.next()) {
                    entries.add(read(rows));
                }
                return entries;
            }
        }
    }

    private static LedgerEntry read(ResultSet rows) throws SQLException {
        return new LedgerEntry(
                rows.getObject("id", UUID.class),
                rows.getObject("account_id", UUID.class),
                EntryKind.fromStoredName(rows.getString("kind")),
                rows.getLong("amount"),
                rows.getString("source"),
                rows.getString("description"),
                rows.getString("user_id"),
                new Metadata(rows.getString("metadata")),
                Optional.ofNullable(rows.getObject("reverted_usage_id", UUID.class)),
                rows.getString("created_by"),
                Sql.instant(rows, "created_at"));
    }
}
