package dev.tally.console;

import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;

import java.util.Optional;

/**
 * The console's session cookie. HttpOnly (no script reads it), SameSite=Strict (no other site's
 * page sends it), Secure when served over TLS, Path=/ because the pages call the REST API under
 * /v1beta1/. It has no Max-Age: it ends with the browser, and the server expires it when idle.
 */
final class SessionCookie {
    static final String NAME = "tally_console";

    private SessionCookie() {}

    static Optional<String> token(HttpRequest request) {
        return request.headers().cookies().stream()
                .filter(cookie -> cookie.name().equals(NAME) && !cookie.value().isEmpty())
                .map(Cookie::value)
                .findFirst();
    }

    static String issue(ServiceRequestContext ctx, String token) {
        return builder(ctx, token).build().toSetCookieHeader();
    }

    static String clear(ServiceRequestContext ctx) {
        return builder(ctx, "").maxAge(0).build().toSetCookieHeader();
    }

    private static com.linecorp.armeria.common.CookieBuilder builder(ServiceRequestContext ctx, String value) {
        return Cookie.builder(NAME, value)
                .path("/")
                .httpOnly(true)
                .sameSite("Strict")
                .secure(ctx.sessionProtocol().isTls());
    }
}
