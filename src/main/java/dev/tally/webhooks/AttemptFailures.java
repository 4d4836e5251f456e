package dev.tally.webhooks;

import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Why an attempt got no answer, in a sentence for the delivery log (no class names, no headers). */
final class AttemptFailures {
    private AttemptFailures() {}

    static String describe(Throwable failure, Duration timeout) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseTimeoutException || cause instanceof TimeoutException) {
                return "no answer within " + timeout.toMillis() + " ms";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host";
            }
            if (cause instanceof ConnectException) {
                return "could not connect";
            }
            if (cause == cause.getCause()) {
                break;
            }
        }
        return failure instanceof UnprocessedRequestException ? "could not send the request" : "the request failed";
    }
}
