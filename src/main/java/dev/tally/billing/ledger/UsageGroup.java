package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.storage.Savepoints;
import dev.tally.billing.events.BillingEventSink;
import dev.tally.storage.SqlStates;

import java.sql.Connection;
import java.sql.SQLException;
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
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies a group of usage requests in one database transaction, each request all or nothing on
 * its own: a request refused for insufficient credits, a disabled account, a duplicate id or a
 * value the database will not store changes nothing, and its neighbours in the group are decided
 * as if it had not been sent.
 *
 * <p>The group never re-runs its transaction and never rolls it back: once its accounts are
 * locked, it decides and writes, and when the ledger refuses the batch it rolls back to a savepoint
 * and decides again under the same locks. That happens in at most two more passes, each knowing
 * more: the first with the usage ids the ledger already holds (the duplicate that a client retry
 * brings), the last request by request, each under its own savepoint (a value the database
 * refuses, or an id another process recorded meanwhile, fails that request alone).
 *
 * <p>Holds (DESIGN §12): debits are decided against the available balance (balance minus the
 * account's live holds, summed once per group), and a hold's capture is a request of the group
 * like any usage, decided under the hold's row lock: its debit is covered by the hold, and the
 * hold becomes captured in the same transaction as the entry. A hold's placement is a request of
 * the group too, decided in arrival order against the same running available balance as the
 * usages beside it, so one commit carries a hot account's holds and usages alike. A placement is
 * taken to be new: the primary key judges a repeat (or another account's placement of the same id)
 * that the group applied, which it decides again like a refused batch of entries, and only the
 * placements the group refused are looked up (a repeat answers the recorded hold, even when the
 * credits are gone by now).
 *
 * <p>Grants (DESIGN §13): the accounts' open grants are read once with the locks ({@link GrantBook});
 * expired remainders count as unavailable, and the final entries are allocated to grants in the
 * same transaction.
 */
final class UsageGroup {
    private final BillingAccountRepository accounts;
    private final LedgerRepository ledger;
    private final BillingEventSink events; // webhooks (issue 13)
    private final HoldRepository holds;
    private final GrantRepository grants; // grants (issue 12)

    UsageGroup(BillingAccountRepository accounts, LedgerRepository ledger) {
        this(accounts, ledger, BillingEventSink.NONE, new HoldRepository());
    }

    UsageGroup(BillingAccountRepository accounts, LedgerRepository ledger, BillingEventSink events,
               HoldRepository holds) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.events = events; // webhooks (issue 13)
        this.holds = holds;
        this.grants = new GrantRepository(ledger.batchWrites()); // the allocations are written as the entries
    }

    /**
     * Decides and writes the group in the caller's transaction and returns one outcome per request,
     * in the requests' order. The common path assumes no usage id is in the ledger yet, which costs
     * no lookup; the unique constraint stays the judge.
     */
    List<UsageOutcome> apply(Connection connection, List<UsageRequest> requests, Instant now) throws SQLException {
        Set<UUID> accountIds = new TreeSet<>();
        requests.forEach(request -> accountIds.add(request.accountId()));
        Locked asKnown = lock(connection, accountIds, requests, now);
        Optional<List<UsageOutcome>> outcomes = decideAndWrite(connection, requests, asKnown);
        if (outcomes.isPresent()) {
            return outcomes.get();
        }
        // A capture decided from its hold as known lost the hold to a release or the sweeper: its
        // guarded UPDATE found fewer rows, and everything was rolled back to the entries' savepoint.
        // Decide again as before this shortcut, with the holds locked and the held sums read after.
        Locked holdsLocked = lockHolds(connection, accountIds, requests, asKnown);
        return decideAndWrite(connection, requests, holdsLocked).orElseThrow(() -> new IllegalStateException(
                "a locked live hold could not be captured, among " + captureIds(requests)));
    }

    /**
     * Decides and writes the group; empty when a capture decided from a hold as known found it
     * no longer live (the group's writes then are undone, for the caller to decide again), which
     * cannot happen with the holds locked.
     */
    private Optional<List<UsageOutcome>> decideAndWrite(Connection connection, List<UsageRequest> requests,
                                                        Locked locked) throws SQLException {
        Instant at = locked.now();
        Decision decision = firstPass(connection, requests, locked, at);
        if (!decision.writesRows()) {
            return Optional.of(write(connection, decision, at));
        }
        Savepoints.Attempt first = insert(connection, decision);
        if (!first.written()) {
            // A capture decided from a stale hold also fails the insert when another group captured
            // the hold already (its debit id is in the ledger): with the hold locked it is the repeat
            // it is, not a duplicate usage. So a refused group with captures decided from memory is
            // decided again with the holds locked, like a missed guard.
            if (first.guardMissed() || (!locked.holdsLocked() && !captureIds(requests).isEmpty())) {
                return Optional.empty();
            }
            Set<UUID> recorded = ledger.existingIds(connection, usageIds(requests));
            Locked knowingHolds = decision.locked.knowing(holds.findAll(connection, placementIds(requests)));
            decision = decideAll(requests, knowingHolds, recorded, at);
            Savepoints.Attempt second = decision.writesRows() ? insert(connection, decision) : null;
            if (second != null && second.guardMissed()) {
                return Optional.empty();
            }
            if (second != null && !second.written()) {
                Optional<Decision> oneByOne = decideOneByOne(connection, requests, knowingHolds, recorded, at);
                if (oneByOne.isEmpty()) {
                    return Optional.empty();
                }
                decision = oneByOne.get();
            }
        }
        return Optional.of(write(connection, decision, at));
    }

    /**
     * Decides the group taking every placement and usage id to be new, which costs no read: a
     * repeat of a recorded hold or usage that this pass applies fails the insert (the primary key
     * judges), and one it refuses (the credits are gone, or the account disabled, since it was
     * recorded) is looked up here, so that it answers the recorded hold or the duplicate. Neither
     * kind takes credits, so deciding again with them known changes no other request's outcome.
     */
    private Decision firstPass(Connection connection, List<UsageRequest> requests, Locked locked, Instant at)
            throws SQLException {
        Decision decision = decideAll(requests, locked, Set.of(), at);
        List<UUID> refusedPlacements = decision.refusedPlacementIds(requests);
        Map<UUID, Hold> recordedHolds = refusedPlacements.isEmpty() ? Map.of()
                : holds.findAll(connection, refusedPlacements);
        // Likewise a usage this pass refused without inserting it (no credits, a disabled account)
        // may be the retry of one already recorded, which must be answered as a duplicate (409)
        // whatever became of the account since: without this lookup no unique key would tell.
        List<UUID> refusedUsages = decision.refusedUsageIds(requests);
        Set<UUID> recordedUsages = refusedUsages.isEmpty() ? Set.of() : ledger.existingIds(connection, refusedUsages);
        if (recordedHolds.isEmpty() && recordedUsages.isEmpty()) {
            return decision;
        }
        return decideAll(requests, recordedHolds.isEmpty() ? locked : locked.knowing(recordedHolds), recordedUsages,
                at);
    }

    /**
     * Writes a decision's rows under one savepoint: its entries in one batch, its placed holds in
     * one batch, then its captures in one guarded UPDATE ({@link HoldRepository#captureAll}). Every
     * entry of an account in the group records the account's balance after the whole group: they
     * share one time, so the balance as of that instant is the group's result, whichever of them a
     * point-in-time read finds. The guard misses when a capture was decided from a hold that
     * another writer ended meanwhile; the attempt then says so, with all of it rolled back.
     */
    private Savepoints.Attempt insert(Connection connection, Decision decision) throws SQLException {
        return Savepoints.attempt(connection, () -> insertRows(connection, decision));
    }

    /** The statements of {@link #insert}; false when the captures' guard missed. */
    private boolean insertRows(Connection connection, Decision decision) throws SQLException {
        if (!decision.entries.isEmpty()) {
            ledger.insert(connection, decision.entries, accountId -> decision.running.get(accountId).balance);
        }
        if (!decision.placed.isEmpty()) {
            holds.insertAll(connection, decision.placed);
        }
        return decision.captures.isEmpty() || holds.captureAll(connection, decision.captures, decision.at);
    }

    /**
     * Locks the accounts and sums their live holds; the holds being captured are taken as the
     * callers know them, not locked (see {@link #knownHolds}). Everything is judged at the time
     * the group's entries will carry, not at the clock's reading before the locks: a writer that
     * held an account's lock meanwhile may have dated its entry later, which pushes this group's
     * time past it, and a grant or hold still live at the earlier reading may have expired by then.
     */
    private Locked lock(Connection connection, Set<UUID> accountIds, List<UsageRequest> requests, Instant clockNow)
            throws SQLException {
        Map<UUID, BillingAccount> locked = accounts.lockAll(connection, accountIds);
        Instant at = EntryTimes.next(clockNow, locked.values());
        return new Locked(locked, knownHolds(connection, requests, at), false,
                holds.heldSums(connection, accountIds, at), at, Map.of(),
                GrantBook.load(connection, grants, accountIds, at)); // grants (issue 12)
    }

    /**
     * The captured holds as their callers know them, which costs no statement: a capture is decided
     * from this, and the captures' guarded UPDATE ({@code state = 'held' AND expires_at > at}) is
     * the judge. Why exactly one terminal state still holds (DESIGN §12, ADR 0010):
     * <ul>
     * <li>A hold's account, amount and debit fields never change, so only its state can be stale.
     * <li>Captured, released and a stored expired are terminal, and a held row past expires_at is
     * expired for good ({@link Hold#stateAt}): a known hold in one of those states is answered as
     * it is. Only one that is held but past {@code at} in memory is read again (unlocked; it may
     * have been captured or released before it expired, and those answers differ).
     * <li>A known live hold may since have been released (release locks only the hold's row) or
     * marked expired (the sweeper locks only due rows, by its own clock): each is itself a guarded
     * UPDATE from {@code held}, so if it commits before the captures' UPDATE that UPDATE misses the
     * row, the group rolls back to its savepoint and decides again with the holds locked (today's
     * path: {@link #lockHolds}); if it comes after, it waits for the group's row lock and then finds
     * the hold captured (PostgreSQL re-checks a waiting UPDATE's WHERE on the row as committed; a
     * release re-reads it under FOR UPDATE; the sweeper's SKIP LOCKED passes it by).
     * <li>Placements and captures of the account need the account's row lock, which the group holds.
     * </ul>
     * The held sum read under the account lock may lack a hold released meanwhile, which a capture
     * decided from memory would subtract again; that capture's UPDATE misses, so no such decision
     * commits.
     */
    private Map<UUID, Hold> knownHolds(Connection connection, List<UsageRequest> requests, Instant at)
            throws SQLException {
        Map<UUID, Hold> known = new HashMap<>();
        List<UUID> expiredInMemory = new ArrayList<>();
        for (UsageRequest request : requests) {
            if (request.capture().isPresent()) {
                Hold hold = request.capture().get().known();
                known.put(hold.id(), hold);
                if (hold.storedState() == HoldState.HELD && hold.stateAt(at) == HoldState.EXPIRED) {
                    expiredInMemory.add(hold.id());
                }
            }
        }
        if (!expiredInMemory.isEmpty()) {
            known.putAll(holds.findAll(connection, expiredInMemory));
        }
        return known;
    }

    /**
     * The slow path once a capture's guard missed: the holds locked (accounts before holds, in id
     * order, as every writer does: no lock cycle with release or the sweeper, which lock only holds)
     * and the held sums read again after them, at the same time as the first attempt.
     */
    private Locked lockHolds(Connection connection, Set<UUID> accountIds, List<UsageRequest> requests,
                             Locked asKnown) throws SQLException {
        Map<UUID, Hold> locked = holds.lockAll(connection, captureIds(requests));
        return new Locked(asKnown.accounts(), locked, true, holds.heldSums(connection, accountIds, asKnown.now()),
                asKnown.now(), Map.of(), asKnown.grants());
    }

    /** Decides every request against the running totals, without writing. */
    private static Decision decideAll(List<UsageRequest> requests, Locked locked,
                                      Set<UUID> recorded, Instant now) {
        Decision decision = new Decision(locked, now);
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

    /**
     * The last pass: each applied request inserted under its own savepoint, so a refusal is its own;
     * empty when the captures' guard missed (everything of the pass undone).
     */
    private Optional<Decision> decideOneByOne(Connection connection, List<UsageRequest> requests,
                                    Locked locked, Set<UUID> recorded, Instant now)
            throws SQLException {
        Decision decision = new Decision(locked, now);
        // The trial inserts record intermediate balances; they are undone and the applied entries
        // inserted again in one batch once each account's balance after the group is known.
        java.sql.Savepoint beforeTrials = connection.setSavepoint();
        for (UsageRequest request : requests) {
            UsageOutcome outcome = decision.decide(request, recorded);
            if (outcome == UsageOutcome.APPLIED) {
                List<LedgerEntry> entries = entries(request, now);
                Optional<SQLException> refused = Savepoints.refusalOf(connection, () -> {
                    if (!entries.isEmpty()) {
                        ledger.insert(connection, entries, accountId -> decision.running.get(accountId).balance);
                    }
                    if (request.placement().isPresent()) {
                        holds.insert(connection, decision.newHold(request));
                    }
                });
                if (refused.isPresent()) {
                    outcome = refusedOutcome(connection, request, refused.get());
                } else {
                    decision.entries.addAll(entries);
                    outcome = decision.apply(request);
                }
            }
            decision.outcomes.add(outcome);
        }
        connection.rollback(beforeTrials);
        if (decision.writesRows() && !insertRows(connection, decision)) {
            connection.rollback(beforeTrials);
            return Optional.empty();
        }
        return Optional.of(decision);
    }

    /** A duplicate when one of the request's ids is recorded (by another process, meanwhile); else a failure. */
    private UsageOutcome refusedOutcome(Connection connection, UsageRequest request, SQLException refusal)
            throws SQLException {
        if (request.placement().isPresent() && SqlStates.isUniqueViolation(refusal)) {
            // Only another account's hold can have the id: this account's row is locked.
            NewHold placement = request.placement().get();
            Optional<Hold> recorded = holds.find(connection, placement.id());
            if (recorded.isPresent()) {
                return UsageOutcome.holdIdTaken(placement.id());
            }
        }
        if (SqlStates.isUniqueViolation(refusal)) {
            Set<UUID> recorded = ledger.existingIds(connection, usageIds(List.of(request)));
            for (NewUsage usage : request.usages()) {
                if (recorded.contains(usage.id())) {
                    return UsageOutcome.duplicate(usage.id());
                }
            }
        }
        return UsageOutcome.failed(refusal);
    }

    /** Stores the new sums of the accounts whose entries the decision inserted; returns its outcomes. */
    private List<UsageOutcome> write(Connection connection, Decision decision, Instant now) throws SQLException {
        Map<UUID, long[]> sums = decision.changedSums();
        if (!sums.isEmpty()) {
            accounts.updateBalances(connection, sums, now);
            decision.locked.grants().spend(connection, decision.entries); // grants (issue 12)
        }
        // Webhooks (issue 13): each account's outcome goes to the outbox in this same transaction.
        decision.entries.forEach(entry -> decision.running.get(entry.accountId()).applied.add(entry));
        List<BillingEventSink.AccountUsage> decided = new ArrayList<>(decision.running.size());
        for (Running totals : decision.running.values()) {
            decided.add(new BillingEventSink.AccountUsage(totals.account, totals.balance, totals.applied,
                    totals.refusedForCredits, totals.heldBefore, totals.held));
        }
        events.usageGroupDecided(connection, decided);
        return decision.outcomes;
    }

    private static List<UUID> captureIds(List<UsageRequest> requests) {
        List<UUID> ids = new ArrayList<>();
        requests.forEach(request -> request.capture().ifPresent(capture -> ids.add(capture.holdId())));
        return ids;
    }

    private static List<UUID> placementIds(List<UsageRequest> requests) {
        List<UUID> ids = new ArrayList<>();
        requests.forEach(request -> request.placement().ifPresent(placement -> ids.add(placement.id())));
        return ids;
    }

    private static List<UUID> usageIds(List<UsageRequest> requests) {
        List<UUID> ids = new ArrayList<>();
        requests.forEach(request -> request.usages().forEach(usage -> ids.add(usage.id())));
        return ids;
    }

    private static List<LedgerEntry> entries(UsageRequest request, Instant now) {
        List<LedgerEntry> entries = new ArrayList<>(request.usages().size());
        for (NewUsage usage : request.usages()) {
            entries.add(new LedgerEntry(usage.id(), request.accountId(), EntryKind.USAGE, usage.amount(),
                    usage.source(), usage.description(), usage.userId(), usage.metadata(), Optional.empty(),
                    request.createdBy(), now));
        }
        return entries;
    }

    /**
     * What the group locked: its accounts, the holds it captures (as their callers know them, or
     * locked once a capture's guard missed: {@code holdsLocked}), the accounts' live holds' sums;
     * and the holds known to exist with the ids of the group's placements (none until a pass
     * finds a placement refused or the insert refuses one).
     */
    private record Locked(Map<UUID, BillingAccount> accounts, Map<UUID, Hold> holds, boolean holdsLocked,
                          Map<UUID, Long> held, Instant now, Map<UUID, Hold> existingHolds, GrantBook grants) {
        Locked knowing(Map<UUID, Hold> existing) {
            return new Locked(accounts, holds, holdsLocked, held, now, existing, grants);
        }
    }

    /** One pass over the group: outcomes so far, the entries to insert, each account's running sums. */
    private static final class Decision {
        private final Locked locked;
        /** The time of the group's entries, and of the holds it places. */
        private final Instant at;
        private final Map<UUID, Running> running = new LinkedHashMap<>();
        private final Set<UUID> seenIds = new HashSet<>();
        private final List<LedgerEntry> entries = new ArrayList<>();
        private final List<UsageOutcome> outcomes = new ArrayList<>();
        /** The captures applied in this pass, in order; a hold appears at most once. */
        private final List<UsageRequest.HoldCapture> captures = new ArrayList<>();
        private final Map<UUID, Long> capturedHere = new HashMap<>();
        /** The holds placed in this pass, to insert, and by id for a repeat within the group. */
        private final List<Hold> placed = new ArrayList<>();
        private final Map<UUID, Hold> placedHere = new HashMap<>();

        Decision(Locked locked, Instant at) {
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

        /** Whether the pass writes anything: entries, placed holds, or captures (of 0 they have no entry). */
        boolean writesRows() {
            return !entries.isEmpty() || !placed.isEmpty() || !captures.isEmpty();
        }

        UsageOutcome decide(UsageRequest request, Set<UUID> recorded) {
            BillingAccount account = locked.accounts.get(request.accountId());
            Running totals = running.computeIfAbsent(account.id(),
                    id -> new Running(account, GrantBook.unavailable(locked.held.getOrDefault(id, 0L),
                            locked.grants.unspendable(id)))); // grants (issue 12): expired remainders
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
            Hold hold = locked.holds.get(capture.holdId());
            if (hold == null || !hold.accountId().equals(request.accountId())) {
                return UsageOutcome.HOLD_NOT_FOUND;
            }
            Long earlier = capturedHere.get(hold.id());
            if (earlier != null) {
                return earlier == capture.amount()
                        ? UsageOutcome.CAPTURE_REPEATED : UsageOutcome.HOLD_CAPTURED_OTHER_AMOUNT;
            }
            switch (hold.stateAt(locked.now)) {
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
            Hold earlier = placedHere.getOrDefault(placement.id(), locked.existingHolds.get(placement.id()));
            if (earlier != null) {
                return earlier.accountId().equals(account.id()) && earlier.amount() == placement.amount()
                        ? UsageOutcome.placed(earlier.asSeenAt(locked.now)) : UsageOutcome.holdIdTaken(placement.id());
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
                totals.held -= locked.holds.get(capture.holdId()).amount();
                captures.add(capture);
                capturedHere.put(capture.holdId(), capture.amount());
            });
            return request.capture().isPresent() ? captured(request, request.capture().get()) : UsageOutcome.APPLIED;
        }

        /** A capture's answer, as {@link #write} leaves the hold and the ledger. */
        private UsageOutcome captured(UsageRequest request, UsageRequest.HoldCapture capture) {
            Hold held = locked.holds.get(capture.holdId());
            Hold captured = new Hold(held.id(), held.accountId(), held.amount(), OptionalLong.of(capture.amount()),
                    HoldState.CAPTURED, held.expiresAt(), Optional.of(capture.usageId()), held.source(),
                    held.description(), held.userId(), held.metadata(), held.createdBy(), held.createdAt(), at);
            return UsageOutcome.captured(captured, request.usages().isEmpty() ? null : entries(request, at).get(0));
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
    }

    /** An account's sums as the group's applied requests leave them. */
    private static final class Running {
        private final BillingAccount account;
        private long balance;
        private long debited;
        private final long heldBefore; // webhooks (issue 13): available before the group
        private long held;
        private boolean changed;
        private boolean refusedForCredits; // webhooks (issue 13)
        private final List<LedgerEntry> applied = new ArrayList<>(); // webhooks (issue 13)

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
