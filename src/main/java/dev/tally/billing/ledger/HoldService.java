package dev.tally.billing.ledger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.billing.events.BillingEventSink;
import dev.tally.common.Deadline;
import dev.tally.common.Ids;
import dev.tally.common.Metadata;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.common.Times;
import dev.tally.storage.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Holds (DESIGN §12): reserve credits, then capture what was used or release the rest. Creating a
 * hold and capturing one go through the usage lanes' group commit ({@link UsageService#submit}; no
 * thread waits for it, the reply is a future: ADR 0014), decided by {@link UsageGroup} beside the
 * account's usages: a placement against the running available balance under the account's lock, a
 * capture (a usage debit) under the hold's lock. A hot account so keeps one commit for many of its
 * holds, captures and usages. Releasing runs in its own transaction under the hold's lock only; the
 * sweeper marks expired holds and writes their hold.expired event in the same transaction.
 */
public final class HoldService {
    public static final int PAGE_SIZE_DEFAULT = 100;
    public static final int PAGE_SIZE_MAX = 1000;

    private final Database database;
    private final AccountResolver resolver;
    private final HoldRepository holds;
    private final LedgerRepository ledger;
    private final UsageService usages;
    private final BillingAccountRepository accounts;
    private final BillingEventSink events;
    private final Clock clock;
    private final GrantRepository grants;
    /**
     * Holds this process placed or read and has not yet seen end, by id, for what a capture needs
     * before its group: the hold's account, amount and debit fields, none of which ever change once
     * the hold is stored. Its state may be stale (a release or the sweeper elsewhere): the group
     * decides from it and its guarded UPDATE judges, deciding again with the hold locked when another
     * writer won. Without it every capture cost its own transaction ahead of the group, the largest
     * item of a capture's CPU. A hold this process captured or released leaves it: a hold is captured
     * once, so keeping it would only grow the map to its bound (resizing, then evicting on every
     * placement: issue 11's profile); a repeat of that capture or release reads the row instead.
     * So does a hold a capture finds ended by another writer (another process's capture or release,
     * or expiry), and a repeated placement of a hold that has ended is not kept.
     */
    private final Cache<UUID, Hold> known = Caffeine.newBuilder().maximumSize(100_000).build();

    public HoldService(Database database, AccountResolver resolver, HoldRepository holds, LedgerRepository ledger,
                       UsageService usages, BillingAccountRepository accounts, BillingEventSink events, Clock clock) {
        this.database = database;
        this.grants = new GrantRepository(database.batchWrites());
        this.resolver = resolver;
        this.holds = holds;
        this.ledger = ledger;
        this.usages = usages;
        this.accounts = accounts;
        this.events = events;
        this.clock = clock;
    }

    /** A capture's answer: the hold as captured, and its debit unless it captured 0. */
    public record Capture(Hold hold, Optional<LedgerEntry> transaction) {}

    /** A page of holds and the token of the next, empty on the last. */
    public record Page(List<Hold> holds, String nextPageToken) {}

    /** An account with the credits its live holds reserve: available = balance - held. */
    public record Balance(BillingAccount account, long held) {
        public long available() {
            // Saturated, never wrapped, for a balance and holds near int64's ends.
            long difference = account.balance() - held;
            return ((account.balance() ^ held) & (account.balance() ^ difference)) < 0
                    ? (held > 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : difference;
        }
    }

    /**
     * Places the hold, or answers the one recorded with its id (same account and amount; else 409).
     * The account is resolved as for usage (cached when it can be); the lane decides the rest under
     * the account's lock. Nothing waits for the group (as {@link UsageService#report}): a refusal
     * known at once (checks, 403/404, a full lane) is thrown; the future answers the committed hold,
     * fails with the group's refusal, or with a 503 at {@code deadline}.
     *
     * @param later where the step after the commit runs (memory only: the transport's event loop),
     *              never the lane, which goes on to its next group
     */
    public CompletableFuture<Hold> create(Principal principal, AccountSelector selector, NewHold request,
                                          Deadline deadline, Executor later) {
        UUID accountId = usages.accountId(principal, selector);
        return usages.submit(UsageRequest.placing(accountId, request, principal.auditName(), deadline))
                .thenApplyAsync(this::placed, later);
    }

    private Hold placed(UsageOutcome outcome) {
        outcome.throwIfRefused();
        // Committed: its unchanging fields can serve the capture that follows (see `known`), if it is
        // still live (a repeat of the placement answers the hold as it is now). Kept before the reply
        // is written, so the caller's next capture finds it.
        if (outcome.hold().storedState() == HoldState.HELD) {
            known.put(outcome.hold().id(), outcome.hold());
        }
        return outcome.hold();
    }

