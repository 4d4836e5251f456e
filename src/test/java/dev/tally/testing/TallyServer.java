package dev.tally.testing;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.Main;
import dev.tally.Tally;
import dev.tally.config.TallyConfig;
import dev.tally.idempotency.IdempotencyService;
import dev.tally.storage.Database;
import dev.tally.ops.Operations;
import dev.tally.ops.OperationsConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A real Tally server for one test class, wired by {@link Main#configureServices} on a free port
 * over a fresh {@link TestDatabase}. Register it as a static field with {@code @RegisterExtension}.
 */
public final class TallyServer implements BeforeAllCallback, AfterAllCallback {
    public static final String ADMIN_CLIENT_ID = "test-admin";
    public static final String ADMIN_SECRET = "test-admin-secret";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final int usageQueueMax;
    private final Duration requestTimeout;
    private final OperationsConfig operationsConfig;
    /** Threads of the server's blocking executor; 0 for Armeria's default, as in production. */
    private final int blockingThreads;
    /** The access log, kept in memory so that tests can read what the server wrote. */
    private final ByteArrayOutputStream accessLog = new ByteArrayOutputStream();
    private TestDatabase database;
    private Server server;
    private Server management;
    private Operations operations;
    private Tally tally;
    private volatile List<String> tables;

    public TallyServer() {
        this(TallyConfig.USAGE_QUEUE_MAX_DEFAULT, Duration.ofMillis(TallyConfig.REQUEST_TIMEOUT_MILLIS_DEFAULT),
                OperationsConfig.DEFAULTS);
    }

    /** A server with these operations settings (rate limit, log format, TLS); ports are always free ones. */
    public TallyServer(OperationsConfig operationsConfig) {
        this(TallyConfig.USAGE_QUEUE_MAX_DEFAULT, Duration.ofMillis(TallyConfig.REQUEST_TIMEOUT_MILLIS_DEFAULT),
                operationsConfig);
    }

    private TallyServer(int usageQueueMax, Duration requestTimeout, OperationsConfig operationsConfig) {
        this(usageQueueMax, requestTimeout, operationsConfig, 0);
    }

    private TallyServer(int usageQueueMax, Duration requestTimeout, OperationsConfig operationsConfig,
                        int blockingThreads) {
        this.usageQueueMax = usageQueueMax;
        this.requestTimeout = requestTimeout;
        this.operationsConfig = operationsConfig;
        this.blockingThreads = blockingThreads;
    }

    /** A server whose blocking executor (authentication, JDBC, the RPCs) has only {@code threads} threads. */
    public static TallyServer withBlockingThreads(int threads) {
        return new TallyServer(TallyConfig.USAGE_QUEUE_MAX_DEFAULT,
                Duration.ofMillis(TallyConfig.REQUEST_TIMEOUT_MILLIS_DEFAULT), OperationsConfig.DEFAULTS, threads);
    }

    /** A server whose usage lanes hold at most {@code usageQueueMax} requests each and whose requests time out as given. */
    public static TallyServer withWriteLimits(int usageQueueMax, Duration requestTimeout) {
        return new TallyServer(usageQueueMax, requestTimeout, OperationsConfig.DEFAULTS);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database = TestDatabase.create();
        tally = new Tally(database.database(), clock, TallyConfig.USAGE_LANES_DEFAULT,
                IdempotencyService.LEASE_DEFAULT, usageQueueMax, requestTimeout);
        Path dataDirectory = Files.createTempDirectory("tally-test");
        tally.bootstrapAdmin(TallyConfig.fromEnvironment(Map.of("TALLY_DATA_DIR", dataDirectory.toString(),
                "TALLY_ADMIN_CLIENT_ID", ADMIN_CLIENT_ID, "TALLY_ADMIN_CLIENT_SECRET", ADMIN_SECRET)));
        operations = new Operations(tally, operationsConfig, new PrintStream(accessLog, true, StandardCharsets.UTF_8));
        ServerBuilder builder = Server.builder();
        if (blockingThreads > 0) {
            builder.blockingTaskExecutor(blockingThreads);
        }
        operations.listen(builder, 0);
        Main.configureServices(builder, tally, operations);
        server = builder.build();
        server.start().join();
        management = operations.managementServer(0);
        management.start().join();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.stop().join();
        }
        if (management != null) {
            management.stop().join();
        }
        if (operations != null) {
            operations.close();
        }
        if (tally != null) {
            tally.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /**
     * A second Tally, as another process sharing this server's database would be: its own
     * connection pool, usage lanes and port, the same production wiring. The caller closes it.
     */
    public Peer startPeer() {
        Database peerDatabase = database.openAnotherPool();
        Tally peerTally = new Tally(peerDatabase, clock);
        ServerBuilder builder = Server.builder().http(0);
        Main.configureServices(builder, peerTally);
        Server peerServer = builder.build();
        peerServer.start().join();
        return new Peer(peerServer, peerTally, peerDatabase);
    }

    /** A second Tally over the same database; see {@link #startPeer}. */
    public static final class Peer implements AutoCloseable {
        private final Server server;
        private final Tally tally;
        private final Database database;

        private Peer(Server server, Tally tally, Database database) {
            this.server = server;
            this.tally = tally;
            this.database = database;
        }

        public URI uri() {
            return URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/");
        }

        public Tally tally() {
            return tally;
        }

        @Override
        public void close() {
            server.stop().join();
            tally.close();
            database.close();
        }
    }

    public URI uri() {
        String scheme = operationsConfig.tlsCertificateFile().isPresent() ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.activeLocalPort() + "/");
    }

    public Operations operations() {
        return operations;
    }

    /** A second connection pool on this server's database, for a second server (another process's view). */
    public dev.tally.storage.Database openAnotherPool() {
        return database.openAnotherPool();
    }

    /** The management port's base URI ({@code /metrics}, {@code /ping}, {@code /ready}). */
    public URI managementUri() {
        return URI.create("http://127.0.0.1:" + management.activeLocalPort() + "/");
    }

    /** Every access-log line the server has written so far. */
    public List<String> accessLogLines() {
        String text;
        synchronized (accessLog) {
            text = accessLog.toString(StandardCharsets.UTF_8);
        }
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    public MutableClock clock() {
        return clock;
    }

    public Tally tally() {
        return tally;
    }

    /** A client with no credentials. */
    public TallyClient anonymous() {
        return new TallyClient(uri(), Optional.empty());
    }

    public TallyClient admin() {
        return new TallyClient(uri(), Optional.of(TallyClient.basic(ADMIN_CLIENT_ID, ADMIN_SECRET)));
    }

    /** Which database this run uses: "h2" or "postgres". */
    public String databaseKind() {
        return database.kindName();
    }

    /** The stored balance of an account, read from the database directly. */
    public long storedBalance(String accountId) {
        return queryLong("SELECT balance FROM billing_accounts WHERE id = ?", accountId);
    }

    /** Credits minus debits of the account's entries, summed from the ledger itself. */
    public long ledgerSum(String accountId) {
        return queryLong("SELECT COALESCE(SUM(CASE WHEN type = 'credit' THEN amount ELSE -amount END), 0)"
                + " FROM billing_transactions WHERE account_id = ?", accountId);
    }

    public long entryCount(String accountId) {
        return queryLong("SELECT COUNT(*) FROM billing_transactions WHERE account_id = ?", accountId);
    }

    /** The principal recorded on a ledger entry. */
    public String entryCreatedBy(String entryId) {
        return database.database().inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT created_by FROM billing_transactions WHERE id = ?")) {
                statement.setObject(1, UUID.fromString(entryId));
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getString(1) : null;
                }
            }
        });
    }

    /**
     * Every table of Tally's schema, lower-case, read from the database's own catalogue (not listed
     * by hand), so that a table added by a later migration is watched too. Flyway's history is left
     * out: it is written at start only.
     */
    public List<String> schemaTables() {
        if (tables == null) {
            tables = readSchemaTables();
        }
        return tables;
    }

    private List<String> readSchemaTables() {
        return database.database().inTransaction(connection -> {
            DatabaseMetaData meta = connection.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = meta.getTables(connection.getCatalog(), connection.getSchema(), "%",
                    new String[] {"TABLE"})) {
                while (rows.next()) {
                    String name = rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!name.equals("flyway_schema_history")) {
                        tables.add(name);
                    }
                }
            }
            Collections.sort(tables);
            return List.copyOf(tables);
        });
    }

    /**
     * The names of every constraint of the schema (primary keys, uniques, checks, foreign keys) and of
     * every unique index, lower-case: a unique index that is no constraint (PostgreSQL's partial ones,
     * V93, V94) is what a duplicate-key error names, so it is the schema's name as much as a constraint's.
     */
    public List<String> schemaConstraintAndUniqueIndexNames() {
        return database.database().inTransaction(connection -> {
            Set<String> names = new TreeSet<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT constraint_name FROM information_schema.table_constraints WHERE table_schema = ?")) {
                statement.setString(1, connection.getSchema());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1).toLowerCase(Locale.ROOT));
                    }
                }
            }
            DatabaseMetaData meta = connection.getMetaData();
            for (String table : schemaTables()) {
                try (ResultSet rows = meta.getIndexInfo(connection.getCatalog(), connection.getSchema(),
                        meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table, true, true)) {
                    while (rows.next()) {
                        if (rows.getString("INDEX_NAME") != null) {
                            names.add(rows.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            return List.copyOf(names);
        });
    }

    /** The number of rows in one of {@link #schemaTables()}. */
    public long rowCount(String table) {
        requireSchemaTable(table);
        return database.database().inTransaction(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /**
     * Every row of one of {@link #schemaTables()}, by its primary key (read from the schema; several
     * columns joined with "|"), each row printed as {@code column=value, ...} in column order: for
     * checking that a request changed nothing at all, or only what it was meant to.
     */
    public Map<String, Map<String, String>> tableRows(String table) {
        requireSchemaTable(table);
        return database.database().inTransaction(connection -> {
            List<String> key = primaryKey(connection, table);
            Map<String, Map<String, String>> printed = new TreeMap<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData columns = rows.getMetaData();
                while (rows.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int column = 1; column <= columns.getColumnCount(); column++) {
                        row.put(columns.getColumnLabel(column).toLowerCase(Locale.ROOT), rows.getString(column));
                    }
                    StringBuilder id = new StringBuilder();
                    for (String column : key) {
                        id.append(id.isEmpty() ? "" : "|").append(row.get(column));
                    }
                    printed.put(id.toString(), row);
                }
            }
            return printed;
        });
    }

    /** The service user that holds the credential with this client id. */
    public String serviceUserOfCredential(String clientId) {
        return database.database().inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT service_user_id FROM service_user_credentials WHERE id = ?")) {
                statement.setString(1, clientId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getString(1) : null;
                }
            }
        });
    }

    private static List<String> primaryKey(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        Map<Integer, String> columns = new TreeMap<>();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rows = meta.getPrimaryKeys(connection.getCatalog(), connection.getSchema(), name)) {
                while (rows.next()) {
                    columns.put(rows.getInt("KEY_SEQ"), rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            if (!columns.isEmpty()) {
                return List.copyOf(columns.values());
            }
        }
        throw new IllegalStateException("table " + table + " has no primary key");
    }

    private void requireSchemaTable(String table) {
        if (!schemaTables().contains(table)) {
            throw new IllegalArgumentException("not one of Tally's tables: " + table);
        }
    }

    private long queryLong(String sql, String accountId) {
        return database.database().inTransaction(connection -> queryLong(connection, sql, accountId));
    }

    private static long queryLong(Connection connection, String sql, String accountId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, UUID.fromString(accountId));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
