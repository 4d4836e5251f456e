package dev.tally.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.api.ErrorResponses;
import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code /console/api/session}: POST signs in with {@code {"client_id", "client_secret"}} and sets the
 * session cookie; GET tells the page who is signed in and hands it the CSRF token; DELETE (with the
 * CSRF token) signs out. Answers are never cached.
 */
final class SessionEndpoint implements HttpService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIGN_IN_LENGTH_MAX_BYTES = 4096;

    private final ConsoleSessions sessions;

    SessionEndpoint(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.of(req.aggregate().thenApplyAsync(request -> respond(ctx, req, request),
                ctx.blockingTaskExecutor()));
    }

    private HttpResponse respond(ServiceRequestContext ctx, HttpRequest req, AggregatedHttpRequest request) {
        try {
            HttpMethod method = request.method();
            if (method == HttpMethod.POST) {
                return signIn(ctx, request);
            }
            Optional<ConsoleSession> session = SessionCookie.token(req).flatMap(sessions::find);
            if (session.isEmpty()) {
                return ErrorResponses.of(ErrorCode.UNAUTHENTICATED, "not signed in");
            }
            if (method == HttpMethod.GET) {
                return json(ResponseHeaders.builder(HttpStatus.OK), describe(session.get(), sessions.now()));
            }
            if (method == HttpMethod.DELETE) {
                if (!SessionGate.csrfTokenMatches(req, session.get())) {
                    return ErrorResponses.of(ErrorCode.PERMISSION_DENIED,
                            "the console's CSRF token is missing or wrong: reload the page");
                }
                sessions.signOut(SessionCookie.token(req).orElseThrow());
                return json(ResponseHeaders.builder(HttpStatus.OK)
                        .add(HttpHeaderNames.SET_COOKIE, SessionCookie.clear(ctx)), JSON.createObjectNode());
            }
            return ErrorResponses.of(HttpStatus.METHOD_NOT_ALLOWED, ErrorCode.INVALID_ARGUMENT,
                    "method: " + method + " (expected: GET, POST or DELETE)");
        } catch (RuntimeException failure) {
            return ErrorResponses.of(failure);
        }
    }

    private HttpResponse signIn(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        // A JSON body cannot be sent by another site's plain HTML form, which keeps sign-in itself
        // out of reach of cross-site requests.
        MediaType type = request.contentType();
        if (type == null || !type.is(MediaType.JSON)) {
            throw TallyException.invalidArgument("sign-in needs a JSON body {\"client_id\", \"client_secret\"}");
        }
        if (request.content().length() > SIGN_IN_LENGTH_MAX_BYTES) {
            throw TallyException.invalidArgument("sign-in body: longer than " + SIGN_IN_LENGTH_MAX_BYTES + " bytes");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.contentUtf8());
        } catch (IOException e) {
            throw TallyException.invalidArgument("sign-in body is not valid JSON");
        }
        String clientId = text(body, "client_id");
        String clientSecret = text(body, "client_secret");
        ConsoleSessions.SignedIn signedIn;
        try {
            signedIn = sessions.signIn(clientId, clientSecret);
        } catch (TallyException e) {
            if (e.code() == ErrorCode.UNAUTHENTICATED) {
                throw TallyException.unauthenticated("the client id or secret is wrong");
            }
            throw e;
        }
        return json(ResponseHeaders.builder(HttpStatus.OK)
                .add(HttpHeaderNames.SET_COOKIE, SessionCookie.issue(ctx, signedIn.token())),
                describe(signedIn.session(), sessions.now()));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw TallyException.invalidArgument(field + ": required");
        }
        return value.asText();
    }

    /** What the page needs: its CSRF token and what it may show. */
    private static ObjectNode describe(ConsoleSession session, Instant serverTime) {
        ObjectNode node = JSON.createObjectNode();
        node.put("csrf_token", session.csrfToken());
        node.put("service_user_id", session.principal().serviceUserId().toString());
        node.put("platform_admin", session.principal().platformAdmin());
        node.put("org_id", session.principal().organizationId().map(Object::toString).orElse(""));
        node.put("server_time", serverTime.toString());
        return node;
    }

    private static HttpResponse json(com.linecorp.armeria.common.ResponseHeadersBuilder headers, ObjectNode body) {
        return HttpResponse.of(headers.contentType(MediaType.JSON_UTF_8)
                .add(HttpHeaderNames.CACHE_CONTROL, "no-store").build(),
                com.linecorp.armeria.common.HttpData.ofUtf8(body.toString()));
    }
}
