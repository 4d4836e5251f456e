package dev.tally.billing.ledger;

import dev.tally.common.TallyException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** The width of a usage-summary bucket, aligned in UTC. */
public enum SummaryWindow {
    HOUR, DAY, MONTH;

    public static SummaryWindow fromWireName(String text) {
        return switch (text) {
            case "hour" -> HOUR;
            case "day" -> DAY;
            case "month" -> MONTH;
            default -> throw TallyException.invalidArgument("window: \"" + text + "\" (expected: hour, day or month)");
        };
    }

    /** The start of the window holding {@code instant}. */
    Instant floor(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        return switch (this) {
            case HOUR -> utc.truncatedTo(ChronoUnit.HOURS).toInstant();
            case DAY -> utc.truncatedTo(ChronoUnit.DAYS).toInstant();
            case MONTH -> utc.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
        };
    }

    /** The start of the window after the one starting at {@code start}. */
    Instant next(Instant start) {
        ZonedDateTime utc = start.atZone(ZoneOffset.UTC);
        return switch (this) {
            case HOUR -> utc.plusHours(1).toInstant();
            case DAY -> utc.plusDays(1).toInstant();
            case MONTH -> utc.plusMonths(1).toInstant();
        };
    }

    /** How many windows lie in [start, end) when both are window starts. */
    long count(Instant start, Instant end) {
        ZonedDateTime from = start.atZone(ZoneOffset.UTC);
        ZonedDateTime to = end.atZone(ZoneOffset.UTC);
        return switch (this) {
            case HOUR -> ChronoUnit.HOURS.between(from, to);
            case DAY -> ChronoUnit.DAYS.between(from, to);
            case MONTH -> ChronoUnit.MONTHS.between(from, to);
        };
    }
}
