package dev.tally.api;

import dev.tally.billing.ledger.LedgerEntry;

import java.util.List;
import java.util.UUID;

/**
 * Ledger entries as RFC 4180 CSV: CRLF line ends, and a field with a comma, a double quote, CR or
 * LF is quoted, its quotes doubled. Values are written as stored, so the file parses back to the
 * same entries; a spreadsheet that treats "=..." as a formula should import the file as text.
 */
final class CsvRows {
    static final String HEADER = "id,customer_id,source,amount,type,description,user_id,metadata,created_at,"
            + "reverted_usage_id\r\n";

    private CsvRows() {}

    static String rows(List<LedgerEntry> entries) {
        StringBuilder out = new StringBuilder(entries.size() * 256);
        for (LedgerEntry entry : entries) {
            out.append(entry.id()).append(',')
                    .append(entry.accountId()).append(',');
            field(out, entry.source()).append(',')
                    .append(entry.amount()).append(',')
                    .append(entry.type().wireName()).append(',');
            field(out, entry.description()).append(',');
            field(out, entry.userId()).append(',');
            field(out, entry.metadata().json()).append(',')
                    .append(entry.createdAt()).append(',')
                    .append(entry.revertedUsageId().map(UUID::toString).orElse(""))
                    .append("\r\n");
        }
        return out.toString();
    }

    private static StringBuilder field(StringBuilder out, String value) {
        if (!needsQuotes(value)) {
            return out.append(value);
        }
        out.append('"');
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        return out.append('"');
    }

    private static boolean needsQuotes(String value) {
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
