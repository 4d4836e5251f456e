package dev.tally.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static dev.tally.history.HistoryFixtures.allPages;
import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** usage_summary: usage and reverts per UTC window, optionally per source (DESIGN §11). */
class UsageSummaryTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void aRevertCountsInTheWindowItWasWrittenUnderTheRevertedUsagesSource() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        Instant day = nextDay();
        String firstApi = usage(org, account, "api", 10);
        usage(org, account, "gpu", 20);
        SERVER.clock().advance(Duration.ofHours(2));
        usage(org, account, "api", 5);
        SERVER.clock().advance(Duration.ofDays(1));
        assertThat(HistoryFixtures.revert(SERVER.admin(), org, account, firstApi).status()).isEqualTo(200);
        usage(org, account, "gpu", 7);

        Reply reply = summary(SERVER.admin(), org, account, day, day.plus(2, ChronoUnit.DAYS), "day", "source");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(buckets(reply)).containsExactly(
                day + " api 15 0 15 2",
                day + " gpu 20 0 20 1",
                day.plus(1, ChronoUnit.DAYS) + " api 0 10 -10 0",
                day.plus(1, ChronoUnit.DAYS) + " gpu 7 0 7 1");
        assertThat(reply.body().path("buckets").path(0).path("end").asText())
                .isEqualTo(day.plus(1, ChronoUnit.DAYS).toString());
    }

    @Test
    void withoutGroupingEveryWindowInRangeIsAnsweredEmptyOnesIncluded() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        Instant day = nextDay();
        SERVER.clock().advance(Duration.ofMinutes(90));
        usage(org, account, "api", 3);
        usage(org, account, "gpu", 4);

        Reply hourly = summary(SERVER.admin(), org, account, day, day.plus(1, ChronoUnit.DAYS), "hour", "");
        // A range that does not fall on window edges is widened to whole windows.
        Reply monthly = summary(SERVER.admin(), org, account, day.plusSeconds(5), day.plusSeconds(6), "month", "");

        assertThat(hourly.body().path("buckets").size()).isEqualTo(24);
        assertThat(buckets(hourly).get(1)).isEqualTo(day.plus(1, ChronoUnit.HOURS) + " 7 0 7 2");
        assertThat(buckets(hourly).get(0)).isEqualTo(day + " 0 0 0 0");
        assertThat(monthly.body().path("buckets").size()).isEqualTo(1);
        assertThat(monthly.body().path("buckets").path(0).path("usage").asText()).isEqualTo("7");
    }

    /** Random usage over ten days on five sources, some reverted in part: each day's sums are the ledger's. */
    @Test
    void dailySummariesBySourceEqualTheLedgersSums() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 10_000_000);
        Instant day = nextDay();
        Random random = new Random(4);
        List<String> usages = new ArrayList<>();
        for (int step = 0; step < 200; step++) {
            SERVER.clock().advance(Duration.ofSeconds(random.nextInt(4_320)));
            if (random.nextInt(5) == 0 && !usages.isEmpty()) {
                String usageId = usages.remove(random.nextInt(usages.size()));
                Reply revert = SERVER.admin().post("/v1beta1/organizations/billing/usages/revert", "{\"org_id\":\""
                        + org.id() + "\",\"billing_id\":\"" + account + "\",\"usage_id\":\"" + usageId
                        + "\",\"amount\":\"1\"}");
                assertThat(revert.status()).as(revert.toString()).isEqualTo(200);
            } else {
                usages.add(usage(org, account, "s" + random.nextInt(5), 1 + random.nextInt(50)));
            }
        }
        Map<String, long[]> expected = new TreeMap<>();
        for (JsonNode entry : allPages(SERVER.admin(), org, account, 1_000, "")) {
            String source = entry.path("source").asText();
            if (source.equals("test")) {
                continue; // the grant
            }
            boolean revert = source.startsWith("system.revert.");
            String key = Instant.parse(entry.path("created_at").asText()).truncatedTo(ChronoUnit.DAYS) + " "
                    + (revert ? source.substring("system.revert.".length()) : source);
            long[] sums = expected.computeIfAbsent(key, k -> new long[3]);
            long amount = Long.parseLong(entry.path("amount").asText());
            sums[revert ? 1 : 0] += amount;
            sums[2] += revert ? 0 : 1;
        }
        List<String> expectedBuckets = new ArrayList<>();
        expected.forEach((key, sums) -> expectedBuckets.add(
                key + " " + sums[0] + " " + sums[1] + " " + (sums[0] - sums[1]) + " " + sums[2]));

        Reply reply = summary(SERVER.admin(), org, account, day, day.plus(12, ChronoUnit.DAYS), "day", "source");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(buckets(reply)).isEqualTo(expectedBuckets);
    }

    @Test
    void aThousandWindowsAreAnsweredAndMoreAreOutOfRange() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        Instant day = nextDay();

        Reply thousand = summary(SERVER.admin(), org, account, day, day.plus(1_000, ChronoUnit.HOURS), "hour", "");
        Reply more = summary(SERVER.admin(), org, account, day, day.plus(1_001, ChronoUnit.HOURS), "hour", "");

        assertThat(thousand.body().path("buckets").size()).as(thousand.toString()).isEqualTo(1_000);
        assertError(more, 400, 11);
        assertThat(more.body().path("message").asText()).contains("1000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"window=week", "window=", "window=DAY&x=1&window=hour", "group_by=user",
            "start_range=2026-03-01T00:00:00Z&end_range=2026-02-01T00:00:00Z", "start_range=2026-02-30T00:00:00Z",
            "omit_start", "omit_end"})
    void badSummaryInputIsRefusedAndChangesNothing(String variant) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 10);
        String query = switch (variant) {
            case "omit_start" -> "window=day&end_range=2026-02-01T00:00:00Z";
            case "omit_end" -> "window=day&start_range=2026-01-01T00:00:00Z";
            default -> {
                StringBuilder built = new StringBuilder(variant);
                if (!variant.contains("window=")) {
                    built.append("&window=day");
                }
                if (!variant.contains("start_range")) {
                    built.append("&start_range=2026-01-01T00:00:00Z&end_range=2026-02-01T00:00:00Z");
                }
                yield built.toString();
            }
        };

        Reply reply = SERVER.admin().get(Fixtures.accountPath(org, account) + "/usage_summary?" + query);

        assertError(reply, 400, 3);
        assertThat(SERVER.entryCount(account)).isEqualTo(1);
        assertThat(SERVER.storedBalance(account)).isEqualTo(10);
    }

    @Test
    void aServiceUserSummarizesItsOwnOrganizationOnly() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        Org otherOrg = fixtures.organization();
        String otherAccount = fixtures.account(otherOrg);
        TallyClient robot = fixtures.serviceUser(org);
        Instant day = nextDay();

        Reply own = summary(robot, org, account, day, day.plus(1, ChronoUnit.DAYS), "day", "");
        Reply foreign = summary(robot, otherOrg, otherAccount, day, day.plus(1, ChronoUnit.DAYS), "day", "");

        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertError(foreign, 403, 7);
    }

    /** Moves the test clock to the start of the next UTC day and returns that instant. */
    private static Instant nextDay() {
        Instant now = SERVER.clock().instant();
        Instant next = now.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
        SERVER.clock().advance(Duration.between(now, next));
        return next;
    }

    private String usage(Org org, String account, String source, long amount) {
        String id = UUID.randomUUID().toString();
        Reply reply = SERVER.admin().post(Fixtures.accountPath(org, account) + "/usages", "{\"usages\":[{\"id\":\""
                + id + "\",\"amount\":\"" + amount + "\",\"source\":\"" + source + "\"}]}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return id;
    }

    static Reply summary(TallyClient client, Org org, String account, Instant start, Instant end, String window,
                         String groupBy) {
        return client.get(Fixtures.accountPath(org, account) + "/usage_summary?start_range=" + start + "&end_range="
                + end + "&window=" + window + (groupBy.isEmpty() ? "" : "&group_by=" + groupBy));
    }

    /** Each bucket as "start [source] usage reverted net usage_count". */
    private static List<String> buckets(Reply reply) {
        List<String> buckets = new ArrayList<>();
        for (JsonNode bucket : reply.body().path("buckets")) {
            String source = bucket.path("source").asText();
            buckets.add(bucket.path("start").asText() + (source.isEmpty() ? "" : " " + source) + " "
                    + bucket.path("usage").asText() + " " + bucket.path("reverted").asText() + " "
                    + bucket.path("net").asText() + " " + bucket.path("usage_count").asText());
        }
        return buckets;
    }
}
