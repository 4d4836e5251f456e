package dev.tally.common;

/** Checks on caller-supplied strings, applied where the value enters. */
public final class Text {
    public static final int LENGTH_MAX = 255;
    private static final int QUOTED_LENGTH_MAX = 64;

    private Text() {}

    /**
     * Fails with INVALID_ARGUMENT when {@code value} is longer than {@code lengthMax} characters,
     * counted as a person would (Unicode code points: an emoji is one character).
     */
    public static String checkLength(String field, String value, int lengthMax) {
        int characters = value.codePointCount(0, value.length());
        if (characters > lengthMax) {
            throw TallyException.invalidArgument(
                    field + ": " + characters + " characters (expected: at most " + lengthMax + ")");
        }
        return value;
    }

    public static String checkLength(String field, String value) {
        return checkLength(field, value, LENGTH_MAX);
    }

    public static String requireNonBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw TallyException.invalidArgument(field + ": empty (expected: a value)");
        }
        return value;
    }

    /** Quotes a caller's value for an error message, shortened so that a reply stays small. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > QUOTED_LENGTH_MAX ? value.substring(0, QUOTED_LENGTH_MAX) + "…" : value;
        return '"' + shown + '"';
    }
}
