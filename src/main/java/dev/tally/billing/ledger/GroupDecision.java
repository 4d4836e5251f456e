package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccount;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * One pass of {@link UsageGroup} over its requests: outcomes so far, the entries to insert, each
 * account's running sums. It decides without writing; the group writes what it decided.
 */
final class GroupDecision {
    final UsageGroup.Locked locked;
    /** The time of the group's entries, and of the holds it places. */
    final Instant at;
    final Map<UUID, Running> running = new LinkedHashMap<>();
    final Set<UUID> seenIds = new HashSet<>();
    /** The entries to insert, each with its request's principal (a group mixes callers). */
    final List<NewEntry> entries = new ArrayList<>();
    final List<UsageOutcome> outcomes = new ArrayList<>();
    /** The captures applied in this pass, in order; a hold appears at most once. */
    final List<UsageRequest.HoldCapture> captures = new ArrayList<>();
    final Map<UUID, Long> capturedHere = new HashMap<>();
    /** The holds placed in this pass, to insert, and by id for a repeat within the group. */
    final List<Hold> placed = new ArrayList<>();
    final Map<UUID, Hold> placedHere = new HashMap<>();

    GroupDecision(UsageGroup.Locked locked, Instant at) {
        this.locked = locked;
        this.at = at;
    }

    /** The ids of the placements this pass refused for the account's state or its credits. */
    List<UUID> refusedPlacementIds(List<UsageRequest> requests) {
        List<UUID> ids = new ArrayList<>();
        for (int index = 0; index < requests.size(); index++) {
            UsageOutcome.Result result = outcomes.get(index).result();
            if (requests.get(index).placement().isPresent() && (result == UsageOutcome.Result.ACCOUNT_DISABLED
                    || result == UsageOutcome.Result.INSUFFICIENT_CREDITS)) {
                ids.add(requests.get(index).placement().get().id());
            }
        }
        return ids;
    }

    /** The usage ids of the plain usage requests this pass refused without writing them. */
    List<UUID> refusedUsageIds(List<UsageRequest> requests) {
        List<UUID> ids = new ArrayList<>();
        for (int index = 0; index < requests.size(); index++) {
            UsageRequest request = requests.get(index);
            UsageOutcome.Result result = outcomes.get(index).result();
            if (request.placement().isEmpty() && request.capture().isEmpty()
                    && (result == UsageOutcome.Result.ACCOUNT_DISABLED
                    || result == UsageOutcome.Result.INSUFFICIENT_CREDITS
                    || result == UsageOutcome.Result.DEBITED_OVERFLOW)) {
                request.usages().forEach(usage -> ids.add(usage.id()));
            }
        }
        return ids;
    }

    /** The entries to insert, as the ledger will hold them. */
    List<LedgerEntry> ledgerEntries() {
        return entries.stream().map(NewEntry::entry).toList();
    }

    /** Whether the pass writes anything: entries, placed holds, or captures (of 0 they have no entry). */
    boolean writesRows() {
        return !entries.isEmpty() || !placed.isEmpty() || !captures.isEmpty();
    }

    UsageOutcome decide(UsageRequest request, Set<UUID> recorded) {
        BillingAccount account = locked.accounts().get(request.accountId());
        Running totals = running.computeIfAbsent(account.id(),
                id -> new Running(account, GrantBook.unavailable(locked.held().getOrDefault(id, 0L),
                        locked.grants().unspendable(id)))); // grants (issue 12): expired remainders
        if (request.capture().isPresent()) {
            return decideCapture(request, request.capture().get(), totals, recorded);
        }
        if (request.placement().isPresent()) {
            return decidePlacement(request.placement().get(), account, totals);
        }
        // Duplicates first: a retry of an applied usage is told it was recorded (409), whatever
        // became of the account since.
        for (NewUsage usage : request.usages()) {
            if (recorded.contains(usage.id()) || seenIds.contains(usage.id())) {
                return UsageOutcome.duplicate(usage.id());
            }
        }
        if (!account.isActive()) {
            return UsageOutcome.ACCOUNT_DISABLED;
        }
        if (!totals.allowsDebit(request.total())) {
            totals.refusedForCredits = true; // webhooks (issue 13): balance.depleted
            return UsageOutcome.INSUFFICIENT_CREDITS;
        }
        // Grants can refill a balance without end, so the debited total can reach int64's edge
        // where the balance cannot; it is refused rather than wrapped.
        return totals.debited > Long.MAX_VALUE - request.total()
                ? UsageOutcome.DEBITED_OVERFLOW : UsageOutcome.APPLIED;
    }

