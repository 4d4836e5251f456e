package dev.tally.auth;

import com.linecorp.armeria.common.RequestContext;
import io.netty.util.AttributeKey;

import java.util.Optional;

/**
 * A principal that a browser session (the operator console) established for the current request,
 * instead of an Authorization header. Only server code can set a request attribute, so a client
 * cannot forge one; the code that sets it has checked the session, its CSRF token and what the
 * session may do.
 */
public final class SessionPrincipal {
    private static final AttributeKey<Principal> KEY = AttributeKey.valueOf(SessionPrincipal.class, "PRINCIPAL");

    private SessionPrincipal() {}

    public static void set(RequestContext context, Principal principal) {
        context.setAttr(KEY, principal);
    }

    /** The session's principal of the request being served, if a session established one. */
    static Optional<Principal> current() {
        RequestContext context = RequestContext.currentOrNull();
        return context == null ? Optional.empty() : Optional.ofNullable(context.attr(KEY));
    }
}
