package dev.tally.common;

import java.util.regex.Pattern;

/** The rule for organization and project names: short, URL-safe, and never shaped like a uuid. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{1,49}");

    private Names() {}

    public static String check(String field, String name) {
        Text.requireNonBlank(field, name);
        if (!NAME.matcher(name).matches() || Ids.tryParse(name).isPresent()) {
            throw TallyException.invalidArgument(field + ": " + Text.quote(name)
                    + " (expected: 2 to 50 lowercase letters, digits, '-' or '_', not a uuid)");
        }
        return name;
    }
}
