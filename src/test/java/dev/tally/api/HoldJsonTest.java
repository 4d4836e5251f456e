package dev.tally.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.tally.api.proto.BillingAccount;
import dev.tally.api.proto.BillingHold;
import dev.tally.api.proto.BillingTransaction;
import dev.tally.api.proto.CaptureBillingHoldResponse;
import dev.tally.api.proto.CreateBillingHoldResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hold replies written by {@link HoldJson} are byte for byte what JsonFormat prints, in UTF-8:
 * every character, time, metadata and unset field, the capture's ledger entry as well as the hold.
 */
class HoldJsonTest {
    private static final long SECONDS_MIN = -62_135_596_800L; // 0001-01-01T00:00:00Z
    private static final long SECONDS_MAX = 253_402_300_799L; // 9999-12-31T23:59:59Z

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
    void everyCharacterIsEscapedAsJsonFormatEscapesIt() {
        StringBuilder chunk = new StringBuilder();
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            chunk.append((char) c);
            if (chunk.length() == 512 || c == Character.MAX_VALUE) {
                BillingTransaction transaction = transaction().toBuilder().setDescription(chunk.toString())
                        .setSource("s" + chunk).setUserId(chunk.reverse().toString()).build();
                assertSameAsJsonFormat(CaptureBillingHoldResponse.newBuilder()
                        .setHold(hold().setDescription(chunk.toString()).setState("s" + chunk))
                        .setTransaction(transaction).build());
                chunk.setLength(0);
            }
        }
        assertSameAsJsonFormat(CaptureBillingHoldResponse.newBuilder().setTransaction(transaction().toBuilder()
                .setDescription("emoji \uD83D\uDE00, a lone \uD800 and \uDFFF, \"quoted\" \\ </script>")).build());
    }

    @Test
    void timesAcrossTheWholeRangePrintAsJsonFormatPrintsThem() {
        int[] nanos = {0, 1, 999_999_999, 1_000, 1_000_000, 120_000_000, 123_456_000, 123_456_789, 100};
        long[] seconds = {SECONDS_MIN, SECONDS_MAX, 0, -1, 1_796_000_000L, -12_219_292_800L /* 1582-10-15 */};
        for (long second : seconds) {
            for (int nano : nanos) {
                assertSameAsJsonFormat(captureAt(time(second, nano), time(second, nano)));
            }
        }
        for (int index = 0; index < 2_000; index++) {
            long second = SECONDS_MIN + (long) (random.nextDouble() * (SECONDS_MAX - SECONDS_MIN));
            int nano = switch (index % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            assertSameAsJsonFormat(captureAt(time(second, nano), time(second + random.nextInt(2), nano)));
        }
    }

    @Test
    void aTimeJsonFormatRefusesFailsAsItDoesThere() {
        CaptureBillingHoldResponse capture = captureAt(time(SECONDS_MAX + 1, 0), time(0, 0));

        assertThat(catchClass(() -> ProtoJson.printUtf8(capture)))
                .isNotNull().isEqualTo(catchClass(() -> ProtoJson.printWithJsonFormat(capture)));
    }

    @Test
    void metadataOfEveryKindPrintsAsJsonFormatPrintsIt() {
        Struct nested = Struct.newBuilder()
                .putFields("count", Value.newBuilder().setNumberValue(1).build())
                .putFields("ratio", Value.newBuilder().setNumberValue(1.5e-7).build())
                .putFields("big", Value.newBuilder().setNumberValue(1e21).build())
                .putFields("on", Value.newBuilder().setBoolValue(true).build())
                .putFields("none", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
                .putFields("text", Value.newBuilder().setStringValue("a \"b\" \u2028 \n").build())
                .putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(Value.newBuilder().setStringValue("x")).addValues(Value.newBuilder()
                                .setNumberValue(-0.0))).build())
                .build();
        Struct metadata = nested.toBuilder()
                .putFields("inner", Value.newBuilder().setStructValue(nested).build())
                .putFields("empty", Value.newBuilder().setStructValue(Struct.getDefaultInstance()).build())
                .build();

        assertSameAsJsonFormat(CaptureBillingHoldResponse.newBuilder().setHold(hold().setMetadata(metadata))
                .setTransaction(transaction().toBuilder().setMetadata(metadata)).build());
    }

    @Test
    void aCapturesEntryWithFieldsLeftUnsetPrintsAsJsonFormatPrintsIt() {
        for (BillingTransaction transaction : List.of(BillingTransaction.getDefaultInstance(),
                transaction().toBuilder().clearCreatedAt().clearUpdatedAt().clearMetadata().build(),
                transaction().toBuilder().clearCreatedAt().build())) {
            assertSameAsJsonFormat(CaptureBillingHoldResponse.newBuilder().setHold(hold())
                    .setTransaction(transaction).build());
        }
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
        assertThat(names(BillingTransaction.getDescriptor().getFields())).containsExactly(
                "id", "customer_id", "source", "amount", "type", "description", "user_id", "metadata",
                "created_at", "updated_at", "customer");
    }

    private static List<String> names(List<FieldDescriptor> fields) {
        return fields.stream().map(FieldDescriptor::getName).toList();
    }

    /** The bytes a transport sends, and the text an Idempotency-Key records (a lone surrogate is "?" in both). */
    private static void assertSameAsJsonFormat(Message response) {
        byte[] expected = ProtoJson.printWithJsonFormat(response).getBytes(StandardCharsets.UTF_8);
        assertThat(ProtoJson.printUtf8(response)).isEqualTo(expected);
        assertThat(ProtoJson.print(response).getBytes(StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    private static Class<? extends Throwable> catchClass(Runnable call) {
        try {
            call.run();
            return null;
        } catch (RuntimeException failure) {
            return failure.getClass();
        }
    }

    private CaptureBillingHoldResponse captureAt(Timestamp createdAt, Timestamp updatedAt) {
        return CaptureBillingHoldResponse.newBuilder()
                .setHold(hold().setExpiresAt(createdAt).setCreatedAt(createdAt).setUpdatedAt(updatedAt))
                .setTransaction(transaction().toBuilder().setCreatedAt(createdAt).setUpdatedAt(updatedAt)).build();
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
