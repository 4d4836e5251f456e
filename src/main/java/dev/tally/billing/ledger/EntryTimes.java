package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccount;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;

/**
 * The time a transaction gives its entries: the clock's, but always after the last entry of each
 * account it writes. Clocks of several processes drift and a clock can step back; without this, a
 * later transaction could date its entries before an earlier one's, and neither the balance as of
 * an instant nor a cursor page could be read from the entries in time order. The account rows are
 * locked when this is called, so {@code balanceUpdatedAt} is the time of the account's last entry.
 */
final class EntryTimes {
    private EntryTimes() {}

    static Instant next(Instant now, BillingAccount account) {
        Instant afterLast = account.balanceUpdatedAt().plus(1, ChronoUnit.MICROS);
        return now.isAfter(afterLast) ? now : afterLast;
    }

    static Instant next(Instant now, Collection<BillingAccount> accounts) {
        Instant next = now;
        for (BillingAccount account : accounts) {
            next = next(next, account);
        }
        return next;
    }
}
