package dev.tally.billing.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a revert gives back to the grants its usage spent (DESIGN §13), last spent first. What goes
 * back to an expired grant expires in the same transaction (an expiry entry of its own), so a
 * revert cannot turn expired credits into spendable ones. What the usage took as debt reduces the
 * debt; if a credit paid that debt meanwhile, the rest opens a grant of its own under the revert's
 * id (priority 50, no expiry), so the credits stay accounted for by some grant.
 *
 * <p>{@link #plan} only reads; the caller writes the revert entry with the balance the plan leaves
 * and then calls {@link #apply}. The account's row is locked throughout.
 */
final class GrantRefund {
    private final GrantRepository grants;
    private final GrantExpiry expiry;
    private final UUID accountId;
    private final UUID revertId;
    private final List<Allocation> givenBack = new ArrayList<>();
    private final Map<UUID, Long> remaining = new LinkedHashMap<>();
    private final Map<Grant, Long> expiring = new LinkedHashMap<>();
    private long debtReduced;
    private long unmatched;

    private GrantRefund(GrantRepository grants, GrantExpiry expiry, UUID accountId, UUID revertId) {
        this.grants = grants;
        this.expiry = expiry;
        this.accountId = accountId;
        this.revertId = revertId;
    }

    static GrantRefund plan(Connection connection, GrantRepository grants, GrantExpiry expiry, UUID accountId,
                            UUID usageId, UUID revertId, long amount, Instant now) throws SQLException {
        GrantRefund refund = new GrantRefund(grants, expiry, accountId, revertId);
        List<Allocation> spent = new ArrayList<>(grants.allocations(connection, usageId));
        java.util.Collections.reverse(spent);
        Map<UUID, Grant> byId = new HashMap<>();
        grants.byIds(connection, spent.stream().flatMap(allocation -> allocation.grantId().stream()).toList())
                .forEach(grant -> byId.put(grant.id(), grant));
        long debt = grants.debt(connection, accountId);
        long left = amount;
        int order = 0;
        for (Allocation allocation : spent) {
            if (left == 0) {
                break;
            }
            long back = Math.min(left, allocation.amount());
            left -= back;
            if (allocation.grantId().isEmpty()) {
                long reduced = Math.min(back, debt - refund.debtReduced);
                if (reduced > 0) {
                    refund.givenBack.add(new Allocation(revertId, order++, Optional.empty(), reduced));
                }
                refund.debtReduced += reduced;
                refund.unmatched += back - reduced;
                continue;
            }
            refund.givenBack.add(new Allocation(revertId, order++, allocation.grantId(), back));
            Grant grant = byId.get(allocation.grantId().get());
            if (grant.isExpiredAt(now)) {
                refund.expiring.merge(grant, back, Math::addExact);
            } else {
                refund.remaining.merge(grant.id(), back, Math::addExact);
            }
        }
        // A usage from before grants existed has no allocations: what it gives back is unmatched.
        refund.unmatched += left;
        for (Map.Entry<UUID, Long> entry : refund.remaining.entrySet()) {
            entry.setValue(byId.get(entry.getKey()).remaining() + entry.getValue());
        }
        return refund;
    }

    /** What expires again at once: the balance after the revert is its amount less this. */
    long expiring() {
        return expiring.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Writes the give-back after the revert entry: the grants' remainders, the allocations, the
     * debt, and the expiry entries of what went back to expired grants; returns those entries.
     */
    List<LedgerEntry> apply(Connection connection, LedgerRepository ledger, long balanceAfter, Instant at)
            throws SQLException {
        List<Allocation> allocations = new ArrayList<>(givenBack);
        if (unmatched > 0) {
            grants.insert(connection, new Grant(revertId, accountId, unmatched, unmatched, 0,
                    Grant.PRIORITY_DEFAULT, Optional.empty(), false, at));
            allocations.add(new Allocation(revertId, allocations.size(), Optional.of(revertId), unmatched));
        }
        if (!remaining.isEmpty()) {
            grants.updateRemaining(connection, remaining);
        }
        if (debtReduced > 0) {
            grants.addDebt(connection, Map.of(accountId, -debtReduced));
        }
        List<LedgerEntry> expiries = new ArrayList<>();
        for (Map.Entry<Grant, Long> entry : expiring.entrySet()) {
            Grant grant = entry.getKey();
            LedgerEntry expiryEntry = expiry.entry(connection, ExpiryIds.ofRevert(grant.id(), revertId), grant,
                    entry.getValue(), at);
            expiries.add(expiryEntry);
            allocations.add(new Allocation(expiryEntry.id(), 0, Optional.of(grant.id()), entry.getValue()));
            grants.addExpired(connection, grant.id(), entry.getValue());
        }
        if (!expiries.isEmpty()) {
            ledger.insert(connection, NewEntry.all(expiries, GrantExpiry.CREATED_BY), accountId -> balanceAfter);
        }
        // Allocations after the entries they name: the revert's and the expiries'.
        grants.insertAllocations(connection, allocations);
        return expiries;
    }
}
