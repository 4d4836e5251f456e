package dev.tally.webhooks;

import dev.tally.testing.ErrorAssertions;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** PUT …/billing/{id}/alerts: who may set thresholds and what is refused. */
class AlertsApiTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    private static String path(Org org, String account) {
        return "/v1beta1/admin/organizations/" + org.id() + "/billing/" + account + "/alerts";
    }

    @Test
    void thresholdsAreReplacedAndFireAgainstTheNewSet() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        Hooks.setThresholds(admin, org.id(), account, 90);
        Hooks.setThresholds(admin, org.id(), account, 50, -5);

        fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 60); // 40: crosses 50, not 90

        assertThat(Hooks.outboxCount(SERVER, "app.billing.balance.threshold", account)).isEqualTo(1);
    }

    @Test
    void badThresholdsAndOtherCallersAreRefused() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String tooMany = IntStream.range(0, AlertSettings.THRESHOLDS_MAX + 1).mapToObj(Integer::toString)
                .collect(Collectors.joining(","));

        ErrorAssertions.assertError(admin.put(path(org, account), "{\"balance_thresholds\":[" + tooMany + "]}"),
                400, 3);
        ErrorAssertions.assertError(admin.put(path(org, account), "{\"balance_thresholds\":[\"ten\"]}"), 400, 3);
        ErrorAssertions.assertError(admin.put(path(org, account), "{\"balance_thresholds\":5}"), 400, 3);
        ErrorAssertions.assertError(admin.put(path(org, UUID.randomUUID().toString()),
                "{\"balance_thresholds\":[5]}"), 404, 5);
        ErrorAssertions.assertError(fixtures.serviceUser(org).put(path(org, account),
                "{\"balance_thresholds\":[5]}"), 403, 7);
    }
}