    /**
     * A capture is decided by its hold, not by the account: covered by the hold, it needs
     * neither an active account nor available credits. A repeat with the same amount is
     * answered as the first was, whichever group applied it.
     */
    private UsageOutcome decideCapture(UsageRequest request, UsageRequest.HoldCapture capture, Running totals,
                                       Set<UUID> recorded) {
        Hold hold = locked.holds().get(capture.holdId());
        if (hold == null || !hold.accountId().equals(request.accountId())) {
            return UsageOutcome.HOLD_NOT_FOUND;
        }
        Long earlier = capturedHere.get(hold.id());
        if (earlier != null) {
            return earlier == capture.amount()
                    ? UsageOutcome.CAPTURE_REPEATED : UsageOutcome.HOLD_CAPTURED_OTHER_AMOUNT;
        }
        switch (hold.stateAt(locked.now())) {
            case CAPTURED -> {
                return hold.capturedAmount().orElseThrow() == capture.amount()
                        ? UsageOutcome.CAPTURE_REPEATED : UsageOutcome.HOLD_CAPTURED_OTHER_AMOUNT;
            }
            case RELEASED -> {
                return UsageOutcome.HOLD_RELEASED;
            }
            case EXPIRED -> {
                return UsageOutcome.HOLD_EXPIRED;
            }
            case HELD -> { }
        }
        for (NewUsage usage : request.usages()) {
            if (recorded.contains(usage.id()) || seenIds.contains(usage.id())) {
                return UsageOutcome.duplicate(usage.id());
            }
        }
        return totals.debited > Long.MAX_VALUE - request.total()
                ? UsageOutcome.DEBITED_OVERFLOW : UsageOutcome.APPLIED;
    }

    /**
     * A placement (DESIGN §12): the same id again answers the hold it names, whatever became of
     * the account since, or 409 if that hold is another account's or another amount; a new hold
     * needs an active account and available − amount ≥ credit_min, in arrival order with the
     * group's usages.
     */
    private UsageOutcome decidePlacement(NewHold placement, BillingAccount account, Running totals) {
        Hold earlier = placedHere.getOrDefault(placement.id(), locked.existingHolds().get(placement.id()));
        if (earlier != null) {
            return earlier.accountId().equals(account.id()) && earlier.amount() == placement.amount()
                    ? UsageOutcome.placed(earlier.asSeenAt(locked.now())) : UsageOutcome.holdIdTaken(placement.id());
        }
        if (!account.isActive()) {
            return UsageOutcome.ACCOUNT_DISABLED;
        }
        if (!totals.allowsDebit(placement.amount())) {
            totals.refusedForCredits = true; // webhooks (issue 13): balance.depleted
            return UsageOutcome.INSUFFICIENT_CREDITS;
        }
        return UsageOutcome.APPLIED;
    }

    /** The hold a placement request writes, dated at the group's time. */
    Hold newHold(UsageRequest request) {
        NewHold placement = request.placement().orElseThrow();
        return new Hold(placement.id(), request.accountId(), placement.amount(), OptionalLong.empty(),
                HoldState.HELD, at.plus(placement.expiresIn()), Optional.empty(), placement.source(),
                placement.description(), placement.userId(), placement.metadata(), request.createdBy(), at, at);
    }

