package dev.tally.api;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.MediaType;

import java.util.Optional;

/** The request and response encodings of a Connect unary call, by Content-Type. */
enum ConnectEncoding {
    /** {@code application/json}: protojson, as Connect and unframed callers send it. */
    JSON(MediaType.JSON_UTF_8, false),
    /** {@code application/proto}: Connect's binary encoding (the default of connect-node and Connect-Go). */
    PROTO(MediaType.create("application", "proto"), true),
    /** {@code application/protobuf} and {@code application/x-protobuf}: Armeria's unframed binary form. */
    UNFRAMED_PROTO(MediaType.PROTOBUF, false);

    private final MediaType mediaType;
    private final boolean connectOnly;

    ConnectEncoding(MediaType mediaType, boolean connectOnly) {
        this.mediaType = mediaType;
        this.connectOnly = connectOnly;
    }

    static Optional<ConnectEncoding> of(MediaType contentType) {
        if (contentType == null || !contentType.type().equals("application")) {
            return Optional.empty();
        }
        return switch (contentType.subtype()) {
            case "json" -> Optional.of(JSON);
            case "proto" -> Optional.of(PROTO);
            case "protobuf", "x-protobuf" -> Optional.of(UNFRAMED_PROTO);
            default -> Optional.empty();
        };
    }

    MediaType mediaType() {
        return mediaType;
    }

    /** Whether only Connect callers use this encoding (so its errors are Connect's even without the version header). */
    boolean connectOnly() {
        return connectOnly;
    }

    boolean isJson() {
        return this == JSON;
    }

    HttpData write(Answer answer) {
        return isJson() ? answer.json() : HttpData.wrap(answer.message().toByteArray());
    }
}
