package dev.tally.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.Optional;

/** An HTTP reply as a test sees it: status, parsed JSON body and headers. */
public record Reply(int status, JsonNode body, String rawBody, HttpHeaders headers) {

    public Reply(int status, JsonNode body, String rawBody) {
        this(status, body, rawBody, HttpHeaders.of(Map.of(), (name, value) -> true));
    }

    public String text(String field) {
        return body.path(field).asText();
    }

    /** The first value of a response header. */
    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    @Override
    public String toString() {
        return status + " " + rawBody;
    }
}
