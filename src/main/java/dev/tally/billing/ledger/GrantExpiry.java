package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.billing.events.BillingEventSink;
import dev.tally.common.Metadata;
import dev.tally.common.Times;
import dev.tally.storage.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Writes the expiry entries of grants past expires_at (DESIGN §13): a debit of the remainder, id
 * UUIDv5 of {@code "<grant_id>:expiry"}. Safe in several processes: the due grants are read again
 * under their accounts' row locks, so a grant another sweeper expired meanwhile is skipped, and
 * the entry's primary key would refuse a second one. Reads and debits already leave an expired
 * remainder out, so a late sweep changes what the ledger explains, not what anyone can spend.
 * For balance alerts the write-off is the debit: a crossing it causes fires when its entry is
 * written (ADR 0011, addendum).
 */
public final class GrantExpiry {
    static final String SOURCE = "system.expiry";
    static final String METADATA_GRANT_KEY = "expired_grant_id";
    static final String CREATED_BY = "system.expiry";

    private final Database database;
    private final BillingAccountRepository accounts;
    private final LedgerRepository ledger;
    private final GrantRepository grants;
    private final HoldRepository holds = new HoldRepository();
    private final Clock clock;
    private final BillingEventSink events;

    public GrantExpiry(Database database, BillingAccountRepository accounts, LedgerRepository ledger, Clock clock,
                       BillingEventSink events) {
        this.database = database;
        this.grants = new GrantRepository(database.batchWrites());
        this.accounts = accounts;
        this.ledger = ledger;
        this.clock = clock;
        this.events = events;
    }

    /** One sweep of up to {@code limit} due grants in one transaction; returns how many were due. */
    public int expireDue(int limit) {
        return database.inTransaction(connection -> {
            Instant now = Times.now(clock);
            List<Grant> due = grants.dueForExpiry(connection, now, limit);
            if (due.isEmpty()) {
                return 0;
            }
            TreeSet<UUID> accountIds = new TreeSet<>();
            due.forEach(grant -> accountIds.add(grant.accountId()));
            Map<UUID, BillingAccount> locked = accounts.lockAll(connection, accountIds);
            Map<UUID, List<Grant>> byAccount = new LinkedHashMap<>();
            for (Grant grant : grants.byIds(connection, due.stream().map(Grant::id).toList())) {
                if (grant.expiryPending() && grant.isExpiredAt(now)) { // still due under the lock
                    byAccount.computeIfAbsent(grant.accountId(), id -> new ArrayList<>()).add(grant);
                }
            }
            for (Map.Entry<UUID, List<Grant>> account : byAccount.entrySet()) {
                expire(connection, locked.get(account.getKey()), account.getValue(), now);
            }
            return due.size();
        });
    }

    /** Writes the account's expiry entries and takes the remainders out of its balance. */
    private void expire(Connection connection, BillingAccount account, List<Grant> due, Instant now)
            throws SQLException {
        Instant at = EntryTimes.next(now, account);
        List<LedgerEntry> entries = new ArrayList<>();
        List<Allocation> allocations = new ArrayList<>();
        long expired = 0;
        for (Grant grant : due) {
            if (grant.remaining() > 0) {
                LedgerEntry entry = entry(connection, ExpiryIds.ofGrant(grant.id()), grant, grant.remaining(), at);
                entries.add(entry);
                allocations.add(new Allocation(entry.id(), 0, Optional.of(grant.id()), grant.remaining()));
                expired += grant.remaining();
            }
            grants.markExpired(connection, grant.id(), grant.remaining());
        }
        if (entries.isEmpty()) {
            return; // spent before it expired: nothing to write off
        }
        long balance = account.balance() - expired;
        ledger.insert(connection, NewEntry.all(entries, CREATED_BY), accountId -> balance);
        grants.insertAllocations(connection, allocations);
        accounts.updateBalance(connection, account.id(), balance, account.debited(), at);
        for (LedgerEntry entry : entries) {
            events.expired(connection, account, entry, balance);
        }
        // The write-off is a debit for the alerts (DESIGN §14), judged once for all of the account's
        // expiries in this sweep. Available leaves out, before and after alike, the live holds and
        // any expired remainder a later sweep writes off (marked above, these are not among them).
        long unavailable = GrantBook.unavailable(holds.heldSum(connection, account.id(), now),
                grants.unspendable(connection, account.id(), now));
        events.balanceLoweredByExpiry(connection, account, balance, unavailable, at);
    }

    /** The expiry entry of {@code amount} of the grant, as DESIGN §13 describes it. */
    LedgerEntry entry(Connection connection, UUID id, Grant grant, long amount, Instant at) throws SQLException {
        LedgerEntry credit = ledger.findById(connection, grant.id()).orElseThrow();
        return new LedgerEntry(id, grant.accountId(), EntryKind.EXPIRY, amount, SOURCE,
                "Expiry: " + credit.description(), credit.userId(),
                Metadata.EMPTY.with(METADATA_GRANT_KEY, grant.id().toString()), Optional.empty(), at);
    }
}
