package dev.tally.testing;

import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.storage.Database;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transaction of the test that holds a billing account's row lock until released: every writer
 * of the account (a usage lane, a hold's placement) waits for it meanwhile, so a test can make a
 * lane busy or a request late with certainty instead of with timing.
 */
public final class AccountRowLock implements AutoCloseable {
    private final CountDownLatch released = new CountDownLatch(1);
    private final CompletableFuture<Void> holder;

    /** Returns once the lock is held. */
    public AccountRowLock(Database database, UUID account) throws InterruptedException {
        CountDownLatch locked = new CountDownLatch(1);
        holder = CompletableFuture.runAsync(() -> database.inTransaction(connection -> {
            new BillingAccountRepository(database.batchWrites()).lockAll(connection, Set.of(account));
            locked.countDown();
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).as("the test's transaction locks the account").isTrue();
    }

    /** Ends the test's transaction; the writers waiting for the account go on. */
    public void release() {
        released.countDown();
        holder.join();
    }

    @Override
    public void close() {
        release();
    }
}
