package dev.tally.billing.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The open grants of a group's locked accounts, read once per group, and the spending of the
 * group's debits from them in the documented order (DESIGN §13). A debit takes what it can from
 * each unexpired grant in turn and the rest becomes debt; the allocations, the grants' new
 * remainders and the added debt are written in the group's transaction by {@link #spend}.
 * Expired remainders are never spent, whether or not their expiry entry is written yet.
 */
final class GrantBook {
    private final GrantRepository repository;
    private final Instant now;
    private final Map<UUID, List<Grant>> spendable = new HashMap<>();
    private final Map<UUID, Long> unspendable = new HashMap<>();

    private GrantBook(GrantRepository repository, Instant now) {
        this.repository = repository;
        this.now = now;
    }

    /** Reads the open grants of these accounts, whose rows the caller has locked. */
    static GrantBook load(Connection connection, GrantRepository repository, Collection<UUID> accountIds, Instant now)
            throws SQLException {
        GrantBook book = new GrantBook(repository, now);
        for (Grant grant : repository.open(connection, accountIds)) {
            if (grant.isExpiredAt(now)) {
                book.unspendable.merge(grant.accountId(), grant.remaining(), Math::addExact);
            } else {
                book.spendable.computeIfAbsent(grant.accountId(), id -> new ArrayList<>()).add(grant);
            }
        }
        book.spendable.values().forEach(grants -> grants.sort(Grant.SPENDING_ORDER));
        return book;
    }

    /** What the account's balance counts that no debit may spend: expired, not yet written off. */
    long unspendable(UUID accountId) {
        return unspendable.getOrDefault(accountId, 0L);
    }

    /**
     * What the available balance leaves out besides the balance: live holds plus expired remainders
     * not yet written off. Saturated, never wrapped: past int64 nothing is available anyway.
     */
    static long unavailable(long held, long expired) {
        long sum = held + expired;
        return ((held ^ sum) & (expired ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * Allocates each debit, in order, to its account's grants and writes the allocations, the
     * grants' remainders and the debt the debits leave. Called once, with the group's final entries.
     */
    void spend(Connection connection, List<LedgerEntry> debits) throws SQLException {
        List<Allocation> allocations = new ArrayList<>(debits.size());
        Map<UUID, Long> remaining = new LinkedHashMap<>();
        Map<UUID, Long> debt = new HashMap<>();
        for (LedgerEntry debit : debits) {
            long left = debit.amount();
            int order = 0;
            for (Grant grant : spendable.getOrDefault(debit.accountId(), List.of())) {
                long has = remaining.getOrDefault(grant.id(), grant.remaining());
                if (has == 0) {
                    continue;
                }
                long taken = Math.min(has, left);
                remaining.put(grant.id(), has - taken);
                allocations.add(new Allocation(debit.id(), order++, java.util.Optional.of(grant.id()), taken));
                left -= taken;
                if (left == 0) {
                    break;
                }
            }
            if (left > 0) {
                allocations.add(new Allocation(debit.id(), order, java.util.Optional.empty(), left));
                debt.merge(debit.accountId(), left, Math::addExact);
            }
        }
        repository.insertAllocations(connection, allocations);
        if (!remaining.isEmpty()) {
            repository.updateRemaining(connection, remaining);
        }
        if (!debt.isEmpty()) {
            repository.addDebt(connection, debt);
        }
    }
}
