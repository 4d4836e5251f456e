package dev.tally.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks an error reply against DESIGN §2: the one error shape {@code {"code", "message", "details": []}},
 * the HTTP status of its code, and no internals (exception names, stack frames, SQL, driver names).
 */
public final class ErrorAssertions {
    /** Words that only appear in a reply when internals leak into it. */
    public static final List<String> LEAK_MARKERS = List.of("Exception", "at dev.", "SQL", "org.h2", "postgresql",
            "violates", "duplicate key", "character varying", "constraint \"", "ERROR:");

    /** The HTTP status of each gRPC code, by the table of DESIGN §2. */
    private static final Map<Integer, Integer> HTTP_STATUS_OF_CODE = Map.ofEntries(Map.entry(3, 400),
            Map.entry(9, 400), Map.entry(11, 400), Map.entry(16, 401), Map.entry(7, 403), Map.entry(5, 404),
            Map.entry(6, 409), Map.entry(10, 409), Map.entry(8, 429), Map.entry(12, 501), Map.entry(13, 500),
            Map.entry(14, 503));

    private ErrorAssertions() {}

    /**
     * Asserts the status, the shape, and a gRPC code whose HTTP status by the table of DESIGN §2 is
     * {@code httpStatus} (any such code); returns the message.
     */
    public static String assertError(Reply reply, int httpStatus) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(httpStatus);
        assertErrorShape(reply);
        assertThat(HTTP_STATUS_OF_CODE.get(reply.body().path("code").asInt())).as(reply.toString())
                .isEqualTo(httpStatus);
        return reply.text("message");
    }

    /** Asserts the status, the gRPC code (which must map to that status) and the shape; returns the message. */
    public static String assertError(Reply reply, int httpStatus, int grpcCode) {
        String message = assertError(reply, httpStatus);
        assertThat(reply.body().path("code").asInt()).as(reply.toString()).isEqualTo(grpcCode);
        return message;
    }

    /** {@link #assertError(Reply, int, int)}, and the message is exactly {@code message}. */
    public static void assertError(Reply reply, int httpStatus, int grpcCode, String message) {
        assertThat(assertError(reply, httpStatus, grpcCode)).as(reply.toString()).isEqualTo(message);
    }

    /** Asserts the shape and that nothing internal leaks, whatever the status. */
    public static void assertErrorShape(Reply reply) {
        JsonNode body = reply.body();
        assertThat(body.isObject()).as("error body is a JSON object: " + reply).isTrue();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as(reply.toString()).containsExactlyInAnyOrder("code", "message", "details");
        assertThat(body.path("code").isInt()).as(reply.toString()).isTrue();
        assertThat(body.path("message").isTextual()).as(reply.toString()).isTrue();
        assertThat(body.path("message").asText()).as(reply.toString()).isNotBlank();
        assertThat(body.path("details").isArray()).as(reply.toString()).isTrue();
        assertThat(body.path("details").size()).as(reply.toString()).isZero();
        assertNoLeak(reply);
    }

    public static void assertNoLeak(Reply reply) {
        for (String marker : LEAK_MARKERS) {
            assertThat(reply.rawBody()).as("reply leaks " + marker + ": " + reply).doesNotContain(marker);
        }
    }
}
