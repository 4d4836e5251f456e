package dev.tally.config;

import dev.tally.ops.OperationsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both settings records read the environment the same way: blank is unset, a bad number names its variable. */
class ConfigurationFromEnvironmentTest {

    @Test
    void anEmptyEnvironmentGivesTheDocumentedDefaults() {
        TallyConfig tally = TallyConfig.fromEnvironment(Map.of());
        assertThat(tally.httpPort()).isEqualTo(TallyConfig.HTTP_PORT_DEFAULT);
        assertThat(tally.dataDirectory()).isEqualTo(Path.of("data"));
        assertThat(tally.databaseUrl()).isEmpty();
        assertThat(tally.databasePoolSize()).isEqualTo(16);
        assertThat(tally.usageLanes()).isEqualTo(TallyConfig.usageLanesFor(Runtime.getRuntime().availableProcessors()));
        assertThat(tally.requestTimeoutMillis()).isEqualTo(TallyConfig.REQUEST_TIMEOUT_MILLIS_DEFAULT);
        assertThat(OperationsConfig.fromEnvironment(Map.of())).isEqualTo(OperationsConfig.DEFAULTS);
    }

    @Test
    void theDefaultLanesAreHalfTheProcessorsFromOneToFour() {
        assertThat(TallyConfig.usageLanesFor(1)).isEqualTo(1);
        assertThat(TallyConfig.usageLanesFor(2)).isEqualTo(1);
        assertThat(TallyConfig.usageLanesFor(4)).isEqualTo(2);
        assertThat(TallyConfig.usageLanesFor(8)).isEqualTo(4);
        assertThat(TallyConfig.usageLanesFor(64)).isEqualTo(TallyConfig.USAGE_LANES_DEFAULT);
    }

    @Test
    void blankValuesAreTheSameAsUnset() {
        Map<String, String> blank = Map.of("TALLY_HTTP_PORT", " ", "TALLY_DB_URL", "", "TALLY_ADMIN_CLIENT_ID", "  ",
                "TALLY_MANAGEMENT_PORT", "", "TALLY_TLS_CERT_FILE", " ", "TALLY_TLS_KEY_FILE", "");
        assertThat(TallyConfig.fromEnvironment(blank)).isEqualTo(TallyConfig.fromEnvironment(Map.of()));
        assertThat(OperationsConfig.fromEnvironment(blank)).isEqualTo(OperationsConfig.DEFAULTS);
    }

    @Test
    void valuesAreReadWithNumbersAndPathsTrimmedAndSecretsExactly() {
        TallyConfig tally = TallyConfig.fromEnvironment(Map.of("TALLY_HTTP_PORT", " 8281 ",
                "TALLY_DB_URL", "jdbc:postgresql://db/tally", "TALLY_ADMIN_CLIENT_ID", "admin",
                "TALLY_ADMIN_CLIENT_SECRET", " s3cret ", "TALLY_USAGE_LANES", "2"));
        assertThat(tally.httpPort()).isEqualTo(8281);
        assertThat(tally.databaseUrl()).contains("jdbc:postgresql://db/tally");
        assertThat(tally.adminClientSecret()).contains(" s3cret ");
        assertThat(tally.usageLanes()).isEqualTo(2);
        OperationsConfig operations = OperationsConfig.fromEnvironment(Map.of("TALLY_MANAGEMENT_PORT", "8282",
                "TALLY_LOG_FORMAT", "JSON", "TALLY_RATE_LIMIT_PER_SECOND", "50",
                "TALLY_TLS_CERT_FILE", " /etc/tally/cert.pem ", "TALLY_TLS_KEY_FILE", "/etc/tally/key.pem"));
        assertThat(operations.managementPort()).isEqualTo(8282);
        assertThat(operations.logFormat()).isEqualTo(OperationsConfig.LogFormat.JSON);
        assertThat(operations.rateLimitPerSecond()).isEqualTo(50);
        assertThat(operations.tlsCertificateFile()).isEqualTo(Optional.of(Path.of("/etc/tally/cert.pem")));
        assertThat(operations.tlsKeyFile()).isEqualTo(Optional.of(Path.of("/etc/tally/key.pem")));
    }

    @Test
    void aValueThatIsNotANumberIsRefusedNamingItsVariable() {
        assertThatThrownBy(() -> TallyConfig.fromEnvironment(Map.of("TALLY_DB_POOL_SIZE", "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TALLY_DB_POOL_SIZE: many (expected: an integer)");
        assertThatThrownBy(() -> OperationsConfig.fromEnvironment(Map.of("TALLY_SHUTDOWN_GRACE_SECONDS", "30s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TALLY_SHUTDOWN_GRACE_SECONDS: 30s (expected: an integer)");
    }

    @Test
    void settingsThatOnlyMakeSenseTogetherAreRefusedApart() {
        assertThatThrownBy(() -> OperationsConfig.fromEnvironment(Map.of("TALLY_TLS_CERT_FILE", "cert.pem")))
                .hasMessage("TALLY_TLS_CERT_FILE and TALLY_TLS_KEY_FILE must be set together");
        assertThatThrownBy(() -> TallyConfig.fromEnvironment(Map.of("TALLY_ADMIN_CLIENT_SECRET", "x")))
                .hasMessage("TALLY_ADMIN_CLIENT_SECRET is set without TALLY_ADMIN_CLIENT_ID");
        assertThatThrownBy(() -> OperationsConfig.fromEnvironment(Map.of("TALLY_LOG_FORMAT", "xml")))
                .hasMessage("TALLY_LOG_FORMAT: xml (expected: plain or json)");
    }
}
