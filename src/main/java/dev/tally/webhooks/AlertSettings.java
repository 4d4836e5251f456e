package dev.tally.webhooks;

import dev.tally.audit.AuditTrail;
import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.common.TallyException;
import dev.tally.common.Times;
import dev.tally.storage.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Setting an account's balance thresholds (PUT …/billing/{id}/alerts); platform admins only. */
public final class AlertSettings {
    static final int THRESHOLDS_MAX = 32;

    private final Database database;
    private final AccountResolver resolver;
    private final AlertRepository alerts;
    private final Clock clock;

    AlertSettings(Database database, AccountResolver resolver, AlertRepository alerts, Clock clock) {
        this.database = database;
        this.resolver = resolver;
        this.alerts = alerts;
        this.clock = clock;
    }

    /**
     * Replaces the account's thresholds. A threshold the balance is already below does not fire
     * until the balance has been at or above it again: it fires on a crossing, not on a state.
     */
    public void setThresholds(Principal principal, AccountSelector selector, List<Long> thresholds) {
        principal.requireAdmin();
        if (thresholds.size() > THRESHOLDS_MAX) {
            throw TallyException.invalidArgument("balance_thresholds: " + thresholds.size()
                    + " values (expected: at most " + THRESHOLDS_MAX + ")");
        }
        List<Long> sorted = thresholds.stream().distinct().sorted().toList();
        database.inTransaction(connection -> {
            // The account's row lock orders this with every balance change, so a crossing is judged
            // against either the old thresholds or the new ones, never a mix.
            BillingAccount account = resolver.resolveForUpdate(connection, principal, selector);
            List<Long> before = alerts.find(connection, List.of(account.id()))
                    .getOrDefault(account.id(), AccountAlerts.NONE).balanceThresholds();
            Instant now = Times.now(clock);
            alerts.setThresholds(connection, account.id(), sorted, now);
            AuditTrail.record(connection, principal, now, "billing_account.alerts.update",
                    AuditTrail.Target.of("billing_account", account.id(), account.organizationId()),
                    Map.of("balance_thresholds", before), Map.of("balance_thresholds", sorted));
            return null;
        });
    }
}
