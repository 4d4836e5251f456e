package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccountRepository;
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
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit for usage. Each account belongs to one lane; a lane takes every request that
 * queued while its previous group was committing and applies them in one database transaction.
 * Under light load a group holds one request and adds no wait; under load, one commit (one
 * fsync, one row lock per account) serves many requests, which is what lifts a hot account past
 * the one-commit-per-request ceiling. Requests keep their own outcome (see {@link UsageGroup}).
 */
public final class UsageWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);
    /** Bounds one transaction's size: five full 1,000-usage batches. */
    static final int GROUP_USAGES_MAX = 5_000;

    private final Database database;
    private final UsageGroup group;
    private final Clock clock;
    private final List<Lane> lanes = new ArrayList<>();
    private volatile UsageLaneObserver observer = UsageLaneObserver.NONE;

    public UsageWriter(Database database, BillingAccountRepository accounts, LedgerRepository ledger, Clock clock,
                       int laneCount) {
        this.database = database;
        this.group = new UsageGroup(accounts, ledger);
        this.clock = clock;
        for (int index = 0; index < laneCount; index++) {
            Lane lane = new Lane();
            Thread thread = new Thread(lane, "tally-usage-lane-" + index);
            thread.setDaemon(true);
            thread.start();
            lanes.add(lane);
        }
    }

    void submit(UsageRequest request) {
        lanes.get(Math.floorMod(request.accountId().hashCode(), lanes.size())).queue.add(request);
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
        lanes.forEach(lane -> lane.closed = true);
        lanes.forEach(lane -> lane.queue.add(Lane.WAKE_UP));
    }

    private List<UsageOutcome> applyGroup(List<UsageRequest> requests) {
        return database.inTransaction(connection -> group.apply(connection, requests, Times.now(clock)));
    }

    private final class Lane implements Runnable {
        static final UsageRequest WAKE_UP = new UsageRequest(new UUID(0, 0), List.of(), "", null);
        final LinkedBlockingQueue<UsageRequest> queue = new LinkedBlockingQueue<>();
        volatile boolean closed;

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
                if (!requests.isEmpty()) {
                    serve(requests);
                }
            }
            failQueued();
        }

        /**
         * Applies a group and answers each request. When the group fails for a reason that is not
         * a business outcome (a value the database refused, a lost connection), it is retried one
         * request at a time, so that one request's failure cannot fail its neighbours. The lane
         * survives anything, Errors included: a dead lane would leave its callers waiting forever.
         */
        private void serve(List<UsageRequest> requests) {
            try {
                long startNanos = System.nanoTime();
                List<UsageOutcome> outcomes = applyGroup(requests);
                observer.groupApplied(requests.size(), System.nanoTime() - startNanos);
                for (int index = 0; index < requests.size(); index++) {
                    requests.get(index).outcome().complete(outcomes.get(index));
                }
            } catch (Throwable failure) {
                if (requests.size() > 1) {
                    requests.forEach(request -> serve(List.of(request)));
                    return;
                }
                if (!(failure instanceof TallyException)) {
                    LOG.warn("A usage request failed", failure);
                }
                requests.get(0).outcome().completeExceptionally(failure);
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
            int usages = first.usages().size();
            for (UsageRequest next = queue.peek(); next != null && next != WAKE_UP
                    && usages + next.usages().size() <= GROUP_USAGES_MAX; next = queue.peek()) {
                requests.add(queue.poll());
                usages += next.usages().size();
            }
            return requests;
        }
    }
}
