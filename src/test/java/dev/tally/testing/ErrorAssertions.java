package dev.tally.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks an error reply against DESIGN §2: the one error shape {@code {"code", "message", "details": []}},
 * the HTTP status of its code, and no internals (exception names, stack frames, SQL, driver names).
 */
public final class ErrorAssertions {
    /** Words that only appear in a reply when internals leak into it. */
    public static final List<String> LEAK_MARKERS = List.of("Exception", "at dev.", "SQL", "org.h2", "postgresql");

    private ErrorAssertions() {}

    /** Asserts the status, the gRPC code and the shape; returns the message. */
    public static String assertError(Reply reply, int httpStatus, int grpcCode) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(httpStatus);
        assertErrorShape(reply);
        assertThat(reply.body().path("code").asInt()).as(reply.toString()).isEqualTo(grpcCode);
        return reply.text("message");
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
