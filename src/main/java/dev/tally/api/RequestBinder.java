package dev.tally.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.QueryParams;
import dev.tally.common.TallyException;

import java.io.IOException;
import java.util.Map;

/**
 * Fills a request message from an HTTP request the way Frontier's gateway does: the JSON body,
 * then query parameters named like fields, then path parameters, which win. The body is parsed
 * once: the tree is checked ({@link JsonTypeCheck}) and merged into the message as it is
 * ({@link JsonTreeMerger}).
 */
final class RequestBinder {
    /** Where an RPC's body goes in its request message. */
    enum BodyShape {
        /** No body is read (GET). */
        NONE,
        /** The body is the request message itself ({@code body: "*"}). */
        WHOLE,
        /**
         * The body belongs in the field {@code body}. Sent as {@code {"body": {...}}} (DESIGN) or
         * as the bare inner object (Frontier's clients); both are accepted.
         */
        BODY_FIELD
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RequestBinder() {}

    static <B extends Message.Builder> B bind(B builder, BodyShape shape, String body, QueryParams query,
                                              Map<String, String> pathParams) {
        ObjectNode json = shape == BodyShape.NONE ? MAPPER.createObjectNode() : parseBody(body, shape);
        query.names().forEach(name -> {
            FieldDescriptor field = builder.getDescriptorForType().findFieldByName(name);
            if (field != null && !field.isRepeated()) {
                String value = query.get(name);
                if (field.getJavaType() == FieldDescriptor.JavaType.BOOLEAN
                        && (value.equals("true") || value.equals("false"))) {
                    json.put(name, Boolean.parseBoolean(value)); // a query string has no JSON types
                } else {
                    json.put(name, value);
                }
            }
        });
        pathParams.forEach(json::put);
        JsonTypeCheck.check(json, builder.getDescriptorForType(), "");
        try {
            JsonTreeMerger.merge(MAPPER, json, builder);
        } catch (IOException e) {
            throw TallyException.invalidArgument("invalid request: " + describe(e));
        } catch (RuntimeException e) {
            // A reader may report a value that does not fit its field as an unchecked exception.
            throw TallyException.invalidArgument("invalid request: a field has a value of the wrong type");
        }
        return builder;
    }

    private static ObjectNode parseBody(String body, BodyShape shape) {
        if (body.isBlank()) {
            return MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw TallyException.invalidArgument("invalid request body: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw TallyException.invalidArgument("invalid request body: expected a JSON object");
        }
        if (shape == BodyShape.BODY_FIELD && !object.has("body")) {
            ObjectNode wrapped = MAPPER.createObjectNode();
            wrapped.set("body", object);
            return wrapped;
        }
        return object;
    }

    private static String describe(Exception e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        // The first line: a reader may append where in its (internal) token stream it stopped.
        return message == null || message.isBlank() ? "malformed" : message.lines().findFirst().orElseThrow();
    }
}
