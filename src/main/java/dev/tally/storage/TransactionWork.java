package dev.tally.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** The body of one database transaction; it must not commit or roll back itself. */
@FunctionalInterface
public interface TransactionWork<T> {
    T run(Connection connection) throws SQLException;
}
