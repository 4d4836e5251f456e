package dev.tally.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;

/**
 * A growing byte array that JSON values are written to as UTF-8, with the rules of
 * {@link TransactionListJson} (Gson's escapes, protojson's times), but straight to the bytes a
 * reply sends: no String between, and no proto message before it (TransactionPageJson).
 */
final class Utf8JsonBuffer {
    /** Per ASCII character, its escape as Gson writes it, or null when it is written as it is. */
    private static final byte[][] ASCII_ESCAPES = asciiEscapes();
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** The byte String.getBytes(UTF_8) writes for a lone surrogate, which is what the String path sent. */
    private static final byte UNPAIRED_SURROGATE = '?';

    private byte[] bytes;
    private int length;
    /** The last time written, with its text: a transaction's entries share one instant, and one entry prints it twice. */
    private Instant lastTime;
    private byte[] lastTimeText = new byte[0];

    Utf8JsonBuffer(int capacityBytes) {
        bytes = new byte[capacityBytes];
    }

    private static byte[][] asciiEscapes() {
        byte[][] escapes = new byte[128][];
        for (char c = 0; c < escapes.length; c++) {
            String escape = TransactionListJson.escape(c);
            escapes[c] = escape == null ? null : escape.getBytes(StandardCharsets.US_ASCII);
        }
        return escapes;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** Text known to need no escape (field names, punctuation): ASCII only. */
    Utf8JsonBuffer ascii(String text) {
        ensure(text.length());
        for (int index = 0; index < text.length(); index++) {
            bytes[length++] = (byte) text.charAt(index);
        }
        return this;
    }

    Utf8JsonBuffer ascii(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Bytes already encoded as UTF-8. */
    Utf8JsonBuffer raw(byte[] text) {
        ensure(text.length);
        System.arraycopy(text, 0, bytes, length, text.length);
        length += text.length;
        return this;
    }

    /** A JSON string as Gson writes it, then encoded as String.getBytes(UTF_8) encodes it. */
    Utf8JsonBuffer string(String value) {
        int index = 0;
        ensure(value.length() + 2);
        bytes[length++] = '"';
        // The usual text is plain ASCII: one look-up and one store per character, room made above.
        for (; index < value.length(); index++) {
            char c = value.charAt(index);
            if (c >= 0x80 || ASCII_ESCAPES[c] != null) {
                break;
            }
            bytes[length++] = (byte) c;
        }
        for (; index < value.length(); index++) {
            char c = value.charAt(index);
            if (c < 0x80) {
                byte[] escape = ASCII_ESCAPES[c];
                if (escape == null) {
                    ensure(1);
                    bytes[length++] = (byte) c;
                } else {
                    raw(escape);
                }
            } else if (c == '\u2028' || c == '\u2029') {
                ascii(TransactionListJson.escape(c));
            } else if (c < 0x800) {
                ensure(2);
                bytes[length++] = (byte) (0xc0 | c >> 6);
                bytes[length++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && index + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(index + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++index));
                ensure(4);
                bytes[length++] = (byte) (0xf0 | codePoint >> 18);
                bytes[length++] = (byte) (0x80 | codePoint >> 12 & 0x3f);
                bytes[length++] = (byte) (0x80 | codePoint >> 6 & 0x3f);
                bytes[length++] = (byte) (0x80 | codePoint & 0x3f);
            } else if (Character.isSurrogate(c)) {
                ascii((char) UNPAIRED_SURROGATE);
            } else {
                ensure(3);
                bytes[length++] = (byte) (0xe0 | c >> 12);
                bytes[length++] = (byte) (0x80 | c >> 6 & 0x3f);
                bytes[length++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return ascii('"');
    }

    /** A UUID as a JSON string, in UUID.toString's lowercase 8-4-4-4-12 form. */
    Utf8JsonBuffer uuid(UUID id) {
        ensure(38);
        bytes[length++] = '"';
        hex(id.getMostSignificantBits() >>> 32, 8);
        bytes[length++] = '-';
        hex(id.getMostSignificantBits() >>> 16, 4);
        bytes[length++] = '-';
        hex(id.getMostSignificantBits(), 4);
        bytes[length++] = '-';
        hex(id.getLeastSignificantBits() >>> 48, 4);
        bytes[length++] = '-';
        hex(id.getLeastSignificantBits(), 12);
        bytes[length++] = '"';
        return this;
    }

    /** The low {@code digits} (even) hex digits of {@code value}, a byte (two digits) at a time. */
    private void hex(long value, int digits) {
        for (int index = digits - 2; index >= 0; index -= 2) {
            int octet = (int) value & 0xff;
            bytes[length + index] = HEX[octet >>> 4];
            bytes[length + index + 1] = HEX[octet & 0xf];
            value >>>= 8;
        }
        length += digits;
    }

    /** An int64 as protojson writes it: a JSON string of its decimal digits. */
    Utf8JsonBuffer int64(long value) {
        if (value < 0) {
            return ascii('"').ascii(Long.toString(value)).ascii('"'); // never an entry's amount
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        ensure(digits + 2);
        bytes[length++] = '"';
        decimal(value, digits);
        bytes[length++] = '"';
        return this;
    }

    /** {@code value} (not negative) in exactly {@code digits} decimal digits, zero-padded; divisions by a constant. */
    private void decimal(long value, int digits) {
        for (int index = digits - 1; index >= 0; index--) {
            bytes[length + index] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
    }

    /**
     * A time in years 0001 to 9999 as a JSON string of Timestamps.toString's text (see
     * {@link TransactionListJson#time}); the caller checks the range.
     */
    Utf8JsonBuffer time(Instant time) {
        if (!time.equals(lastTime)) {
            lastTimeText = timeText(time);
            lastTime = time;
        }
        ensure(lastTimeText.length + 2);
        bytes[length++] = '"';
        raw(lastTimeText);
        bytes[length++] = '"';
        return this;
    }

    private static byte[] timeText(Instant time) {
        Utf8JsonBuffer text = new Utf8JsonBuffer(30);
        long seconds = time.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = Math.floorMod(seconds, 86_400);
        text.decimal(date.getYear(), 4);
        text.ascii('-').decimal(date.getMonthValue(), 2);
        text.ascii('-').decimal(date.getDayOfMonth(), 2);
        text.ascii('T').decimal(secondOfDay / 3_600, 2);
        text.ascii(':').decimal(secondOfDay / 60 % 60, 2);
        text.ascii(':').decimal(secondOfDay % 60, 2);
        int nanos = time.getNano();
        if (nanos != 0) {
            text.ascii('.');
            if (nanos % 1_000_000 == 0) {
                text.decimal(nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                text.decimal(nanos / 1_000, 6);
            } else {
                text.decimal(nanos, 9);
            }
        }
        return text.ascii('Z').toByteArray();
    }
}
