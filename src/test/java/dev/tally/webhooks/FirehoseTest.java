package dev.tally.webhooks;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** usage.created is written only while a webhook names it, and sent only to those that do. */
class FirehoseTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    @Test
    void usageEventsAreWrittenOnlyWhileAWebhookNamesThemAndGoOnlyToIt() {
        Dispatcher dispatcher = SERVER.tally().webhooks().dispatcher(Hooks.FAST).start();
        try (Receiver everything = new Receiver(); Receiver firehose = new Receiver()) {
            Hooks.create(admin, everything.url()); // empty subscription: all but the firehose
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            fixtures.grant(org, account, 100);

            fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 1);
            long writtenWithoutSubscriber = Hooks.outboxCount(SERVER, "app.billing.usage.created", account);
            Hooks.Created named = Hooks.create(admin, firehose.url(), "app.billing.usage.created");
            String usageId = UUID.randomUUID().toString();
            fixtures.reportUsage(admin, org, account, usageId, 2);

            assertThat(writtenWithoutSubscriber).isZero();
            assertThat(Receiver.await(() -> firehose.received("app.billing.usage.created").size() == 1)).isTrue();
            Receiver.Received usage = firehose.received("app.billing.usage.created").get(0);
            assertThat(usage.signatureVerifies(named.secret())).isTrue();
            assertThat(usage.event().path("data").path("transaction").path("id").asText()).isEqualTo(usageId);
            assertThat(usage.event().path("data").path("balance").asText()).isEqualTo("97");
            assertThat(Receiver.await(() -> !everything.received("app.billing.credit.granted").isEmpty())).isTrue();
            assertThat(everything.received("app.billing.usage.created")).isEmpty();
            assertThat(firehose.received()).extracting(Receiver.Received::action)
                    .containsOnly("app.billing.usage.created");
        } finally {
            dispatcher.close();
        }
    }
}
