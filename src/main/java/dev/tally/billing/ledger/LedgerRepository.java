package dev.tally.billing.ledger;

import dev.tally.common.Metadata;
import dev.tally.storage.BatchWrites;
import dev.tally.storage.CopyRows;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToLongFunction;

/** The ledger table: entries are inserted and read, never updated or deleted. */
public final class LedgerRepository {
    private static final int LOOKUP_CHUNK = 100;
    /**
     * What {@link #read} reads, in this order: an entry's columns (a history page reads its own,
     * HistoryRepository). The audit column created_by is written, never read (LedgerEntry).
     */
    private static final String COLUMNS = "id, account_id, kind, type, amount, source, description, user_id,"
            + " metadata, reverted_usage_id, created_at";
    /**
     * Whether a usage is reverted: the equality implies reverted_usage_id IS NOT NULL, so PostgreSQL
     * reads the revert-once index, which holds the reverts only (V94; RevertOnceKeyTest EXPLAINs it).
     */
    static final String REVERT_OF_USAGE = "SELECT 1 FROM billing_transactions WHERE reverted_usage_id = ?";

    private final UsageRollups rollups;
    private final BatchWrites batchWrites;

    public LedgerRepository(BatchWrites batchWrites) {
        this.batchWrites = batchWrites;
        this.rollups = new UsageRollups(batchWrites);
    }

    /** How this ledger writes its batches; the allocations of its entries are written the same way. */
    BatchWrites batchWrites() {
        return batchWrites;
    }

    /**
     * Inserts the entries in one batch, with the balance each entry's account has once the
     * caller's transaction commits, and adds them to the hourly usage rollups. A duplicate id or
     * second revert fails with a unique violation. The caller holds the accounts' row locks and
     * took every entry's time from {@link EntryTimes}, which is what makes the stored balance the
     * balance as of the entry's instant.
     */
    void insert(Connection connection, List<NewEntry> entries, ToLongFunction<UUID> balanceAfter)
            throws SQLException {
        if (batchWrites.copies(entries.size())) {
            copy(connection, entries, balanceAfter);
        } else {
            insertBatch(connection, entries, balanceAfter);
        }
        rollups.add(connection, entries.stream().map(NewEntry::entry).toList());
    }

    /** The INSERT of {@link #insert}: H2, and batches too small for COPY to pay. */
    private static void insertBatch(Connection connection, List<NewEntry> entries,
                                    ToLongFunction<UUID> balanceAfter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO billing_transactions (" + COLUMNS + ", created_by, balance_after)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (NewEntry written : entries) {
                LedgerEntry entry = written.entry();
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
                statement.setObject(11, Sql.timestamp(entry.createdAt()));
                statement.setString(12, written.createdBy());
                statement.setLong(13, balanceAfter.applyAsLong(entry.accountId()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** The same rows as {@link #insertBatch}, by COPY (PostgreSQL, large batches: docs/adr/0005). */
    private static void copy(Connection connection, List<NewEntry> entries, ToLongFunction<UUID> balanceAfter)
            throws SQLException {
        CopyRows rows = new CopyRows(entries.size());
        for (NewEntry written : entries) {
            LedgerEntry entry = written.entry();
            rows.uuid(entry.id()).uuid(entry.accountId()).text(entry.kind().storedName())
                    .text(entry.type().wireName()).number(entry.amount()).text(entry.source())
                    .text(entry.description()).text(entry.userId()).text(entry.metadata().json())
                    .uuid(entry.revertedUsageId().orElse(null)).timestamp(entry.createdAt())
                    .text(written.createdBy()).number(balanceAfter.applyAsLong(entry.accountId())).endRow();
        }
        rows.copyInto(connection, "billing_transactions", COLUMNS + ", created_by, balance_after");
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
        try (PreparedStatement statement = connection.prepareStatement(REVERT_OF_USAGE)) {
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

    /**
     * The entry in the current row of a query that selects {@link #COLUMNS} first, read by position.
     */
    private static LedgerEntry read(ResultSet rows) throws SQLException {
        return new LedgerEntry(
                rows.getObject(1, UUID.class),
                rows.getObject(2, UUID.class),
                EntryKind.fromStoredName(rows.getString(3)),
                rows.getLong(5),
                rows.getString(6),
                rows.getString(7),
                rows.getString(8),
                new Metadata(rows.getString(9)),
                Optional.ofNullable(rows.getObject(10, UUID.class)),
                Sql.instant(rows, 11));
    }
}
