package dev.tally.bench;

import com.linecorp.armeria.common.AggregatedHttpResponse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The firehose workload (DESIGN §14): usage throughput (as in spread) without any webhook, then
 * with a webhook naming the usage.created firehose pointed at a receiver in this process, in one
 * run, both warm ({@link WarmComparison}: the webhook is subscribed for the "with" runs and gone for
 * the others); the ratio is the figure (target at least 0.70). Then waits (bounded) for the
 * receiver to get every event.
 */
final class FirehoseWorkload {
    private final BenchApi api;
    private final WarmComparison.Runner runner;
    private final String dbUrl;
    private final int receiverPort;

    /**
     * {@code dbUrl}: Tally's database for the invariant check, or null to check through the API;
     * {@code receiverPort}: the in-process webhook receiver's port, 0 for any free one.
     */
    FirehoseWorkload(BenchApi api, WarmComparison.Runner runner, String dbUrl, int receiverPort) {
        this.api = api;
        this.runner = runner;
        this.dbUrl = dbUrl;
        this.receiverPort = receiverPort;
    }

    /** Runs both phases on {@code accountCount} accounts and prints them, the ratio, the events and the invariant. */
    boolean run(int accountCount, long credits) throws Exception {
        BenchApi.BenchAccounts accounts = api.createAccounts(accountCount, credits);
        Supplier<CompletableFuture<AggregatedHttpResponse>> request =
                () -> api.usages(accounts, ThreadLocalRandom.current().nextInt(accountCount), 1, null);
        try (FirehoseReceiver receiver = new FirehoseReceiver(receiverPort)) {
            FirehoseWebhook webhook = new FirehoseWebhook(api, receiver);
            WarmComparison.Result result = WarmComparison.run(runner,
                    new WarmComparison.Phase("h. 1 usage/request, no webhook", request, webhook::unsubscribe),
                    new WarmComparison.Phase("h. 1 usage/request, usage.created firehose subscribed",
                            webhook.counting(request), webhook::subscribe));
            LoadResult without = result.first();
            LoadResult with = result.second();
            System.out.println(without.describe());
            System.out.println(with.describe());
            webhook.unsubscribe();
            System.out.printf("%34s usage throughput with / without the firehose, both warm: %.0f / %.0f req/s"
                            + " = %.2f (target >= 0.70)%n", "", with.requestsPerSecond(), without.requestsPerSecond(),
                    result.ratio());
            System.out.printf("%34s usage.created events received: %d of %d usages made while subscribed"
                            + " (%d requests)%n", "", receiver.usageEvents(), webhook.made(), receiver.requests());
            String invariant = InvariantCheck.after(api, dbUrl, accounts);
            System.out.println("    " + invariant);
            return invariant.contains("OK") && without.failed() == 0 && with.failed() == 0
                    && receiver.usageEvents() >= webhook.made();
        }
    }
}
