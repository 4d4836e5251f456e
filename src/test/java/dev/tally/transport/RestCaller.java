package dev.tally.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.tally.api.proto.AddBillingCreditsRequest;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.CaptureBillingHoldRequest;
import dev.tally.api.proto.CheckCreditEntitlementRequest;
import dev.tally.api.proto.CreateBillingHoldRequest;
import dev.tally.api.proto.DisableBillingAccountRequest;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.RevertBillingUsageRequest;
import dev.tally.common.ErrorCode;
import dev.tally.testing.Reply;
import io.grpc.MethodDescriptor;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** Frontier's gateway paths (DESIGN §3) for the RPCs the behaviour suite calls, with protojson bodies. */
final class RestCaller implements Transport.Caller {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public <Q extends Message, R extends Message> Outcome call(URI base, MethodDescriptor<Q, R> method, Q request,
                                                                Map<String, String> headers) {
        WebClient client = WebClient.of("h1c://" + base.getHost() + ":" + base.getPort());
        Http http = (httpMethod, path, body) -> {
            RequestHeadersBuilder sent = RequestHeaders.builder(httpMethod, path);
            headers.forEach(sent::set);
            if (body != null) {
                sent.contentType(MediaType.JSON);
            }
            return client.execute(HttpRequest.of(sent.build(), body == null ? HttpData.empty() : HttpData.ofUtf8(body)))
                    .aggregate().join();
        };
        AggregatedHttpResponse raw = send(http, method, request);
        boolean replayed = "true".equals(raw.headers().get("idempotent-replayed"));
        Reply reply = new Reply(raw.status().code(), parse(raw.contentUtf8()), raw.contentUtf8());
        if (reply.status() == 200) {
            Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getResponseMarshaller())
                    .getMessagePrototype();
            Message.Builder response = prototype.newBuilderForType();
            try {
                JsonFormat.parser().merge(reply.rawBody(), response);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("not a protojson reply: " + reply, e);
            }
            return Outcome.answered(response.build(), 200, replayed);
        }
        ErrorCode code = ErrorCode.fromGrpcCode(reply.body().path("code").asInt())
                .orElseThrow(() -> new AssertionError("not the error shape: " + reply));
        return Outcome.refused(code, reply.body().path("message").asText(), reply.status(), replayed, reply.rawBody());
    }

    private static AggregatedHttpResponse send(Http client, MethodDescriptor<?, ?> method, Message request) {
        String name = method.getFullMethodName();
        if (name.equals(FrontierServiceGrpc.getCreateBillingUsageMethod().getFullMethodName())) {
            return client.send(HttpMethod.POST, "/v1beta1/organizations/billing/usages", json(request));
        }
        if (name.equals(AdminServiceGrpc.getRevertBillingUsageMethod().getFullMethodName())) {
            RevertBillingUsageRequest revert = (RevertBillingUsageRequest) request;
            return client.send(HttpMethod.POST, "/v1beta1/admin/organizations/" + revert.getOrgId() + "/billing/"
                    + revert.getBillingId() + "/usage/" + revert.getUsageId() + "/revert",
                    "{\"amount\":\"" + revert.getAmount() + "\"}");
        }
        if (name.equals(FrontierServiceGrpc.getGetBillingBalanceMethod().getFullMethodName())) {
            GetBillingBalanceRequest balance = (GetBillingBalanceRequest) request;
            return client.send(HttpMethod.GET, "/v1beta1/organizations/" + balance.getOrgId() + "/billing/"
                    + balance.getId()
                    + "/balance", null);
        }
        if (name.equals(FrontierServiceGrpc.getDisableBillingAccountMethod().getFullMethodName())) {
            DisableBillingAccountRequest disable = (DisableBillingAccountRequest) request;
            return client.send(HttpMethod.POST, "/v1beta1/organizations/" + disable.getOrgId() + "/billing/"
                    + disable.getId()
                    + "/disable", "{}");
        }
        if (name.equals(FrontierServiceGrpc.getCheckCreditEntitlementMethod().getFullMethodName())) {
            return client.send(HttpMethod.POST, "/v1beta1/billing/check",
                    json((CheckCreditEntitlementRequest) request));
        }
        if (name.equals(AdminServiceGrpc.getAddBillingCreditsMethod().getFullMethodName())) {
            AddBillingCreditsRequest credits = (AddBillingCreditsRequest) request;
            return client.send(HttpMethod.POST, "/v1beta1/admin/organizations/" + credits.getOrgId() + "/billing/"
                    + credits.getBillingId() + "/credits", json(credits));
        }
        if (name.equals(FrontierServiceGrpc.getCreateBillingHoldMethod().getFullMethodName())) {
            CreateBillingHoldRequest hold = (CreateBillingHoldRequest) request;
            return client.send(HttpMethod.POST, "/v1beta1/organizations/" + hold.getOrgId() + "/billing/"
                    + hold.getBillingId() + "/holds", json(hold.toBuilder().clearOrgId().clearBillingId().build()));
        }
        if (name.equals(FrontierServiceGrpc.getCaptureBillingHoldMethod().getFullMethodName())) {
            CaptureBillingHoldRequest capture = (CaptureBillingHoldRequest) request;
            return client.send(HttpMethod.POST, "/v1beta1/organizations/" + capture.getOrgId() + "/billing/"
                    + capture.getBillingId() + "/holds/" + capture.getId() + "/capture",
                    json(capture.toBuilder().clearOrgId().clearBillingId().clearId().build()));
        }
        throw new IllegalArgumentException("no REST path in this suite for " + name);
    }

    /** One HTTP exchange. */
    @FunctionalInterface
    private interface Http {
        AggregatedHttpResponse send(HttpMethod method, String path, String body);
    }

    private static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static String json(Message request) {
        try {
            return JsonFormat.printer().preservingProtoFieldNames().print(request);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

}
