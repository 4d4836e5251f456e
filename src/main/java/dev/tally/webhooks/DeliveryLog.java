package dev.tally.webhooks;

import dev.tally.auth.Principal;
import dev.tally.common.Ids;
import dev.tally.common.PageCursor;
import dev.tally.common.PageTokens;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.common.Times;
import dev.tally.storage.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** The delivery log of a webhook (paged, by state) and redelivery of one event; admins only. */
public final class DeliveryLog {
    public static final int PAGE_SIZE_DEFAULT = 50;
    public static final int PAGE_SIZE_MAX = 500;

    /** A page of the log and where the next one starts (empty on the last page). */
    public record Page(List<Delivery> deliveries, String nextPageToken) {}

    private final Database database;
    private final WebhookRepository webhooks;
    private final DeliveryRepository deliveries;
    private final Clock clock;
    private final Duration retryWindow;

    DeliveryLog(Database database, WebhookRepository webhooks, DeliveryRepository deliveries, Clock clock,
                Duration retryWindow) {
        this.database = database;
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.clock = clock;
        this.retryWindow = retryWindow;
    }

    public Page list(Principal principal, String webhookIdText, String stateText, int pageSize, String pageToken) {
        principal.requireAdmin();
        UUID webhookId = Ids.parse("id", webhookIdText);
        Optional<Delivery.State> state = parseState(stateText);
        if (pageSize < 0 || pageSize > PAGE_SIZE_MAX) {
            throw TallyException.invalidArgument(
                    "page_size: " + pageSize + " (expected: 0 for the default, or 1 to " + PAGE_SIZE_MAX + ")");
        }
        int limit = pageSize == 0 ? PAGE_SIZE_DEFAULT : pageSize;
        PageTokens.Binding binding = pageTokenBinding(webhookId, state);
        Optional<DeliveryRepository.PagePosition> after = pageToken.isEmpty() ? Optional.empty()
                : Optional.of(PageTokens.decode(pageToken, binding)).map(cursor ->
                        new DeliveryRepository.PagePosition(cursor.createdAt(), cursor.id()));
        return database.inTransaction(connection -> {
            if (webhooks.find(connection, webhookId).isEmpty()) {
                throw WebhookService.notFound(webhookId);
            }
            List<Delivery> rows = deliveries.list(connection, webhookId, state, after, limit + 1);
            if (rows.size() <= limit) {
                return new Page(rows, "");
            }
            List<Delivery> page = rows.subList(0, limit);
            Delivery last = page.get(limit - 1);
            return new Page(List.copyOf(page), PageTokens.encode(binding,
                    new PageCursor(last.createdAt(), last.eventId())));
        });
    }

    /** Sends the event to the webhook again, soon, whatever became of earlier attempts. */
    public void redeliver(Principal principal, String webhookIdText, String eventIdText) {
        principal.requireAdmin();
        UUID webhookId = Ids.parse("id", webhookIdText);
        UUID eventId = Ids.parse("event_id", eventIdText);
        Instant now = Times.now(clock);
        database.inTransaction(connection -> {
            if (deliveries.redeliver(connection, webhookId, eventId, now, now.plus(retryWindow))) {
                return null;
            }
            if (!deliveries.exists(connection, webhookId, eventId)) {
                throw TallyException.notFound("event " + eventId + " has no delivery to webhook " + webhookId);
            }
            throw new TallyException(dev.tally.common.ErrorCode.ABORTED,
                    "event " + eventId + " is being delivered right now; try again when this attempt ends");
        });
    }

    private static Optional<Delivery.State> parseState(String state) {
        if (state.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Delivery.State.valueOf(state.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw TallyException.invalidArgument(
                    "state: " + Text.quote(state) + " (expected: pending, delivered or failed)");
        }
    }

    /** A token of this webhook's log under this state filter, so that it is refused on any other. */
    private static PageTokens.Binding pageTokenBinding(UUID webhookId, Optional<Delivery.State> state) {
        String fingerprint = "deliveries|" + state.map(Enum::name).orElse("");
        return new PageTokens.Binding(webhookId, "issued for another webhook", fingerprint,
                "issued for another state filter");
    }
}
