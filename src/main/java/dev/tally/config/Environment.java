package dev.tally.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads settings from the process environment (or a map standing in for it in tests): the one
 * place that says what a blank value means and how a bad number is reported, for every
 * {@code *Config.fromEnvironment}. A blank value is the same as an absent one.
 */
public final class Environment {
    private final Map<String, String> variables;

    public Environment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** The value as given (not trimmed: a secret or URL is used exactly), or {@code fallback} when unset. */
    public String text(String name, String fallback) {
        return variables.getOrDefault(name, fallback);
    }

    /** The value as given, when set and not blank. */
    public Optional<String> nonBlank(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }

    /** A file path, trimmed, when set and not blank. */
    public Optional<Path> path(String name) {
        return nonBlank(name).map(String::trim).map(Path::of);
    }

    /** A decimal integer (surrounding spaces allowed), or {@code fallback} when unset or blank. */
    public int integer(String name, int fallback) {
        Optional<String> value = nonBlank(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + value.get() + " (expected: an integer)", e);
        }
    }
}
