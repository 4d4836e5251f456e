package dev.tally.transport;

import com.google.protobuf.Message;
import dev.tally.common.ErrorCode;

import java.util.Optional;

/**
 * How a call ended, as its client saw it, in the same terms whatever the transport: the response,
 * or the error's code and message; the HTTP status; whether the server said it replayed the answer.
 */
record Outcome(Optional<Message> response, Optional<ErrorCode> error, String message, int httpStatus,
               boolean replayed, String raw) {

    static Outcome answered(Message response, int httpStatus, boolean replayed) {
        return new Outcome(Optional.of(response), Optional.empty(), "", httpStatus, replayed, response.toString());
    }

    static Outcome refused(ErrorCode code, String message, int httpStatus, boolean replayed, String raw) {
        return new Outcome(Optional.empty(), Optional.of(code), message, httpStatus, replayed, raw);
    }

    @SuppressWarnings("unchecked")
    <R extends Message> R responseAs(Class<R> type) {
        return (R) response.orElseThrow(() -> new AssertionError("expected an answer, got " + this));
    }

    @Override
    public String toString() {
        return error.map(code -> code + " \"" + message + "\"").orElse("answered") + " (HTTP " + httpStatus
                + (replayed ? ", replayed" : "") + "): " + raw;
    }
}
