package dev.tally.ops;

import dev.tally.config.Environment;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The operations settings (DESIGN §15), read from the environment beside {@code TallyConfig}; the README's
 * configuration table lists them.
 *
 * @param rateLimitPerSecond requests per second each principal may make; 0 turns the limit off
 */
public record OperationsConfig(
        int managementPort,
        LogFormat logFormat,
        int rateLimitPerSecond,
        Optional<Path> tlsCertificateFile,
        Optional<Path> tlsKeyFile,
        int shutdownGraceSeconds) {

    public static final int MANAGEMENT_PORT_DEFAULT = 9000;
    public static final int SHUTDOWN_GRACE_SECONDS_DEFAULT = 30;
    /** Off: no rate limit, plain access-log lines, no TLS. What the tests' servers use. */
    public static final OperationsConfig DEFAULTS = new OperationsConfig(MANAGEMENT_PORT_DEFAULT, LogFormat.PLAIN, 0,
            Optional.empty(), Optional.empty(), SHUTDOWN_GRACE_SECONDS_DEFAULT);

    public enum LogFormat { PLAIN, JSON }

    public OperationsConfig {
        if (rateLimitPerSecond < 0) {
            throw new IllegalArgumentException("TALLY_RATE_LIMIT_PER_SECOND: " + rateLimitPerSecond
                    + " (expected: 0 for no limit, or more)");
        }
        if (tlsCertificateFile.isPresent() != tlsKeyFile.isPresent()) {
            throw new IllegalArgumentException("TALLY_TLS_CERT_FILE and TALLY_TLS_KEY_FILE must be set together");
        }
        if (shutdownGraceSeconds < 0) {
            throw new IllegalArgumentException("TALLY_SHUTDOWN_GRACE_SECONDS: " + shutdownGraceSeconds
                    + " (expected: >= 0)");
        }
    }

    public static OperationsConfig fromEnvironment(Map<String, String> variables) {
        Environment env = new Environment(variables);
        return new OperationsConfig(
                env.integer("TALLY_MANAGEMENT_PORT", MANAGEMENT_PORT_DEFAULT),
                logFormat(env.text("TALLY_LOG_FORMAT", "")),
                env.integer("TALLY_RATE_LIMIT_PER_SECOND", 0),
                env.path("TALLY_TLS_CERT_FILE"),
                env.path("TALLY_TLS_KEY_FILE"),
                env.integer("TALLY_SHUTDOWN_GRACE_SECONDS", SHUTDOWN_GRACE_SECONDS_DEFAULT));
    }

    public OperationsConfig withRateLimitPerSecond(int perSecond) {
        return new OperationsConfig(managementPort, logFormat, perSecond, tlsCertificateFile, tlsKeyFile,
                shutdownGraceSeconds);
    }

    public OperationsConfig withLogFormat(LogFormat format) {
        return new OperationsConfig(managementPort, format, rateLimitPerSecond, tlsCertificateFile, tlsKeyFile,
                shutdownGraceSeconds);
    }

    public OperationsConfig withTls(Path certificateFile, Path keyFile) {
        return new OperationsConfig(managementPort, logFormat, rateLimitPerSecond, Optional.of(certificateFile),
                Optional.of(keyFile), shutdownGraceSeconds);
    }

    private static LogFormat logFormat(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "", "plain", "text" -> LogFormat.PLAIN;
            case "json" -> LogFormat.JSON;
            default -> throw new IllegalArgumentException("TALLY_LOG_FORMAT: " + value + " (expected: plain or json)");
        };
    }
}
