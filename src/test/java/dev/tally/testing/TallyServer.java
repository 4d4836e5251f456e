package dev.tally.testing;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.Main;
import dev.tally.Tally;
import dev.tally.config.TallyConfig;
import dev.tally.idempotency.IdempotencyService;
import dev.tally.storage.Database;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    private TestDatabase database;
    private Server server;
    private Tally tally;

    public TallyServer() {
        this(TallyConfig.USAGE_QUEUE_MAX_DEFAULT, Duration.ofMillis(TallyConfig.REQUEST_TIMEOUT_MILLIS_DEFAULT));
    }

    private TallyServer(int usageQueueMax, Duration requestTimeout) {
        this.usageQueueMax = usageQueueMax;
        this.requestTimeout = requestTimeout;
    }

    /** A server whose usage lanes hold at most {@code usageQueueMax} requests each and whose requests time out as given. */
    public static TallyServer withWriteLimits(int usageQueueMax, Duration requestTimeout) {
        return new TallyServer(usageQueueMax, requestTimeout);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database = TestDatabase.create();
        tally = new Tally(database.database(), clock, TallyConfig.USAGE_LANES_DEFAULT,
                IdempotencyService.LEASE_DEFAULT, usageQueueMax, requestTimeout);
        Path dataDirectory = Files.createTempDirectory("tally-test");
        tally.bootstrapAdmin(TallyConfig.fromEnvironment(Map.of("TALLY_DATA_DIR", dataDirectory.toString(),
                "TALLY_ADMIN_CLIENT_ID", ADMIN_CLIENT_ID, "TALLY_ADMIN_CLIENT_SECRET", ADMIN_SECRET)));
        ServerBuilder builder = Server.builder().http(0);
        Main.configureServices(builder, tally);
        server = builder.build();
        server.start().join();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.stop().join();
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
        return URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/");
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
     * Tally's tables that hold what a caller can create; {@link #rowCount} and {@link #tableRows} read only
     * these. (idempotency_keys is left out: it records replies, refusals included, by design.)
     */
    public static final Set<String> DATA_TABLES = Set.of("organizations", "projects", "billing_accounts",
            "billing_transactions", "service_users", "service_user_credentials", "billing_holds");

    /** The number of rows in one of {@link #DATA_TABLES}. */
    public long rowCount(String table) {
        requireDataTable(table);
        return database.database().inTransaction(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /**
     * Every row of one of {@link #DATA_TABLES}, in id order, each printed as {@code id -> column=value, ...}:
     * for checking that a request changed nothing at all.
     */
    public List<String> tableRows(String table) {
        requireDataTable(table);
        return database.database().inTransaction(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
                ResultSetMetaData columns = rows.getMetaData();
                List<String> printed = new ArrayList<>();
                while (rows.next()) {
                    StringBuilder row = new StringBuilder(rows.getString("id")).append(" ->");
                    for (int column = 1; column <= columns.getColumnCount(); column++) {
                        row.append(' ').append(columns.getColumnLabel(column).toLowerCase(Locale.ROOT))
                                .append('=').append(rows.getString(column));
                    }
                    printed.add(row.toString());
                }
                return printed;
            }
        });
    }

    private static void requireDataTable(String table) {
        if (!DATA_TABLES.contains(table)) {
            throw new IllegalArgumentException("not one of Tally's data tables: " + table);
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
