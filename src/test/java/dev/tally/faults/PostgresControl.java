package dev.tally.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The faults injected into the local PostgreSQL: terminated backends and restarts. */
final class PostgresControl {
    private final String adminUrl;
    private final String database;

    PostgresControl(String adminUrl, String database) {
        this.adminUrl = adminUrl;
        this.database = database;
    }

    void recreateDatabase() throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl)) {
            connection.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            connection.createStatement().execute("CREATE DATABASE " + database);
        }
    }

    /** Terminates every backend serving Tally's database; returns how many. */
    int terminateBackends() throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl);
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                             + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Restarts the local cluster with pg_ctlcluster; mode is "fast" or "immediate" (no checkpoint: crash recovery). */
    void restart(String mode) throws IOException, InterruptedException {
        String version;
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            version = versions.map(path -> path.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
        }
        Process restart = new ProcessBuilder(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main",
                "restart", "-m", mode)).redirectErrorStream(true).start();
        if (!restart.waitFor(60, TimeUnit.SECONDS) || restart.exitValue() != 0) {
            throw new IllegalStateException("pg_ctlcluster restart -m " + mode + " failed: "
                    + new String(restart.getInputStream().readAllBytes()));
        }
    }
}
