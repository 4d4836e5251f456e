package dev.tally.hostile;

import dev.tally.hostile.Probe.Expect;
import dev.tally.hostile.World.AccountRef;
import dev.tally.testing.ErrorAssertions;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §2 and §5: free-form text (descriptions, user ids, titles, names, metadata) is any Unicode
 * text within its length limit: emoji, right-to-left scripts, combining marks and control characters
 * other than NUL are accepted, stored verbatim and read back exactly as sent, and the request changes
 * exactly what it is meant to.
 */
class HostileUnicodeTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final Map<String, String> UNICODE = new LinkedHashMap<>();
    private static final Map<String, String> CONTROLS = new LinkedHashMap<>();

    static {
        UNICODE.put("emoji", "paid 💸🧾🚀");
        UNICODE.put("right-to-left Arabic and Hebrew", "فاتورة شهرية שלום עולם");
        UNICODE.put("combining marks", "e\u0301 n\u0303 Z\u0324\u0354\u0367\u0311\u0313a\u0337\u0331");
        UNICODE.put("a ZWJ family emoji and a flag", "👩\u200D👩\u200D👧 🇺🇦");
        UNICODE.put("a right-to-left override", "invoice\u202Egnp.exe");
        UNICODE.put("CJK", "請求書の説明 청구서");
        CONTROLS.put("C0 controls and an ANSI escape", "a\u0001b\u001b[31mred\u001f");
        CONTROLS.put("tab, newline and carriage return", "a\tb\nc\rd");
        CONTROLS.put("DEL, NEL and the line and paragraph separators", "\u007f\u0085\u2028\u2029");
        CONTROLS.put("a byte order mark and a noncharacter", "\uFEFFbom\uFFFF");
    }

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    static Stream<Arguments> unicodeText() {
        return Stream.of(TextPlace.values()).flatMap(place -> UNICODE.entrySet().stream().map(text -> Arguments.of(
                Named.of(place + " takes " + text.getKey() + " and reads it back exactly", place), text.getValue())));
    }

    static Stream<Arguments> controlCharacters() {
        return Stream.of(TextPlace.USAGE_DESCRIPTION, TextPlace.GRANT_DESCRIPTION, TextPlace.ORGANIZATION_TITLE)
                .flatMap(place -> CONTROLS.entrySet().stream().map(text -> Arguments.of(
                        Named.of(place + " takes " + text.getKey() + " and reads them back exactly", place),
                        text.getValue())));
    }

    static Stream<Arguments> textAtTheLengthLimit() {
        return Stream.of(
                Arguments.of(Named.of("a usage description of 255 CJK characters is taken", TextPlace.USAGE_DESCRIPTION),
                        "請".repeat(255)),
                Arguments.of(Named.of("a usage description of 200 emoji (200 characters, under the 255 limit) is taken",
                        TextPlace.USAGE_DESCRIPTION), "💸".repeat(200)),
                Arguments.of(Named.of("an organization title of 255 characters with combining marks is taken",
                        TextPlace.ORGANIZATION_TITLE), "e\u0301".repeat(127) + "x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"unicodeText", "controlCharacters", "textAtTheLengthLimit"})
    void freeFormTextIsStoredVerbatimAndChangesExactlyWhatTheRequestMeans(TextPlace place, String text) {
        AccountRef account = world.freshAccount(100);
        Probe probe = place.probe(world, account, text);

        Reply reply = probe.assertSucceeds(world, place.change(account), account);

        assertThat(place.readBack(world, account, probe, reply)).as("read back from " + place).isEqualTo(text);
    }

    /**
     * A JSON escape of a lone surrogate is not a character. Tally may refuse it, or keep it and give it
     * back; what it must not do is accept it and hand back something else.
     */
    @ParameterizedTest(name = "{0} with a lone surrogate is refused, or read back exactly")
    @MethodSource("loneSurrogatePlaces")
    void aLoneSurrogateIsRefusedOrReadBackExactly(TextPlace place) {
        AccountRef account = world.freshAccount(100);
        Probe probe = place.probe(world, account, "bad \uD800 half");

        // One send, watched from before it: whichever answer it gets, the snapshot is of that send.
        LedgerSnapshot before = world.snapshot(account);
        Reply reply = probe.send();
        LedgerSnapshot after = world.snapshot(account);

        if (reply.status() == 200) {
            after.assertChangedSince(before, place.change(account), probe.toString());
            assertThat(escaped(place.readBack(world, account, probe, reply)))
                    .as("accepted (200), so read back from " + place + " exactly as sent").isEqualTo("bad \\ud800 half");
        } else {
            ErrorAssertions.assertError(reply, Expect.INVALID.status(), Expect.INVALID.code());
            after.assertUnchangedSince(before, probe + " -> " + reply);
        }
    }

    static Stream<TextPlace> loneSurrogatePlaces() {
        return Stream.of(TextPlace.USAGE_DESCRIPTION, TextPlace.ORGANIZATION_TITLE);
    }

    /** Non-ASCII characters as \\uXXXX, so that a failure shows which character came back. */
    private static String escaped(String text) {
        StringBuilder shown = new StringBuilder();
        text.chars().forEach(c -> shown.append(c < 128 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return shown.toString();
    }
}
