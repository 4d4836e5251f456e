package dev.tally.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own rate of single-row autocommit INSERTs on Tally's database, measured by pgbench
 * with as many clients as the Tally phases: the yardstick of DESIGN §9. It runs on its own table in
 * a scratch schema created for the run and dropped after it, never on Tally's tables.
 */
final class PgbenchBaseline {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private PgbenchBaseline() {}

    /** Runs pgbench for {@code seconds} with {@code clients} and returns its transactions per second. */
    static double insertsPerSecond(String jdbcUrl, int clients, int seconds) throws Exception {
        String schema = "bench_pgbench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(jdbcUrl, "CREATE SCHEMA " + schema + "; CREATE TABLE " + schema + ".usages (id UUID PRIMARY KEY"
                + " DEFAULT gen_random_uuid(), account_id BIGINT NOT NULL, amount BIGINT NOT NULL,"
                + " created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        Path script = Files.createTempFile("tally-pgbench", ".sql");
        try {
            Files.writeString(script, "\\set account random(1, 1000)\nINSERT INTO " + schema
                    + ".usages (account_id, amount) VALUES (:account, 1);\n");
            return run(jdbcUrl, script, clients, seconds);
        } finally {
            Files.deleteIfExists(script);
            execute(jdbcUrl, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static double run(String jdbcUrl, Path script, int clients, int seconds)
            throws IOException, InterruptedException {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        Map<String, String> query = query(uri.getRawQuery());
        ProcessBuilder builder = new ProcessBuilder("pgbench", "-n", "-c", Integer.toString(clients),
                "-j", Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())),
                "-T", Integer.toString(seconds), "-f", script.toString(), uri.getPath().substring(1));
        builder.environment().put("PGHOST", uri.getHost());
        builder.environment().put("PGPORT", Integer.toString(uri.getPort() > 0 ? uri.getPort() : 5432));
        if (query.containsKey("user")) {
            builder.environment().put("PGUSER", query.get("user"));
        }
        if (query.containsKey("password")) {
            builder.environment().put("PGPASSWORD", query.get("password"));
        }
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + output);
        }
        return Double.parseDouble(tps.group(1));
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
        }
        return values;
    }

    private static void execute(String jdbcUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
