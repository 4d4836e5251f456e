package dev.tally.auth;

import dev.tally.common.TallyException;
import dev.tally.storage.Database;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns an {@code Authorization} header into a principal: {@code Basic base64(id:secret)} or
 * {@code Bearer secret} (DESIGN §7). Every failure gets the same message so that a caller cannot
 * tell a wrong id from a wrong secret. A request without the header may carry a console session's
 * principal instead ({@link SessionPrincipal}).
 */
public final class Authenticator {
    private static final int HEADER_LENGTH_MAX = 1024;

    /**
     * How long a verified header is trusted without asking the database again. This bounds how long a
     * deleted credential or service user keeps working on any process (DESIGN §15: under 1 s), at the cost
     * of one indexed lookup per principal every half second.
     */
    static final Duration VERIFIED_TTL = Duration.ofMillis(500);

    private final Database database;
    private final ServiceUserRepository serviceUsers;
    // Keyed by the header's hash so that no secret is kept in the heap longer than a request.
    private final Cache<String, Principal> verified = Caffeine.newBuilder()
            .expireAfterWrite(VERIFIED_TTL)
            .maximumSize(10_000)
            .build();

    private volatile Consumer<Principal> onAuthenticated = principal -> { };

    public Authenticator(Database database, ServiceUserRepository serviceUsers) {
        this.database = database;
        this.serviceUsers = serviceUsers;
    }

    public Principal authenticate(String authorization) {
        if (authorization == null) {
            Optional<Principal> session = SessionPrincipal.current();
            if (session.isPresent()) {
                return session.get();
            }
        }
        if (authorization == null || authorization.isBlank() || authorization.length() > HEADER_LENGTH_MAX) {
            throw TallyException.unauthenticated("a valid Authorization header is required");
        }
        String key = Secrets.sha256Hex(authorization);
        // One lookup per header when its entry expires, not one per request in flight then: the
        // others wait for it. A refusal throws and is not cached.
        Principal principal = verified.get(key, ignored -> verify(authorization));
        onAuthenticated.accept(principal);
        return principal;
    }

    /**
     * Runs after every successful authentication, on the request's thread, before the request does
     * anything: operations record the principal and apply its rate limit there (which may refuse).
     */
    public void onAuthenticated(Consumer<Principal> listener) {
        this.onAuthenticated = listener;
    }

    private Principal verify(String authorization) {
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).trim();
        Optional<Principal> principal = switch (scheme.toLowerCase(Locale.ROOT)) {
            case "basic" -> basic(value);
            case "bearer" -> bearer(value);
            default -> Optional.empty();
        };
        return principal.orElseThrow(() -> TallyException.unauthenticated("a valid Authorization header is required"));
    }

    private Optional<Principal> basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        // A NUL cannot be part of any stored id; PostgreSQL would refuse it as a query parameter.
        if (colon <= 0 || decoded.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        String clientId = decoded.substring(0, colon);
        String presentedHash = Secrets.sha256Hex(decoded.substring(colon + 1));
        return database.inTransaction(connection -> serviceUsers.findOwnerByCredentialId(connection, clientId))
                .filter(owner -> Secrets.hashesEqual(owner.secretSha256(), presentedHash))
                .map(ServiceUserRepository.CredentialOwner::principal);
    }

    private Optional<Principal> bearer(String secret) {
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        String presentedHash = Secrets.sha256Hex(secret);
        return database.inTransaction(connection -> serviceUsers.findOwnerBySecretHash(connection, presentedHash))
                .map(ServiceUserRepository.CredentialOwner::principal);
    }
}
