package dev.tally.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.events.BillingEventSink;
import dev.tally.billing.ledger.EntryKind;
import dev.tally.billing.ledger.Hold;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.common.Times;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The webhook outbox's side of each billing change: turns the change into events and inserts them
 * in the change's own transaction (DESIGN §14), and keeps the alert state that makes a threshold
 * or depletion fire once per crossing. Crossings are computed from the balance before and after,
 * both read under the account's row lock, so concurrent writers cannot make one fire twice.
 */
public final class BillingEvents implements BillingEventSink {
    private final OutboxRepository outbox;
    private final AlertRepository alerts;
    private final FirehoseSubscription firehose;
    private final Clock clock;

    BillingEvents(OutboxRepository outbox, AlertRepository alerts, FirehoseSubscription firehose, Clock clock) {
        this.outbox = outbox;
        this.alerts = alerts;
        this.firehose = firehose;
        this.clock = clock;
    }

    @Override
    public void credited(Connection connection, BillingAccount before, LedgerEntry credit, long balanceAfter)
            throws SQLException {
        ObjectNode data = EventData.withTransaction(before, credit, balanceAfter);
        WebhookAction action = WebhookAction.CREDIT_GRANTED;
        if (credit.kind() == EntryKind.REVERT) {
            action = WebhookAction.USAGE_REVERTED;
            data.put("usage_id", credit.revertedUsageId().orElseThrow().toString());
        }
        outbox.insert(connection, List.of(event(action, data, credit.createdAt())));
        if (balanceAfter > before.balance()) {
            alerts.clearDepleted(connection, before.id(), credit.createdAt());
        }
    }

    @Override
    public void usageGroupDecided(Connection connection, List<AccountUsage> decided) throws SQLException {
        List<AccountUsage> changed = new ArrayList<>(decided.size());
        for (AccountUsage account : decided) {
            // Nothing debited, reserved or refused for credits: nothing can fire.
            if (!account.applied().isEmpty() || account.refusedForCredits()
                    || account.heldAfter() > account.heldBefore()) {
                changed.add(account);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        Map<UUID, AccountAlerts> states = alerts.find(connection,
                changed.stream().map(account -> account.before().id()).toList());
        boolean firehoseWanted = changed.stream().anyMatch(account -> !account.applied().isEmpty())
                && firehose.isWanted(connection);
        List<OutboxEvent> events = new ArrayList<>();
        for (AccountUsage account : changed) {
            BillingAccount before = account.before();
            List<LedgerEntry> applied = account.applied();
            Instant now = applied.isEmpty() ? Times.now(clock) : applied.get(0).createdAt();
            events.addAll(alerts(connection, before, states.getOrDefault(before.id(), AccountAlerts.NONE),
                    account.balanceAfter(), account.refusedForCredits(), account.heldBefore(), account.heldAfter(),
                    now));
            if (firehoseWanted) {
                for (LedgerEntry entry : applied) {
                    events.add(event(WebhookAction.USAGE_CREATED,
                            EventData.withTransaction(before, entry, account.balanceAfter()), now));
                }
            }
        }
        outbox.insert(connection, events);
    }

    @Override
    public void balanceLoweredByExpiry(Connection connection, BillingAccount before, long balanceAfter,
                                       long unavailable, Instant at) throws SQLException {
        AccountAlerts state = alerts.find(connection, Set.of(before.id())).getOrDefault(before.id(),
                AccountAlerts.NONE);
        outbox.insert(connection, alerts(connection, before, state, balanceAfter, false, unavailable, unavailable, at));
    }

    /**
     * The balance.threshold and balance.depleted events of a change that took the account from
     * {@code before} to {@code balanceAfter} (DESIGN §14), the one rule for every debit: a threshold
     * fires when the balance goes from ≥ t to < t; depletion once per crossing, when a request was
     * refused for credits or the available balance fell to credit_min. {@code heldBefore} and
     * {@code heldAfter} are what available leaves out besides the balance; {@code state} is the
     * account's alert state, read in this transaction after the account's row lock. Records the depletion.
     */
    private List<OutboxEvent> alerts(Connection connection, BillingAccount before, AccountAlerts state,
                                     long balanceAfter, boolean refusedForCredits, long heldBefore, long heldAfter,
                                     Instant now) throws SQLException {
        List<OutboxEvent> events = new ArrayList<>();
        for (long threshold : state.crossedDownward(before.balance(), balanceAfter)) {
            ObjectNode data = EventData.account(before);
            data.put("threshold", Long.toString(threshold));
            data.put("balance", Long.toString(balanceAfter));
            events.add(event(WebhookAction.BALANCE_THRESHOLD, data, now));
        }
        // Depletion is judged on the available balance (DESIGN §14): a hold that leaves nothing to
        // spend depletes the account as a debit would.
        BigInteger availableBefore = available(before.balance(), heldBefore);
        BigInteger availableAfter = available(balanceAfter, heldAfter);
        boolean reachedCreditMin = availableAfter.compareTo(availableBefore) < 0
                && availableAfter.compareTo(BigInteger.valueOf(before.creditMin())) <= 0;
        if ((reachedCreditMin || refusedForCredits) && !state.depleted()) {
            ObjectNode data = EventData.account(before);
            data.put("balance", Long.toString(balanceAfter));
            data.put("available", availableAfter.toString());
            data.put("credit_min", Long.toString(before.creditMin()));
            data.put("reason", reachedCreditMin ? "credit_min_reached" : "debit_refused");
            events.add(event(WebhookAction.BALANCE_DEPLETED, data, now));
            alerts.setDepleted(connection, before.id(), true, now);
        }
        return events;
    }

    @Override
    public void holdExpired(Connection connection, BillingAccount account, Hold hold) throws SQLException {
        ObjectNode data = EventData.account(account);
        data.set("hold", EventData.hold(hold));
        outbox.insert(connection, List.of(event(WebhookAction.HOLD_EXPIRED, data, hold.updatedAt())));
    }

    @Override
    public void expired(Connection connection, BillingAccount before, LedgerEntry expiry, long balanceAfter)
            throws SQLException {
        ObjectNode data = EventData.withTransaction(before, expiry, balanceAfter);
        data.put("grant_id", Json.readObject(expiry.metadata().json()).path("expired_grant_id").asText());
        outbox.insert(connection, List.of(event(WebhookAction.CREDIT_EXPIRED, data, expiry.createdAt())));
    }

    @Override
    public void stateChanged(Connection connection, BillingAccount account, boolean enabled) throws SQLException {
        ObjectNode data = EventData.account(account);
        data.put("state", enabled ? BillingAccount.ACTIVE : BillingAccount.DISABLED);
        outbox.insert(connection, List.of(event(enabled ? WebhookAction.ACCOUNT_ENABLED
                : WebhookAction.ACCOUNT_DISABLED, data, Times.now(clock))));
    }

    @Override
    public void limitsUpdated(Connection connection, BillingAccount account, long creditMin) throws SQLException {
        ObjectNode data = EventData.account(account);
        data.put("credit_min", Long.toString(creditMin));
        data.put("previous_credit_min", Long.toString(account.creditMin()));
        outbox.insert(connection, List.of(event(WebhookAction.LIMITS_UPDATED, data, Times.now(clock))));
    }

    private static BigInteger available(long balance, long held) {
        return BigInteger.valueOf(balance).subtract(BigInteger.valueOf(held));
    }

    private static OutboxEvent event(WebhookAction action, ObjectNode data, Instant createdAt) {
        return new OutboxEvent(UUID.randomUUID(), action, Json.write(data), createdAt);
    }
}
