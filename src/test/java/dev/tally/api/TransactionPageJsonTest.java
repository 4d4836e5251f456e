package dev.tally.api;

import dev.tally.billing.ledger.EntryKind;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.TransactionPage;
import dev.tally.common.Metadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A page written by {@link TransactionPageJson} straight from the entries is byte for byte what the
 * transports sent before: ProtoMapping's message printed by JsonFormat, encoded as UTF-8.
 */
class TransactionPageJsonTest {
    private static final long SECONDS_MIN = -62_135_596_800L; // 0001-01-01T00:00:00Z
    private static final long SECONDS_MAX = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private final Random random = new Random(24);

    @Test
    void everyCharacterIsWrittenAsTheStringPathEncodedIt() {
        List<LedgerEntry> entries = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            chunk.append((char) c);
            if (chunk.length() == 512 || c == Character.MAX_VALUE) {
                entries.add(entry(EntryKind.USAGE, "s" + chunk, chunk.toString(), chunk.reverse().toString(),
                        Metadata.EMPTY, instant(1_796_000_000L, 0)));
                chunk.setLength(0);
            }
        }
        entries.add(entry(EntryKind.GRANT, "api", "emoji \uD83D\uDE00 \uDBFF\uDFFF, a lone \uD800 and \uDFFF, \uDFFF\uD800"
                + " at the end \uD83D", "\u00e9\u07ff\u0800\uffff \"quoted\" \\ </script> ='&", Metadata.EMPTY,
                instant(1_796_000_000L, 1_000)));

