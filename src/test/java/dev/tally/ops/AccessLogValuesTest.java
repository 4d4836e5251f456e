package dev.tally.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log's time, latency and quoted text read exactly as Instant.toString, Double.toString and Jackson wrote them before. */
class AccessLogValuesTest {
    @Test
    void timesAreWrittenAsInstantToStringWritesThem() {
        long now = Instant.parse("2026-12-03T16:10:14.961Z").toEpochMilli();
        long[] edges = {0, 1, 999, 1000, 1001, -1, -999, -1000, -1001, now, now - 961, now + 39, now + 1,
                253402300799999L, 253402300800000L, -62135596800000L, -62135596800001L};
        for (long millis : edges) {
            assertThat(AccessLogValues.isoInstant(millis)).as("%d", millis).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 200_000; i++) {
            // Mostly near now (as in a log), some anywhere an Instant can be.
            long millis = i % 4 == 0 ? random.nextLong(-30_000_000_000_000L, 300_000_000_000_000L) : now + random.nextLong(0, 5_000);
            assertThat(AccessLogValues.isoInstant(millis)).as("%d", millis).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }

    @Test
    void latenciesAreWrittenAsDoubleToStringWritesThem() {
        long[] edges = {0, 1, 9, 10, 99, 100, 101, 110, 999, 1000, 1001, 1010, 1100, 12_345, 120_000, 9_999_999_999L,
                10_000_000_000L, 10_000_000_001L, 123_456_789_012L, Long.MAX_VALUE, -1, -1500};
        for (long micros : edges) {
            assertThat(written(micros)).as("%d", micros).isEqualTo(Double.toString(micros / 1000.0));
        }
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 500_000; i++) {
            long micros = switch (i % 3) {
                case 0 -> random.nextLong(0, 100_000);
                case 1 -> random.nextLong(0, 20_000_000_000L);
                default -> random.nextLong(0, 1000) * (i % 2 == 0 ? 10 : 100);
            };
            assertThat(written(micros)).as("%d", micros).isEqualTo(Double.toString(micros / 1000.0));
        }
    }

    private static String written(long micros) {
        StringBuilder text = new StringBuilder("x");
        AccessLogValues.appendMillis(text, micros);
        return text.substring(1);
    }

    @Test
    void textIsQuotedAsJacksonQuotesIt() throws Exception {
        ObjectMapper jackson = new ObjectMapper();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String text = "a" + c + "b";
            assertThat(quoted(text)).as("U+%04X", (int) c).isEqualTo(jackson.writeValueAsString(text));
        }
        String mixed = "/v1beta1/\"x\"\\y\u0000\u001f\u007f\u2028é😀\ud800";
        assertThat(quoted(mixed)).isEqualTo(jackson.writeValueAsString(mixed));
        assertThat(quoted("")).isEqualTo("\"\"");
    }

    private static String quoted(String text) {
        StringBuilder line = new StringBuilder();
        AccessLogValues.appendJsonString(line, text);
        return line.toString();
    }
}
