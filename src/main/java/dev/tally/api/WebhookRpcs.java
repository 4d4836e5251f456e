package dev.tally.api;

import dev.tally.api.proto.CreateWebhookRequest;
import dev.tally.api.proto.CreateWebhookResponse;
import dev.tally.api.proto.DeleteWebhookRequest;
import dev.tally.api.proto.DeleteWebhookResponse;
import dev.tally.api.proto.ListWebhookDeliveriesRequest;
import dev.tally.api.proto.ListWebhookDeliveriesResponse;
import dev.tally.api.proto.ListWebhooksRequest;
import dev.tally.api.proto.ListWebhooksResponse;
import dev.tally.api.proto.RedeliverWebhookEventRequest;
import dev.tally.api.proto.RedeliverWebhookEventResponse;
import dev.tally.api.proto.UpdateBillingAccountAlertsRequest;
import dev.tally.api.proto.UpdateBillingAccountAlertsResponse;
import dev.tally.api.proto.UpdateWebhookRequest;
import dev.tally.api.proto.UpdateWebhookResponse;
import dev.tally.api.proto.WebhookDelivery;
import dev.tally.api.proto.WebhookRequestBody;
import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountSelector;
import dev.tally.webhooks.Delivery;
import dev.tally.webhooks.DeliveryLog;
import dev.tally.webhooks.Webhook;
import dev.tally.webhooks.WebhookAction;
import dev.tally.webhooks.WebhookSpec;
import dev.tally.webhooks.Webhooks;

import java.util.Locale;

/** The webhook and alert RPCs (DESIGN §14), proto in and proto out, for REST and gRPC alike. */
final class WebhookRpcs {
    private final Webhooks webhooks;

    WebhookRpcs(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    CreateWebhookResponse create(Principal principal, CreateWebhookRequest request) {
        Webhook webhook = webhooks.webhooks().create(principal, spec(request.getBody()));
        return CreateWebhookResponse.newBuilder().setWebhook(webhook(webhook, true)).build();
    }

    UpdateWebhookResponse update(Principal principal, UpdateWebhookRequest request) {
        Webhook webhook = webhooks.webhooks().update(principal, BillingAccountRpcs.required("id", request.getId()),
                spec(request.getBody()));
        return UpdateWebhookResponse.newBuilder().setWebhook(webhook(webhook, false)).build();
    }

    DeleteWebhookResponse delete(Principal principal, DeleteWebhookRequest request) {
        webhooks.webhooks().delete(principal, BillingAccountRpcs.required("id", request.getId()));
        return DeleteWebhookResponse.getDefaultInstance();
    }

    ListWebhooksResponse list(Principal principal, ListWebhooksRequest request) {
        var response = ListWebhooksResponse.newBuilder();
        webhooks.webhooks().list(principal).forEach(webhook -> response.addWebhooks(webhook(webhook, false)));
        return response.build();
    }

    ListWebhookDeliveriesResponse deliveries(Principal principal, ListWebhookDeliveriesRequest request) {
        DeliveryLog.Page page = webhooks.deliveryLog().list(principal, BillingAccountRpcs.required("id",
                request.getId()), request.getState(), request.getPageSize(), request.getPageToken());
        var response = ListWebhookDeliveriesResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.deliveries().forEach(delivery -> response.addDeliveries(delivery(delivery)));
        return response.build();
    }

    RedeliverWebhookEventResponse redeliver(Principal principal, RedeliverWebhookEventRequest request) {
        webhooks.deliveryLog().redeliver(principal, BillingAccountRpcs.required("id", request.getId()),
                BillingAccountRpcs.required("event_id", request.getEventId()));
        return RedeliverWebhookEventResponse.getDefaultInstance();
    }

    UpdateBillingAccountAlertsResponse updateAlerts(Principal principal, UpdateBillingAccountAlertsRequest request) {
        webhooks.alerts().setThresholds(principal, AccountSelector.of(BillingAccountRpcs.required("org_id",
                request.getOrgId()), BillingAccountRpcs.required("id", request.getId())),
                request.getBalanceThresholdsList());
        return UpdateBillingAccountAlertsResponse.getDefaultInstance();
    }

    private static WebhookSpec spec(WebhookRequestBody body) {
        return WebhookSpec.of(body.getUrl(), body.getDescription(), body.getSubscribedEventsList(),
                body.getHeadersMap(), body.getState(), ProtoJson.metadata("body.metadata", body.getMetadata()));
    }

    /** A webhook as the API shows it; the secret's value only in CreateWebhook's answer. */
    private static dev.tally.api.proto.Webhook webhook(Webhook webhook, boolean showSecret) {
        WebhookSpec spec = webhook.spec();
        return dev.tally.api.proto.Webhook.newBuilder()
                .setId(webhook.id().toString())
                .setDescription(spec.description())
                .setUrl(spec.url().toString())
                .addAllSubscribedEvents(spec.subscribedEvents().stream().map(WebhookAction::wireName).toList())
                .putAllHeaders(spec.headers())
                .addSecrets(dev.tally.api.proto.Webhook.Secret.newBuilder()
                        .setId(webhook.secretId())
                        .setValue(showSecret ? webhook.secret() : ""))
                .setState(spec.state())
                .setMetadata(ProtoJson.struct(spec.metadata()))
                .setCreatedAt(ProtoMapping.timestamp(webhook.createdAt()))
                .setUpdatedAt(ProtoMapping.timestamp(webhook.updatedAt()))
                .build();
    }

    private static WebhookDelivery delivery(Delivery delivery) {
        return WebhookDelivery.newBuilder()
                .setWebhookId(delivery.webhookId().toString())
                .setEventId(delivery.eventId().toString())
                .setAction(delivery.action())
                .setState(delivery.state().name().toLowerCase(Locale.ROOT))
                .setAttempts(delivery.attempts())
                .setLastStatus(delivery.lastStatus())
                .setLastError(delivery.lastError())
                .setNextAttemptAt(ProtoMapping.timestamp(delivery.nextAttemptAt()))
                .setCreatedAt(ProtoMapping.timestamp(delivery.createdAt()))
                .setUpdatedAt(ProtoMapping.timestamp(delivery.updatedAt()))
                .build();
    }
}
