package dev.tally.webhooks;

import java.util.List;

/**
 * An account's alert settings and state. {@code depleted} is true once balance.depleted fired and
 * until the balance rises again, so that the event fires once per crossing.
 */
record AccountAlerts(List<Long> balanceThresholds, boolean depleted) {
    static final AccountAlerts NONE = new AccountAlerts(List.of(), false);

    AccountAlerts {
        balanceThresholds = List.copyOf(balanceThresholds);
    }

    /** The thresholds a fall from {@code before} to {@code after} crosses (from ≥ t to < t). */
    List<Long> crossedDownward(long before, long after) {
        return balanceThresholds.stream().filter(threshold -> before >= threshold && after < threshold).toList();
    }
}
