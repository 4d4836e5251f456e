package dev.tally.storage;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Rows sent to PostgreSQL with {@code COPY … FROM STDIN} (text format) instead of an INSERT. For a
 * 1,000-usage batch the rewritten INSERT (pgjdbc splits a batch into statements of at most 128
 * rows, each bound, parsed and planned) was the largest part of the group's database time; COPY
 * feeds the rows to the table without a statement per chunk. The rows pass the table's constraints,
 * indexes and triggers as an INSERT's do, and a refusal (a duplicate id: 23505) fails the whole
 * COPY with the same SQLSTATE, so callers keep their savepoint and decide-again paths.
 *
 * <p>The rows are built as the UTF-8 bytes COPY reads (the connection's client encoding is UTF-8:
 * pgjdbc sets it) and handed to the driver as they are, without a String of them or a stream
 * copying them through its own buffer.
 *
 * <p>Only on PostgreSQL ({@link BatchWrites#copies}); H2 and small batches keep the INSERT.
 */
public final class CopyRows {
    /** Below this many rows the server-prepared INSERT is as cheap, and it is the path every test exercises. */
    public static final int ROWS_MIN = 64;
    private static final int NANOS_PER_MICRO = 1_000;

    private static final int ROW_BYTES_EXPECTED = 160;

    private byte[] bytes;
    private int length;
    private boolean rowStarted;

    public CopyRows(int rowsExpected) {
        this.bytes = new byte[Math.max(1, rowsExpected) * ROW_BYTES_EXPECTED];
    }

    public CopyRows uuid(UUID value) {
        return value == null ? nullValue() : raw(value.toString());
    }

    public CopyRows number(long value) {
        return raw(Long.toString(value));
    }

    /**
     * An instant as ISO 8601 text in UTC, which PostgreSQL reads as a timestamptz. Every row's time
     * is a whole microsecond (entries are dated by {@code EntryTimes} from {@code Times.now}, which
     * truncates, plus whole microseconds), and then this text is exactly the instant the INSERT
     * binds. A finer instant is refused: PostgreSQL would round its text to a microsecond, not
     * necessarily as pgjdbc rounds the INSERT's parameter, and the two paths must store the same.
     */
    public CopyRows timestamp(Instant value) {
        if (value.getNano() % NANOS_PER_MICRO != 0) {
            throw new IllegalArgumentException("timestamp: " + value + " (expected: a whole microsecond)");
        }
        return raw(value.toString());
    }

    /**
     * Text escaped for COPY's text format (backslash, tab, newline and carriage return), in UTF-8
     * as {@code String.getBytes} encodes it: a lone surrogate becomes {@code ?}, as the INSERT's
     * parameter does.
     */
    public CopyRows text(String value) {
        if (value == null) {
            return nullValue();
        }
        separate();
        ensure(value.length() * 3);
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            switch (c) {
                case '\\' -> escaped('\\');
                case '\t' -> escaped('t');
                case '\n' -> escaped('n');
                case '\r' -> escaped('r');
                default -> {
                    if (Character.isHighSurrogate(c) && index + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(index + 1))) {
                        utf8(Character.toCodePoint(c, value.charAt(++index)));
                    } else {
                        utf8(Character.isSurrogate(c) ? '?' : c);
                    }
                }
            }
        }
        return this;
    }

    public CopyRows nullValue() {
        return raw("\\N");
    }

    public CopyRows endRow() {
        ensure(1);
        bytes[length++] = '\n';
        rowStarted = false;
        return this;
    }

    /** Runs {@code COPY table (columns) FROM STDIN} with the rows; fails as an INSERT of them would. */
    public void copyInto(Connection connection, String table, String columns) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
        try {
            copy.writeToCopy(bytes, 0, length);
            // The server judges the rows here: a refused one fails the COPY with its SQLSTATE.
            copy.endCopy();
        } finally {
            // As pgjdbc's own copyIn does: a COPY left open would leave the connection unusable.
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** ASCII text as it is: ids, numbers and times. */
    private CopyRows raw(String value) {
        separate();
        ensure(value.length());
        for (int index = 0; index < value.length(); index++) {
            bytes[length++] = (byte) value.charAt(index);
        }
        return this;
    }

    private void separate() {
        ensure(1);
        if (rowStarted) {
            bytes[length++] = '\t';
        }
        rowStarted = true;
    }

    private void escaped(char c) {
        bytes[length++] = '\\';
        bytes[length++] = (byte) c;
    }

    /** A code point in UTF-8; room for it was ensured (at most 3 bytes per char, 4 per surrogate pair). */
    private void utf8(int codePoint) {
        if (codePoint < 0x80) {
            bytes[length++] = (byte) codePoint;
        } else if (codePoint < 0x800) {
            bytes[length++] = (byte) (0xC0 | codePoint >> 6);
            bytes[length++] = (byte) (0x80 | codePoint & 0x3F);
        } else if (codePoint < 0x10000) {
            bytes[length++] = (byte) (0xE0 | codePoint >> 12);
            bytes[length++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | codePoint & 0x3F);
        } else {
            bytes[length++] = (byte) (0xF0 | codePoint >> 18);
            bytes[length++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
            bytes[length++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | codePoint & 0x3F);
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
