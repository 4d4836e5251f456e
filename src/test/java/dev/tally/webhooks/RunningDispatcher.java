package dev.tally.webhooks;

import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The webhook dispatcher of a test class's {@link TallyServer}, delivering with {@link Hooks#FAST}
 * to the tests' {@link Receiver}s from the first test to the last. Register it after the server
 * (a higher {@code @Order}), so that it starts once the server runs and stops before it.
 */
final class RunningDispatcher implements BeforeAllCallback, AfterAllCallback {
    private final TallyServer server;
    private Dispatcher dispatcher;

    RunningDispatcher(TallyServer server) {
        this.server = server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        dispatcher = server.tally().webhooks().dispatcher(Hooks.FAST).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (dispatcher != null) {
            dispatcher.close();
        }
    }
}
