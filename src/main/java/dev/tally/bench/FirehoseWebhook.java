package dev.tally.bench;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The firehose workload's webhook: naming {@code app.billing.usage.created}, pointed at the bench's
 * own receiver, subscribed for the "with" phases and gone for the "without" ones. Each usage
 * answered 200 while subscribed is one event the receiver must get; before unsubscribing it waits
 * (bounded) until the receiver has them all, so no delivery of one phase runs during the next.
 */
final class FirehoseWebhook {
    private static final Duration DRAIN_MAX = Duration.ofSeconds(120);

    private final BenchApi api;
    private final FirehoseReceiver receiver;
    private final LongAdder made = new LongAdder();
    private String webhookId;

    FirehoseWebhook(BenchApi api, FirehoseReceiver receiver) {
        this.api = api;
        this.receiver = receiver;
    }

    void subscribe() {
        if (webhookId == null) {
            webhookId = api.call(HttpMethod.POST, "/v1beta1/admin/webhooks", "{\"body\":{\"url\":\""
                    + receiver.url() + "\",\"description\":\"bench firehose\",\"subscribed_events\":"
                    + "[\"app.billing.usage.created\"],\"state\":\"enabled\"}}").path("webhook").path("id").asText();
        }
    }

    /** Waits for every event made so far, then deletes the webhook; a no-op when not subscribed. */
    void unsubscribe() throws InterruptedException {
        if (webhookId == null) {
            return;
        }
        awaitDelivered();
        api.call(HttpMethod.DELETE, "/v1beta1/admin/webhooks/" + webhookId, null);
        webhookId = null;
    }

    /** Whether the receiver got every event made while subscribed, waiting up to {@link #DRAIN_MAX}. */
    boolean awaitDelivered() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_MAX.toNanos();
        while (receiver.usageEvents() < made.sum() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        return receiver.usageEvents() >= made.sum();
    }

    /** The usages answered 200 while subscribed: each is one event to receive. */
    long made() {
        return made.sum();
    }

    /** {@code request}, counting each usage it makes while subscribed. */
    Supplier<CompletableFuture<AggregatedHttpResponse>> counting(
            Supplier<CompletableFuture<AggregatedHttpResponse>> request) {
        return () -> request.get().thenApply(reply -> {
            if (reply.status().code() == 200) {
                made.increment();
            }
            return reply;
        });
    }
}
