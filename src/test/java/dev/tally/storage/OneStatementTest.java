package dev.tally.storage;

import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Database#inOneStatement} runs its statement without a transaction around it (what saves a
 * page read its BEGIN and COMMIT), and gives the connection back to the pool transactional again.
 */
class OneStatementTest {
    private static TestDatabase testDatabase;
    private static Database database;

    @BeforeAll
    static void createTable() {
        testDatabase = TestDatabase.create();
        database = testDatabase.database();
        database.inTransaction(connection -> update(connection, "CREATE TABLE one_statement_marks (mark INT)"));
    }

    @AfterAll
    static void close() {
        testDatabase.close();
    }

    @Test
    void aStatementRunAloneIsCommittedByItselfAndTheNextTransactionRollsBackAgain() {
        assertThatThrownBy(() -> database.inOneStatement(connection -> {
            update(connection, "INSERT INTO one_statement_marks VALUES (1)");
            throw new IllegalStateException("after the statement");
        })).hasMessageContaining("after the statement");
        // Every connection of the pool, not only the one just used, rolls back a failed transaction.
        for (int attempt = 0; attempt < 30; attempt++) {
            assertThatThrownBy(() -> database.inTransaction(connection -> {
                update(connection, "INSERT INTO one_statement_marks VALUES (2)");
                throw new IllegalStateException("rolled back");
            })).hasMessageContaining("rolled back");
        }
        int kept = database.inOneStatement(connection -> count(connection, 1));
        int rolledBack = database.inOneStatement(connection -> count(connection, 2));
        assertThat(kept).isEqualTo(1);
        assertThat(rolledBack).isZero();
    }

    private static int update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    private static int count(Connection connection, int mark) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM one_statement_marks WHERE mark = " + mark)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
