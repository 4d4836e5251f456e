package dev.tally.ops;

import java.time.Instant;

/**
 * The access log's time, latency and quoted text, written as {@code Instant.toString},
 * {@code Double.toString} and Jackson write them, without their cost per line: the formatter and
 * the shortest-decimal search were a third of the access log's samples in the hot-usage profile
 * (ADR 0014). {@code AccessLogValuesTest} pins each against the original.
 */
final class AccessLogValues {
    /** Below this, {@code micros / 1000.0} prints in plain notation with its exact three decimals. */
    private static final long MICROS_PLAIN_MAX = 10_000_000_000L;
    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    /** The last whole second formatted, shared by the event loops: a line per request, a new second rarely. */
    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private AccessLogValues() {}

    private record Second(long epochSecond, String text) {}

    /** What {@code Instant.ofEpochMilli(epochMillis).toString()} answers. */
    static String isoInstant(long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        int millis = Math.floorMod(epochMillis, 1000);
        Second second = last;
        if (second.epochSecond() != epochSecond) {
            String whole = Instant.ofEpochSecond(epochSecond).toString();
            second = new Second(epochSecond, whole.substring(0, whole.length() - 1)); // without the Z
            last = second;
        }
        if (millis == 0) {
            return second.text() + 'Z';
        }
        StringBuilder text = new StringBuilder(second.text().length() + 5).append(second.text()).append('.');
        appendThreeDigits(text, millis);
        return text.append('Z').toString();
    }

    /** Appends what {@code Double.toString(micros / 1000.0)} answers. */
    static void appendMillis(StringBuilder text, long micros) {
        if (micros < 0 || micros >= MICROS_PLAIN_MAX) {
            text.append(micros / 1000.0); // scientific notation or a sign: the JDK's own rules
            return;
        }
        text.append(micros / 1000).append('.');
        int fraction = (int) (micros % 1000);
        if (fraction == 0) {
            text.append('0');
            return;
        }
        // The shortest decimal of m / 1000 below 10^7 is m / 1000 itself, trailing zeros dropped.
        if (fraction % 100 == 0) {
            text.append((char) ('0' + fraction / 100));
        } else if (fraction % 10 == 0) {
            text.append((char) ('0' + fraction / 100)).append((char) ('0' + fraction / 10 % 10));
        } else {
            appendThreeDigits(text, fraction);
        }
    }

    /**
     * Appends {@code text} as a JSON string, escaped as Jackson escapes it by default: a quote, a
     * backslash and each control character below U+0020 (the five that have a short form in it, the
     * others as a unicode escape in upper-case hex); everything else as it is.
     */
    static void appendJsonString(StringBuilder line, String text) {
        line.append('"');
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\b' -> line.append("\\b");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\f' -> line.append("\\f");
                case '\r' -> line.append("\\r");
                default -> {
                    if (c < 0x20) {
                        line.append("\\u00").append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 0xF]);
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }

    private static void appendThreeDigits(StringBuilder text, int value) {
        text.append((char) ('0' + value / 100)).append((char) ('0' + value / 10 % 10)).append((char) ('0' + value % 10));
    }
}
