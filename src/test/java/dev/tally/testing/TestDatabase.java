package dev.tally.testing;

import dev.tally.storage.Database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty database for one test class: an in-memory H2 database, or a new schema in the
 * PostgreSQL that {@code TALLY_TEST_POSTGRES_URL} names. Which one is chosen by the system
 * property {@code tally.test.database} (set by the Maven build: "h2" or "postgres"). When
 * PostgreSQL was asked for and cannot be reached the tests fail; they never skip.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String KIND_PROPERTY = "tally.test.database";
    public static final String POSTGRES_URL_VARIABLE = "TALLY_TEST_POSTGRES_URL";

    private final Database database;
    private final String kind;
    private final String postgresUrl;
    private final String schema;
    private final String jdbcUrl;

    private TestDatabase(Database database, String kind, String postgresUrl, String schema, String jdbcUrl) {
        this.database = database;
        this.jdbcUrl = jdbcUrl;
        this.kind = kind;
        this.postgresUrl = postgresUrl;
        this.schema = schema;
    }

    public static String kind() {
        return System.getProperty(KIND_PROPERTY, "h2");
    }

    public static TestDatabase create() {
        String name = "tally_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (kind().equals("postgres")) {
            String url = System.getenv(POSTGRES_URL_VARIABLE);
            if (url == null || url.isBlank()) {
                throw new IllegalStateException("tally.test.database=postgres but " + POSTGRES_URL_VARIABLE
                        + " is not set (for example jdbc:postgresql://127.0.0.1:5432/test?user=postgres)");
            }
            execute(url, "CREATE SCHEMA " + name);
            // The schema goes in the URL, so that every connection starts in it; a SET issued by the
            // pool would run inside the first transaction and be undone by its rollback.
            String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
            return new TestDatabase(Database.open(schemaUrl, null, null, 24), "postgres", url, name, schemaUrl);
        }
        String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        return new TestDatabase(Database.open(url, "", "", 24), "h2", null, null, url);
    }

    public Database database() {
        return database;
    }

    /**
     * Another connection pool on this same database, as a second Tally process would have: for
     * tests of what only the database (not one JVM's lanes) keeps consistent. The caller closes it.
     */
    public Database openAnotherPool() {
        return Database.open(jdbcUrl, kind.equals("h2") ? "" : null, kind.equals("h2") ? "" : null, 24);
    }

    public String kindName() {
        return kind;
    }

    @Override
    public void close() {
        database.close();
        if (postgresUrl != null) {
            execute(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url + " cannot run: " + sql, e);
        }
    }
}
