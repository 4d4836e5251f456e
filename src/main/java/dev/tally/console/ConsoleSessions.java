package dev.tally.console;

import dev.tally.auth.Authenticator;
import dev.tally.auth.Principal;
import dev.tally.auth.Secrets;
import dev.tally.storage.Database;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs operators in and out of the console and finds the session behind a cookie (DESIGN §16).
 * Sessions live in the database, so any Tally process sharing it serves them; a session unused
 * for {@link #IDLE_EXPIRY} is gone.
 */
final class ConsoleSessions {
    static final Duration IDLE_EXPIRY = Duration.ofHours(8);
    /** last_seen_at is written at most this often, so reading pages does not write on every request. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    /** A new session: the cookie's token (shown to the browser only) and the session itself. */
    record SignedIn(String token, ConsoleSession session) {}

    private final Database database;
    private final Authenticator authenticator;
    private final ConsoleSessionRepository repository = new ConsoleSessionRepository();
    private final Clock clock;

    ConsoleSessions(Database database, Authenticator authenticator, Clock clock) {
        this.database = database;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    /** The server's time, which the pages' "last 30 days" counts from (a browser's clock may differ). */
    Instant now() {
        return clock.instant();
    }

    /** Checks the credential exactly as the API's Basic authentication does; fails with UNAUTHENTICATED. */
    SignedIn signIn(String clientId, String clientSecret) {
        String basic = Base64.getEncoder().encodeToString(
                (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        Principal principal = authenticator.authenticate("Basic " + basic);
        String token = Secrets.generate();
        String csrfToken = Secrets.generate();
        Instant now = clock.instant();
        database.inTransaction(connection -> {
            repository.deleteIdleSince(connection, now.minus(IDLE_EXPIRY));
            repository.insert(connection, Secrets.sha256Hex(token), csrfToken, principal.serviceUserId(), now);
            return null;
        });
        return new SignedIn(token, new ConsoleSession(principal, csrfToken));
    }

    /** The live session behind a cookie's token; an idle-expired one is deleted and not found. */
    Optional<ConsoleSession> find(String token) {
        String tokenSha256 = Secrets.sha256Hex(token);
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            Optional<ConsoleSessionRepository.StoredSession> stored = repository.find(connection, tokenSha256);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            Instant lastSeenAt = stored.get().lastSeenAt();
            if (!now.isBefore(lastSeenAt.plus(IDLE_EXPIRY))) {
                repository.delete(connection, tokenSha256);
                return Optional.empty();
            }
            if (now.isAfter(lastSeenAt.plus(TOUCH_INTERVAL))) {
                repository.touch(connection, tokenSha256, now);
            }
            return Optional.of(stored.get().session());
        });
    }

    void signOut(String token) {
        database.inTransaction(connection -> {
            repository.delete(connection, Secrets.sha256Hex(token));
            return null;
        });
    }
}
