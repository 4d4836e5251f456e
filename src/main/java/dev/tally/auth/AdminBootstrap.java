package dev.tally.auth;

import dev.tally.common.Metadata;
import dev.tally.common.Times;
import dev.tally.config.TallyConfig;
import dev.tally.storage.Database;
import dev.tally.storage.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Makes sure a platform admin can log in (DESIGN §7). With TALLY_ADMIN_CLIENT_ID and
 * TALLY_ADMIN_CLIENT_SECRET set, that credential exists and has that secret (so an operator
 * rotates it by restarting with a new one). Without them, the first start generates a secret
 * and writes it to {@code <data dir>/admin-credentials}, readable by the owner only.
 */
public final class AdminBootstrap {
    static final String GENERATED_CLIENT_ID = "tally-admin";
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final Database database;
    private final ServiceUserRepository serviceUsers;
    private final Clock clock;

    public AdminBootstrap(Database database, ServiceUserRepository serviceUsers, Clock clock) {
        this.database = database;
        this.serviceUsers = serviceUsers;
        this.clock = clock;
    }

    public void ensureAdmin(TallyConfig config) {
        if (config.adminClientId().isPresent() && config.adminClientSecret().isPresent()) {
            String clientId = config.adminClientId().get();
            String hash = Secrets.sha256Hex(config.adminClientSecret().get());
            if (!createAdmin(clientId, hash)) {
                database.inTransaction(connection -> {
                    serviceUsers.updateCredentialSecret(connection, clientId, hash);
                    return null;
                });
            }
            return;
        }
        String clientId = config.adminClientId().orElse(GENERATED_CLIENT_ID);
        String secret = Secrets.generate();
        if (createAdmin(clientId, Secrets.sha256Hex(secret))) {
            Path file = writeCredentialsFile(config.dataDirectory(), clientId, secret);
            LOG.info("Created the platform admin credential; its client id and secret are in {}", file.toAbsolutePath());
        }
    }

    /** Creates the admin and its credential; false when a credential with that id exists already. */
    private boolean createAdmin(String clientId, String secretSha256) {
        return database.inTransaction(connection -> {
            if (serviceUsers.findOwnerByCredentialId(connection, clientId).isPresent()) {
                return false;
            }
            Instant now = Times.now(clock);
            ServiceUser admin = new ServiceUser(UUID.randomUUID(), Optional.empty(), "platform admin",
                    ServiceUser.ENABLED, Metadata.EMPTY, true, now, now);
            try {
                serviceUsers.insert(connection, admin, "bootstrap");
                serviceUsers.insertCredential(connection,
                        new Credential(clientId, admin.id(), "platform admin", secretSha256, now), "bootstrap");
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    return false; // another Tally process sharing the database created it first
                }
                throw e;
            }
            return true;
        });
    }

    private static Path writeCredentialsFile(Path dataDirectory, String clientId, String secret) {
        Path file = dataDirectory.resolve("admin-credentials");
        try {
            Files.createDirectories(dataDirectory);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "TALLY_ADMIN_CLIENT_ID=" + clientId + "\nTALLY_ADMIN_CLIENT_SECRET=" + secret + "\n",
                    StandardOpenOption.TRUNCATE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
