package dev.tally.billing.ledger;

import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.billing.events.BillingEventSink;
import dev.tally.common.Ids;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.common.Times;
import dev.tally.storage.Database;
import dev.tally.storage.Savepoints;
import dev.tally.storage.SqlStates;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Adding credits to an account (Tally's own AddBillingCredits), each opening a grant (DESIGN §13)
 * that first pays the account's debt; and the reads of grants and of an entry's allocations.
 */
public final class GrantService {
    private final Database database;
    private final AccountResolver resolver;
    private final BillingAccountRepository accounts;
    private final LedgerRepository ledger;
    private final GrantRepository grants;
    private final Clock clock;
    private final BillingEventSink events; // webhooks (issue 13)

    public GrantService(Database database, AccountResolver resolver, BillingAccountRepository accounts,
                        LedgerRepository ledger, Clock clock, BillingEventSink events) {
        this.database = database;
        this.grants = new GrantRepository(database.batchWrites());
        this.resolver = resolver;
        this.accounts = accounts;
        this.ledger = ledger;
        this.clock = clock;
        this.events = events; // webhooks (issue 13)
    }

    /** A grant as the grants list shows it, at the time of the read. */
    public record Listed(Grant grant, GrantState state, String source, String description) {}

    public LedgerEntry grant(Principal principal, AccountSelector selector, NewGrant grant) {
        principal.requireAdmin();
        return database.inTransaction(connection -> {
            BillingAccount account = resolver.resolveForUpdate(connection, principal, selector);
            Instant clockNow = Times.now(clock);
            Instant now = EntryTimes.next(clockNow, account);
            LedgerEntry entry = new LedgerEntry(grant.id(), account.id(), EntryKind.GRANT, grant.amount(),
                    grant.source(), grant.description(), grant.userId(), grant.metadata(), Optional.empty(),
                    now);
            long balance = account.balanceAfterCredit(grant.amount());
            Optional<SQLException> refused = Savepoints.refusalOf(connection,
                    () -> ledger.insert(connection, List.of(new NewEntry(entry, principal.auditName())),
                            accountId -> balance));
            if (refused.isPresent()) {
                if (!SqlStates.isUniqueViolation(refused.get())) {
                    throw refused.get();
                }
                return replayed(connection, account, grant);
            }
            // Only a new grant needs a future expires_at: a retry of one already recorded is answered
            // as the first time, however late it comes (the check follows the replay). Refused here,
            // the transaction rolls the entry back.
            grant.checkExpiresAfter(clockNow);
            open(connection, account.id(), grant, now);
            accounts.updateBalance(connection, account.id(), balance, account.debited(), now);
            events.credited(connection, account, entry, balance); // webhooks (issue 13)
            return entry;
        });
    }

    /** Opens the entry's grant with what is left once the account's debt is paid from it. */
    private void open(Connection connection, UUID accountId, NewGrant grant, Instant now) throws SQLException {
        long paid = Math.min(grants.debt(connection, accountId), grant.amount());
        if (paid > 0) {
            grants.addDebt(connection, Map.of(accountId, -paid));
        }
        grants.insert(connection, new Grant(grant.id(), accountId, grant.amount(), grant.amount() - paid, 0,
                grant.priority(), grant.expiresAt(), grant.expiresAt().isPresent(), now));
    }

    /** The account's grants, newest first. */
    public List<Listed> list(Principal principal, AccountSelector selector) {
        return database.inTransaction(connection -> {
            BillingAccount account = resolver.resolve(connection, principal, selector);
            Instant now = Times.now(clock);
            return grants.list(connection, account.id()).stream()
                    .map(row -> new Listed(row.grant(), row.grant().stateAt(now), row.source(), row.description()))
                    .toList();
        });
    }

    /**
     * What the entry took from each grant (a debit) or gave back (a revert), in spending order.
     * An entry of another account is the same 404 as an unknown one.
     */
    public List<Allocation> allocations(Principal principal, AccountSelector selector, String entryIdText) {
        UUID entryId = Ids.parse("id", entryIdText);
        return database.inTransaction(connection -> {
            BillingAccount account = resolver.resolve(connection, principal, selector);
            ledger.findById(connection, entryId)
                    .filter(entry -> entry.accountId().equals(account.id()))
                    .orElseThrow(() -> TallyException.notFound(
                            "transaction " + Text.quote(entryId.toString()) + " not found"));
            return grants.allocations(connection, entryId);
        });
    }

    /** The grant recorded earlier under the same id, if it is the same grant; otherwise a conflict. */
    private LedgerEntry replayed(Connection connection, BillingAccount account, NewGrant grant)
            throws SQLException {
        return ledger.findById(connection, grant.id())
                .filter(existing -> existing.kind() == EntryKind.GRANT
                        && existing.accountId().equals(account.id())
                        && existing.amount() == grant.amount())
                .orElseThrow(() -> TallyException.alreadyExists(
                        "transaction " + grant.id() + " already exists with other values"));
    }
}
