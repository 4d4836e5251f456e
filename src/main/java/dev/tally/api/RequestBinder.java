package dev.tally.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.QueryParams;
import com.google.protobuf.Timestamp;
import dev.tally.common.TallyException;
import dev.tally.common.Text;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import java.util.Map;

/**
 * Fills a request message from an HTTP request the way Frontier's gateway does: the JSON body,
 * then query parameters named like fields, then path parameters, which win.
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
                if (isTimestamp(field)) {
                    checkTimestamp(name, value);
                }
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
            ProtoJson.PARSER.merge(MAPPER.writeValueAsString(json), builder);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw TallyException.invalidArgument("invalid request: " + describe(e));
        } catch (RuntimeException e) {
            // JsonFormat reports some type mismatches as unchecked exceptions.
            throw TallyException.invalidArgument("invalid request: a field has a value of the wrong type");
        }
        return builder;
    }

    private static boolean isTimestamp(FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && field.getMessageType().getFullName().equals(Timestamp.getDescriptor().getFullName());
    }

    /**
     * Refuses dates that do not exist. JsonFormat rolls "2026-02-30" over into March; a caller who
     * sent it made a mistake that deserves a 400, not a silently shifted range.
     */
    private static void checkTimestamp(String field, String value) {
        try {
            OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw TallyException.invalidArgument(
                    field + ": " + Text.quote(value) + " (expected: an RFC 3339 timestamp such as 2026-01-31T00:00:00Z)");
        }
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
        return message == null ? "malformed" : message;
    }
}
