package dev.tally.ops;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Finds {@code promtool} on the PATH. CI (.ci/run) installs it and sets {@code TALLY_TEST_PROMTOOL=required},
 * so there a missing promtool fails the test; on a developer's machine without it the check is skipped.
 */
final class Promtool {
    private Promtool() {}

    static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .map(directory -> Path.of(directory, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    static void skipOrFail() {
        if ("required".equals(System.getenv("TALLY_TEST_PROMTOOL"))) {
            fail("promtool is required (TALLY_TEST_PROMTOOL=required) but is not on the PATH");
        }
        Assumptions.abort("promtool is not installed (Debian package prometheus)");
    }
}
