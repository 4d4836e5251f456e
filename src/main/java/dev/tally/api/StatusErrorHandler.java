package dev.tally.api;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.common.ErrorCode;

/**
 * Gives the replies Armeria itself produces (unknown path, wrong method, oversized body, bad
 * HTTP) the same error shape as every other error.
 */
final class StatusErrorHandler implements ServerErrorHandler {

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        // Armeria reports protocol-level refusals (such as a body over the size limit, found while
        // reading it) as HttpStatusException; they are the caller's, not a server fault.
        if (cause instanceof HttpStatusException status) {
            return render(status.httpStatus()).toHttpResponse();
        }
        return ErrorResponses.of(cause);
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
                                               HttpStatus status, String description, Throwable cause) {
        return render(status);
    }

    @Override
    public AggregatedHttpResponse onProtocolViolation(ServiceConfig config, RequestHeaders headers, HttpStatus status,
                                                      String description, Throwable cause) {
        return render(status);
    }

    private static AggregatedHttpResponse render(HttpStatus status) {
        ErrorCode code;
        String message;
        HttpStatus replyStatus = status;
        switch (status.code()) {
            case 404 -> {
                code = ErrorCode.NOT_FOUND;
                message = "no such path";
            }
            case 405 -> {
                code = ErrorCode.UNIMPLEMENTED;
                message = "method not allowed on this path";
            }
            case 431 -> {
                code = ErrorCode.INVALID_ARGUMENT;
                message = "request headers too large";
                replyStatus = HttpStatus.BAD_REQUEST;
            }
            case 413 -> {
                code = ErrorCode.INVALID_ARGUMENT;
                message = "request body too large";
                replyStatus = HttpStatus.BAD_REQUEST;
            }
            case 503 -> {
                code = ErrorCode.UNAVAILABLE;
                message = "service unavailable";
            }
            default -> {
                if (status.code() >= 500) {
                    code = ErrorCode.INTERNAL;
                    message = "internal error";
                } else {
                    code = ErrorCode.INVALID_ARGUMENT;
                    message = "bad request";
                    replyStatus = HttpStatus.BAD_REQUEST;
                }
            }
        }
        return AggregatedHttpResponse.of(replyStatus, MediaType.JSON_UTF_8, ErrorResponses.body(code, message));
    }
}
