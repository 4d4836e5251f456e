/**
 * Billing webhooks and balance alerts (DESIGN §14). Billing changes call {@link dev.tally.webhooks.BillingEvents}
 * inside their own transaction, which writes events to the outbox table; a {@link dev.tally.webhooks.Dispatcher}
 * turns them into deliveries and POSTs them, signed ({@link dev.tally.webhooks.Signature}), at least once.
 * Start at {@link dev.tally.webhooks.Webhooks}, which wires the package.
 */
package dev.tally.webhooks;
