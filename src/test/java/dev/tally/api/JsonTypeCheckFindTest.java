package dev.tally.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.tally.api.proto.CreateBillingUsageRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Field lookup by name, kept per message, finds what the search by proto name then JSON name found. */
class JsonTypeCheckFindTest {
    @Test
    void everyNameOfEveryMessageFindsTheFieldTheSearchFound() {
        List<Descriptor> messages = allMessages(CreateBillingUsageRequest.getDescriptor().getFile());
        assertThat(messages).hasSizeGreaterThan(50);
        for (Descriptor message : messages) {
            for (FieldDescriptor field : message.getFields()) {
                for (String name : new String[] {field.getName(), field.getJsonName(), field.getName().toUpperCase(Locale.ROOT),
                        field.getName() + "_", "", "value"}) {
                    assertThat(JsonTypeCheck.find(message, name)).as("%s %s", message.getFullName(), name)
                            .isEqualTo(searched(message, name));
                }
            }
        }
    }

    /**
     * The lookup as it was: findFieldByName, then the first field whose JSON name matches. Also the
     * baseline {@link JsonTypeCheckFindCpu} measures against.
     */
    static FieldDescriptor searched(Descriptor message, String name) {
        FieldDescriptor field = message.findFieldByName(name);
        if (field != null) {
            return field;
        }
        for (FieldDescriptor candidate : message.getFields()) {
            if (candidate.getJsonName().equals(name)) {
                return candidate;
            }
        }
        return null;
    }

    private static List<Descriptor> allMessages(FileDescriptor root) {
        List<Descriptor> messages = new ArrayList<>();
        Set<String> seenFiles = new HashSet<>();
        Deque<FileDescriptor> files = new ArrayDeque<>(List.of(root));
        while (!files.isEmpty()) {
            FileDescriptor file = files.pop();
            if (!seenFiles.add(file.getName())) {
                continue;
            }
            files.addAll(file.getDependencies());
            Deque<Descriptor> types = new ArrayDeque<>(file.getMessageTypes());
            while (!types.isEmpty()) {
                Descriptor type = types.pop();
                messages.add(type);
                types.addAll(type.getNestedTypes());
            }
        }
        return messages;
    }
}
