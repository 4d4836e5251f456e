package dev.tally.webhooks;

import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.events.BillingEventSink;
import dev.tally.storage.Database;

import java.time.Clock;

/** The webhook feature wired over one database: what {@code Tally} builds and hands out. */
public final class Webhooks {
    private final Database database;
    private final WebhookRepository webhookRepository = new WebhookRepository();
    private final OutboxRepository outbox = new OutboxRepository();
    private final DeliveryRepository deliveries = new DeliveryRepository();
    private final BillingEvents events;
    private final WebhookService webhooks;
    private final DeliveryLog deliveryLog;
    private final AlertSettings alerts;
    private final Clock clock;

    public Webhooks(Database database, AccountResolver resolver, Clock clock) {
        this.database = database;
        this.clock = clock;
        FirehoseSubscription firehose = new FirehoseSubscription();
        AlertRepository alertRepository = new AlertRepository();
        this.events = new BillingEvents(outbox, alertRepository, firehose, clock);
        this.webhooks = new WebhookService(database, webhookRepository, firehose, clock);
        this.deliveryLog = new DeliveryLog(database, webhookRepository, deliveries,
                DispatcherSettings.DEFAULTS.clock(), DispatcherSettings.DEFAULTS.retryWindow());
        this.alerts = new AlertSettings(database, resolver, alertRepository, clock);
    }

    /** What billing calls inside each change's transaction. */
    public BillingEventSink events() {
        return events;
    }

    public WebhookService webhooks() {
        return webhooks;
    }

    public DeliveryLog deliveryLog() {
        return deliveryLog;
    }

    public AlertSettings alerts() {
        return alerts;
    }

    /** The purge of ended deliveries and their events older than {@code retention} (docs/webhooks.md). */
    public Retention retention(java.time.Duration retention) {
        return new Retention(database, retention, clock);
    }

    /** A new dispatcher over this database, not started. Several may run, in one process or many. */
    public Dispatcher dispatcher(DispatcherSettings settings) {
        return new Dispatcher(database, webhookRepository, outbox, deliveries, settings);
    }
}
