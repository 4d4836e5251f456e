package dev.tally.api;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.tally.api.proto.BillingHold;
import dev.tally.api.proto.BillingTransaction;
import dev.tally.api.proto.CaptureBillingHoldResponse;
import dev.tally.api.proto.CreateBillingHoldResponse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The replies of CreateBillingHold and CaptureBillingHold as protojson in UTF-8, written directly
 * on {@link Utf8JsonBuffer}: the same bytes as JsonFormat (HoldJsonTest pins it; field order by
 * number, proto field names, defaults printed, unset messages left out), at a fraction of its
 * cost. A hold and its capture are the two requests of every unit of hold work, and JsonFormat's
 * descriptor walk was a large part of their CPU. A reply with a time JsonFormat would refuse, or
 * an expanded customer, is printed by JsonFormat.
 */
final class HoldJson {
    private HoldJson() {}

    static byte[] write(CreateBillingHoldResponse response) {
        if (response.hasHold() && !isPlain(response.getHold())) {
            return jsonFormat(response);
        }
        Utf8JsonBuffer out = new Utf8JsonBuffer(512).ascii('{');
        if (response.hasHold()) {
            hold(out.ascii("\"hold\":"), response.getHold());
        }
        return out.ascii('}').toByteArray();
    }

    static byte[] write(CaptureBillingHoldResponse response) {
        if (response.hasHold() && !isPlain(response.getHold())
                || response.hasTransaction() && !isPlain(response.getTransaction())) {
            return jsonFormat(response);
        }
        Utf8JsonBuffer out = new Utf8JsonBuffer(1024).ascii('{');
        if (response.hasHold()) {
            hold(out.ascii("\"hold\":"), response.getHold());
        }
        if (response.hasTransaction()) {
            transaction(out.ascii(response.hasHold() ? ",\"transaction\":" : "\"transaction\":"),
                    response.getTransaction());
        }
        return out.ascii('}').toByteArray();
    }

    private static byte[] jsonFormat(MessageOrBuilder response) {
        return ProtoJson.printWithJsonFormat(response).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isPlain(BillingHold hold) {
        return valid(hold.hasExpiresAt(), hold.getExpiresAt()) && valid(hold.hasCreatedAt(), hold.getCreatedAt())
                && valid(hold.hasUpdatedAt(), hold.getUpdatedAt());
    }

    /** Whether {@link #transaction} writes the whole of it: not an expanded customer. */
    private static boolean isPlain(BillingTransaction transaction) {
        return !transaction.hasCustomer() && valid(transaction.hasCreatedAt(), transaction.getCreatedAt())
                && valid(transaction.hasUpdatedAt(), transaction.getUpdatedAt());
    }

    private static boolean valid(boolean present, Timestamp time) {
        return !present || Timestamps.isValid(time);
    }

    private static void hold(Utf8JsonBuffer out, BillingHold hold) {
        out.ascii("{\"id\":").string(hold.getId());
        out.ascii(",\"customer_id\":").string(hold.getCustomerId());
        out.ascii(",\"amount\":").int64(hold.getAmount());
        out.ascii(",\"captured_amount\":").int64(hold.getCapturedAmount());
        out.ascii(",\"state\":").string(hold.getState());
        time(out, ",\"expires_at\":", hold.hasExpiresAt(), hold.getExpiresAt());
        out.ascii(",\"usage_id\":").string(hold.getUsageId());
        out.ascii(",\"source\":").string(hold.getSource());
        out.ascii(",\"description\":").string(hold.getDescription());
        out.ascii(",\"user_id\":").string(hold.getUserId());
        if (hold.hasMetadata()) {
            out.ascii(",\"metadata\":").struct(hold.getMetadata());
        }
        time(out, ",\"created_at\":", hold.hasCreatedAt(), hold.getCreatedAt());
        time(out, ",\"updated_at\":", hold.hasUpdatedAt(), hold.getUpdatedAt());
        out.ascii('}');
    }

    /** A capture's ledger entry, every field but the expanded customer ({@link #isPlain}). */
    private static void transaction(Utf8JsonBuffer out, BillingTransaction transaction) {
        out.ascii("{\"id\":").string(transaction.getId());
        out.ascii(",\"customer_id\":").string(transaction.getCustomerId());
        out.ascii(",\"source\":").string(transaction.getSource());
        out.ascii(",\"amount\":").int64(transaction.getAmount());
        out.ascii(",\"type\":").string(transaction.getType());
        out.ascii(",\"description\":").string(transaction.getDescription());
        out.ascii(",\"user_id\":").string(transaction.getUserId());
        if (transaction.hasMetadata()) {
            out.ascii(",\"metadata\":").struct(transaction.getMetadata());
        }
        time(out, ",\"created_at\":", transaction.hasCreatedAt(), transaction.getCreatedAt());
        time(out, ",\"updated_at\":", transaction.hasUpdatedAt(), transaction.getUpdatedAt());
        out.ascii('}');
    }

    private static void time(Utf8JsonBuffer out, String name, boolean present, Timestamp time) {
        if (present) {
            out.ascii(name).time(Instant.ofEpochSecond(time.getSeconds(), time.getNanos()));
        }
    }
}
