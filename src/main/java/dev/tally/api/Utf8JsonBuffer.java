package dev.tally.api;

import com.google.protobuf.Struct;
import com.linecorp.armeria.common.HttpData;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;

/**
 * A growing byte array that JSON values are written to as UTF-8 with JsonFormat's rules (Gson's
 * escapes, protojson's int64 and times), straight to the bytes a reply sends: no String between.
 * The one writer of the replies printed without JsonFormat (TransactionPageJson, HoldJson), which
 * walks descriptors and reflection for every field and made a page of 100 cost four balance reads
 * (docs/adr/0007).
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
            String escape = escape(c);
            escapes[c] = escape == null ? null : escape.getBytes(StandardCharsets.US_ASCII);
        }
        return escapes;
    }

    /** Gson's escape of {@code c}, with its HTML-safe escapes of {@code <>&='}; null when it is written as it is. */
    private static String escape(char c) {
        if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != '=' && c != '\''
                && c != '\u2028' && c != '\u2029') {
            return null;
        }
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\f' -> "\\f";
            default -> String.format("\\u%04x", (int) c);
        };
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /**
     * What was written, as a reply's body: the buffer's own array, not a copy of it (a page's ~30 KB
     * copied once more per reply). Safe because this is the buffer's last use: the writer that
     * calls it lets the buffer go, and nothing writes to the array again.
     */
    HttpData toHttpData() {
        byte[] written = bytes;
        bytes = null; // a write after this fails rather than changing a reply being sent
        return HttpData.wrap(written, 0, length);
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
                ascii(escape(c));
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
     * Metadata as JsonFormat prints a Struct: its numbers print as doubles, which only JsonFormat
     * does exactly, so only the empty one (most entries') is written here.
     */
    Utf8JsonBuffer struct(Struct metadata) {
        return metadata.getFieldsCount() == 0 ? ascii("{}")
                : raw(ProtoJson.printWithJsonFormat(metadata).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A time as a JSON string of Timestamps.toString's text: four-digit year, UTC "Z", and a
     * fraction of none, 3, 6 or 9 digits, the fewest that hold the nanoseconds. Only for a time
     * {@code Timestamps.isValid} accepts (years 0001 to 9999); the caller checks, and leaves any
     * other to JsonFormat, which refuses it.
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
