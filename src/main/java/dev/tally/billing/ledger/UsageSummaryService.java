package dev.tally.billing.ledger;

import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;
import dev.tally.storage.Database;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Usage per hour, day or month (DESIGN §11), read from the hourly rollups the write path keeps, so
 * its cost is the number of hours and sources in range, not the number of entries. The range is
 * widened to whole windows: start_range down to its window's start, end_range up to a window end.
 */
public final class UsageSummaryService {
    public static final int BUCKETS_MAX = 1_000;
    private static final String GROUP_BY_SOURCE = "source";
    private static final long SECONDS_PER_HOUR = 3_600;

    private final Database database;
    private final AccountResolver resolver;
    private final HistoryRepository history = new HistoryRepository();

    public UsageSummaryService(Database database, AccountResolver resolver) {
        this.database = database;
        this.resolver = resolver;
    }

    /**
     * Without grouping, every window in range, empty ones included; grouped by source, one bucket
     * per window and source that had usage or reverts.
     */
    public List<UsageBucket> summary(Principal principal, AccountSelector selector, Instant startRange,
                                     Instant endRange, SummaryWindow window, String groupBy) {
        if (!groupBy.isEmpty() && !groupBy.equals(GROUP_BY_SOURCE)) {
            throw TallyException.invalidArgument("group_by: \"" + groupBy + "\" (expected: source, or empty)");
        }
        if (!startRange.isBefore(endRange)) {
            throw TallyException.invalidArgument("end_range: " + endRange + " (expected: after start_range "
                    + startRange + ")");
        }
        Instant start = window.floor(startRange);
        Instant lastStart = window.floor(endRange);
        Instant end = lastStart.equals(endRange) ? endRange : window.next(lastStart);
        long windowCount = window.count(start, end);
        if (windowCount > BUCKETS_MAX) {
            throw new TallyException(ErrorCode.OUT_OF_RANGE, windowCount + " " + window.name().toLowerCase(Locale.ROOT)
                    + " windows in range (expected: at most " + BUCKETS_MAX + "): narrow the range or widen the window");
        }
        boolean bySource = groupBy.equals(GROUP_BY_SOURCE);
        List<HistoryRepository.Rollup> rollups = database.inTransaction(connection -> {
            BillingAccount account = resolver.resolve(connection, principal, selector);
            return history.rollups(connection, account.id(), UsageRollups.hourNumber(start),
                    UsageRollups.hourNumber(end));
        });
        // Windows in order; within one, sources in order.
        TreeMap<Instant, TreeMap<String, UsageBucket>> windows = new TreeMap<>();
        if (!bySource) {
            for (Instant at = start; at.isBefore(end); at = window.next(at)) {
                windows.put(at, new TreeMap<>(Map.of("", UsageBucket.empty(at, window.next(at), ""))));
            }
        }
        for (HistoryRepository.Rollup rollup : rollups) {
            Instant windowStart = window.floor(Instant.ofEpochSecond(rollup.hourNumber() * SECONDS_PER_HOUR));
            String source = bySource ? rollup.source() : "";
            windows.computeIfAbsent(windowStart, key -> new TreeMap<>())
                    .merge(source, UsageBucket.empty(windowStart, window.next(windowStart), source).plus(rollup),
                            UsageBucket::plus);
        }
        List<UsageBucket> buckets = new ArrayList<>();
        windows.values().forEach(sources -> buckets.addAll(sources.values()));
        return buckets;
    }
}
