package dev.tally.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.tally.api.proto.BillingAccount;
import dev.tally.api.proto.BillingHold;
import dev.tally.api.proto.BillingTransaction;
import dev.tally.api.proto.CaptureBillingHoldResponse;
import dev.tally.api.proto.CreateBillingHoldResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The hold replies written by {@link HoldJson} are byte for byte what JsonFormat prints. */
class HoldJsonTest {
    private final Random random = new Random(11);

    @Test
    void holdRepliesPrintAsJsonFormatPrintsThem() {
        for (int index = 0; index < 500; index++) {
            BillingHold hold = hold().setDescription("d \"" + (char) random.nextInt(0x3000) + "\" <&>")
                    .setExpiresAt(time(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                            index % 2 == 0 ? 0 : random.nextInt(1_000_000_000)))
                    .build();
            assertSameAsJsonFormat(CreateBillingHoldResponse.newBuilder().setHold(hold).build());
            assertSameAsJsonFormat(CaptureBillingHoldResponse.newBuilder().setHold(hold)
                    .setTransaction(transaction()).build());
        }
    }

    @Test
    void unsetFieldsMetadataAndOddRepliesPrintAsJsonFormatPrintsThem() {
        Struct metadata = Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(1).build())
                .putFields("s", Value.newBuilder().setStringValue("x").build()).build();
        assertSameAsJsonFormat(CreateBillingHoldResponse.getDefaultInstance());
        assertSameAsJsonFormat(CaptureBillingHoldResponse.getDefaultInstance());
        assertSameAsJsonFormat(CreateBillingHoldResponse.newBuilder().setHold(BillingHold.getDefaultInstance()).build());
        assertSameAsJsonFormat(CreateBillingHoldResponse.newBuilder().setHold(hold().setMetadata(metadata)
                .clearCreatedAt()).build());
        // A capture of 0 credits has no transaction; an expanded customer goes to JsonFormat.
        assertSameAsJsonFormat(CaptureBillingHoldResponse.newBuilder().setHold(hold()).build());
        assertSameAsJsonFormat(CaptureBillingHoldResponse.newBuilder().setTransaction(transaction()).build());
        assertSameAsJsonFormat(CaptureBillingHoldResponse.newBuilder().setHold(hold()).setTransaction(
                transaction().toBuilder().setCustomer(BillingAccount.newBuilder().setId("a"))).build());
    }

    @Test
    void theWriterKnowsEveryFieldOfTheReplies() {
        // A field added to these messages must be added to HoldJson too; then update this list.
        assertThat(names(BillingHold.getDescriptor().getFields())).containsExactly("id", "customer_id", "amount",
                "captured_amount", "state", "expires_at", "usage_id", "source", "description", "user_id",
                "metadata", "created_at", "updated_at");
        assertThat(names(CreateBillingHoldResponse.getDescriptor().getFields())).containsExactly("hold");
        assertThat(names(CaptureBillingHoldResponse.getDescriptor().getFields()))
                .containsExactly("hold", "transaction");
    }

    private static List<String> names(List<FieldDescriptor> fields) {
        return fields.stream().map(FieldDescriptor::getName).toList();
    }

    private static void assertSameAsJsonFormat(Message response) {
        assertThat(ProtoJson.print(response)).isEqualTo(ProtoJson.printWithJsonFormat(response));
    }

    private BillingHold.Builder hold() {
        Timestamp createdAt = time(1_796_000_000L + random.nextInt(1_000_000), random.nextInt(1_000_000) * 1_000);
        return BillingHold.newBuilder()
                .setId(UUID.randomUUID().toString())
                .setCustomerId(UUID.randomUUID().toString())
                .setAmount(random.nextLong(1, Long.MAX_VALUE))
                .setCapturedAmount(random.nextInt(3))
                .setState("captured")
                .setExpiresAt(createdAt)
                .setUsageId(UUID.randomUUID().toString())
                .setSource("bench")
                .setUserId("u")
                .setMetadata(Struct.getDefaultInstance())
                .setCreatedAt(createdAt)
                .setUpdatedAt(time(createdAt.getSeconds() + 1, 0));
    }

    private BillingTransaction transaction() {
        Timestamp createdAt = time(1_796_000_000L + random.nextInt(1_000_000), random.nextInt(1_000) * 1_000_000);
        return BillingTransaction.newBuilder().setId(UUID.randomUUID().toString())
                .setCustomerId(UUID.randomUUID().toString()).setSource("bench").setAmount(1).setType("debit")
                .setMetadata(Struct.getDefaultInstance()).setCreatedAt(createdAt).setUpdatedAt(createdAt).build();
    }

    private static Timestamp time(long seconds, int nanos) {
        return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
    }
}