        assertSameAsBefore(new TransactionPage(entries, Optional.of("token with \" and \u0001 and \uD800")));
    }

    @Test
    void timesAcrossTheWholeRangeAreWrittenAsJsonFormatPrintsThem() {
        List<LedgerEntry> entries = new ArrayList<>();
        int[] nanos = {0, 1, 999_999_999, 1_000, 1_000_000, 120_000_000, 123_456_000, 123_456_789, 100};
        long[] seconds = {SECONDS_MIN, SECONDS_MAX, 0, -1, 1_796_000_000L, -12_219_292_800L /* 1582-10-15 */,
                951_782_400L /* 2000-02-29 */, 4_107_542_399L /* 2100-02-28T23:59:59 */};
        for (long second : seconds) {
            for (int nano : nanos) {
                entries.add(usage(instant(second, nano)));
                entries.add(usage(instant(second, nano))); // the same instant again: a transaction's entries
            }
        }
        for (int index = 0; index < 5_000; index++) {
            long second = SECONDS_MIN + (long) (random.nextDouble() * (SECONDS_MAX - SECONDS_MIN));
            entries.add(usage(instant(second, nanos(index))));
        }

        assertSameAsBefore(new TransactionPage(entries, Optional.empty()));
    }

    @Test
    void metadataWithNumbersAndNestingIsWrittenAsJsonFormatPrintsIt() {
        List<Metadata> metadata = List.of(Metadata.EMPTY, new Metadata("{ }"),
                new Metadata("{\"count\":1,\"ratio\":1.5e-7,\"big\":1e21,\"int\":12345678901234567890,\"neg\":-0.0,"
                        + "\"on\":true,\"none\":null,\"text\":\"a \\\"b\\\" \\u2028 \\n \u00e9 \uD83D\uDE00\","
                        + "\"list\":[\"x\",2.50,{\"deep\":[]}],\"inner\":{\"n\":100,\"empty\":{}}}"),
                new Metadata("{\"reverted_usage_id\":\"" + UUID.randomUUID() + "\"}"));
        List<LedgerEntry> entries = new ArrayList<>();
        for (Metadata each : metadata) {
            entries.add(entry(EntryKind.USAGE, "api", "d", "u", each, instant(1_796_000_000L, 5_000)));
        }

        assertSameAsBefore(new TransactionPage(entries, Optional.of("next")));
    }

    @Test
    void randomEntriesOfEveryKindAreWrittenAsBefore() {
        for (int page = 0; page < 200; page++) {
            List<LedgerEntry> entries = new ArrayList<>();
            int size = random.nextInt(101);
            Instant at = instant(1_700_000_000L + random.nextInt(100_000_000), nanos(page));
            for (int index = 0; index < size; index++) {
                if (random.nextInt(4) == 0) {
                    at = at.minusNanos(random.nextInt(3) == 0 ? 1 : random.nextInt(1_000_000_000));
                }
                EntryKind kind = EntryKind.values()[random.nextInt(EntryKind.values().length)];
                Metadata metadata = random.nextInt(5) == 0
                        ? new Metadata("{\"k\":" + random.nextInt() + ",\"s\":\"" + text(8).replace("\\", "\\\\")
                                .replace("\"", "\\\"").replaceAll("[\\x00-\\x1f\\uD800-\\uDFFF]", "_") + "\"}")
                        : Metadata.EMPTY;
                entries.add(entry(kind, text(12), text(40), text(10), metadata, at));
            }
            Optional<String> token = random.nextBoolean() ? Optional.of(text(60)) : Optional.empty();
            assertSameAsBefore(new TransactionPage(entries, token));
        }
    }

    @Test
    void amountsOfEveryLengthAreWrittenAsJsonFormatPrintsThem() {
        List<LedgerEntry> entries = new ArrayList<>();
        for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
            for (long amount : new long[] {power - 1, power, power + 1, power * 9}) {
                if (amount > 0) {
                    entries.add(new LedgerEntry(UUID.randomUUID(), UUID.randomUUID(), EntryKind.USAGE, amount, "api",
                            "", "", Metadata.EMPTY, Optional.empty(), instant(0, 0)));
                }
            }
        }
        entries.add(new LedgerEntry(UUID.randomUUID(), UUID.randomUUID(), EntryKind.GRANT, Long.MAX_VALUE, "api", "",
                "", Metadata.EMPTY, Optional.empty(), instant(0, 0)));

        assertSameAsBefore(new TransactionPage(entries, Optional.empty()));
    }

    @Test
    void idsOfEveryShapeAreWrittenAsUuidToStringWritesThem() {
        List<LedgerEntry> entries = new ArrayList<>();
        List<UUID> ids = new ArrayList<>(List.of(new UUID(0, 0), new UUID(-1, -1), new UUID(1, 1L << 60),
                new UUID(Long.MIN_VALUE, Long.MAX_VALUE)));
        for (int index = 0; index < 200; index++) {
            ids.add(new UUID(random.nextLong() >>> random.nextInt(64), random.nextLong() >>> random.nextInt(64)));
        }
        for (UUID id : ids) {
            entries.add(new LedgerEntry(id, ids.get(random.nextInt(ids.size())), EntryKind.REVERT, 5, "api", "", "",
                    Metadata.EMPTY, Optional.of(UUID.randomUUID()), instant(0, 0)));
        }

        assertSameAsBefore(new TransactionPage(entries, Optional.empty()));
    }

    @Test
    void emptyPagesAreWrittenAsBefore() {
        assertSameAsBefore(new TransactionPage(List.of(), Optional.empty()));
        assertSameAsBefore(new TransactionPage(List.of(), Optional.of("t")));
    }

    @Test
    void aTimeJsonFormatRefusesFailsAsItDidBefore() {
        TransactionPage page = new TransactionPage(List.of(usage(instant(SECONDS_MAX + 1, 0))), Optional.empty());

        Class<? extends Throwable> before = catchClass(() -> ProtoJson.printWithJsonFormat(ProtoMapping.transactions(page)));
        assertThat(before).isNotNull();
        assertThatThrownBy(() -> TransactionPageJson.write(page)).isInstanceOf(before);
    }

    private static Class<? extends Throwable> catchClass(Runnable call) {
        try {
            call.run();
            return null;
        } catch (RuntimeException failure) {
            return failure.getClass();
        }
    }

    private static void assertSameAsBefore(TransactionPage page) {
        var message = ProtoMapping.transactions(page);
        byte[] written = TransactionPageJson.write(page).array();
        assertSameBytes(written, ProtoJson.printWithJsonFormat(message).getBytes(StandardCharsets.UTF_8));
        assertSameBytes(written, ProtoJson.printUtf8(message));
        assertSameBytes(new TransactionPageAnswer(page).json().array(), written);
    }

    private static void assertSameBytes(byte[] written, byte[] expected) {
        int differsAt = 0;
        while (differsAt < Math.min(written.length, expected.length) && written[differsAt] == expected[differsAt]) {
            differsAt++;
        }
        // The replies are long: report where they part, not both whole.
        assertThat(around(written, differsAt)).as("at byte " + differsAt).isEqualTo(around(expected, differsAt));
        assertThat(written.length).isEqualTo(expected.length);
    }

    private static String around(byte[] text, int index) {
        int from = Math.max(0, index - 40);
        return new String(text, from, Math.min(text.length, index + 40) - from, StandardCharsets.ISO_8859_1);
    }

    private int nanos(int index) {
        return switch (index % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
    }

    /** Text mixing ASCII, escapes, two- and three-byte characters, pairs and lone surrogates. */
    private String text(int lengthMax) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(lengthMax + 1);
        for (int index = 0; index < length; index++) {
            text.append(switch (random.nextInt(8)) {
                case 0 -> (char) random.nextInt(0x80);
                case 1 -> "\"\\<>&='\u2028\u2029\n\t".charAt(random.nextInt(11));
                case 2 -> (char) (0x80 + random.nextInt(0x780));
                case 3 -> (char) (0x800 + random.nextInt(0xf800));
                case 4 -> "\uD83D\uDE00";
                default -> (char) ('a' + random.nextInt(26));
            });
        }
        return text.toString();
    }

    private LedgerEntry usage(Instant at) {
        return entry(EntryKind.USAGE, "api", "", "", Metadata.EMPTY, at);
    }

    private LedgerEntry entry(EntryKind kind, String source, String description, String userId, Metadata metadata,
                              Instant at) {
        return new LedgerEntry(UUID.randomUUID(), UUID.randomUUID(), kind, random.nextLong(1, Long.MAX_VALUE), source,
                description, userId, metadata,
                kind == EntryKind.REVERT ? Optional.of(UUID.randomUUID()) : Optional.empty(), at);
    }

    private static Instant instant(long seconds, int nanos) {
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
