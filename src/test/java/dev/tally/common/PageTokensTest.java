package dev.tally.common;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PageTokensTest {
    private static final PageTokens.Binding BINDING = new PageTokens.Binding(
            UUID.fromString("09e7d4d3-9a43-4b7e-ab95-2f312db2c4bc"), "issued for another billing account",
            "1970-01-01T00:00:00Z|9999-12-31T23:59:59Z||", "issued for other values");
    private static final PageCursor CURSOR = new PageCursor(Instant.parse("2026-12-03T12:15:54.218387Z"),
            UUID.fromString("b78bde9e-28d0-4473-bf4f-b2e315296075"));
    /** What the first release of this format encoded for BINDING and CURSOR: tokens already issued stay valid. */
    private static final String ISSUED = "AQnn1NOaQ0t-q5UvMS2yxLwABmG5uJonk7eL3p4o0ERzv0-y4xUpYHUgEUUVbKG7TlkNjBH3CpdU";

    @Test
    void aTokenIsTheBytesTokensWereAlwaysIssuedAs() {
        assertThat(PageTokens.encode(BINDING, CURSOR)).isEqualTo(ISSUED);
        assertThat(PageTokens.decode(ISSUED, BINDING)).isEqualTo(CURSOR);
    }

    @Test
    void threadsEncodingAtOnceEachGetTheSameToken() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> tokens = IntStream.range(0, 8).mapToObj(thread -> threads.submit(() -> {
                String token = "";
                for (int index = 0; index < 2_000; index++) {
                    token = PageTokens.encode(BINDING, PageTokens.decode(PageTokens.encode(BINDING, CURSOR), BINDING));
                }
                return token;
            })).toList();
            for (Future<String> token : tokens) {
                assertThat(token.get()).isEqualTo(ISSUED);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
