package dev.tally.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * A caller's free-form JSON object, kept as its JSON text. Tally never interprets it, except to
 * add the reference that a revert leaves in the metadata it copies from the usage.
 */
public record Metadata(String json) {
    public static final int SIZE_MAX_BYTES = 16 * 1024;
    public static final Metadata EMPTY = new Metadata("{}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Metadata {
        if (json == null || json.isEmpty()) {
            json = "{}";
        }
    }

    /** Checks the size limit of metadata that a caller sends. */
    public static Metadata fromCaller(String field, String json) {
        int sizeBytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (sizeBytes > SIZE_MAX_BYTES) {
            throw TallyException.invalidArgument(
                    field + ": " + sizeBytes + " bytes (expected: at most " + SIZE_MAX_BYTES + ")");
        }
        return new Metadata(json);
    }

    /** A copy with {@code key} set to {@code value}, replacing what was there. */
    public Metadata with(String key, String value) {
        try {
            JsonNode node = MAPPER.readTree(json);
            ObjectNode object = node instanceof ObjectNode existing ? existing : MAPPER.createObjectNode();
            object.put(key, value);
            return new Metadata(MAPPER.writeValueAsString(object));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not valid JSON", e);
        }
    }
}
