package dev.tally.history;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 reader for the tests: CRLF records, quoted fields with doubled quotes. */
final class Rfc4180 {
    private Rfc4180() {}

    static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int index = 0;
        while (index < text.length()) {
            char c = text.charAt(index);
            if (c == '"' && field.isEmpty()) {
                index++;
                while (true) {
                    if (index >= text.length()) {
                        throw new IllegalArgumentException("unterminated quoted field");
                    }
                    char q = text.charAt(index++);
                    if (q == '"') {
                        if (index < text.length() && text.charAt(index) == '"') {
                            field.append('"');
                            index++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(q);
                    }
                }
                char after = index < text.length() ? text.charAt(index) : '\r';
                if (after != ',' && after != '\r') {
                    throw new IllegalArgumentException("text after a closing quote at " + index);
                }
                continue;
            }
            if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                index++;
            } else if (c == '\r') {
                if (index + 1 >= text.length() || text.charAt(index + 1) != '\n') {
                    throw new IllegalArgumentException("a bare CR at " + index);
                }
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                index += 2;
            } else if (c == '\n' || c == '"') {
                throw new IllegalArgumentException("unquoted " + (c == '"' ? "quote" : "LF") + " at " + index);
            } else {
                field.append(c);
                index++;
            }
        }
        if (!record.isEmpty() || !field.isEmpty()) {
            throw new IllegalArgumentException("the last record does not end with CRLF");
        }
        return records;
    }
}
