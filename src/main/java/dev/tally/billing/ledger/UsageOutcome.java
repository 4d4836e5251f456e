package dev.tally.billing.ledger;

import dev.tally.common.TallyException;

import java.sql.SQLException;
import java.util.UUID;

/**
 * What became of one usage request inside a group: applied, refused for a business reason, or
 * refused by the database for a value it would not store ({@link Result#FAILED}, with the failure).
 * A hold's placement that succeeded, or that repeats one recorded before, is {@link Result#HOLD_PLACED}
 * with the hold the caller is answered; an applied capture carries the captured hold and its debit
 * (none for a capture of 0), so that its caller needs no read after the commit.
 */
record UsageOutcome(Result result, UUID duplicateId, SQLException failure, Hold hold, LedgerEntry debit) {
    enum Result { APPLIED, ACCOUNT_DISABLED, INSUFFICIENT_CREDITS, DUPLICATE_ID, DEBITED_OVERFLOW, FAILED,
        /** A capture of a hold already captured with the same amount: answered as the first was. */
        CAPTURE_REPEATED, HOLD_CAPTURED_OTHER_AMOUNT, HOLD_RELEASED, HOLD_EXPIRED, HOLD_NOT_FOUND,
        /** A hold placed, or the same placement again: {@link #hold} is the answer. */
        HOLD_PLACED,
        /** A placement whose id names a hold on another account or of another amount ({@link #duplicateId}). */
        HOLD_ID_TAKEN }

    UsageOutcome(Result result, UUID duplicateId, SQLException failure) {
        this(result, duplicateId, failure, null, null);
    }

    static final UsageOutcome APPLIED = new UsageOutcome(Result.APPLIED, null, null);
    static final UsageOutcome ACCOUNT_DISABLED = new UsageOutcome(Result.ACCOUNT_DISABLED, null, null);
    static final UsageOutcome INSUFFICIENT_CREDITS = new UsageOutcome(Result.INSUFFICIENT_CREDITS, null, null);
    static final UsageOutcome DEBITED_OVERFLOW = new UsageOutcome(Result.DEBITED_OVERFLOW, null, null);
    static final UsageOutcome CAPTURE_REPEATED = new UsageOutcome(Result.CAPTURE_REPEATED, null, null);
    static final UsageOutcome HOLD_CAPTURED_OTHER_AMOUNT =
            new UsageOutcome(Result.HOLD_CAPTURED_OTHER_AMOUNT, null, null);
    static final UsageOutcome HOLD_RELEASED = new UsageOutcome(Result.HOLD_RELEASED, null, null);
    static final UsageOutcome HOLD_EXPIRED = new UsageOutcome(Result.HOLD_EXPIRED, null, null);
    static final UsageOutcome HOLD_NOT_FOUND = new UsageOutcome(Result.HOLD_NOT_FOUND, null, null);

    static UsageOutcome duplicate(UUID id) {
        return new UsageOutcome(Result.DUPLICATE_ID, id, null);
    }

    static UsageOutcome placed(Hold hold) {
        return new UsageOutcome(Result.HOLD_PLACED, null, null, hold, null);
    }

    /** An applied capture: the hold as captured, and its debit or null for a capture of 0. */
    static UsageOutcome captured(Hold hold, LedgerEntry debit) {
        return new UsageOutcome(Result.APPLIED, null, null, hold, debit);
    }

    static UsageOutcome holdIdTaken(UUID id) {
        return new UsageOutcome(Result.HOLD_ID_TAKEN, id, null);
    }

    static UsageOutcome failed(SQLException failure) {
        return new UsageOutcome(Result.FAILED, null, failure);
    }

    /**
     * Whether this answer to a capture shows its hold ended: captured by it or before it, released
     * or expired. Its other refusals (a usage id taken, an overflow, a failure) leave the hold live.
     */
    boolean showsHoldEnded() {
        return switch (result) {
            case APPLIED -> hold != null;
            case CAPTURE_REPEATED, HOLD_CAPTURED_OTHER_AMOUNT, HOLD_RELEASED, HOLD_EXPIRED -> true;
            default -> false;
        };
    }

    /** Throws the error the caller sees, unless the request was applied. */
    void throwIfRefused() {
        switch (result) {
            case APPLIED, CAPTURE_REPEATED, HOLD_PLACED -> { }
            case HOLD_ID_TAKEN -> throw TallyException.alreadyExists("hold " + duplicateId + " already exists");
            case HOLD_CAPTURED_OTHER_AMOUNT -> throw TallyException.alreadyExists("hold already captured");
            case HOLD_RELEASED -> throw TallyException.failedPrecondition("hold is released");
            case HOLD_EXPIRED -> throw TallyException.failedPrecondition("hold is expired");
            case HOLD_NOT_FOUND -> throw TallyException.notFound("hold not found");
            case ACCOUNT_DISABLED -> throw TallyException.failedPrecondition("billing account is disabled");
            case INSUFFICIENT_CREDITS -> throw TallyException.invalidArgument("insufficient credits");
            case DUPLICATE_ID -> throw TallyException.alreadyExists("usage " + duplicateId + " already exists");
            case DEBITED_OVERFLOW -> throw TallyException.invalidArgument(
                    "the account's total debited would pass the largest int64 value");
            // Not a caller's mistake that Tally recognises: the one error mapper logs it and answers
            // without internals.
            case FAILED -> throw new IllegalStateException("the database refused a usage request", failure);
        }
    }
}
