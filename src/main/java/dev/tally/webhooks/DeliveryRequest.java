package dev.tally.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/** The body of a delivery: Frontier's WebhookEvent as JSON, the same bytes for every webhook and retry. */
final class DeliveryRequest {
    private DeliveryRequest() {}

    static byte[] body(OutboxEvent event) {
        ObjectNode envelope = Json.object();
        envelope.put("id", event.id().toString());
        envelope.put("action", event.action().wireName());
        envelope.set("data", Json.readObject(event.dataJson()));
        envelope.set("metadata", Json.object());
        envelope.put("created_at", event.createdAt().toString());
        return Json.write(envelope).getBytes(StandardCharsets.UTF_8);
    }
}
