package dev.tally.hostile;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The injection- and traversal-shaped strings that the injection suites send everywhere. */
final class Hostile {
    /** Each string by the words that name it in a case. */
    static final Map<String, String> STRINGS = new LinkedHashMap<>();

    static {
        STRINGS.put("a SQL tautology", "' OR 1=1 --");
        STRINGS.put("a SQL statement that drops the ledger", "\"; DROP TABLE billing_transactions; --");
        STRINGS.put("a path traversal", "../../etc/passwd");
        STRINGS.put("an encoded path traversal", "%2e%2e%2f");
        STRINGS.put("a script tag", "<script>alert(1)</script>");
    }

    private Hostile() {}

    /** The string percent-encoded as one path segment or query value. */
    static String encoded(String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The string as a JSON string literal. */
    static String json(String raw) {
        return TextPlace.json(raw);
    }
}
