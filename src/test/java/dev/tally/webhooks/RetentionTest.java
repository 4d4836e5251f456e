package dev.tally.webhooks;

import com.linecorp.armeria.common.HttpStatus;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The purge of ended deliveries and their events past the retention, with a clock moved ahead. */
class RetentionTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    private long count(String sql, String webhookId) {
        return SERVER.tally().database().inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                if (webhookId != null) {
                    statement.setObject(1, java.util.UUID.fromString(webhookId));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private long deliveries(Hooks.Created webhook, String state) {
        return count("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ? AND state = '" + state + "'",
                webhook.id());
    }

    private long grantEvents() {
        return count("SELECT COUNT(*) FROM webhook_events WHERE action = 'app.billing.credit.granted'", null);
    }

    private Retention retentionAt(Instant now, int batch) {
        return new Retention(SERVER.tally().database(), Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC), batch);
    }

    @Test
    void endedDeliveriesAndTheirEventsGoAfterTheRetentionInBoundedBatchesPendingOnesStay() throws Exception {
        Dispatcher dispatcher = SERVER.tally().webhooks().dispatcher(Hooks.FAST).start();
        Hooks.Created answered;
        Hooks.Created failing;
        try (Receiver ok = new Receiver(); Receiver broken = new Receiver().answering(request -> HttpStatus.BAD_GATEWAY)) {
            answered = Hooks.create(admin, ok.url(), "app.billing.credit.granted");
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            for (int grant = 0; grant < 3; grant++) {
                fixtures.grant(org, account, 10);
            }
            assertThat(Receiver.await(() -> deliveries(answered, "delivered") == 3)).isTrue();
            // The fourth grant's event also goes to a webhook that keeps failing: it stays pending.
            failing = Hooks.create(admin, broken.url(), "app.billing.credit.granted");
            fixtures.grant(org, account, 10);
            assertThat(Receiver.await(() -> deliveries(answered, "delivered") == 4 && !broken.received().isEmpty()))
                    .isTrue();
        } finally {
            dispatcher.close();
        }
        assertThat(grantEvents()).isEqualTo(4);
        Instant now = Instant.now();

        assertThat(retentionAt(now.plus(Duration.ofDays(29)), 1_000).purge(10)).isEqualTo(new Retention.Purged(0, 0));
        assertThat(deliveries(answered, "delivered")).isEqualTo(4);

        // Past the retention, one row a batch, at most two batches: two deliveries go, and the events they freed.
        Retention.Purged bounded = retentionAt(now.plus(Duration.ofDays(31)), 1).purge(2);
        assertThat(bounded.deliveries()).isEqualTo(2);
        assertThat(deliveries(answered, "delivered")).isEqualTo(2);

        // Four purges at once (as four processes would) take the rest between them, each row once.
        List<Callable<Retention.Purged>> purges = new ArrayList<>();
        for (int process = 0; process < 4; process++) {
            purges.add(() -> retentionAt(now.plus(Duration.ofDays(31)), 1).purge(100));
        }
        long deliveriesDeleted = bounded.deliveries();
        long eventsDeleted = bounded.events();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (Future<Retention.Purged> result : pool.invokeAll(purges)) {
                deliveriesDeleted += result.get().deliveries();
                eventsDeleted += result.get().events();
            }
        }
        assertThat(deliveriesDeleted).isEqualTo(4);
        assertThat(deliveries(answered, "delivered")).isZero();
        // The fourth grant's event stays while the failing webhook's delivery is pending.
        assertThat(deliveries(failing, "pending")).isEqualTo(1);
        assertThat(eventsDeleted).isEqualTo(3);
        assertThat(grantEvents()).isEqualTo(1);
    }

    @Test
    void theRetentionComesFromTheEnvironment() {
        assertThat(Retention.fromEnvironment(Map.of())).isEqualTo(Duration.ofDays(30));
        assertThat(Retention.fromEnvironment(Map.of("TALLY_WEBHOOK_RETENTION_DAYS", "7"))).isEqualTo(Duration.ofDays(7));
        for (String bad : List.of("0", "-1", "1.5", "seven", "36501")) {
            assertThatThrownBy(() -> Retention.fromEnvironment(Map.of("TALLY_WEBHOOK_RETENTION_DAYS", bad)))
                    .hasMessageContaining("TALLY_WEBHOOK_RETENTION_DAYS");
        }
    }
}
