package dev.tally.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.tally.api.proto.BillingAccount;
import dev.tally.api.proto.BillingTransaction;
import dev.tally.api.proto.ListBillingTransactionsResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page reply written by {@link TransactionListJson} is byte for byte what JsonFormat prints,
 * so REST clients (Frontier's among them) cannot tell which one wrote it.
 */
class TransactionListJsonTest {
    private static final long SECONDS_MIN = -62_135_596_800L; // 0001-01-01T00:00:00Z
    private static final long SECONDS_MAX = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private final Random random = new Random(10);

    @Test
    void everyCharacterIsEscapedAsJsonFormatEscapesIt() {
        List<BillingTransaction> transactions = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            chunk.append((char) c);
            if (chunk.length() == 512 || c == Character.MAX_VALUE) {
                transactions.add(entry().setDescription(chunk.toString()).setSource("s" + chunk)
                        .setUserId(chunk.reverse().toString()).build());
                chunk.setLength(0);
            }
        }
        transactions.add(entry().setDescription("emoji \uD83D\uDE00, a lone \uD800 and \uDFFF, \"quoted\" \\ </script>")
                .build());

        assertSameAsJsonFormat(page(transactions, "token with \" and \u0001"));
    }

    @Test
    void timesAcrossTheWholeRangePrintAsJsonFormatPrintsThem() {
        List<BillingTransaction> transactions = new ArrayList<>();
        int[] nanos = {0, 1, 999_999_999, 1_000, 1_000_000, 120_000_000, 123_456_000, 123_456_789, 100};
        long[] seconds = {SECONDS_MIN, SECONDS_MAX, 0, -1, 1_796_000_000L, -12_219_292_800L /* 1582-10-15 */};
        for (long second : seconds) {
            for (int nano : nanos) {
                transactions.add(entry().setCreatedAt(time(second, nano)).setUpdatedAt(time(second, nano)).build());
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
            transactions.add(entry().setCreatedAt(time(second, nano))
                    .setUpdatedAt(time(second + random.nextInt(2), nano)).build());
        }

        assertSameAsJsonFormat(page(transactions, ""));
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

        assertSameAsJsonFormat(page(List.of(entry().setMetadata(metadata).build(),
                entry().setMetadata(Struct.getDefaultInstance()).build()), "next"));
    }

    @Test
    void fieldsLeftUnsetPrintAsJsonFormatPrintsThem() {
        BillingTransaction bare = BillingTransaction.newBuilder().build();
        BillingTransaction noTimes = entry().clearCreatedAt().clearUpdatedAt().clearMetadata().build();
        BillingTransaction onlyUpdated = entry().clearCreatedAt().build();

        assertSameAsJsonFormat(page(List.of(bare, noTimes, onlyUpdated), ""));
        assertSameAsJsonFormat(ListBillingTransactionsResponse.getDefaultInstance());
    }

    @Test
    void aReplyWithAnExpandedCustomerPrintsAsJsonFormatPrintsIt() {
        BillingTransaction withCustomer = entry().setCustomer(BillingAccount.newBuilder().setId("acct")
                .setName("n").build()).build();

        assertSameAsJsonFormat(page(List.of(entry().build(), withCustomer), "t"));
    }

    @Test
    void theWriterKnowsEveryFieldOfTheReply() {
        // A field added to these messages must be added to TransactionListJson too; then update this list.
        assertThat(names(BillingTransaction.getDescriptor().getFields())).containsExactly(
                "id", "customer_id", "source", "amount", "type", "description", "user_id", "metadata",
                "created_at", "updated_at", "customer");
        assertThat(names(ListBillingTransactionsResponse.getDescriptor().getFields()))
                .containsExactly("transactions", "next_page_token");
    }

    private static List<String> names(List<FieldDescriptor> fields) {
        return fields.stream().map(FieldDescriptor::getName).toList();
    }

    private static void assertSameAsJsonFormat(ListBillingTransactionsResponse response) {
        String written = ProtoJson.print(response);
        String expected = ProtoJson.printWithJsonFormat(response);
        int differsAt = 0;
        while (differsAt < Math.min(written.length(), expected.length())
                && written.charAt(differsAt) == expected.charAt(differsAt)) {
            differsAt++;
        }
        // The replies are long: report where they part, not both whole.
        assertThat(around(written, differsAt)).as("at character " + differsAt).isEqualTo(around(expected, differsAt));
        assertThat(written.length()).isEqualTo(expected.length());
    }

    private static String around(String text, int index) {
        return text.substring(Math.max(0, index - 40), Math.min(text.length(), index + 40));
    }

    private static ListBillingTransactionsResponse page(List<BillingTransaction> transactions, String token) {
        return ListBillingTransactionsResponse.newBuilder().addAllTransactions(transactions).setNextPageToken(token)
                .build();
    }

    private BillingTransaction.Builder entry() {
        Timestamp createdAt = time(1_796_000_000L + random.nextInt(1_000_000), random.nextInt(1_000_000) * 1_000);
        return BillingTransaction.newBuilder()
                .setId(UUID.randomUUID().toString())
                .setCustomerId(UUID.randomUUID().toString())
                .setSource("api")
                .setAmount(random.nextLong(1, Long.MAX_VALUE))
                .setType("debit")
                .setMetadata(Struct.getDefaultInstance())
                .setCreatedAt(createdAt)
                .setUpdatedAt(createdAt);
    }

    private static Timestamp time(long seconds, int nanos) {
        return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
    }
}
