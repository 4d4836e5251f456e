package dev.tally.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.testing.TallyClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** Signs in to the console over plain HTTP, as a browser would, and keeps what the browser would keep. */
record ConsoleLogin(String setCookie, String cookie, String csrfToken, JsonNode body) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> signInResponse(URI base, String clientId, String secret) {
        String body = JSON.createObjectNode().put("client_id", clientId).put("client_secret", secret).toString();
        return send(HttpRequest.newBuilder(base.resolve("/console/api/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static ConsoleLogin signIn(URI base, String clientId, String secret) {
        HttpResponse<String> response = signInResponse(base, clientId, secret);
        if (response.statusCode() != 200) {
            throw new AssertionError("sign-in failed: " + response.statusCode() + " " + response.body());
        }
        String setCookie = response.headers().firstValue("set-cookie").orElseThrow();
        JsonNode body = parse(response.body());
        return new ConsoleLogin(setCookie, setCookie.substring(0, setCookie.indexOf(';')),
                body.path("csrf_token").asText(), body);
    }

    /** Signs in with the credential inside a Basic Authorization header value. */
    static ConsoleLogin signIn(URI base, String basicAuthorization) {
        String decoded = new String(Base64.getDecoder().decode(basicAuthorization.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return signIn(base, decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /** A client that sends only this session's cookie: no Authorization, no CSRF token. */
    TallyClient withoutCsrf(TallyClient anyClient) {
        return anyClient.withAuthorization(null).withHeader("Cookie", cookie);
    }

    /** A client that sends the cookie and the CSRF token, as the console's pages do. */
    TallyClient client(TallyClient anyClient) {
        return withoutCsrf(anyClient).withHeader(SessionGate.CSRF_HEADER, csrfToken);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }
}
