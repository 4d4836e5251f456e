package dev.tally.common;

import java.time.Duration;

/**
 * The moment by which a request must be answered, on the monotonic clock ({@link System#nanoTime}).
 * The HTTP layer sets it from the request's timeout ({@code TALLY_REQUEST_TIMEOUT_MS}, or a gRPC
 * client's deadline); work further down stops waiting when it passes, so that the caller gets
 * Tally's own answer before the transport gives up.
 */
public record Deadline(long nanoTime) {

    public static Deadline after(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    /** Time left, zero once the deadline has passed. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, nanoTime - System.nanoTime()));
    }

    public boolean hasPassed() {
        return nanoTime - System.nanoTime() <= 0;
    }
}
