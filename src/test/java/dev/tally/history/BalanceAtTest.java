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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static dev.tally.history.HistoryFixtures.allPages;
import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** GetBillingBalance with {@code at}: the balance counting every entry created at or before it. */
class BalanceAtTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void theBalanceAtFiftyRandomInstantsIsTheSumOfEntriesUpToThem() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        Instant start = SERVER.clock().instant();
        Random random = new Random(10);
        List<String> usages = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            SERVER.clock().advance(Duration.ofSeconds(1 + random.nextInt(3_600)));
            int what = random.nextInt(4);
            if (what == 0 || usages.isEmpty()) {
                fixtures.grant(org, account, 100 + random.nextInt(100));
            } else if (what == 1 && usages.size() > 2) {
                String usage = usages.remove(random.nextInt(usages.size()));
                Reply revert = HistoryFixtures.revert(SERVER.admin(), org, account, usage);
                assertThat(revert.status()).as(revert.toString()).isEqualTo(200);
            } else {
                String usage = UUID.randomUUID().toString();
                Reply reply = fixtures.reportUsage(SERVER.admin(), org, account, usage, 1 + random.nextInt(20));
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                usages.add(usage);
            }
        }
        Instant end = SERVER.clock().instant().plusSeconds(60);
        List<JsonNode> entries = allPages(SERVER.admin(), org, account, 1_000, "");

        for (int probe = 0; probe < 50; probe++) {
            Instant at = probe < 5
                    ? Instant.parse(entries.get(random.nextInt(entries.size())).path("created_at").asText())
                    : start.plusMillis((long) (random.nextDouble() * Duration.between(start, end).toMillis()));
            long expected = entries.stream()
                    .filter(entry -> !Instant.parse(entry.path("created_at").asText()).isAfter(at))
                    .mapToLong(entry -> (entry.path("type").asText().equals("credit") ? 1 : -1)
                            * Long.parseLong(entry.path("amount").asText()))
                    .sum();
            assertThat(balanceAt(SERVER.admin(), org, account, at)).as("balance at " + at).isEqualTo(expected);
        }
        assertThat(balanceAt(SERVER.admin(), org, account, end)).isEqualTo(fixtures.balance(org, account));
    }

    @Test
    void anInstantBetweenTwoMicrosecondsCountsOnlyTheEntriesAtOrBeforeIt() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 50);
        // The clock stands still, so the usage is dated one microsecond after the grant (EntryTimes).
        Reply usage = fixtures.reportUsage(SERVER.admin(), org, account, UUID.randomUUID().toString(), 5);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        List<JsonNode> entries = allPages(SERVER.admin(), org, account, 10, "");
        Instant grantedAt = Instant.parse(entries.get(1).path("created_at").asText());
        Instant usedAt = Instant.parse(entries.get(0).path("created_at").asText());
        // 600 ns after the grant: rounded to the nearest microsecond, it would count the usage.
        Instant between = grantedAt.plusNanos(600);
        assertThat(usedAt).isAfter(between);

        assertThat(balanceAt(SERVER.admin(), org, account, between)).isEqualTo(50);
        assertThat(balanceAt(SERVER.admin(), org, account, usedAt)).isEqualTo(45);
    }

    @Test
    void beforeTheFirstEntryTheBalanceIsZero() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        Instant before = SERVER.clock().instant();
        SERVER.clock().advance(Duration.ofMinutes(1));
        fixtures.grant(org, account, 50);

        Reply reply = SERVER.admin().get(Fixtures.accountPath(org, account) + "/balance?at=" + before);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body().path("balance").path("amount").asText()).isEqualTo("0");
        assertThat(reply.body().path("balance").path("currency").asText()).isEqualTo("VC");
    }

    /**
     * A clock that steps back (another process's, or this one's after an NTP correction) must not
     * date an entry before the account's last one: the balance as of an instant would skip it.
     */
    @Test
    void anEntryWrittenAfterTheClockSteppedBackIsStillDatedAfterTheLastOne() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        Reply first = fixtures.reportUsage(SERVER.admin(), org, account, UUID.randomUUID().toString(), 10);
        assertThat(first.status()).isEqualTo(200);
        Instant afterFirst = SERVER.clock().instant();
        SERVER.clock().advance(Duration.ofHours(-2));
        String late = UUID.randomUUID().toString();
        Reply second = fixtures.reportUsage(SERVER.admin(), org, account, late, 5);
        SERVER.clock().advance(Duration.ofHours(3));
        assertThat(second.status()).isEqualTo(200);

        List<JsonNode> entries = allPages(SERVER.admin(), org, account, 10, "");

        assertThat(entries.get(0).path("id").asText()).isEqualTo(late);
        assertThat(Instant.parse(entries.get(0).path("created_at").asText()))
                .isAfter(Instant.parse(entries.get(1).path("created_at").asText()));
        assertThat(balanceAt(SERVER.admin(), org, account, afterFirst.plus(Duration.ofHours(1)))).isEqualTo(85);
    }

    @Test
    void aServiceUserReadsPastBalancesOfItsOwnOrganizationOnly() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 30);
        Org otherOrg = fixtures.organization();
        String otherAccount = fixtures.account(otherOrg);
        TallyClient robot = fixtures.serviceUser(org);
        Instant now = SERVER.clock().instant();

        assertThat(balanceAt(robot, org, account, now)).isEqualTo(30);
        assertError(robot.get(Fixtures.accountPath(otherOrg, otherAccount) + "/balance?at=" + now), 403, 7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-02-30T00:00:00Z", "1767225600", "2026-01-01"})
    void aBadInstantIsRefused(String at) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);

        assertError(SERVER.admin().get(Fixtures.accountPath(org, account) + "/balance?at=" + at), 400, 3);
    }

    static long balanceAt(TallyClient client, Org org, String account, Instant at) {
        Reply reply = client.get(Fixtures.accountPath(org, account) + "/balance?at=" + at);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return Long.parseLong(reply.body().path("balance").path("amount").asText());
    }
}
