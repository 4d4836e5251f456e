package dev.tally.api;

import com.google.protobuf.util.Timestamps;
import com.linecorp.armeria.common.HttpData;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.TransactionPage;
import dev.tally.common.Metadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A page of history as the JSON transports send it, written straight from the ledger's entries
 * to UTF-8: the same bytes as printing ProtoMapping's ListBillingTransactionsResponse through
 * {@link ProtoJson#print} and encoding the String. Building that message (a BillingTransaction, a
 * Struct and two Timestamps per entry), then the String, then its bytes was over a third of a
 * page's server CPU (docs/adr/0007, issue 10's third pass). gRPC and Connect's binary encoding
 * still build the message. Metadata that is not empty goes through JsonFormat, as there; a page
 * with a time JsonFormat would refuse is printed by JsonFormat, so it fails as it did.
 * TransactionPageJsonTest pins the bytes.
 */
final class TransactionPageJson {
    /** An entry with short texts and no metadata takes about 290 bytes; longer ones grow the buffer. */
    private static final int ENTRY_BYTES_TYPICAL = 320;
    private static final byte[] EMPTY_METADATA = "{}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = name("{\"id\":");
    private static final byte[] CUSTOMER_ID = name(",\"customer_id\":");
    private static final byte[] SOURCE = name(",\"source\":");
    private static final byte[] AMOUNT = name(",\"amount\":");
    private static final byte[] TYPE = name(",\"type\":");
    private static final byte[] DESCRIPTION = name(",\"description\":");
    private static final byte[] USER_ID = name(",\"user_id\":");
    private static final byte[] METADATA = name(",\"metadata\":");
    private static final byte[] CREATED_AT = name(",\"created_at\":");
    private static final byte[] UPDATED_AT = name(",\"updated_at\":");

    private TransactionPageJson() {}

    static HttpData write(TransactionPage page) {
        for (LedgerEntry entry : page.entries()) {
            if (!isValid(entry.createdAt())) {
                return HttpData.wrap(ProtoJson.printWithJsonFormat(ProtoMapping.transactions(page))
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        Utf8JsonBuffer out = new Utf8JsonBuffer(64 + page.entries().size() * ENTRY_BYTES_TYPICAL);
        out.ascii("{\"transactions\":[");
        for (int index = 0; index < page.entries().size(); index++) {
            if (index > 0) {
                out.ascii(',');
            }
            entry(out, page.entries().get(index));
        }
        out.ascii("],\"next_page_token\":").string(page.nextPageToken().orElse(""));
        return out.ascii('}').toHttpData();
    }

    /** One BillingTransaction as ProtoMapping.transaction fills it: every field but the expanded customer. */
    private static void entry(Utf8JsonBuffer out, LedgerEntry entry) {
        out.raw(ID).uuid(entry.id());
        out.raw(CUSTOMER_ID).uuid(entry.accountId());
        out.raw(SOURCE).string(entry.source());
        out.raw(AMOUNT).int64(entry.amount());
        out.raw(TYPE).string(entry.type().wireName());
        out.raw(DESCRIPTION).string(entry.description());
        out.raw(USER_ID).string(entry.userId());
        out.raw(METADATA).raw(metadata(entry.metadata()));
        out.raw(CREATED_AT).time(entry.createdAt());
        out.raw(UPDATED_AT).time(entry.createdAt());
        out.ascii('}');
    }

    /** Whether JsonFormat prints the time: the rule of the Timestamp ProtoMapping would build. */
    private static boolean isValid(Instant time) {
        return Timestamps.isValid(time.getEpochSecond(), time.getNano());
    }

    /** A field's name and colon, copied at once: written character by character they showed in a profile. */
    private static byte[] name(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] metadata(Metadata metadata) {
        // Most entries have none; a record's equals (an indy call) showed in the profile, a String's does not.
        if (metadata.json().equals("{}")) {
            return EMPTY_METADATA;
        }
        return ProtoJson.printWithJsonFormat(ProtoJson.struct(metadata)).getBytes(StandardCharsets.UTF_8);
    }
}
