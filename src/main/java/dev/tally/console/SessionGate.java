package dev.tally.console;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.api.ErrorResponses;
import dev.tally.auth.Secrets;
import dev.tally.auth.SessionPrincipal;
import dev.tally.common.ErrorCode;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Lets a console page call the REST API with its session cookie instead of an Authorization
 * header. A request that carries an Authorization header is left alone (the cookie is ignored), as
 * is one whose cookie names no live session: the API then answers 401 as for any anonymous call.
 * For a live session, every method but GET and HEAD must carry the session's CSRF token in
 * {@value #CSRF_HEADER}, and only a platform admin's session may change anything.
 */
final class SessionGate implements DecoratingHttpServiceFunction {
    static final String CSRF_HEADER = "X-CSRF-Token";

    private final ConsoleSessions sessions;

    SessionGate(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        // The header first: an API client's request (every request under load) skips cookie parsing.
        if (req.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
            return delegate.serve(ctx, req);
        }
        Optional<String> token = SessionCookie.token(req);
        if (token.isEmpty()) {
            return delegate.serve(ctx, req);
        }
        // The session lookup uses JDBC: off the event loop, then back on it to serve.
        CompletableFuture<HttpResponse> response = CompletableFuture
                .supplyAsync(() -> sessions.find(token.get()), ctx.blockingTaskExecutor())
                .thenApplyAsync(session -> admit(delegate, ctx, req, session), ctx.eventLoop())
                .exceptionally(ErrorResponses::of);
        return HttpResponse.of(response);
    }

    private static HttpResponse admit(HttpService delegate, ServiceRequestContext ctx, HttpRequest req,
                                      Optional<ConsoleSession> session) {
        if (session.isEmpty()) {
            return serveUnchecked(delegate, ctx, req);
        }
        if (changes(req.method())) {
            if (!csrfTokenMatches(req, session.get())) {
                return ErrorResponses.of(ErrorCode.PERMISSION_DENIED,
                        "the console's CSRF token is missing or wrong: reload the page");
            }
            if (!session.get().mayChange()) {
                return ErrorResponses.of(ErrorCode.PERMISSION_DENIED,
                        "the console is read-only for a service user");
            }
        }
        SessionPrincipal.set(ctx, session.get().principal());
        return serveUnchecked(delegate, ctx, req);
    }

    static boolean changes(HttpMethod method) {
        return method != HttpMethod.GET && method != HttpMethod.HEAD;
    }

    static boolean csrfTokenMatches(HttpRequest req, ConsoleSession session) {
        String presented = req.headers().get(CSRF_HEADER);
        return presented != null && Secrets.hashesEqual(presented, session.csrfToken());
    }

    private static HttpResponse serveUnchecked(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) {
        try {
            return delegate.serve(ctx, req);
        } catch (Exception failure) {
            return ErrorResponses.of(failure);
        }
    }
}
