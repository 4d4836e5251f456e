package dev.tally.billing.events;

import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.ledger.Hold;
import dev.tally.billing.ledger.LedgerEntry;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * What the billing services tell about each change, from inside the change's own database
 * transaction, so that whatever the sink writes commits or rolls back with the change (the
 * webhook outbox is the one implementation). A call may run again when its transaction is
 * retried, and a rolled-back call leaves nothing behind. Implementations use only the
 * connection: no network, no waiting on anything but the database.
 */
public interface BillingEventSink {
    /** Writes nothing: for wiring without webhooks. */
    BillingEventSink NONE = new BillingEventSink() {};

    /** A grant or revert added {@code credit}; {@code before} is the account as locked before it. */
    default void credited(Connection connection, BillingAccount before, LedgerEntry credit, long balanceAfter)
            throws SQLException {}

    /**
     * What a usage group decided for one locked account: {@code applied} are the usage entries it
     * wrote (maybe none), {@code refusedForCredits} whether a request (a usage or a hold) was
     * refused for insufficient credits, {@code heldBefore} and {@code heldAfter} the credits the
     * account's live holds reserved before and after the group (available = balance − held).
     */
    record AccountUsage(BillingAccount before, long balanceAfter, List<LedgerEntry> applied,
                        boolean refusedForCredits, long heldBefore, long heldAfter) {}

    /**
     * A usage group was decided: one {@link AccountUsage} per account it locked. One call per
     * group rather than per account, so that what the sink reads and writes for the group's
     * accounts (their alert state, the outbox) takes one statement each, not one per account.
     */
    default void usageGroupDecided(Connection connection, List<AccountUsage> accounts) throws SQLException {}

    /** The sweeper marked {@code hold} (on {@code account}) expired, in this transaction. */
    default void holdExpired(Connection connection, BillingAccount account, Hold hold) throws SQLException {}

    /** A grant's remainder expired (DESIGN §13): {@code expiry} is the debit that wrote it off. */
    default void expired(Connection connection, BillingAccount before, LedgerEntry expiry, long balanceAfter)
            throws SQLException {}

    /**
     * Expiry entries written by the sweep lowered the balance of {@code before}'s account to
     * {@code balanceAfter}, at {@code at}: judged for balance thresholds and depletion as any debit
     * is (DESIGN §14). {@code unavailable} is what the available balance leaves out besides them,
     * the same before and after: live holds, and expired remainders not yet written off.
     */
    default void balanceLoweredByExpiry(Connection connection, BillingAccount before, long balanceAfter,
                                        long unavailable, Instant at) throws SQLException {}

    default void stateChanged(Connection connection, BillingAccount account, boolean enabled) throws SQLException {}

    default void limitsUpdated(Connection connection, BillingAccount account, long creditMin) throws SQLException {}
}
