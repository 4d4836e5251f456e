package dev.tally.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.tally.common.ErrorCode;

import java.util.Locale;

/**
 * Errors as the Connect protocol writes them: {@code {"code": "not_found", "message": …}} in JSON,
 * whatever the request's encoding, with the HTTP status Connect assigns to each code (so a
 * Connect client that reads only the status still gets the right code).
 */
final class ConnectErrors {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConnectErrors() {}

    /** Connect's name of a code: the gRPC name in lower snake case. */
    static String name(ErrorCode code) {
        return code.name().toLowerCase(Locale.ROOT);
    }

    /** Connect's HTTP status of a code; it differs from the REST gateway's for none Tally uses. */
    static int httpStatus(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case INTERNAL -> 500;
            case UNAVAILABLE -> 503;
        };
    }

    static HttpResponse of(ErrorCode code, String message, boolean replayed) {
        return response(httpStatus(code), name(code), message, replayed);
    }

    /** The caller's deadline (Connect-Timeout-Ms) passed before the answer was ready. */
    static HttpResponse deadlineExceeded() {
        return response(504, "deadline_exceeded", "the deadline of Connect-Timeout-Ms passed", false);
    }

    private static HttpResponse response(int status, String code, String message, boolean replayed) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("code", code);
        body.put("message", message);
        ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.valueOf(status))
                .contentType(MediaType.JSON_UTF_8);
        if (replayed) {
            headers.set("Idempotent-Replayed", "true");
        }
        try {
            return HttpResponse.of(headers.build(), HttpData.ofUtf8(MAPPER.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body cannot be written", e);
        }
    }
}
