package dev.tally.billing.ledger;

import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.TallyException;
import dev.tally.common.Times;
import dev.tally.storage.Database;
import dev.tally.storage.Savepoints;
import dev.tally.storage.SqlStates;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Adding credits to an account (Tally's own AddBillingCredits). */
public final class GrantService {
    private final Database database;
    private final AccountResolver resolver;
    private final BillingAccountRepository accounts;
    private final LedgerRepository ledger;
    private final Clock clock;

    public GrantService(Database database, AccountResolver resolver, BillingAccountRepository accounts,
                        LedgerRepository ledger, Clock clock) {
        this.database = database;
        this.resolver = resolver;
        this.accounts = accounts;
        this.ledger = ledger;
        this.clock = clock;
    }

    public LedgerEntry grant(Principal principal, AccountSelector selector, NewGrant grant) {
        principal.requireAdmin();
        return database.inTransaction(connection -> {
            BillingAccount account = resolver.resolveForUpdate(connection, principal, selector);
            Instant now = Times.now(clock);
            LedgerEntry entry = new LedgerEntry(grant.id(), account.id(), EntryKind.GRANT, grant.amount(),
                    grant.source(), grant.description(), grant.userId(), grant.metadata(), Optional.empty(),
                    principal.auditName(), now);
            long balance = account.balanceAfterCredit(grant.amount());
            Optional<SQLException> refused = Savepoints.refusalOf(connection,
                    () -> ledger.insert(connection, List.of(entry)));
            if (refused.isPresent()) {
                if (!SqlStates.isUniqueViolation(refused.get())) {
                    throw refused.get();
                }
                return replayed(connection, account, grant);
            }
            accounts.updateBalance(connection, account.id(), balance, account.debited(), now);
            return entry;
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
