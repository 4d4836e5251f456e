package dev.tally.api;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.api.proto.CreateWebhookRequest;
import dev.tally.api.proto.DeleteWebhookRequest;
import dev.tally.api.proto.ListWebhookDeliveriesRequest;
import dev.tally.api.proto.ListWebhooksRequest;
import dev.tally.api.proto.RedeliverWebhookEventRequest;
import dev.tally.api.proto.UpdateBillingAccountAlertsRequest;
import dev.tally.api.proto.UpdateWebhookRequest;
import dev.tally.auth.Authenticator;
import dev.tally.idempotency.IdempotencyService;

import java.util.function.Supplier;

import static dev.tally.api.RequestBinder.BodyShape.BODY_FIELD;
import static dev.tally.api.RequestBinder.BodyShape.NONE;
import static dev.tally.api.RequestBinder.BodyShape.WHOLE;

/** The REST paths of the webhook and alert RPCs (DESIGN §14), beside {@link RestRoutes}. */
final class WebhookRoutes {
    private static final String WEBHOOKS = "/v1beta1/admin/webhooks";

    private final Authenticator authenticator;
    private final IdempotencyService idempotency;
    private final WebhookRpcs webhooks;

    WebhookRoutes(Authenticator authenticator, IdempotencyService idempotency, WebhookRpcs webhooks) {
        this.authenticator = authenticator;
        this.idempotency = idempotency;
        this.webhooks = webhooks;
    }

    void register(ServerBuilder server) {
        route(server, HttpMethod.POST, WEBHOOKS, CreateWebhookRequest::newBuilder, BODY_FIELD, webhooks::create);
        route(server, HttpMethod.GET, WEBHOOKS, ListWebhooksRequest::newBuilder, NONE, webhooks::list);
        route(server, HttpMethod.PUT, WEBHOOKS + "/{id}", UpdateWebhookRequest::newBuilder, BODY_FIELD,
                webhooks::update);
        route(server, HttpMethod.DELETE, WEBHOOKS + "/{id}", DeleteWebhookRequest::newBuilder, NONE,
                webhooks::delete);
        route(server, HttpMethod.GET, WEBHOOKS + "/{id}/deliveries", ListWebhookDeliveriesRequest::newBuilder, NONE,
                webhooks::deliveries);
        route(server, HttpMethod.POST, WEBHOOKS + "/{id}/deliveries/{event_id}/redeliver",
                RedeliverWebhookEventRequest::newBuilder, WHOLE, webhooks::redeliver);
        route(server, HttpMethod.PUT, "/v1beta1/admin/organizations/{org_id}/billing/{id}/alerts",
                UpdateBillingAccountAlertsRequest::newBuilder, WHOLE, webhooks::updateAlerts);
    }

    private <Q extends Message> void route(ServerBuilder server, HttpMethod method, String path,
                                           Supplier<Message.Builder> newRequest, RequestBinder.BodyShape shape,
                                           RestEndpoint.Rpc<Q> rpc) {
        server.service(Route.builder().path(path).methods(method).build(),
                new RestEndpoint<>(authenticator, idempotency, newRequest, shape, rpc));
    }
}
