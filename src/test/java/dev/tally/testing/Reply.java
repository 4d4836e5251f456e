package dev.tally.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** An HTTP reply as a test sees it: status and parsed JSON body. */
public record Reply(int status, JsonNode body, String rawBody) {

    public String text(String field) {
        return body.path(field).asText();
    }

    @Override
    public String toString() {
        return status + " " + rawBody;
    }
}
