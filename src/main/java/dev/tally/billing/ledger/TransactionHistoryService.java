package dev.tally.billing.ledger;

import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.common.ErrorCode;
import dev.tally.common.PageCursor;
import dev.tally.common.PageTokens;
import dev.tally.common.TallyException;
import dev.tally.storage.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reading an account's ledger entries (DESIGN §11): pages, exports and the balance as of an instant. */
public final class TransactionHistoryService {
    public static final int PAGE_SIZE_MAX = 1_000;
    /** Without page_size, a list answers every entry in range as Frontier does, up to this many. */
    public static final int UNPAGED_ENTRIES_MAX = 10_000;

    private final Database database;
    private final AccountResolver resolver;
    private final HistoryRepository history = new HistoryRepository();

    public TransactionHistoryService(Database database, AccountResolver resolver) {
        this.database = database;
        this.resolver = resolver;
    }

    /**
     * One page of entries newest first, or with {@code pageSize} 0 every entry (at most
     * {@link #UNPAGED_ENTRIES_MAX}; more is refused rather than cut short).
     */
    public TransactionPage list(Principal principal, AccountSelector selector, HistoryFilter filter, int pageSize,
                                String pageToken) {
        if (pageSize < 0 || pageSize > PAGE_SIZE_MAX) {
            throw TallyException.invalidArgument("page_size: " + pageSize + " (expected: 1 to " + PAGE_SIZE_MAX
                    + ", or 0 for every entry)");
        }
        if (pageSize == 0 && !pageToken.isEmpty()) {
            throw TallyException.invalidArgument("page_size: 0 (expected: 1 to " + PAGE_SIZE_MAX
                    + " with a page_token)");
        }
        Optional<UUID> cached = resolver.cachedAccountId(principal, selector);
        if (cached.isPresent()) {
            // The page is then one SELECT: run without BEGIN/COMMIT, as a single statement sees
            // one snapshot (stable pages rest on the keyset and entry times, ADR 0007, not on this).
            return database.inOneStatement(connection -> page(connection, cached.get(), filter, pageSize, pageToken));
        }
        return database.inTransaction(connection -> page(connection, resolver.resolveId(connection, principal, selector),
                filter, pageSize, pageToken));
    }

    private TransactionPage page(Connection connection, UUID accountId, HistoryFilter filter, int pageSize,
                                 String pageToken) throws SQLException {
        PageTokens.Binding binding = filter.pageTokenBinding(accountId);
        Optional<PageCursor> after = pageToken.isEmpty()
                ? Optional.empty()
                : Optional.of(PageTokens.decode(pageToken, binding));
        if (pageSize == 0) {
            List<LedgerEntry> entries = history.page(connection, accountId, filter, after, UNPAGED_ENTRIES_MAX + 1);
            if (entries.size() > UNPAGED_ENTRIES_MAX) {
                throw new TallyException(ErrorCode.OUT_OF_RANGE, "more than " + UNPAGED_ENTRIES_MAX
                        + " transactions in range: pass page_size (at most " + PAGE_SIZE_MAX
                        + ") and follow next_page_token, or narrow start_range and end_range");
            }
            return new TransactionPage(entries, Optional.empty());
        }
        List<LedgerEntry> entries = history.page(connection, accountId, filter, after, pageSize + 1);
        if (entries.size() <= pageSize) {
            return new TransactionPage(entries, Optional.empty());
        }
        List<LedgerEntry> page = List.copyOf(entries.subList(0, pageSize));
        LedgerEntry last = page.get(pageSize - 1);
        return new TransactionPage(page, Optional.of(PageTokens.encode(binding,
                new PageCursor(last.createdAt(), last.id()))));
    }

    /** Checks the account and the caller's right to it now; the entries are read as the export is consumed. */
    public TransactionExport export(Principal principal, AccountSelector selector, HistoryFilter filter) {
        UUID accountId = database.inTransaction(connection -> resolver.resolveId(connection, principal, selector));
        return new TransactionExport(database, history, accountId, filter);
    }

    /** The balance counting every entry created at or before {@code at}: one index probe. */
    public BalanceAsOf balanceAt(Principal principal, AccountSelector selector, Instant at) {
        return database.inTransaction(connection -> {
            BillingAccount account = resolver.resolve(connection, principal, selector);
            return history.balanceAt(connection, account.id(), at)
                    .map(found -> new BalanceAsOf(account, found.amount(), found.changedAt()))
                    .orElseGet(() -> new BalanceAsOf(account, 0, account.createdAt().isAfter(at)
                            ? at : account.createdAt()));
        });
    }
}
