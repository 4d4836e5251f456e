package dev.tally.api;

import com.linecorp.armeria.common.logging.RequestLogProperty;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.common.Deadline;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of the request being served, from Armeria's request timeout (TALLY_REQUEST_TIMEOUT_MS,
 * or a gRPC client's shorter deadline). Work below stops waiting a little before it, so that the
 * caller gets Tally's own 503 rather than the transport's.
 */
final class RequestDeadlines {
    /** Time kept for writing Tally's own answer before the transport's timeout fires. */
    private static final Duration ANSWER_MARGIN_MAX = Duration.ofMillis(100);

    private RequestDeadlines() {}

    static Deadline ofCurrentRequest() {
        ServiceRequestContext ctx = ServiceRequestContext.current();
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(ctx.requestTimeoutMillis());
        if (timeoutNanos == 0) {
            // No timeout at all (an operator's choice): wait as long as a day, not forever.
            return Deadline.after(Duration.ofDays(1));
        }
        long startNanos = ctx.log().ensureAvailable(RequestLogProperty.REQUEST_START_TIME).requestStartTimeNanos();
        long marginNanos = Math.min(ANSWER_MARGIN_MAX.toNanos(), timeoutNanos / 10);
        return new Deadline(startNanos + timeoutNanos - marginNanos);
    }
}
