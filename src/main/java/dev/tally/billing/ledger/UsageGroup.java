package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.billing.events.BillingEventSink;
import dev.tally.storage.SqlStates;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies a group of usage requests in one database transaction, each request all or nothing on
 * its own: a request refused for insufficient credits, a disabled account or a duplicate id
 * changes nothing, and its neighbours in the group are decided as if it had not been sent.
 */
final class UsageGroup {
    private static final int DUPLICATE_LOOKUPS_MAX = 3;

    private final BillingAccountRepository accounts;
    private final LedgerRepository ledger;
    private final BillingEventSink events; // webhooks (issue 13)

    UsageGroup(BillingAccountRepository accounts, LedgerRepository ledger) {
        this(accounts, ledger, BillingEventSink.NONE); // webhooks (issue 13)
    }

    UsageGroup(BillingAccountRepository accounts, LedgerRepository ledger, BillingEventSink events) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.events = events; // webhooks (issue 13)
    }

    /**
     * Decides and writes the group in the caller's transaction. The first attempt assumes no usage
     * id is in the ledger yet, which costs no lookup; when the unique constraint says otherwise, the
     * attempt is undone, the ids already recorded are looked up, and the group is decided again
     * with those requests refused. The constraint stays the judge: an id recorded by another
     * process between the lookup and the insert fails the insert again and is looked up again.
     */
    List<UsageOutcome> apply(Connection connection, List<UsageRequest> requests, Instant now) throws SQLException {
        Set<UUID> existing = Set.of();
        for (int attempt = 0; ; attempt++) {
            try {
                return applyOnce(connection, requests, existing, now);
            } catch (SQLException e) {
                if (!SqlStates.isUniqueViolation(e) || attempt == DUPLICATE_LOOKUPS_MAX) {
                    throw e;
                }
                connection.rollback();
                List<UUID> ids = new ArrayList<>();
                requests.forEach(request -> request.usages().forEach(usage -> ids.add(usage.id())));
                existing = ledger.existingIds(connection, ids);
            }
        }
    }

    private List<UsageOutcome> applyOnce(Connection connection, List<UsageRequest> requests, Set<UUID> existingIds,
                                         Instant now) throws SQLException {
        Set<UUID> accountIds = new TreeSet<>();
        requests.forEach(request -> accountIds.add(request.accountId()));
        Map<UUID, BillingAccount> locked = accounts.lockAll(connection, accountIds);
        Map<UUID, Running> running = new LinkedHashMap<>();
        Set<UUID> seenIds = new HashSet<>();
        List<LedgerEntry> entries = new ArrayList<>();
        List<UsageOutcome> outcomes = new ArrayList<>(requests.size());
        for (UsageRequest request : requests) {
            BillingAccount account = locked.get(request.accountId());
            Running totals = running.computeIfAbsent(account.id(), id -> new Running(account));
            UsageOutcome outcome = decide(request, account, totals, existingIds, seenIds);
            outcomes.add(outcome);
            totals.refusedForCredits |= outcome == UsageOutcome.INSUFFICIENT_CREDITS; // webhooks (issue 13)
            if (outcome == UsageOutcome.APPLIED) {
                long total = request.total();
                totals.balance -= total;
                totals.debited += total;
                totals.changed = true;
                for (NewUsage usage : request.usages()) {
                    seenIds.add(usage.id());
                    entries.add(new LedgerEntry(usage.id(), account.id(), EntryKind.USAGE, usage.amount(),
                            usage.source(), usage.description(), usage.userId(), usage.metadata(), Optional.empty(),
                            request.createdBy(), now));
                }
            }
        }
        if (!entries.isEmpty()) {
            ledger.insert(connection, entries);
            Map<UUID, long[]> sums = new HashMap<>();
            running.forEach((id, totals) -> {
                if (totals.changed) {
                    sums.put(id, new long[] {totals.balance, totals.debited});
                }
            });
            accounts.updateBalances(connection, sums, now);
        }
        // Webhooks (issue 13): each account's outcome goes to the outbox in this same transaction.
        entries.forEach(entry -> running.get(entry.accountId()).applied.add(entry));
        for (Running totals : running.values()) {
            events.usageDecided(connection, totals.account, totals.balance, totals.applied, totals.refusedForCredits);
        }
        return outcomes;
    }

    private static UsageOutcome decide(UsageRequest request, BillingAccount account, Running totals,
                                       Set<UUID> existingIds, Set<UUID> seenIds) {
        // Duplicates first: a retry of an applied usage is told it was recorded (409), whatever
        // became of the account since.
        for (NewUsage usage : request.usages()) {
            if (existingIds.contains(usage.id()) || seenIds.contains(usage.id())) {
                return UsageOutcome.duplicate(usage.id());
            }
        }
        if (!account.isActive()) {
            return UsageOutcome.ACCOUNT_DISABLED;
        }
        if (!totals.allowsDebit(request.total())) {
            return UsageOutcome.INSUFFICIENT_CREDITS;
        }
        // Grants can refill a balance without end, so the debited total can reach int64's edge
        // where the balance cannot; it is refused rather than wrapped.
        return totals.debited > Long.MAX_VALUE - request.total() ? UsageOutcome.DEBITED_OVERFLOW : UsageOutcome.APPLIED;
    }

    /** An account's sums as the group's applied requests leave them. */
    private static final class Running {
        private final BillingAccount account;
        private long balance;
        private long debited;
        private boolean changed;
        private boolean refusedForCredits; // webhooks (issue 13)
        private final List<LedgerEntry> applied = new ArrayList<>(); // webhooks (issue 13)

        Running(BillingAccount account) {
            this.account = account;
            this.balance = account.balance();
            this.debited = account.debited();
        }

        boolean allowsDebit(long amount) {
            return account.withBalance(balance).allowsDebit(amount);
        }
    }
}
