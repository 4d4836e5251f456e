package dev.tally.api;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.tally.api.proto.BillingTransaction;
import dev.tally.api.proto.ListBillingTransactionsResponse;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * ListBillingTransactions' reply as protojson, written directly: the same bytes as
 * {@link ProtoJson#print} (field order by number, proto field names, int64 as a string, defaults
 * printed, unset messages left out, Gson's string escapes, RFC 3339 times with 0, 3, 6 or 9
 * fraction digits), at a fraction of the cost. JsonFormat walks descriptors and reflection for
 * every field of every entry, which made a page of 100 cost four balance reads (docs/adr/0007).
 * Metadata that is not empty still goes through JsonFormat (its numbers print as doubles, which
 * only JsonFormat does exactly). A reply this writer does not know the whole of (an expanded
 * customer, an invalid time) is printed by JsonFormat. TransactionListJsonTest pins the equality,
 * and the set of fields this writer knows.
 */
final class TransactionListJson {
    /** The ASCII characters Gson writes as they are; every other one goes through {@link #escape}. */
    private static final boolean[] PLAIN = plainCharacters();
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
            100_000_000};

    private TransactionListJson() {}

    private static boolean[] plainCharacters() {
        boolean[] plain = new boolean[128];
        for (char c = 0; c < plain.length; c++) {
            plain[c] = escape(c) == null;
        }
        return plain;
    }

    static String print(ListBillingTransactionsResponse response) {
        if (!isPlain(response)) {
            return ProtoJson.printWithJsonFormat(response);
        }
        StringBuilder out = new StringBuilder(64 + response.getTransactionsCount() * 400);
        out.append("{\"transactions\":[");
        for (int index = 0; index < response.getTransactionsCount(); index++) {
            if (index > 0) {
                out.append(',');
            }
            transaction(out, response.getTransactions(index));
        }
        out.append("],\"next_page_token\":");
        string(out, response.getNextPageToken());
        return out.append('}').toString();
    }

    /** Whether every field set is one this writer prints: otherwise JsonFormat prints the reply. */
    private static boolean isPlain(ListBillingTransactionsResponse response) {
        for (BillingTransaction transaction : response.getTransactionsList()) {
            if (!isPlain(transaction)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@link #transaction} prints the whole of this entry. */
    static boolean isPlain(BillingTransaction transaction) {
        return !transaction.hasCustomer()
                && !(transaction.hasCreatedAt() && !Timestamps.isValid(transaction.getCreatedAt()))
                && !(transaction.hasUpdatedAt() && !Timestamps.isValid(transaction.getUpdatedAt()));
    }

    static void transaction(StringBuilder out, BillingTransaction transaction) {
        out.append("{\"id\":");
        string(out, transaction.getId());
        out.append(",\"customer_id\":");
        string(out, transaction.getCustomerId());
        out.append(",\"source\":");
        string(out, transaction.getSource());
        out.append(",\"amount\":\"").append(transaction.getAmount()).append('"');
        out.append(",\"type\":");
        string(out, transaction.getType());
        out.append(",\"description\":");
        string(out, transaction.getDescription());
        out.append(",\"user_id\":");
        string(out, transaction.getUserId());
        if (transaction.hasMetadata()) {
            out.append(",\"metadata\":");
            metadata(out, transaction.getMetadata());
        }
        if (transaction.hasCreatedAt()) {
            out.append(",\"created_at\":\"");
            time(out, transaction.getCreatedAt());
            out.append('"');
        }
        if (transaction.hasUpdatedAt()) {
            out.append(",\"updated_at\":\"");
            time(out, transaction.getUpdatedAt());
            out.append('"');
        }
        out.append('}');
    }

    static void metadata(StringBuilder out, Struct metadata) {
        if (metadata.getFieldsCount() == 0) {
            out.append("{}");
        } else {
            out.append(ProtoJson.printWithJsonFormat(metadata));
        }
    }

    /** {@link #time(StringBuilder, Timestamp)}'s text on its own. */
    static String time(Timestamp timestamp) {
        StringBuilder out = new StringBuilder(30);
        time(out, timestamp);
        return out.toString();
    }

    /**
     * Timestamps.toString's text for a valid timestamp (years 0001 to 9999): four-digit year, UTC
     * "Z", and a fraction of none, 3, 6 or 9 digits, the fewest that hold the nanoseconds. Written
     * digit by digit: through Instant.toString's formatter the two times of each entry were a
     * sizeable part of a page's CPU.
     */
    static void time(StringBuilder out, Timestamp timestamp) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(timestamp.getSeconds(), 0, ZoneOffset.UTC);
        digits(out, time.getYear(), 4).append('-');
        digits(out, time.getMonthValue(), 2).append('-');
        digits(out, time.getDayOfMonth(), 2).append('T');
        digits(out, time.getHour(), 2).append(':');
        digits(out, time.getMinute(), 2).append(':');
        digits(out, time.getSecond(), 2);
        int nanos = timestamp.getNanos();
        if (nanos != 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(out, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                digits(out, nanos / 1_000, 6);
            } else {
                digits(out, nanos, 9);
            }
        }
        out.append('Z');
    }

    /**
     * {@code value} (not negative) in exactly {@code count} (at most 9) decimal digits, zero-padded,
     * most significant first: no length change and checked setCharAt per digit, no array either.
     */
    private static StringBuilder digits(StringBuilder out, int value, int count) {
        for (int power = count - 1; power >= 0; power--) {
            out.append((char) ('0' + value / POWERS_OF_TEN[power] % 10));
        }
        return out;
    }

    /** A JSON string as Gson writes it for JsonFormat, with Gson's HTML-safe escapes of {@code <>&='}. */
    static void string(StringBuilder out, String value) {
        out.append('"');
        int plainFrom = 0;
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            if (c < PLAIN.length && PLAIN[c]) {
                continue; // one table look-up for the usual character, instead of ten comparisons
            }
            String escape = escape(c);
            if (escape != null) {
                out.append(value, plainFrom, index).append(escape);
                plainFrom = index + 1;
            }
        }
        out.append(value, plainFrom, value.length()).append('"');
    }

    /** Gson's escape of {@code c}, or null when it is written as it is. */
    static String escape(char c) {
        if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != '=' && c != '\''
                && c != '\u2028' && c != '\u2029') {
            return null;
        }
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\f' -> "\\f";
            default -> String.format("\\u%04x", (int) c);
        };
    }
}
