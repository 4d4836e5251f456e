package dev.tally.storage;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * Rows sent to PostgreSQL with {@code COPY … FROM STDIN} (text format) instead of an INSERT. For a
 * 1,000-usage batch the rewritten INSERT (pgjdbc splits a batch into statements of at most 128
 * rows, each bound, parsed and planned) was the largest part of the group's database time; COPY
 * feeds the rows to the table without a statement per chunk. The rows pass the table's constraints,
 * indexes and triggers as an INSERT's do, and a refusal (a duplicate id: 23505) fails the whole
 * COPY with the same SQLSTATE, so callers keep their savepoint and decide-again paths.
 *
 * <p>The rows are appended as text and encoded once, as UTF-8 (pgjdbc sets the connection's client
 * encoding to it), and the bytes are handed to the driver as they are: no stream copying them
 * through a buffer of its own. Building the bytes directly, without the String, was tried and
 * cost more CPU than the copy it saves (about a fifth more per 1,000-row batch, thread CPU):
 * StringBuilder's appends and String.getBytes are the JDK's fast paths.
 *
 * <p>Only on PostgreSQL ({@link BatchWrites#copies}); H2 and small batches keep the INSERT.
 */
public final class CopyRows {
    /** Below this many rows the server-prepared INSERT is as cheap, and it is the path every test exercises. */
    public static final int ROWS_MIN = 64;
    private static final int NANOS_PER_MICRO = 1_000;

    private final StringBuilder text;
    private boolean rowStarted;

    public CopyRows(int rowsExpected) {
        this.text = new StringBuilder(rowsExpected * 160);
    }

    public CopyRows uuid(UUID value) {
        return value == null ? nullValue() : raw(value.toString());
    }

    public CopyRows number(long value) {
        separate();
        text.append(value);
        return this;
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
     * Text escaped for COPY's text format: backslash, tab, newline and carriage return. Encoded as
     * {@code String.getBytes} does, like pgjdbc the INSERT's parameter (a lone surrogate: {@code ?}).
     */
    public CopyRows text(String value) {
        if (value == null) {
            return nullValue();
        }
        separate();
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
        return this;
    }

    public CopyRows nullValue() {
        return raw("\\N");
    }

    public CopyRows endRow() {
        text.append('\n');
        rowStarted = false;
        return this;
    }

    /** Runs {@code COPY table (columns) FROM STDIN} with the rows; fails as an INSERT of them would. */
    public void copyInto(Connection connection, String table, String columns) throws SQLException {
        byte[] rows = text.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
        try {
            copy.writeToCopy(rows, 0, rows.length);
            // The server judges the rows here: a refused one fails the COPY with its SQLSTATE.
            copy.endCopy();
        } finally {
            // As pgjdbc's own copyIn does: a COPY left open would leave the connection unusable.
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private CopyRows raw(String value) {
        separate();
        text.append(value);
        return this;
    }

    private void separate() {
        if (rowStarted) {
            text.append('\t');
        }
        rowStarted = true;
    }
}
