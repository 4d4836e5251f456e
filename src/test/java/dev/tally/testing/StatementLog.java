package dev.tally.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The statements code sends through a connection, for tests that pin how many round trips a use
 * case costs: each prepared statement's SQL, and each savepoint set or rolled back to (a round trip
 * in PostgreSQL too). Wraps the real connection, so the statements still run against the database.
 */
public final class StatementLog {
    private final List<String> statements = new CopyOnWriteArrayList<>();

    /** The connection, logging what is sent through it. */
    public Connection wrap(Connection connection) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            switch (method.getName()) {
                case "prepareStatement", "prepareCall" -> statements.add((String) arguments[0]);
                case "setSavepoint" -> statements.add("SAVEPOINT");
                case "rollback" -> {
                    if (arguments != null && arguments.length == 1) {
                        statements.add("ROLLBACK TO SAVEPOINT");
                    }
                }
                default -> { }
            }
            try {
                return method.invoke(connection, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    public List<String> statements() {
        return List.copyOf(statements);
    }

    /** How many of the statements contain every one of {@code fragments}, ignoring case. */
    public long count(String... fragments) {
        return statements.stream().filter(sql -> {
            String lower = sql.toLowerCase(Locale.ROOT);
            for (String fragment : fragments) {
                if (!lower.contains(fragment.toLowerCase(Locale.ROOT))) {
                    return false;
                }
            }
            return true;
        }).count();
    }

    public void clear() {
        statements.clear();
    }
}
