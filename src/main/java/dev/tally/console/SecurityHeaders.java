package dev.tally.console;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Headers on every console response. The Content-Security-Policy allows scripts, styles and calls
 * only from this server, no inline script or style, no plugins, and no framing (clickjacking).
 */
final class SecurityHeaders implements DecoratingHttpServiceFunction {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self';"
            + " base-uri 'none'; frame-ancestors 'none'";

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        return delegate.serve(ctx, req).mapHeaders(SecurityHeaders::add);
    }

    private static ResponseHeaders add(ResponseHeaders headers) {
        return headers.toBuilder()
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
                .set(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff")
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set(HttpHeaderNames.REFERRER_POLICY, "no-referrer")
                .build();
    }
}
