package dev.tally.common;

/**
 * A request that cannot be served, with the code the caller sees and a message written for the
 * caller. The message must never carry SQL, class names or stack traces: it is sent as is.
 */
public final class TallyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public TallyException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static TallyException invalidArgument(String message) {
        return new TallyException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static TallyException failedPrecondition(String message) {
        return new TallyException(ErrorCode.FAILED_PRECONDITION, message);
    }

    public static TallyException notFound(String message) {
        return new TallyException(ErrorCode.NOT_FOUND, message);
    }

    public static TallyException alreadyExists(String message) {
        return new TallyException(ErrorCode.ALREADY_EXISTS, message);
    }

    public static TallyException permissionDenied(String message) {
        return new TallyException(ErrorCode.PERMISSION_DENIED, message);
    }

    public static TallyException unauthenticated(String message) {
        return new TallyException(ErrorCode.UNAUTHENTICATED, message);
    }
}
