package dev.tally.billing.ledger;

import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.common.TallyException;
import dev.tally.storage.Database;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reading an account's ledger entries. */
public final class TransactionHistoryService {
    private final Database database;
    private final AccountResolver resolver;
    private final LedgerRepository ledger;

    public TransactionHistoryService(Database database, AccountResolver resolver, LedgerRepository ledger) {
        this.database = database;
        this.resolver = resolver;
        this.ledger = ledger;
    }

    /** Entries created at or after {@code start} and before {@code end}, newest first. */
    public List<LedgerEntry> list(Principal principal, AccountSelector selector, Optional<Instant> start,
                                  Optional<Instant> end) {
        Instant from = start.orElse(Instant.EPOCH);
        Instant to = end.orElse(Instant.parse("9999-12-31T23:59:59Z"));
        if (!from.isBefore(to)) {
            throw TallyException.invalidArgument("start_range: " + from + " (expected: before end_range " + to + ")");
        }
        return database.inTransaction(connection -> {
            BillingAccount account = resolver.resolve(connection, principal, selector);
            return ledger.list(connection, account.id(), from, to);
        });
    }
}
