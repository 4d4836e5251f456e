package dev.tally.billing.ledger;

import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.AccountSelector;
import dev.tally.common.Deadline;
import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.storage.Database;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Reporting usage (DESIGN §5): a request's usages debit the account all together or not at all.
 * The request is checked and its account resolved here; the write is group-committed by
 * {@link UsageWriter}.
 */
public final class UsageService {
    public static final int USAGES_PER_REQUEST_MAX = 1000;

    private final Database database;
    private final AccountResolver resolver;
    private final UsageWriter writer;

    public UsageService(Database database, AccountResolver resolver, UsageWriter writer) {
        this.database = database;
        this.resolver = resolver;
        this.writer = writer;
    }

    /**
     * Queues the usages for their group's commit and answers at once: the future completes when
     * the group has decided (failed with the refusal), or with a 503 at {@code deadline}, when the
     * request, if still queued, is never applied. A refusal of the request itself (its checks, its
     * account, a full lane) is thrown. Nothing waits here, so no thread is parked per request; the
     * future's dependents run on the thread that completes it, a lane or the deadline's timer.
     */
    public CompletableFuture<Void> report(Principal principal, AccountSelector selector, List<NewUsage> usages,
                                          Deadline deadline) {
        checkBatch(usages);
        UUID accountId = accountId(principal, selector);
        UsageRequest request = new UsageRequest(accountId, usages, principal.auditName(), deadline,
                new CompletableFuture<>());
        return submit(request).thenAccept(UsageOutcome::throwIfRefused);
    }

    /**
     * The id of the account a lane request is for: from the cache when it can be, else resolved
     * (and checked: 403, 404) in a read-only transaction. Whether the account is active is decided
     * by the lane, under the row lock.
     */
    UUID accountId(Principal principal, AccountSelector selector) {
        return resolver.cachedAccountId(principal, selector).orElseGet(() ->
                database.inTransaction(connection -> resolver.resolve(connection, principal, selector)).id());
    }

    /**
     * Queues the request (or refuses it at once, 503, when its lane is full) and answers its group's
     * outcome, or a 503 once its deadline passes: the one way into the usage lanes, for usage and for
     * holds' captures alike. The lane completes the request's own future exactly once; the caller's
     * deadline ends a stage of its own, so it never competes with the lane's answer.
     */
    CompletableFuture<UsageOutcome> submit(UsageRequest request) {
        return writer.submit(request).handle((outcome, failure) -> {
            if (failure == null) {
                return outcome;
            }
            throw asRuntime(failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure);
        });
    }

    private static RuntimeException asRuntime(Throwable failure) {
        if (failure instanceof TimeoutException) {
            // The group may still commit: the caller learns the outcome by retrying (a duplicate
            // id answers 409, an Idempotency-Key replays).
            return new TallyException(ErrorCode.UNAVAILABLE, "the usage could not be confirmed in time; retry");
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    private static void checkBatch(List<NewUsage> usages) {
        if (usages.isEmpty()) {
            throw TallyException.invalidArgument("usages: empty (expected: at least one usage)");
        }
        if (usages.size() > USAGES_PER_REQUEST_MAX) {
            throw TallyException.invalidArgument(
                    "usages: " + usages.size() + " (expected: at most " + USAGES_PER_REQUEST_MAX + ")");
        }
        Set<UUID> seen = new HashSet<>();
        long total = 0;
        for (NewUsage usage : usages) {
            if (!seen.add(usage.id())) {
                throw TallyException.invalidArgument(
                        "usages: id " + Text.quote(usage.id().toString()) + " appears twice in the request");
            }
            try {
                total = Math.addExact(total, usage.amount());
            } catch (ArithmeticException e) {
                // No balance can cover a total past int64.
                throw TallyException.invalidArgument("insufficient credits");
            }
        }
    }
}
