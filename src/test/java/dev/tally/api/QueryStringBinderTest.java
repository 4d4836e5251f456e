package dev.tally.api;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.QueryParams;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.GetBillingUsageSummaryRequest;
import dev.tally.api.proto.ListBillingTransactionsRequest;
import dev.tally.common.TallyException;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link QueryStringBinder} answers what the JSON tree path ({@link RequestBinder}) answers for
 * every query string: the same message, or the same error (code and message).
 */
class QueryStringBinderTest {
    private static final List<Message> DIRECTLY_BOUND = List.of(ListBillingTransactionsRequest.getDefaultInstance(),
            GetBillingBalanceRequest.getDefaultInstance(), GetBillingUsageSummaryRequest.getDefaultInstance());

    private static final List<String> NAMES = List.of("org_id", "billing_id", "id", "since", "start_range",
            "end_range", "expand", "page_size", "page_token", "type", "source", "at", "window", "group_by",
            "pageSize", "startRange", "orgId", "billingId", "unknown", "page_size ", "");
    private static final List<String> INTEGERS = List.of("0", "1", "100", "1000", "1001", "-1", "007", "-0",
            "2147483647", "2147483648", "-2147483648", "-2147483649", "99999999999", "123456789012345678901234",
            "", "1.5", "+5", "1e3", " 5", "5 ", "abc", "0x10", "１２");
    private static final List<String> TIMES = List.of("2026-01-31T00:00:00Z", "2026-02-30T00:00:00Z",
            "2026-01-31T00:00:00.123456789Z", "2026-01-31T00:00:00.1234567891Z", "2026-01-31T00:00:00.5Z",
            "2026-01-31t00:00:00z", "2026-01-31T00:00:00+01:00", "2026-01-31T00:00:00-23:59",
            "2026-01-31T00:00:00+24:00", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "10000-01-01T00:00:00Z", "+2026-01-31T00:00:00Z",
            "2026-01-31 00:00:00Z", "2026-01-31T00:00Z", "2026-01-31T00:00:00", "2026-01-31T24:00:00Z",
            "2026-01-31T23:59:60Z", "2026-01-31T00:00:00.Z", "2026-01-31T00:00:00+01:00:30",
            "1969-12-31T23:59:59.5Z", "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2026-1-31T00:00:00Z",
            "2026-01-31T00:00:00ZZ", "2026-01-31T00:00:00+0100", "2026-01-31T00:00:00.000Z", "", "now", "1700000000");
    private static final List<String> TEXTS = List.of("", "debit", "credit", "api.call", "hour", "day", "month",
            "week", "source", "de1e2b2c-79a4-4d3c-8f43-7b1f4dc2b3c5", "not-a-uuid", "a\u0000b", "\ud800", "x\udc00",
            "\ud83d\ude00", "é<>&='\"\\", "  ", "true", "false", "12");

    private final Random random = new Random(23);

    @Test
    void randomQueryStringsBindAsTheTreePathBindsThem() {
        int refused = 0;
        for (int round = 0; round < 20_000; round++) {
            Message prototype = DIRECTLY_BOUND.get(random.nextInt(DIRECTLY_BOUND.size()));
            String queryString = randomQueryString();
            QueryParams query = QueryParams.fromQueryString(queryString);
            Map<String, String> pathParams = randomPathParams(prototype);
            String tree = outcome(() -> RequestBinder.bind(prototype.newBuilderForType(), RequestBinder.BodyShape.NONE,
                    "", query, pathParams).build());
            String direct = outcome(() -> QueryStringBinder.bind(prototype, query, pathParams));
            assertThat(direct).as("%s ?%s path %s", prototype.getDescriptorForType().getName(), queryString,
                    pathParams).isEqualTo(tree);
            refused += tree.startsWith("refused") ? 1 : 0;
        }
        // Both kinds of outcome are exercised in earnest.
        assertThat(refused).isBetween(2_000, 18_000);
    }

    @Test
    void aPlainPageRequestIsBoundWithoutTheTreePath() {
        QueryParams query = QueryParams.fromQueryString("page_size=100&page_token=abc&type=debit"
                + "&start_range=2026-01-31T00:00:00.5Z&pageSize=7&expand=customer");
        Message bound = QueryStringBinder.bind(ListBillingTransactionsRequest.getDefaultInstance(), query,
                Map.of("org_id", "o", "billing_id", "b"));
        assertThat(bound).isEqualTo(ListBillingTransactionsRequest.newBuilder().setOrgId("o").setBillingId("b")
                .setPageSize(100).setPageToken("abc").setType("debit")
                .setStartRange(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_769_817_600L).setNanos(500_000_000))
                .build());
    }

    @Test
    void everyDirectlyBoundRequestHasOnlyFieldsTheBinderReads() {
        DIRECTLY_BOUND.forEach(prototype ->
                assertThat(QueryStringBinder.supports(prototype.getDescriptorForType())).isTrue());
    }

    private String randomQueryString() {
        StringBuilder out = new StringBuilder();
        int parameters = random.nextInt(6);
        for (int index = 0; index < parameters; index++) {
            if (index > 0) {
                out.append(random.nextInt(20) == 0 ? "&&" : "&");
            }
            String name = NAMES.get(random.nextInt(NAMES.size()));
            out.append(encode(name));
            if (random.nextInt(15) != 0) {
                out.append('=').append(encode(randomValue()));
            }
        }
        return out.toString();
    }

    private String randomValue() {
        return switch (random.nextInt(4)) {
            case 0 -> INTEGERS.get(random.nextInt(INTEGERS.size()));
            case 1 -> TIMES.get(random.nextInt(TIMES.size()));
            case 2 -> TEXTS.get(random.nextInt(TEXTS.size()));
            default -> randomText();
        };
    }

    private String randomText() {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(8);
        for (int index = 0; index < length; index++) {
            text.append(random.nextInt(4) == 0 ? (char) random.nextInt(Character.MAX_VALUE + 1)
                    : (char) (' ' + random.nextInt(95)));
        }
        return text.toString();
    }

    private Map<String, String> randomPathParams(Message prototype) {
        Map<String, String> path = new LinkedHashMap<>();
        path.put("org_id", random.nextInt(10) == 0 ? randomText() : "org-" + random.nextInt(3));
        String accountParam = prototype instanceof GetBillingBalanceRequest ? "id" : "billing_id";
        if (random.nextInt(5) != 0) {
            path.put(accountParam, random.nextInt(10) == 0 ? randomValue() : "de1e2b2c-79a4-4d3c-8f43-7b1f4dc2b3c5");
        }
        return path;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String outcome(java.util.function.Supplier<Message> binding) {
        try {
            return "bound " + binding.get();
        } catch (TallyException refused) {
            return "refused " + refused.code() + " " + refused.getMessage();
        }
    }
}
