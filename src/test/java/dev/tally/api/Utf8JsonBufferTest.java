package dev.tally.api;

import com.linecorp.armeria.common.HttpData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The buffer hands its own array to the reply: exactly what was written, and nothing after. */
class Utf8JsonBufferTest {
    @Test
    void theReplyHoldsExactlyTheBytesWrittenThoughTheArrayIsLarger() {
        Utf8JsonBuffer buffer = new Utf8JsonBuffer(64);
        buffer.ascii('{').ascii("\"a\":").string("ü\"").ascii('}');

        HttpData reply = buffer.toHttpData();

        byte[] expected = "{\"a\":\"ü\\\"\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(reply.length()).isEqualTo(expected.length).isLessThan(64);
        assertThat(reply.array()).isEqualTo(expected);
    }

    @Test
    void aWriteAfterTheReplyWasTakenFailsRatherThanChangingIt() {
        Utf8JsonBuffer buffer = new Utf8JsonBuffer(64);
        buffer.ascii("{}");
        HttpData reply = buffer.toHttpData();

        assertThatThrownBy(() -> buffer.ascii(',')).isInstanceOf(NullPointerException.class);
        assertThat(reply.toStringUtf8()).isEqualTo("{}");
    }
}
