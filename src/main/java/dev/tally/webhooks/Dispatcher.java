package dev.tally.webhooks;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.tally.common.Times;
import dev.tally.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Delivers the outbox: turns new events into deliveries (one per subscribed webhook), claims due
 * deliveries, POSTs each with the webhook's headers and Frontier's signature, and records the
 * outcome: delivered on a 2xx, otherwise retried with exponential backoff until the retry window
 * ends, then failed. Delivery is at least once (a crash between the receiver's answer and the
 * record repeats the attempt, with the same event id). Any number of dispatchers may share a
 * database: claims make one delivery belong to one of them at a time. HTTP runs on Armeria's
 * event loop, never on a billing thread, so a slow receiver costs the ledger nothing.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int FAN_OUT_BATCH = 500;

    private final Database database;
    private final WebhookRepository webhooks;
    private final OutboxRepository outbox;
    private final DeliveryRepository deliveries;
    private final DispatcherSettings settings;
    private final WebClient client;
    private final Semaphore inFlight;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tally-webhook-dispatcher").daemon().factory());
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final Thread recorder;

    Dispatcher(Database database, WebhookRepository webhooks, OutboxRepository outbox, DeliveryRepository deliveries,
               DispatcherSettings settings) {
        this.database = database;
        this.webhooks = webhooks;
        this.outbox = outbox;
        this.deliveries = deliveries;
        this.settings = settings;
        this.inFlight = new Semaphore(settings.inFlightMax());
        this.client = WebClient.builder()
                .responseTimeout(settings.attemptTimeout())
                .writeTimeout(settings.attemptTimeout())
                .maxResponseLength(64 * 1024)
                .build();
        this.recorder = Thread.ofPlatform().name("tally-webhook-recorder").daemon().unstarted(this::recordOutcomes);
    }

    /** Starts polling; returns at once. */
    public Dispatcher start() {
        recorder.start();
        poller.scheduleWithFixedDelay(this::pollQuietly, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops claiming; attempts in flight finish or are claimed again after their lease. */
    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
            // Let attempts in flight report, so that a clean stop leaves few claims to expire.
            inFlight.tryAcquire(settings.inFlightMax(), settings.attemptTimeout().toMillis() + 1_000,
                    TimeUnit.MILLISECONDS);
            while (!outcomes.isEmpty() && recorder.isAlive()) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recorder.interrupt();
    }

    private void pollQuietly() {
        try {
            while (fanOut() == FAN_OUT_BATCH) {
                // a backlog: keep going before looking at deliveries
            }
            while (claimAndSend() > 0 && inFlight.availablePermits() > 0) {
                // more may be due
            }
        } catch (RuntimeException e) {
            // The database may be restarting; the next poll tries again and nothing is lost.
            LOG.warn("Webhook dispatch failed; will try again: {}", e.toString());
        }
    }

    /**
     * Gives new events their deliveries and sends at once those there is room for (made already
     * claimed, in the same transaction); returns how many events it handled.
     */
    int fanOut() {
        int room = inFlight.availablePermits();
        Instant now = Times.now(settings.clock());
        FannedOut fannedOut = database.inTransaction(connection -> {
            List<OutboxEvent> events = outbox.lockUnfannedOut(connection, FAN_OUT_BATCH);
            if (events.isEmpty()) {
                return new FannedOut(0, new Claimed(List.of(), Map.of(), Map.of()));
            }
            List<Webhook> enabled = webhooks.listEnabled(connection);
            List<DeliveryRepository.Claim> claims = deliveries.create(connection, events, enabled, now,
                    now.plus(settings.retryWindow()), room, now.plus(settings.lease()));
            outbox.markFannedOut(connection, events);
            return new FannedOut(events.size(), new Claimed(claims,
                    enabled.stream().collect(Collectors.toMap(Webhook::id, Function.identity())),
                    events.stream().collect(Collectors.toMap(OutboxEvent::id, Function.identity()))));
        });
        sendAll(fannedOut.claimed());
        return fannedOut.events();
    }

    private record FannedOut(int events, Claimed claimed) {}

    /** Claims as many due deliveries as there is room for and starts them; returns how many. */
    private int claimAndSend() {
        int room = inFlight.availablePermits();
        if (room == 0) {
            return 0;
        }
        Instant now = Times.now(settings.clock());
        Claimed claimed = database.inTransaction(connection -> {
            List<DeliveryRepository.Claim> claims = deliveries.claimDue(connection, room, now,
                    now.plus(settings.lease()));
            if (claims.isEmpty()) {
                return new Claimed(claims, Map.of(), Map.of());
            }
            Map<java.util.UUID, Webhook> byId = webhooks.listEnabled(connection).stream()
                    .collect(Collectors.toMap(Webhook::id, Function.identity()));
            return new Claimed(claims, byId, outbox.findAll(connection,
                    claims.stream().map(DeliveryRepository.Claim::eventId).collect(Collectors.toSet())));
        });
        sendAll(claimed);
        return claimed.claims().size();
    }

    private void sendAll(Claimed claimed) {
        for (DeliveryRepository.Claim claim : claimed.claims()) {
            inFlight.acquireUninterruptibly();
            send(claim, claimed.webhooks().get(claim.webhookId()), claimed.events().get(claim.eventId()));
        }
    }

    private record Claimed(List<DeliveryRepository.Claim> claims, Map<java.util.UUID, Webhook> webhooks,
                           Map<java.util.UUID, OutboxEvent> events) {}

    private void send(DeliveryRepository.Claim claim, Webhook webhook, OutboxEvent event) {
        if (webhook == null || event == null) {
            // Disabled or deleted between the claim and now: the lease runs out and it is seen again.
            inFlight.release();
            return;
        }
        byte[] body = DeliveryRequest.body(event);
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, webhook.spec().url().toString())
                .contentType(MediaType.JSON_UTF_8);
        webhook.spec().headers().forEach(headers::add);
        headers.set(Signature.HEADER, Signature.header(webhook.secretId(), webhook.secret(), body));
        try {
            client.execute(HttpRequest.of(headers.build(), HttpData.wrap(body))).aggregate()
                    .whenComplete((response, failure) -> finish(claim, response, failure));
        } catch (RuntimeException e) {
            finish(claim, null, e);
        }
    }

    /** An attempt's outcome, waiting to be written. */
    private record Outcome(DeliveryRepository.Claim claim, Delivery.State state, Instant nextAttemptAt, int status,
                           String error, Instant decidedAt) {}

    private void finish(DeliveryRepository.Claim claim, AggregatedHttpResponse response, Throwable failure) {
        Instant now = Times.now(settings.clock());
        int status = response == null ? 0 : response.status().code();
        Outcome outcome;
        if (failure == null && response.status().isSuccess()) {
            outcome = new Outcome(claim, Delivery.State.DELIVERED, now, status, "", now);
        } else {
            String error = failure != null ? AttemptFailures.describe(failure, settings.attemptTimeout())
                    : "HTTP " + status;
            Instant next = now.plus(settings.backoffAfter(claim.attempts() + 1));
            outcome = now.isBefore(claim.giveUpAt())
                    ? new Outcome(claim, Delivery.State.PENDING, next.isAfter(claim.giveUpAt()) ? claim.giveUpAt() : next,
                            status, error, now)
                    : new Outcome(claim, Delivery.State.FAILED, now, status, error, now);
        }
        outcomes.add(outcome);
        inFlight.release();
    }

    /** Writes outcomes as they come, all that queued up in one transaction. */
    private void recordOutcomes() {
        while (!Thread.currentThread().isInterrupted()) {
            List<Outcome> batch = new ArrayList<>();
            try {
                batch.add(outcomes.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            outcomes.drainTo(batch);
            try {
                database.inTransaction(connection -> {
                    for (Outcome outcome : batch) {
                        deliveries.record(connection, outcome.claim(), outcome.state(), outcome.nextAttemptAt(),
                                outcome.status(), outcome.error(), outcome.decidedAt());
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                // Not recorded: each claim's lease runs out and the delivery is attempted again.
                LOG.warn("Could not record {} webhook attempts; they will be retried: {}", batch.size(), e.toString());
            }
        }
    }
}
