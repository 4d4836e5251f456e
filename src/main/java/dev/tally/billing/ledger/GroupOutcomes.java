package dev.tally.billing.ledger;

import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;

import java.util.ArrayList;
import java.util.List;

/**
 * How a lane answers the requests of a group: each exactly once, never one with another's outcome,
 * none left waiting.
 */
final class GroupOutcomes {
    private GroupOutcomes() {}

    /** Fails the group's transaction (so nothing commits) unless there is one outcome per request. */
    static void requireOnePerRequest(List<UsageRequest> requests, List<UsageOutcome> outcomes) {
        if (outcomes.size() != requests.size()) {
            throw new IllegalStateException("a usage group of " + requests.size() + " requests decided "
                    + outcomes.size() + " outcomes");
        }
    }

    /** Completes each request with its outcome; a request answered already is a bug, reported as one. */
    static void complete(List<UsageRequest> requests, List<UsageOutcome> outcomes) {
        requireOnePerRequest(requests, outcomes);
        List<Integer> answeredBefore = new ArrayList<>();
        for (int index = 0; index < requests.size(); index++) {
            if (!requests.get(index).outcome().complete(outcomes.get(index))) {
                answeredBefore.add(index);
            }
        }
        if (!answeredBefore.isEmpty()) {
            throw new IllegalStateException("usage requests at " + answeredBefore + " of a group were answered twice");
        }
    }

    /** Fails every request of the group not answered yet. */
    static void fail(List<UsageRequest> requests, Throwable failure) {
        requests.forEach(request -> request.outcome().completeExceptionally(failure));
    }

    /**
     * The requests whose caller still waits; the others are answered here, having applied nothing
     * (their caller already stopped waiting and was told to retry).
     */
    static List<UsageRequest> withoutExpired(List<UsageRequest> requests) {
        List<UsageRequest> live = new ArrayList<>(requests.size());
        for (UsageRequest request : requests) {
            if (request.deadline().hasPassed()) {
                request.outcome().completeExceptionally(new TallyException(ErrorCode.UNAVAILABLE,
                        "the request's deadline passed before its usage was applied; nothing was applied, retry"));
            } else {
                live.add(request);
            }
        }
        return live;
    }
}
