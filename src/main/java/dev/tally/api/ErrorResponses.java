package dev.tally.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

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
     * conflict or an outage it may retry, or "internal error" (logged here in full).
     */
    static TallyException classify(Throwable failure) {
        TallyException known = findTallyException(failure);
        if (known != null) {
            return known;
        }
        if (isUnresolvedConflict(failure)) {
            return new TallyException(ErrorCode.ABORTED, "the request conflicted with concurrent ones; retry");
        }
        if (isDatabaseUnavailable(failure)) {
            LOG.warn("Database unavailable: {}", failure.toString());
            return new TallyException(ErrorCode.UNAVAILABLE, "the database is unavailable; retry");
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

    /**
     * Lost or refused database connections (SQLSTATE class 08, the 57P admin-shutdown codes, or no
     * pooled connection in time): the request may be retried, so the caller gets UNAVAILABLE.
     */
    private static boolean isDatabaseUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /** A serialization failure or deadlock that outlasted the retries: nothing was applied. */
    private static boolean isUnresolvedConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("40001".equals(sql.getSQLState())
                    || "40P01".equals(sql.getSQLState()))) {
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
