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
        checkStorable(field, value);
        int characters = value.codePointCount(0, value.length());
        if (characters > lengthMax) {
            throw TallyException.invalidArgument(
                    field + ": " + characters + " characters (expected: at most " + lengthMax + ")");
        }
        return value;
    }

    /**
     * Fails with INVALID_ARGUMENT on text that the databases cannot store as sent: NUL (PostgreSQL
     * refuses it) and unpaired UTF-16 surrogates (not characters; encoders turn them into "?").
     * Checked here, in the domain, so that every transport gets the same answer.
     */
    public static String checkStorable(String field, String value) {
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            if (c == '\0') {
                throw TallyException.invalidArgument(field + ": contains a NUL character");
            }
            if (Character.isHighSurrogate(c) && index + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(index + 1))) {
                index++;
            } else if (Character.isSurrogate(c)) {
                throw TallyException.invalidArgument(field + ": contains an unpaired UTF-16 surrogate");
            }
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