    /**
     * Captures {@code amount} (absent: all) of the hold as the usage {@code usageId} (empty: the
     * hold's id). Bad input is refused before anything is queued, and thrown, as are the hold's
     * 404 and a full lane; the rest is answered by the future, as for {@link #create}.
     *
     * @param later    where the step after the commit runs (memory only: the transport's event loop)
     * @param blocking where a repeated capture reads its recorded row (JDBC: never the lane nor the loop)
     */
    public CompletableFuture<Capture> capture(Principal principal, AccountSelector selector, String holdId,
                                              OptionalLong amount, String usageId, String description,
                                              Metadata metadata, Deadline deadline, Executor later,
                                              Executor blocking) {
        UUID id = Ids.parse("id", holdId);
        UUID debitId = usageId.isEmpty() ? id : Ids.parse("usage_id", usageId);
        String checkedDescription = Text.checkLength("description", description);
        if (amount.isPresent() && amount.getAsLong() < 0) {
            throw TallyException.invalidArgument("amount: " + amount.getAsLong() + " (expected: >= 0)");
        }
        // The account as usage resolves it (cached when it can be): a capture's one read before its group.
        UUID accountId = usages.accountId(principal, selector);
        Hold hold = knownHold(id)
                .filter(found -> found.accountId().equals(accountId))
                .orElseThrow(() -> holdNotFound(id));
        long captured = amount.orElse(hold.amount());
        if (captured > hold.amount()) {
            throw TallyException.invalidArgument(
                    "amount: " + captured + " (expected: at most the hold's amount, " + hold.amount() + ")");
        }
        List<NewUsage> debit = captured == 0 ? List.of() : List.of(new NewUsage(debitId, captured, hold.source(),
                checkedDescription.isEmpty() ? hold.description() : checkedDescription, hold.userId(),
                metadata.json().equals(Metadata.EMPTY.json()) ? hold.metadata() : metadata));
        UsageRequest request = new UsageRequest(hold.accountId(), debit, principal.auditName(), deadline,
                new CompletableFuture<>(), Optional.of(new UsageRequest.HoldCapture(id, captured, debitId, hold)));
        return usages.submit(request).thenComposeAsync(outcome -> captured(id, outcome, blocking), later);
    }

    /** After a capture's group: its answer, or (a repeat) the row as recorded, read on {@code blocking}. */
    private CompletableFuture<Capture> captured(UUID id, UsageOutcome outcome, Executor blocking) {
        if (outcome.showsHoldEnded()) {
            // Terminal, by this capture or any writer before it: a repeat is rare and reads the row (see `known`).
            known.invalidate(id);
        }
        outcome.throwIfRefused();
        if (outcome.hold() != null) {
            return CompletableFuture.completedFuture(new Capture(outcome.hold(), Optional.ofNullable(outcome.debit())));
        }
        // A repeat of a capture: answered as recorded.
        return CompletableFuture.supplyAsync(() -> database.inTransaction(connection -> {
            Hold after = holds.find(connection, id).orElseThrow();
            Optional<LedgerEntry> entry = after.capturedAmount().orElse(0) == 0 ? Optional.empty()
                    : ledger.findById(connection, after.usageId().orElseThrow());
            return new Capture(after, entry);
        }), blocking);
    }

    /** How many holds this process keeps in memory for their captures (see {@code known}); for tests. */
    long knownHoldCount() {
        known.cleanUp();
        return known.estimatedSize();
    }

