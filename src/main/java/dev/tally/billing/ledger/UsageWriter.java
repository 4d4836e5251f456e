package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.Deadline;
import dev.tally.billing.events.BillingEventSink;
import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;
import dev.tally.common.Times;
import dev.tally.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Group commit for usage. Each account belongs to one lane; a lane takes every request that
 * queued while its previous group was committing and applies them in one database transaction.
 * Under light load a group holds one request and adds no wait; under load, one commit (one
 * fsync, one row lock per account) serves many requests, which is what lifts a hot account past
 * the one-commit-per-request ceiling. Requests keep their own outcome (see {@link UsageGroup}).
 *
 * <p>The write path in one paragraph: {@link UsageService} checks a request and submits it here
 * with the caller's deadline; a lane whose queue is full refuses it at once (503, retry); the
 * caller's wait ends at its deadline ({@link DeadlineWatch}), with no thread parked on it. The lane
 * skips requests whose deadline passed while they queued (nothing applied), runs the group through
 * {@link Database#inTransaction} (the one place that decides retries), and completes each request
 * exactly once: with its outcome when the group committed, with the failure when it did not.
 */
public final class UsageWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);
    /** Bounds one transaction's size: five full 1,000-usage batches (a hold's placement is one row). */
    static final int GROUP_USAGES_MAX = 5_000;

    private final Database database;
    private final UsageGroup group;
    private final Clock clock;
    private final List<Lane> lanes = new ArrayList<>();
    private final DeadlineWatch deadlines = new DeadlineWatch();
    private volatile boolean closed;
    private volatile UsageLaneObserver observer = UsageLaneObserver.NONE;

    /**
     * @param laneCount          how many groups may commit at once
     * @param queueRequestsMax   how many requests may wait in one lane; more are refused with 503
     */
    public UsageWriter(Database database, BillingAccountRepository accounts, LedgerRepository ledger, Clock clock,
                       int laneCount, int queueRequestsMax) {
        this(database, accounts, ledger, clock, laneCount, queueRequestsMax, BillingEventSink.NONE);
    }

    /** As above, with the sink that billing events of each group go to (webhooks, issue 13). */
    public UsageWriter(Database database, BillingAccountRepository accounts, LedgerRepository ledger, Clock clock,
                       int laneCount, int queueRequestsMax, BillingEventSink events) {
        this.database = database;
        this.group = new UsageGroup(accounts, ledger, events, new HoldRepository()); // events: webhooks (issue 13)
        this.clock = clock;
        for (int index = 0; index < laneCount; index++) {
            Lane lane = new Lane(queueRequestsMax);
            Thread thread = new Thread(lane, "tally-usage-lane-" + index);
            thread.setDaemon(true);
            thread.start();
            lanes.add(lane);
        }
    }

    /**
     * Queues the request on its account's lane, or refuses it at once when that lane is full.
     * Answers a stage of the request's outcome that fails with a TimeoutException once the request's
     * deadline passes ({@link DeadlineWatch}); the lane completes the request itself exactly once.
     */
    CompletableFuture<UsageOutcome> submit(UsageRequest request) {
        if (closed) {
            throw new TallyException(ErrorCode.UNAVAILABLE, "the server is shutting down; retry");
        }
        if (!lanes.get(Math.floorMod(request.accountId().hashCode(), lanes.size())).queue.offer(request)) {
            throw new TallyException(ErrorCode.UNAVAILABLE, "too many usage requests are waiting; retry");
        }
        // Watched after queueing: a request its lane answered already gives an answered stage.
        return deadlines.answerByDeadline(request);
    }

    /** Requests waiting in every lane, not counting the groups being committed. */
    public int queuedRequests() {
        return lanes.stream().mapToInt(lane -> lane.queue.size()).sum();
    }

    /** Where the lanes report group sizes and commit times (metrics); none until set. */
    public void observe(UsageLaneObserver observer) {
        this.observer = observer;
    }

    /** Requests waiting in the lanes' queues now. */
    public int queueDepth() {
        return lanes.stream().mapToInt(lane -> lane.queue.size()).sum();
    }

    @Override
    public void close() {
        closed = true;
        deadlines.close();
        lanes.forEach(lane -> {
            lane.closed = true;
            // A full queue needs no wake-up: its lane is not waiting.
            lane.queue.offer(Lane.WAKE_UP);
        });
    }

    private List<UsageOutcome> applyGroup(List<UsageRequest> requests) {
        return database.inTransaction(connection -> {
            List<UsageOutcome> outcomes = group.apply(connection, requests, Times.now(clock));
            // Checked before the commit, so that a miscount applies nothing rather than answer
            // someone with another request's outcome.
            GroupOutcomes.requireOnePerRequest(requests, outcomes);
            return outcomes;
        });
    }

    private final class Lane implements Runnable {
        static final UsageRequest WAKE_UP = new UsageRequest(new UUID(0, 0), List.of(), "", new Deadline(0), null);
        final BlockingQueue<UsageRequest> queue;
        volatile boolean closed;

        Lane(int queueRequestsMax) {
            this.queue = new ArrayBlockingQueue<>(queueRequestsMax);
        }

        @Override
        public void run() {
            while (!closed) {
                List<UsageRequest> requests;
                try {
                    requests = takeGroup();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                serve(GroupOutcomes.withoutExpired(requests));
            }
            failQueued();
        }

        /**
         * Applies a group and answers each of its requests exactly once. A group that did not
         * commit fails every request with the failure: nothing of it was applied (or, when the
         * commit's answer was lost, the caller cannot know), and the caller's retry with the same
         * ids or Idempotency-Key settles it. The lane survives anything, Errors included: a dead
         * lane would leave its callers waiting until their deadline.
         */
        private void serve(List<UsageRequest> requests) {
            if (requests.isEmpty()) {
                return;
            }
            try {
                long startNanos = System.nanoTime();
                List<UsageOutcome> outcomes = applyGroup(requests);
                observer.groupApplied(requests.size(), System.nanoTime() - startNanos);
                GroupOutcomes.complete(requests, outcomes);
            } catch (Throwable failure) {
                if (!(failure instanceof TallyException)) {
                    LOG.warn("A usage group of {} requests failed", requests.size(), failure);
                }
                GroupOutcomes.fail(requests, failure);
            }
        }

        private void failQueued() {
            for (UsageRequest request = queue.poll(); request != null; request = queue.poll()) {
                if (request != WAKE_UP) {
                    request.outcome().completeExceptionally(
                            new TallyException(ErrorCode.UNAVAILABLE, "the server is shutting down; retry"));
                }
            }
        }

        private List<UsageRequest> takeGroup() throws InterruptedException {
            List<UsageRequest> requests = new ArrayList<>();
            UsageRequest first = queue.take();
            if (first == WAKE_UP) {
                return requests;
            }
            requests.add(first);
            int rows = first.rows();
            for (UsageRequest next = queue.peek(); next != null && next != WAKE_UP
                    && rows + next.rows() <= GROUP_USAGES_MAX; next = queue.peek()) {
                requests.add(queue.poll());
                rows += next.rows();
            }
            return requests;
        }
    }
}
