package dev.tally.storage;

import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexes of billing_holds (V80; on PostgreSQL V93 makes the live holds' two indexes partial,
 * so that a capture adds no entry to them): every query of HoldRepository keeps an index plan, and
 * on PostgreSQL the held sum and the sweeper read indexes of live holds only, and placing a hold
 * runs no per-row key check. The statements are HoldRepository's, with literal values.
 */
class HoldIndexPlansTest {
    private static final String ACCOUNT = "'00000000-0000-0000-0000-00000000000a'";
    private static final String AT = "TIMESTAMP WITH TIME ZONE '2026-12-03 12:00:00+00'";
    private static final String HELD_SUM = "SELECT account_id, SUM(amount) FROM billing_holds WHERE account_id IN ("
            + ACCOUNT + ") AND state = 'held' AND expires_at > " + AT + " GROUP BY account_id";
    private static final String DUE = "SELECT id FROM billing_holds WHERE state = 'held' AND expires_at <= " + AT
            + " ORDER BY expires_at, id LIMIT 100 FOR UPDATE SKIP LOCKED";
    private static final String PAGE = "SELECT id FROM billing_holds WHERE account_id = " + ACCOUNT
            + " AND state = 'captured' ORDER BY created_at DESC, id DESC LIMIT 101";
    private static final String CAPTURE = "UPDATE billing_holds SET state = 'captured', captured_amount = 1,"
            + " usage_id = id WHERE id IN ('00000000-0000-0000-0000-000000000001',"
            + " '00000000-0000-0000-0000-000000000002') AND state = 'held' AND expires_at > " + AT;

    private static TestDatabase database;

    @BeforeAll
    static void open() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void everyHoldQueryHasAnIndexPlan() {
        database.database().inTransaction(connection -> {
            avoidTableScans(connection);
            for (String sql : List.of(HELD_SUM, DUE, PAGE, CAPTURE)) {
                String plan = String.join("\n", explain(connection, sql)).toLowerCase();
                assertThat(plan).as(sql).doesNotContain("seq scan").doesNotContain("tablescan");
            }
            return null;
        });
    }

    @Test
    void liveHoldIndexesOnPostgresqlAndTheAccountKeyOnH2() {
        database.database().inTransaction(connection -> {
            if (!database.kindName().equals("postgres")) {
                // H2 has no partial indexes and keeps V80's (everyHoldQueryHasAnIndexPlan checks their
                // plans) and the hold's account key, so that a write path that stored a dangling
                // account id fails in every H2 run.
                assertThat(single(connection, "SELECT count(*) FROM information_schema.table_constraints"
                        + " WHERE table_name = 'BILLING_HOLDS' AND constraint_type = 'FOREIGN KEY'")).isEqualTo("1");
                return null;
            }
            avoidTableScans(connection);
            for (String sql : List.of(HELD_SUM, DUE)) {
                String index = indexOf(explain(connection, sql));
                assertThat(single(connection, "SELECT pg_get_expr(indpred, indrelid) FROM pg_index"
                        + " WHERE indexrelid = '" + index + "'::regclass")).as(sql + " reads " + index)
                        .isEqualTo("((state)::text = 'held'::text)");
            }
            // A capture's new row version then goes only into the indexes not limited to live holds.
            assertThat(single(connection, "SELECT count(*) FROM pg_index WHERE indrelid = 'billing_holds'::regclass"
                    + " AND indpred IS NULL")).isEqualTo("2"); // the primary key and (account_id, created_at)
            // No per-row foreign-key check when a group inserts its holds (V93, as V91 for entries).
            assertThat(single(connection, "SELECT count(*) FROM pg_trigger"
                    + " WHERE tgrelid = 'billing_holds'::regclass")).isEqualTo("0");
            return null;
        });
    }

    /** The planner's plan with table scans priced out, so that an empty table still shows its index. */
    private static void avoidTableScans(Connection connection) throws SQLException {
        if (database.kindName().equals("postgres")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL enable_seqscan = off");
            }
        }
    }

    private static List<String> explain(Connection connection, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "EXPLAIN " + sql)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }

    private static String indexOf(List<String> plan) {
        Matcher matcher = Pattern.compile("Index (?:Only )?Scan(?: Backward)? (?:using|on) (\\w+)")
                .matcher(String.join("\n", plan));
        assertThat(matcher.find()).as(String.join("\n", plan)).isTrue();
        return matcher.group(1);
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
