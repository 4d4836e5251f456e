package dev.tally.billing.ledger;

import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.common.Times;
import dev.tally.storage.Database;
import dev.tally.storage.SqlStates;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Reporting usage (DESIGN §5): a request's usages debit the account all together or not at all. */
public final class UsageService {
    public static final int USAGES_PER_REQUEST_MAX = 1000;

    private final Database database;
    private final AccountResolver resolver;
    private final BillingAccountRepository accounts;
    private final LedgerRepository ledger;
    private final Clock clock;

    public UsageService(Database database, AccountResolver resolver, BillingAccountRepository accounts,
                        LedgerRepository ledger, Clock clock) {
        this.database = database;
        this.resolver = resolver;
        this.accounts = accounts;
        this.ledger = ledger;
        this.clock = clock;
    }

    public void report(Principal principal, AccountSelector selector, List<NewUsage> usages) {
        checkBatch(usages);
        database.inTransaction(connection -> {
            BillingAccount account = resolver.resolveForUpdate(connection, principal, selector);
            if (!account.isActive()) {
                throw TallyException.failedPrecondition("billing account is disabled");
            }
            long total = total(usages);
            if (!account.allowsDebit(total)) {
                throw TallyException.invalidArgument("insufficient credits");
            }
            Instant now = Times.now(clock);
            List<LedgerEntry> entries = new ArrayList<>(usages.size());
            for (NewUsage usage : usages) {
                entries.add(new LedgerEntry(usage.id(), account.id(), EntryKind.USAGE, usage.amount(), usage.source(),
                        usage.description(), usage.userId(), usage.metadata(), Optional.empty(),
                        principal.auditName(), now));
            }
            insertNamingDuplicates(connection, entries);
            accounts.updateBalance(connection, account.id(), account.balance() - total,
                    Math.addExact(account.debited(), total), now);
            return null;
        });
    }

    private void insertNamingDuplicates(Connection connection, List<LedgerEntry> entries) throws SQLException {
        try {
            ledger.insert(connection, entries);
        } catch (SQLException e) {
            if (!SqlStates.isUniqueViolation(e)) {
                throw e;
            }
            // The constraint decided; undo the failed batch and look up which id it was, to name it.
            connection.rollback();
            Set<UUID> existing = ledger.existingIds(connection, entries.stream().map(LedgerEntry::id).toList());
            String named = existing.isEmpty() ? "" : " " + existing.iterator().next();
            throw TallyException.alreadyExists("usage" + named + " already exists");
        }
    }

    private static void checkBatch(List<NewUsage> usages) {
        if (usages.isEmpty()) {
            throw TallyException.invalidArgument("usages: empty (expected: at least one usage)");
        }
        if (usages.size() > USAGES_PER_REQUEST_MAX) {
            throw TallyException.invalidArgument(
                    "usages: " + usages.size() + " (expected: at most " + USAGES_PER_REQUEST_MAX + ")");
        }
        Set<UUID> seen = new HashSet<>();
        for (NewUsage usage : usages) {
            if (!seen.add(usage.id())) {
                throw TallyException.invalidArgument(
                        "usages: id " + Text.quote(usage.id().toString()) + " appears twice in the request");
            }
        }
    }

    /** The request's total; a sum past int64 could never be covered by a balance, so it is refused. */
    private static long total(List<NewUsage> usages) {
        long total = 0;
        for (NewUsage usage : usages) {
            try {
                total = Math.addExact(total, usage.amount());
            } catch (ArithmeticException e) {
                throw TallyException.invalidArgument("insufficient credits");
            }
        }
        return total;
    }
}
