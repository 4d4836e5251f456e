package dev.tally.common;

import java.util.Optional;

/**
 * The gRPC status codes Tally answers with, and the HTTP status each maps to on the REST
 * surface. The mapping follows Frontier's gateway so its clients see the same statuses.
 */
public enum ErrorCode {
    INVALID_ARGUMENT(3, 400),
    FAILED_PRECONDITION(9, 400),
    OUT_OF_RANGE(11, 400),
    UNAUTHENTICATED(16, 401),
    PERMISSION_DENIED(7, 403),
    NOT_FOUND(5, 404),
    ALREADY_EXISTS(6, 409),
    ABORTED(10, 409),
    RESOURCE_EXHAUSTED(8, 429),
    UNIMPLEMENTED(12, 501),
    INTERNAL(13, 500),
    UNAVAILABLE(14, 503);

    private final int grpcCode;
    private final int httpStatus;

    ErrorCode(int grpcCode, int httpStatus) {
        this.grpcCode = grpcCode;
        this.httpStatus = httpStatus;
    }

    /** The code with this gRPC number, if Tally uses it. */
    public static Optional<ErrorCode> fromGrpcCode(int grpcCode) {
        for (ErrorCode code : values()) {
            if (code.grpcCode == grpcCode) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }

    public int grpcCode() {
        return grpcCode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
