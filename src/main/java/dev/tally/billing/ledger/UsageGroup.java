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
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>What one pass decides is {@link GroupDecision}'s; the holds the captures are decided from,
 * {@link CapturedHolds}'.
 */
final class UsageGroup {
    private final BillingAccountRepository accounts;
    private final LedgerRepository ledger;
    private final BillingEventSink events; // webhooks (issue 13)
    private final HoldRepository holds;
    private final GrantRepository grants; // grants (issue 12)
    private final CapturedHolds captures;

    UsageGroup(BillingAccountRepository accounts, LedgerRepository ledger) {
        this(accounts, ledger, BillingEventSink.NONE, new HoldRepository());
    }

    UsageGroup(BillingAccountRepository accounts, LedgerRepository ledger, BillingEventSink events,
               HoldRepository holds) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.events = events; // webhooks (issue 13)
        this.holds = holds;
        this.captures = new CapturedHolds(holds);
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
                "a locked live hold could not be captured, among " + CapturedHolds.ids(requests)));
    }

    /**
     * Decides and writes the group; empty when a capture decided from a hold as known found it
     * no longer live (the group's writes then are undone, for the caller to decide again), which
     * cannot happen with the holds locked.
     */
    private Optional<List<UsageOutcome>> decideAndWrite(Connection connection, List<UsageRequest> requests,
                                                        Locked locked) throws SQLException {
        Instant at = locked.now();
        GroupDecision decision = firstPass(connection, requests, locked, at);
        if (!decision.writesRows()) {
            return Optional.of(write(connection, decision, at));
        }
        Savepoints.Attempt first = insert(connection, decision);
        if (!first.written()) {
            // A capture decided from a stale hold also fails the insert when another group captured
            // the hold already (its debit id is in the ledger): with the hold locked it is the repeat
            // it is, not a duplicate usage. So a refused group with captures decided from memory is
            // decided again with the holds locked, like a missed guard.
            if (first.guardMissed() || (!locked.holdsLocked() && !CapturedHolds.ids(requests).isEmpty())) {
                return Optional.empty();
            }
            Set<UUID> recorded = ledger.existingIds(connection, usageIds(requests));
            Locked knowingHolds = decision.locked.knowing(holds.findAll(connection, placementIds(requests)));
            decision = GroupDecision.decideAll(requests, knowingHolds, recorded, at);
            Savepoints.Attempt second = decision.writesRows() ? insert(connection, decision) : null;
            if (second != null && second.guardMissed()) {
                return Optional.empty();
            }
            if (second != null && !second.written()) {
                Optional<GroupDecision> oneByOne = decideOneByOne(connection, requests, knowingHolds, recorded, at);
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
    private GroupDecision firstPass(Connection connection, List<UsageRequest> requests, Locked locked, Instant at)
            throws SQLException {
        GroupDecision decision = GroupDecision.decideAll(requests, locked, Set.of(), at);
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
        return GroupDecision.decideAll(requests, recordedHolds.isEmpty() ? locked : locked.knowing(recordedHolds),
                recordedUsages, at);
    }

    /**
     * Writes a decision's rows under one savepoint: its entries in one batch, its placed holds in
     * one batch, then its captures in one guarded UPDATE ({@link HoldRepository#captureAll}). Every
     * entry of an account in the group records the account's balance after the whole group: they
     * share one time, so the balance as of that instant is the group's result, whichever of them a
     * point-in-time read finds. The guard misses when a capture was decided from a hold that
     * another writer ended meanwhile; the attempt then says so, with all of it rolled back.
     */
    private Savepoints.Attempt insert(Connection connection, GroupDecision decision) throws SQLException {
        return Savepoints.attempt(connection, () -> insertRows(connection, decision));
    }

    /** The statements of {@link #insert}; false when the captures' guard missed. */
    private boolean insertRows(Connection connection, GroupDecision decision) throws SQLException {
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
     * callers know them, not locked (see {@link CapturedHolds#known}). Everything is judged at the
     * time the group's entries will carry, not at the clock's reading before the locks: a writer that
     * held an account's lock meanwhile may have dated its entry later, which pushes this group's
     * time past it, and a grant or hold still live at the earlier reading may have expired by then.
     */
    private Locked lock(Connection connection, Set<UUID> accountIds, List<UsageRequest> requests, Instant clockNow)
            throws SQLException {
        Map<UUID, BillingAccount> locked = accounts.lockAll(connection, accountIds);
        Instant at = EntryTimes.next(clockNow, locked.values());
        return new Locked(locked, captures.known(connection, requests, at), false,
                holds.heldSums(connection, accountIds, at), at, Map.of(),
                GrantBook.load(connection, grants, accountIds, at)); // grants (issue 12)
    }

    /**
     * The slow path once a capture's guard missed: the holds locked (accounts before holds, in id
     * order, as every writer does: no lock cycle with release or the sweeper, which lock only holds)
     * and the held sums read again after them, at the same time as the first attempt.
     */
    private Locked lockHolds(Connection connection, Set<UUID> accountIds, List<UsageRequest> requests,
                             Locked asKnown) throws SQLException {
        Map<UUID, Hold> locked = captures.lock(connection, requests);
        return new Locked(asKnown.accounts(), locked, true, holds.heldSums(connection, accountIds, asKnown.now()),
                asKnown.now(), Map.of(), asKnown.grants());
    }

    /**
     * The last pass: each applied request inserted under its own savepoint, so a refusal is its own;
     * empty when the captures' guard missed (everything of the pass undone).
     */
    private Optional<GroupDecision> decideOneByOne(Connection connection, List<UsageRequest> requests,
                                    Locked locked, Set<UUID> recorded, Instant now)
            throws SQLException {
        GroupDecision decision = new GroupDecision(locked, now);
        // The trial inserts record intermediate balances; they are undone and the applied entries
        // inserted again in one batch once each account's balance after the group is known.
        java.sql.Savepoint beforeTrials = connection.setSavepoint();
        for (UsageRequest request : requests) {
            UsageOutcome outcome = decision.decide(request, recorded);
            if (outcome == UsageOutcome.APPLIED) {
                List<NewEntry> entries = GroupDecision.entries(request, now);
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
    private List<UsageOutcome> write(Connection connection, GroupDecision decision, Instant now) throws SQLException {
        Map<UUID, long[]> sums = decision.changedSums();
        List<LedgerEntry> entries = decision.ledgerEntries();
        if (!sums.isEmpty()) {
            accounts.updateBalances(connection, sums, now);
            decision.locked.grants().spend(connection, entries); // grants (issue 12)
        }
        // Webhooks (issue 13): each account's outcome goes to the outbox in this same transaction.
        entries.forEach(entry -> decision.running.get(entry.accountId()).applied.add(entry));
        List<BillingEventSink.AccountUsage> decided = new ArrayList<>(decision.running.size());
        for (GroupDecision.Running totals : decision.running.values()) {
            decided.add(new BillingEventSink.AccountUsage(totals.account, totals.balance, totals.applied,
                    totals.refusedForCredits, totals.heldBefore, totals.held));
        }
        events.usageGroupDecided(connection, decided);
        return decision.outcomes;
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

    /**
     * What the group locked: its accounts, the holds it captures (as their callers know them, or
     * locked once a capture's guard missed: {@code holdsLocked}), the accounts' live holds' sums;
     * and the holds known to exist with the ids of the group's placements (none until a pass
     * finds a placement refused or the insert refuses one).
     */
    record Locked(Map<UUID, BillingAccount> accounts, Map<UUID, Hold> holds, boolean holdsLocked,
                  Map<UUID, Long> held, Instant now, Map<UUID, Hold> existingHolds, GrantBook grants) {
        Locked knowing(Map<UUID, Hold> existing) {
            return new Locked(accounts, holds, holdsLocked, held, now, existing, grants);
        }
    }
}
