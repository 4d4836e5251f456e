package dev.tally.webhooks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firehose subscription cache: a usage decided after a webhook naming the firehose was created
 * (and the cache told) must see it, even while another lane is still reading the old state.
 */
class FirehoseSubscriptionTest {
    private Connection connection;

    @BeforeEach
    void createWebhooksTable() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:firehose-" + UUID.randomUUID());
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE webhooks (state VARCHAR(16), subscribed_events VARCHAR(1000))");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void aCallAfterTheWebhookWasCreatedSeesItWhileAnotherReadOfTheOldStateIsInFlight() throws Exception {
        FirehoseSubscription subscription = new FirehoseSubscription();
        assertThat(subscription.isWanted(connection)).isFalse();

        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO webhooks VALUES ('enabled', '[\"app.billing.usage.created\"]')");
        }
        subscription.invalidate();
        // One lane starts re-reading and is held inside its query...
        CountDownLatch inQuery = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> slowLane = CompletableFuture.supplyAsync(() -> {
            try {
                return subscription.isWanted(heldInQuery(connection, inQuery, release));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inQuery.await(10, TimeUnit.SECONDS)).isTrue();

        // ...while another lane decides a usage: it must not answer from the state before the webhook.
        boolean otherLane = subscription.isWanted(connection);
        release.countDown();

        assertThat(otherLane).isTrue();
        assertThat(slowLane.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDeletedWebhookIsSeenAtOnceToo() throws Exception {
        FirehoseSubscription subscription = new FirehoseSubscription();
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO webhooks VALUES ('enabled', '[\"app.billing.usage.created\"]')");
        }
        assertThat(subscription.isWanted(connection)).isTrue();

        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM webhooks");
        }
        subscription.invalidate();

        assertThat(subscription.isWanted(connection)).isFalse();
    }

    /** {@code connection}, but a query signals {@code entered} and waits for {@code release} before it runs. */
    private static Connection heldInQuery(Connection connection, CountDownLatch entered, CountDownLatch release) {
        return proxy(Connection.class, connection, (method, args, call) -> {
            Object result = call.run();
            if (method.equals("prepareStatement")) {
                PreparedStatement statement = (PreparedStatement) result;
                return proxy(PreparedStatement.class, statement, (inner, innerArgs, innerCall) -> {
                    if (inner.equals("executeQuery")) {
                        entered.countDown();
                        release.await(10, TimeUnit.SECONDS);
                    }
                    return innerCall.run();
                });
            }
            return result;
        });
    }

    private interface Call {
        Object run() throws Exception;
    }

    private interface Handler {
        Object handle(String method, Object[] args, Call call) throws Exception;
    }

    private static <T> T proxy(Class<T> type, T target, Handler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> handler.handle(method.getName(), args, () -> {
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw (Exception) e.getCause();
                    }
                })));
    }
}
