package dev.tally.billing.ledger;

import dev.tally.common.PageCursor;
import dev.tally.storage.Database;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every entry of one account in a filter, read in keyset chunks, each in its own short
 * transaction: memory and connection time stay bounded however long the history is, and entries
 * written during the export (always newer than the first chunk, see {@link EntryTimes}) are not
 * part of it. The account and the caller's right to it were checked when the export was opened.
 */
public final class TransactionExport {
    private final Database database;
    private final HistoryRepository history;
    private final UUID accountId;
    private final HistoryFilter filter;
    private Optional<PageCursor> after = Optional.empty();
    private boolean finished;

    TransactionExport(Database database, HistoryRepository history, UUID accountId, HistoryFilter filter) {
        this.database = database;
        this.history = history;
        this.accountId = accountId;
        this.filter = filter;
    }

    /** The next entries, newest first; empty once every entry was returned. */
    public List<LedgerEntry> next(int chunkSize) {
        if (finished) {
            return List.of();
        }
        List<LedgerEntry> chunk = database.inTransaction(
                connection -> history.page(connection, accountId, filter, after, chunkSize));
        if (chunk.size() < chunkSize) {
            finished = true;
        }
        if (!chunk.isEmpty()) {
            LedgerEntry last = chunk.get(chunk.size() - 1);
            after = Optional.of(new PageCursor(last.createdAt(), last.id()));
        }
        return chunk;
    }
}
