package dev.tally.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.tally.common.TallyException;
import dev.tally.common.Text;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a request's JSON against its message before {@code JsonFormat} reads it. JsonFormat is
 * lenient where a billing API must not be: it takes 12 for a string, true for a string and [5]
 * for a single amount, and rolls 2026-02-30 into March. DESIGN §2 says a field of the wrong type
 * is a 400, so this refuses them, and refuses text the databases cannot store as sent. Unknown
 * fields are ignored. Every JSON body, REST or Connect, passes through here.
 */
final class JsonTypeCheck {
    /**
     * Every message's names, looked up once: {@code findFieldByName} builds the field's full name per
     * call, for every field of every request. Proto names go in first, so one wins over a JSON name
     * that equals it; among JSON names, the first field in declaration order wins, as the search did.
     */
    private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS_BY_NAME = new ConcurrentHashMap<>();

    private JsonTypeCheck() {}

    static void check(JsonNode object, Descriptor message, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            FieldDescriptor field = find(message, entry.getKey());
            if (field != null && !entry.getValue().isNull()) {
                checkField(field, entry.getValue(), path + entry.getKey());
            }
        }
    }

    /** The field a JSON name means: by proto name, then by JSON name (as JsonFormat reads both). */
    static FieldDescriptor find(Descriptor message, String name) {
        Map<String, FieldDescriptor> byName = FIELDS_BY_NAME.get(message);
        if (byName == null) {
            byName = FIELDS_BY_NAME.computeIfAbsent(message, JsonTypeCheck::fieldsByName);
        }
        return byName.get(name);
    }

    private static Map<String, FieldDescriptor> fieldsByName(Descriptor message) {
        Map<String, FieldDescriptor> byName = new HashMap<>();
        for (FieldDescriptor field : message.getFields()) {
            byName.put(field.getName(), field);
        }
        for (FieldDescriptor field : message.getFields()) {
            byName.putIfAbsent(field.getJsonName(), field);
        }
        return Map.copyOf(byName);
    }

    private static void checkField(FieldDescriptor field, JsonNode value, String path) {
        if (field.isMapField()) {
            checkMap(field, value, path);
            return;
        }
        if (field.isRepeated()) {
            if (!value.isArray()) {
                throw wrongType(path, "an array");
            }
            int index = 0;
            for (JsonNode element : value) {
                checkValue(field, element, path + "[" + index++ + "]");
            }
            return;
        }
        checkValue(field, value, path);
    }

    /** A map field (webhook headers) is a JSON object: keys are text, values checked as the map's value type. */
    private static void checkMap(FieldDescriptor field, JsonNode value, String path) {
        if (!value.isObject()) {
            throw wrongType(path, "a JSON object");
        }
        FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
        Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            requireStorable(entry.getKey(), path);
            checkValue(valueField, entry.getValue(), path + "." + entry.getKey());
        }
    }

    private static void checkValue(FieldDescriptor field, JsonNode value, String path) {
        switch (field.getJavaType()) {
            case STRING -> requireText(value, path);
            case INT, LONG -> {
                if (!value.isIntegralNumber() && !(value.isTextual() && isInteger(value.asText()))) {
                    throw wrongType(path, "an integer (a number or a string of digits)");
                }
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw wrongType(path, "true or false");
                }
            }
            case FLOAT, DOUBLE -> {
                if (!value.isNumber() && !value.isTextual()) {
                    throw wrongType(path, "a number");
                }
            }
            case ENUM, BYTE_STRING -> {
                if (!value.isTextual() && !value.isIntegralNumber()) {
                    throw wrongType(path, "a string");
                }
            }
            case MESSAGE -> checkMessage(field.getMessageType(), value, path);
        }
    }

    /** {@code -?[0-9]+}, without compiling a pattern per value: int64 amounts arrive as strings on every usage. */
    static boolean isInteger(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start) {
            return false;
        }
        for (int index = start; index < text.length(); index++) {
            char c = text.charAt(index);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static void checkMessage(Descriptor type, JsonNode value, String path) {
        String name = type.getFullName();
        if (name.equals(Timestamp.getDescriptor().getFullName())) {
            requireText(value, path);
            requireRealTimestamp(path, value.asText());
        } else if (name.equals(Struct.getDescriptor().getFullName())) {
            if (!value.isObject()) {
                throw wrongType(path, "a JSON object");
            }
            requireStorableJson(value, path);
        } else if (name.equals(Value.getDescriptor().getFullName())) {
            requireStorableJson(value, path);
        } else {
            if (!value.isObject()) {
                throw wrongType(path, "a JSON object");
            }
            check(value, type, path + ".");
        }
    }

    /**
     * Refuses dates that do not exist. JsonFormat rolls "2026-02-30" over into March; a caller who
     * sent it made a mistake that deserves a 400, not a silently shifted range.
     */
    static void requireRealTimestamp(String path, String value) {
        try {
            OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw TallyException.invalidArgument(
                    path + ": " + Text.quote(value)
                            + " (expected: an RFC 3339 timestamp such as 2026-01-31T00:00:00Z)");
        }
    }

    private static void requireText(JsonNode value, String path) {
        if (!value.isTextual()) {
            throw wrongType(path, "a string");
        }
        requireStorable(value.asText(), path);
    }

    private static void requireStorable(String text, String path) {
        Text.checkStorable(path, text);
    }

    /** Free-form JSON (metadata): any shape, with storable text in its keys and strings. */
    private static void requireStorableJson(JsonNode value, String path) {
        if (value.isTextual()) {
            requireStorable(value.asText(), path);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            requireStorable(entry.getKey(), path);
            requireStorableJson(entry.getValue(), path);
        }
        if (value.isArray()) {
            value.forEach(element -> requireStorableJson(element, path));
        }
    }

    private static TallyException wrongType(String path, String expected) {
        return TallyException.invalidArgument(path + ": wrong type (expected: " + expected + ")");
    }
}
