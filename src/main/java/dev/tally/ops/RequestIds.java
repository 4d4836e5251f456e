package dev.tally.ops;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.common.Ids;
import io.netty.util.AttributeKey;

import java.util.regex.Pattern;

/**
 * {@code X-Request-Id}: the caller's, when it is a plausible id, else a new UUID; returned on the reply
 * and written in the access log, so that one request can be followed from a load balancer's log to ours.
 */
final class RequestIds implements DecoratingHttpServiceFunction {
    static final String HEADER = "x-request-id";
    static final AttributeKey<String> REQUEST_ID = AttributeKey.valueOf(RequestIds.class, "requestId");
    /** What a caller's id may be: it is printed in logs, so no spaces, quotes or control characters. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:+/=-]{1,128}");

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        String given = req.headers().get(HEADER);
        String id = given != null && ACCEPTED.matcher(given).matches() ? given : newId();
        ctx.setAttr(REQUEST_ID, id);
        ctx.addAdditionalResponseHeader(HEADER, id);
        return delegate.serve(ctx, req);
    }

    /** A new request id: it only tells requests apart in logs (see {@link Ids#unguarded}). */
    static String newId() {
        return Ids.unguarded().toString();
    }
}