    /** Counts an applied request in its account's running sums; returns the caller's answer. */
    UsageOutcome apply(UsageRequest request) {
        if (request.placement().isPresent()) {
            return place(request);
        }
        Running totals = running.get(request.accountId());
        long total = request.total();
        totals.balance -= total;
        totals.debited += total;
        totals.changed = true;
        request.usages().forEach(usage -> seenIds.add(usage.id()));
        request.capture().ifPresent(capture -> {
            // The hold's whole amount stops being held; what was not captured is released.
            totals.held -= locked.holds().get(capture.holdId()).amount();
            captures.add(capture);
            capturedHere.put(capture.holdId(), capture.amount());
        });
        return request.capture().isPresent() ? captured(request, request.capture().get()) : UsageOutcome.APPLIED;
    }

    /** A capture's answer, as {@link #write} leaves the hold and the ledger. */
    private UsageOutcome captured(UsageRequest request, UsageRequest.HoldCapture capture) {
        Hold held = locked.holds().get(capture.holdId());
        Hold captured = new Hold(held.id(), held.accountId(), held.amount(), OptionalLong.of(capture.amount()),
                HoldState.CAPTURED, held.expiresAt(), Optional.of(capture.usageId()), held.source(),
                held.description(), held.userId(), held.metadata(), held.createdBy(), held.createdAt(), at);
        return UsageOutcome.captured(captured, request.usages().isEmpty() ? null : entries(request, at).get(0).entry());
    }

    /** A placed hold reserves its amount from the account's available balance; no sum is stored. */
    private UsageOutcome place(UsageRequest request) {
        Hold hold = newHold(request);
        Running totals = running.get(request.accountId());
        // Saturated like the held sums read from the database: past int64 nothing is available anyway.
        totals.held = totals.held > Long.MAX_VALUE - hold.amount() ? Long.MAX_VALUE : totals.held + hold.amount();
        placed.add(hold);
        placedHere.put(hold.id(), hold);
        return UsageOutcome.placed(hold);
    }

    /** The new sums of each account a request was applied to. */
    Map<UUID, long[]> changedSums() {
        Map<UUID, long[]> sums = new HashMap<>();
        running.forEach((id, totals) -> {
            if (totals.changed) {
                sums.put(id, new long[] {totals.balance, totals.debited});
            }
        });
        return sums;
    }

    /** Decides every request against the running totals, without writing. */
    static GroupDecision decideAll(List<UsageRequest> requests, UsageGroup.Locked locked, Set<UUID> recorded,
                                   Instant now) {
        GroupDecision decision = new GroupDecision(locked, now);
        for (UsageRequest request : requests) {
            UsageOutcome outcome = decision.decide(request, recorded);
            if (outcome == UsageOutcome.APPLIED) {
                decision.entries.addAll(entries(request, now));
                outcome = decision.apply(request);
            }
            decision.outcomes.add(outcome);
        }
        return decision;
    }

    /** The ledger entries of an applied request's usages, dated {@code now}, each as caused by its principal. */
    static List<NewEntry> entries(UsageRequest request, Instant now) {
        List<NewEntry> entries = new ArrayList<>(request.usages().size());
        for (NewUsage usage : request.usages()) {
            entries.add(new NewEntry(new LedgerEntry(usage.id(), request.accountId(), EntryKind.USAGE, usage.amount(),
                    usage.source(), usage.description(), usage.userId(), usage.metadata(), Optional.empty(), now),
                    request.createdBy()));
        }
        return entries;
    }

    /** An account's sums as the group's applied requests leave them. */
    static final class Running {
        final BillingAccount account;
        long balance;
        long debited;
        final long heldBefore; // webhooks (issue 13): available before the group
        long held;
        boolean changed;
        boolean refusedForCredits; // webhooks (issue 13)
        final List<LedgerEntry> applied = new ArrayList<>(); // webhooks (issue 13)

        Running(BillingAccount account, long held) {
            this.account = account;
            this.balance = account.balance();
            this.debited = account.debited();
            this.heldBefore = held;
            this.held = held;
        }

        /** Against the available balance: held credits cannot be spent by plain usage. */
        boolean allowsDebit(long amount) {
            return account.withBalance(balance).allowsDebit(amount, held);
        }
    }
}
