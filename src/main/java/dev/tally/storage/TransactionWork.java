package dev.tally.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The body of one database transaction, run by {@link Database#inTransaction}. Its contract:
 * <ul>
 *   <li><b>It may run again.</b> When the database aborts the transaction for a conflict with a
 *       concurrent one (serialization failure, deadlock), everything is rolled back and the work
 *       runs again from the start on a fresh transaction. So the work must do nothing outside the
 *       transaction that it would not want done twice (no completing of callers, no messages), and
 *       must compute its result from what it reads in this run, not from a previous run.</li>
 *   <li><b>It may roll back to a savepoint it set</b> (see {@link Savepoints}), to recover from a
 *       statement the database refused and carry on in the same transaction, with its locks.</li>
 *   <li><b>It must not commit or roll back the transaction itself</b>: that would release its row
 *       locks halfway and leave the retry deciding over a transaction that no longer exists.</li>
 * </ul>
 */
@FunctionalInterface
public interface TransactionWork<T> {
    T run(Connection connection) throws SQLException;
}
