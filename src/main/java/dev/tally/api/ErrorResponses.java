package dev.tally.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tally.storage.SqlStates;

import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one place that turns failures into replies: {@code {"code", "message", "details"}} with the
 * HTTP status of the code. Anything that is not a {@link TallyException} is a fault of ours: it is
 * logged in full and the caller gets a sentence without internals.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ErrorResponses() {}

    public static HttpResponse of(Throwable failure) {
        return reply(failure).toHttpResponse();
    }

    static JsonReply reply(Throwable failure) {
        TallyException answer = classify(failure);
        return new JsonReply(answer.code().httpStatus(), body(answer.code(), answer.getMessage()));
    }

    /**
     * What the caller is told about a failure, whatever the transport: its own TallyException, a
     * conflict or an outage it may retry (a timeout, a hand-off refused at shutdown, the database),
     * or "internal error" (logged here in full).
     */
    static TallyException classify(Throwable failure) {
        TallyException known = findTallyException(failure);
        if (known != null) {
            return known;
        }
        if (causedBy(failure, RequestTimeoutException.class)) {
            // The request outlived TALLY_REQUEST_TIMEOUT_MS before work below gave its own answer
            // (a statement waiting on a lock, a machine too loaded to schedule it): an outage the
            // caller retries, never a fault of its request. Its work may still commit.
            ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
            LOG.warn("Request timed out before it completed: {}", ctx == null ? "" : ctx.path());
            return new TallyException(ErrorCode.UNAVAILABLE,
                    "the request did not complete in time and may still take effect; retry it with the same id");
        }
        if (causedBy(failure, RejectedExecutionException.class)) {
            // The executors a request is handed to (its event loop, the blocking pool) refuse work
            // once they are shut down: the server is stopping, an outage the caller retries. A
            // deferred RPC's work may have committed before the hand-off that was refused.
            LOG.warn("A hand-off was refused: {}", failure.toString());
            return new TallyException(ErrorCode.UNAVAILABLE,
                    "the server is shutting down and the request may have taken effect; retry it with the same id");
        }
        Optional<SqlStates.Failure> storage = SqlStates.classify(failure);
        if (storage.isPresent()) {
            return switch (storage.get()) {
                case UNRESOLVED_CONFLICT ->
                        new TallyException(ErrorCode.ABORTED, "the request conflicted with concurrent ones; retry");
                case UNAVAILABLE -> {
                    LOG.warn("Database unavailable: {}", failure.toString());
                    yield new TallyException(ErrorCode.UNAVAILABLE, "the database is unavailable; retry");
                }
            };
        }
        LOG.error("Request failed unexpectedly", failure);
        return new TallyException(ErrorCode.INTERNAL, "internal error");
    }

    public static HttpResponse of(ErrorCode code, String message) {
        return of(HttpStatus.valueOf(code.httpStatus()), code, message);
    }

    public static HttpResponse of(HttpStatus status, ErrorCode code, String message) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, body(code, message));
    }

    public static String body(ErrorCode code, String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("code", code.grpcCode());
        node.put("message", message);
        node.putArray("details");
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body cannot be written", e);
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static TallyException findTallyException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TallyException tally) {
                return tally;
            }
        }
        return null;
    }
}
