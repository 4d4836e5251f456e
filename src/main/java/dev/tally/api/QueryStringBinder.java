package dev.tally.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.linecorp.armeria.common.QueryParams;
import dev.tally.common.TallyException;
import dev.tally.common.Text;

import org.curioswitch.common.protobuf.json.MessageMarshaller;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binds a GET's query string and path parameters straight to its request message, for the reads
 * that run on every page of a console (a page of history, the balance at an instant, a usage
 * summary). {@link RequestBinder} builds a JSON tree of the same values, checks it and merges it
 * through a reader generated per type: about a tenth of a page's server CPU for a handful of
 * strings. The result must be what that path gives, message or error, so this handles only the
 * plain case itself: every value of the kind its field takes (storable text; an integer that fits;
 * true or false; a real RFC 3339 time that JsonFormat reads). Anything else (a value that would be
 * refused, two names for one field) is bound again by {@link RequestBinder}, which then answers
 * its own error, so every rule and message of that path stays in one place.
 * QueryStringBinderTest compares the two on many random query strings.
 */
final class QueryStringBinder {
    /**
     * The tree path's own reader of a Timestamp: it refuses some times JsonFormat's Timestamps.parse
     * takes (a fraction before 1970), so the same reader decides here.
     */
    private static final MessageMarshaller TIMESTAMPS = MessageMarshaller.builder()
            .register(Timestamp.getDefaultInstance()).build();

    private QueryStringBinder() {}

    /** True when every field of {@code type} is of a kind this binder reads; else use {@link RequestBinder}. */
    static boolean supports(Descriptor type) {
        return type.getFields().stream().allMatch(field -> field.isRepeated() || isPlain(field));
    }

    private static boolean isPlain(FieldDescriptor field) {
        return switch (field.getType()) {
            case STRING, INT32, INT64, BOOL -> true;
            case MESSAGE -> field.getMessageType().getFullName().equals(Timestamp.getDescriptor().getFullName());
            default -> false;
        };
    }

    static Message bind(Message prototype, QueryParams query, Map<String, String> pathParams) {
        Descriptor type = prototype.getDescriptorForType();
        // As in RequestBinder: query parameters named like a field (proto name, first value), then
        // path parameters (proto or JSON name), which win.
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : query.names()) {
            FieldDescriptor field = type.findFieldByName(name);
            if (field != null && !field.isRepeated()) {
                values.put(name, query.get(name));
            }
        }
        values.putAll(pathParams);
        Message.Builder builder = prototype.newBuilderForType();
        Map<FieldDescriptor, String> boundBy = new HashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            FieldDescriptor field = JsonTypeCheck.find(type, entry.getKey());
            if (field == null) {
                continue; // an unknown name is ignored, as by the tree path
            }
            if (field.isRepeated() || boundBy.put(field, entry.getKey()) != null || !set(builder, field,
                    entry.getKey(), entry.getValue())) {
                return RequestBinder.bind(prototype.newBuilderForType(), RequestBinder.BodyShape.NONE, "", query,
                        pathParams).build();
            }
        }
        return builder.build();
    }

    /** Sets a plain value and answers true, or answers false for anything the tree path must judge. */
    private static boolean set(Message.Builder builder, FieldDescriptor field, String name, String value) {
        switch (field.getType()) {
            case STRING -> {
                if (!isStorable(name, value)) {
                    return false;
                }
                builder.setField(field, value);
            }
            case INT32 -> {
                if (!JsonTypeCheck.isInteger(value) || value.length() > 11) {
                    return false;
                }
                long number = Long.parseLong(value);
                if (number != (int) number) {
                    return false;
                }
                builder.setField(field, (int) number);
            }
            case INT64 -> {
                if (!JsonTypeCheck.isInteger(value) || value.length() > 18) {
                    return false; // 18 digits always fit; longer ones are left to the tree path's rules
                }
                builder.setField(field, Long.parseLong(value));
            }
            case BOOL -> {
                if (!value.equals("true") && !value.equals("false")) {
                    return false;
                }
                builder.setField(field, value.equals("true"));
            }
            case MESSAGE -> {
                Timestamp time = timestamp(name, value);
                if (time == null) {
                    return false;
                }
                builder.setField(field, time);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean isStorable(String name, String value) {
        try {
            Text.checkStorable(name, value);
            return true;
        } catch (TallyException refused) {
            return false;
        }
    }

    /** The time both checks of the tree path accept (a real RFC 3339 date, then its reader), or null. */
    private static Timestamp timestamp(String name, String value) {
        try {
            JsonTypeCheck.requireRealTimestamp(name, value);
        } catch (TallyException refused) {
            return null;
        }
        if (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) {
            return null; // never past the check above; the reader below is given the value as a JSON string
        }
        Timestamp.Builder time = Timestamp.newBuilder();
        try {
            TIMESTAMPS.mergeValue('"' + value + '"', time);
        } catch (IOException | RuntimeException refused) {
            return null;
        }
        return time.build();
    }
}
