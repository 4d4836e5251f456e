package dev.tally.api;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.tally.api.proto.BillingHold;
import dev.tally.api.proto.CaptureBillingHoldResponse;
import dev.tally.api.proto.CreateBillingHoldResponse;

/**
 * The replies of CreateBillingHold and CaptureBillingHold as protojson, written directly with
 * {@link TransactionListJson}'s rules: the same bytes as JsonFormat (HoldJsonTest pins it), at a
 * fraction of its cost. A hold and its capture are the two requests of every unit of hold work,
 * and JsonFormat's descriptor walk was a large part of their CPU. A reply with a time JsonFormat
 * would refuse is printed by JsonFormat.
 */
final class HoldJson {
    private HoldJson() {}

    static String print(CreateBillingHoldResponse response) {
        if (response.hasHold() && !isPlain(response.getHold())) {
            return ProtoJson.printWithJsonFormat(response);
        }
        StringBuilder out = new StringBuilder(512).append('{');
        if (response.hasHold()) {
            out.append("\"hold\":");
            hold(out, response.getHold());
        }
        return out.append('}').toString();
    }

    static String print(CaptureBillingHoldResponse response) {
        if (response.hasHold() && !isPlain(response.getHold())
                || response.hasTransaction() && !TransactionListJson.isPlain(response.getTransaction())) {
            return ProtoJson.printWithJsonFormat(response);
        }
        StringBuilder out = new StringBuilder(1024).append('{');
        if (response.hasHold()) {
            out.append("\"hold\":");
            hold(out, response.getHold());
        }
        if (response.hasTransaction()) {
            out.append(response.hasHold() ? ",\"transaction\":" : "\"transaction\":");
            TransactionListJson.transaction(out, response.getTransaction());
        }
        return out.append('}').toString();
    }

    private static boolean isPlain(BillingHold hold) {
        return valid(hold.hasExpiresAt(), hold.getExpiresAt()) && valid(hold.hasCreatedAt(), hold.getCreatedAt())
                && valid(hold.hasUpdatedAt(), hold.getUpdatedAt());
    }

    private static boolean valid(boolean present, Timestamp time) {
        return !present || Timestamps.isValid(time);
    }

    private static void hold(StringBuilder out, BillingHold hold) {
        out.append("{\"id\":");
        TransactionListJson.string(out, hold.getId());
        out.append(",\"customer_id\":");
        TransactionListJson.string(out, hold.getCustomerId());
        out.append(",\"amount\":\"").append(hold.getAmount()).append('"');
        out.append(",\"captured_amount\":\"").append(hold.getCapturedAmount()).append('"');
        out.append(",\"state\":");
        TransactionListJson.string(out, hold.getState());
        time(out, "expires_at", hold.hasExpiresAt(), hold.getExpiresAt());
        out.append(",\"usage_id\":");
        TransactionListJson.string(out, hold.getUsageId());
        out.append(",\"source\":");
        TransactionListJson.string(out, hold.getSource());
        out.append(",\"description\":");
        TransactionListJson.string(out, hold.getDescription());
        out.append(",\"user_id\":");
        TransactionListJson.string(out, hold.getUserId());
        if (hold.hasMetadata()) {
            out.append(",\"metadata\":");
            TransactionListJson.metadata(out, hold.getMetadata());
        }
        time(out, "created_at", hold.hasCreatedAt(), hold.getCreatedAt());
        time(out, "updated_at", hold.hasUpdatedAt(), hold.getUpdatedAt());
        out.append('}');
    }

    private static void time(StringBuilder out, String name, boolean present, Timestamp time) {
        if (present) {
            out.append(",\"").append(name).append("\":\"").append(TransactionListJson.time(time)).append('"');
        }
    }
}
