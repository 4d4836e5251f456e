package dev.tally.billing.ledger;

import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.billing.events.BillingEventSink;
import dev.tally.common.Ids;
import dev.tally.common.TallyException;
import dev.tally.common.Times;
import dev.tally.storage.Database;
import dev.tally.storage.Savepoints;
import dev.tally.storage.SqlStates;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reverting usage (DESIGN §6): gives back part or all of one usage, once. */
public final class RevertService {
    static final String METADATA_REVERT_KEY = "revert_request_using";
    /** A revert's source is this prefix and the reverted usage's source. */
    static final String SOURCE_PREFIX = "system.revert.";

    private final Database database;
    private final AccountResolver resolver;
    private final BillingAccountRepository accounts;
    private final LedgerRepository ledger;
    private final Clock clock;
    private final BillingEventSink events; // webhooks (issue 13)
    private final GrantRepository grants;
    private final GrantExpiry expiry;

    public RevertService(Database database, AccountResolver resolver, BillingAccountRepository accounts,
                         LedgerRepository ledger, Clock clock, BillingEventSink events) {
        this.database = database;
        this.grants = new GrantRepository(database.batchWrites());
        this.resolver = resolver;
        this.accounts = accounts;
        this.ledger = ledger;
        this.clock = clock;
        this.events = events; // webhooks (issue 13)
        this.expiry = new GrantExpiry(database, accounts, ledger, clock, events);
    }

    /** @param amount how much to give back; 0 gives back the whole usage */
    public void revert(Principal principal, AccountSelector selector, String usageIdText, long amount) {
        principal.requireAdmin();
        UUID usageId = Ids.parse("usage_id", usageIdText);
        if (amount < 0) {
            throw TallyException.invalidArgument("amount: " + amount + " (expected: >= 0)");
        }
        database.inTransaction(connection -> {
            BillingAccount account = resolver.resolveForUpdate(connection, principal, selector);
            LedgerEntry usage = ledger.findById(connection, usageId)
                    .filter(entry -> entry.accountId().equals(account.id()))
                    .orElseThrow(() -> TallyException.notFound("usage " + usageId + " not found"));
            if (usage.kind() != EntryKind.USAGE) {
                throw TallyException.failedPrecondition("only usage can be reverted");
            }
            long revertAmount = amount == 0 ? usage.amount() : amount;
            if (revertAmount > usage.amount()) {
                throw TallyException.invalidArgument("revert amount is greater than the usage amount");
            }
            Instant now = EntryTimes.next(Times.now(clock), account);
            UUID revertId = RevertIds.of(usageId, account.id());
            // Grants (issue 12): what goes back to an expired grant expires again at once.
            GrantRefund refund = GrantRefund.plan(connection, grants, expiry, account.id(), usageId, revertId,
                    revertAmount, now);
            LedgerEntry revert = new LedgerEntry(revertId, account.id(), EntryKind.REVERT,
                    revertAmount, SOURCE_PREFIX + usage.source(), "Revert: " + usage.description(),
                    usage.userId(), usage.metadata().with(METADATA_REVERT_KEY, usageId.toString()),
                    Optional.of(usageId), now);
            long balance = account.balanceAfterCredit(revertAmount) - refund.expiring();
            Optional<SQLException> refused = Savepoints.refusalOf(connection,
                    () -> ledger.insert(connection, List.of(new NewEntry(revert, principal.auditName())),
                            accountId -> balance));
            if (refused.isPresent()) {
                if (!SqlStates.isUniqueViolation(refused.get())) {
                    throw refused.get();
                }
                // Either the usage was reverted, or another entry took the derived revert id (a
                // caller may choose any uuid as a usage id); say which.
                if (ledger.isReverted(connection, usageId)) {
                    throw TallyException.alreadyExists("usage already reverted");
                }
                throw TallyException.alreadyExists("transaction " + revert.id()
                        + " already exists, so this usage cannot be reverted under its derived id");
            }
            List<LedgerEntry> expiries = refund.apply(connection, ledger, balance, now);
            accounts.updateBalance(connection, account.id(), balance, account.debited() - revertAmount, now);
            events.credited(connection, account, revert, balance); // issue 13
            for (LedgerEntry expired : expiries) {
                events.expired(connection, account, expired, balance);
            }
            return null;
        });
    }
}
