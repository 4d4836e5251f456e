package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccount;

import java.time.Instant;

/** An account's balance as of an instant, and the time of the last change at or before it. */
public record BalanceAsOf(BillingAccount account, long amount, Instant updatedAt) {}
