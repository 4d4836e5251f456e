/**
 * The seam between billing and what reacts to billing changes: {@link dev.tally.billing.events.BillingEventSink},
 * called inside each change's transaction. Billing depends on this interface only; the webhook
 * outbox ({@code dev.tally.webhooks}) implements it.
 */
package dev.tally.billing.events;
