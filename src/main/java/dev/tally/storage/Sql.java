package dev.tally.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions between Java time values and SQL timestamps that behave the same on H2 and PostgreSQL. */
public final class Sql {
    /**
     * An instant parameter that {@link #setInstant} binds: text both databases read as the exact
     * instant, cast where the statement uses it.
     */
    public static final String INSTANT_PARAMETER = "CAST(? AS TIMESTAMP WITH TIME ZONE)";
    private static final int NANOS_PER_MICRO = 1_000;
    private static final int YEAR_MIN = 1;
    private static final int YEAR_MAX = 9_999;

    private Sql() {}

    public static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * Binds {@code instant} to an {@link #INSTANT_PARAMETER}. PostgreSQL's driver binds an
     * OffsetDateTime through a TimestampUtils, with a GregorianCalendar, that it builds for every
     * statement, and formats it with era and zone: 2.8 % of a page's CPU for a page's four times
     * (docs/adr/0007, issue 10's fourth pass). A whole microsecond of years 0001-9999, which is
     * every time a ledger stores, is bound as ISO text instead, which both databases read as that
     * instant; any other year is bound as the driver binds it, which the cast leaves unchanged. A
     * caller rounds nanoseconds itself, in the direction its comparison needs: the driver and H2's
     * cast would round them to the nearest microsecond.
     */
    public static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (instant.getNano() % NANOS_PER_MICRO != 0 || utc.getYear() < YEAR_MIN || utc.getYear() > YEAR_MAX) {
            statement.setObject(index, timestamp(instant));
            return;
        }
        char[] text = "0000-00-00 00:00:00.000000+00:00".toCharArray();
        digits(text, 0, 4, utc.getYear());
        digits(text, 5, 2, utc.getMonthValue());
        digits(text, 8, 2, utc.getDayOfMonth());
        digits(text, 11, 2, utc.getHour());
        digits(text, 14, 2, utc.getMinute());
        digits(text, 17, 2, utc.getSecond());
        digits(text, 20, 6, utc.getNano() / NANOS_PER_MICRO);
        statement.setString(index, new String(text));
    }

    private static void digits(char[] text, int from, int count, int value) {
        for (int index = from + count - 1; index >= from; index--) {
            text[index] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    public static Instant instant(ResultSet rows, String column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }

    public static Instant instant(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }
}