    /** The hold's unchanging fields: from this process's memory when it has them, else read. */
    private Optional<Hold> knownHold(UUID id) {
        Hold cached = known.getIfPresent(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Hold> read = database.inTransaction(connection -> holds.find(connection, id));
        // Only a live hold is kept: one that has ended (a repeat of its capture) is answered from the row.
        read.filter(found -> found.storedState() == HoldState.HELD).ifPresent(found -> known.put(id, found));
        return read;
    }

    /** Releases a live hold; a released one answers the same; a captured or expired one is a 400. */
    public Hold release(Principal principal, AccountSelector selector, String holdId) {
        UUID id = Ids.parse("id", holdId);
        return database.inTransaction(connection -> {
            owned(connection, principal, selector, id);
            Hold hold = holds.lock(connection, id).orElseThrow();
            Instant now = Times.now(clock);
            switch (hold.stateAt(now)) {
                case HELD -> {
                    if (!holds.finish(connection, id, HoldState.RELEASED, OptionalLong.empty(), Optional.empty(),
                            now)) {
                        throw new IllegalStateException("a locked live hold could not be released: " + id);
                    }
                    // Before the commit: a capture that still finds it in memory is refused by its guard.
                    known.invalidate(id);
                    return holds.find(connection, id).orElseThrow();
                }
                case RELEASED -> {
                    return hold;
                }
                case CAPTURED -> throw TallyException.failedPrecondition("hold is captured");
                default -> throw TallyException.failedPrecondition("hold is expired");
            }
        });
    }

    public Hold get(Principal principal, AccountSelector selector, String holdId) {
        UUID id = Ids.parse("id", holdId);
        return database.inTransaction(connection -> owned(connection, principal, selector, id))
                .asSeenAt(Times.now(clock));
    }

    public Page list(Principal principal, AccountSelector selector, String state, int pageSize, String pageToken) {
        Optional<HoldState> wanted = state.isEmpty() ? Optional.empty() : Optional.of(HoldState.fromWireName(state)
                .orElseThrow(() -> TallyException.invalidArgument("state: " + Text.quote(state)
                        + " (expected: held, captured, released or expired)")));
        if (pageSize < 0 || pageSize > PAGE_SIZE_MAX) {
            throw TallyException.invalidArgument("page_size: " + pageSize + " (expected: 1 to " + PAGE_SIZE_MAX
                    + ", or 0 for " + PAGE_SIZE_DEFAULT + ")");
        }
        int size = pageSize == 0 ? PAGE_SIZE_DEFAULT : pageSize;
        return database.inTransaction(connection -> {
            BillingAccount account = resolver.resolve(connection, principal, selector);
            Optional<HoldPageToken> after = pageToken.isEmpty() ? Optional.empty()
                    : Optional.of(HoldPageToken.decode(pageToken, account.id()));
            Instant now = Times.now(clock);
            List<Hold> page = holds.page(connection, account.id(), wanted, now, after, size + 1);
            String next = "";
            if (page.size() > size) {
                page = page.subList(0, size);
                Hold last = page.get(size - 1);
                next = new HoldPageToken(account.id(), last.createdAt(), last.id()).encode();
            }
            return new Page(page.stream().map(hold -> hold.asSeenAt(now)).toList(), next);
        });
    }

    /** The account with its held credits, as GetBillingBalance answers. */
    public Balance balance(Principal principal, AccountSelector selector) {
        return database.inTransaction(connection -> {
            BillingAccount account = resolver.resolve(connection, principal, selector);
            Instant now = Times.now(clock);
            // Grants (issue 12): an expired remainder is out of the balance before its entry is written.
            long expired = grants.unspendable(connection, account.id(), now);
            return new Balance(account.withBalance(account.balance() - expired), holds.heldSum(connection, account.id(),
                    now));
        });
    }

    /** Whether a debit of {@code amount} would succeed now on the organization's default account. */
    public boolean hasCredit(Principal principal, String orgIdOrName, long amount) {
        if (amount < 0) {
            throw TallyException.invalidArgument("amount: " + amount + " (expected: >= 0)");
        }
        Balance balance = balance(principal, AccountSelector.of(orgIdOrName, ""));
        return balance.account().isActive() && balance.account().allowsDebit(amount, balance.held());
    }

    /**
     * One sweep: marks up to {@code limit} holds past expires_at expired, each with its hold.expired
     * event in the same transaction (DESIGN §14); returns how many.
     */
    public int expireDue(int limit) {
        return database.inTransaction(connection -> {
            List<Hold> expired = holds.expire(connection, Times.now(clock), limit);
            Map<UUID, BillingAccount> owners = new HashMap<>();
            for (Hold hold : expired) {
                BillingAccount owner = owners.get(hold.accountId());
                if (owner == null) {
                    owner = accounts.findById(connection, hold.accountId()).orElseThrow();
                    owners.put(owner.id(), owner);
                }
                events.holdExpired(connection, owner, hold);
            }
            return expired.size();
        });
    }

    /**
     * The hold, if it is on the account the selector names: an unknown hold and another account's
     * hold are the same 404. The account's resolution refuses another organization (403).
     */
    private Hold owned(Connection connection, Principal principal, AccountSelector selector, UUID id)
            throws SQLException {
        BillingAccount account = resolver.resolve(connection, principal, selector);
        return holds.find(connection, id)
                .filter(hold -> hold.accountId().equals(account.id()))
                .orElseThrow(() -> holdNotFound(id));
    }

    private static TallyException holdNotFound(UUID id) {
        return TallyException.notFound("hold " + Text.quote(id.toString()) + " not found");
    }
}
