package dev.tally.billing.account;

import dev.tally.common.Metadata;
import dev.tally.common.TallyException;

import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;

/**
 * A billing account (Frontier's "customer"). {@code balance} and {@code debited} are the stored
 * sums of the account's ledger entries, changed only in the transaction that adds an entry.
 *
 * @param address the postal address as a JSON object, kept as the caller sent it
 * @param debited usage debits minus what was reverted of them
 */
public record BillingAccount(
        UUID id, UUID organizationId, String name, String email, String phone, String address,
        String currency, String state, long creditMin, long dueInDays, long balance, long debited,
        Metadata metadata, Instant createdAt, Instant updatedAt, Instant balanceUpdatedAt) {

    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";
    public static final String CURRENCY_DEFAULT = "VC";

    /**
     * Whether debiting {@code amount} keeps the balance at or above {@code creditMin}. Computed
     * exactly: a balance, a limit and an amount near the ends of the int64 range cannot overflow.
     */
    public boolean allowsDebit(long amount) {
        return allowsDebit(amount, 0);
    }

    /**
     * Whether debiting {@code amount} keeps the available balance (balance minus the {@code held}
     * credits of live holds, DESIGN §12) at or above {@code creditMin}; exact like the above.
     */
    public boolean allowsDebit(long amount, long held) {
        BigInteger after = BigInteger.valueOf(balance).subtract(BigInteger.valueOf(amount))
                .subtract(BigInteger.valueOf(held));
        return after.compareTo(BigInteger.valueOf(creditMin)) >= 0;
    }

    /**
     * The balance after crediting {@code amount}. Past int64 it is refused, never wrapped: a grant
     * can bring a balance to the edge, and a revert can then push it over.
     */
    public long balanceAfterCredit(long amount) {
        try {
            return Math.addExact(balance, amount);
        } catch (ArithmeticException e) {
            throw TallyException.invalidArgument(
                    "amount: " + amount + " would take the balance past the largest int64 value");
        }
    }

    /** The same account with another balance: for deciding a debit against a running total. */
    public BillingAccount withBalance(long newBalance) {
        return new BillingAccount(id, organizationId, name, email, phone, address, currency, state, creditMin,
                dueInDays, newBalance, debited, metadata, createdAt, updatedAt, balanceUpdatedAt);
    }

    public boolean isActive() {
        return ACTIVE.equals(state);
    }
}
