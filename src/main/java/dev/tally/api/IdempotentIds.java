package dev.tally.api;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;
import com.google.protobuf.Message;
import dev.tally.api.proto.AddBillingCreditsRequest;
import dev.tally.auth.Principal;

import java.util.Optional;
import java.util.UUID;

/**
 * A grant sent without its own {@code id} but with an Idempotency-Key gets an id derived from the
 * principal and the key, so that a retry that runs again (after a crash, or after a 5xx released
 * the key) hits the same primary key instead of crediting twice.
 */
final class IdempotentIds {
    private static final NameBasedGenerator GENERATOR =
            Generators.nameBasedGenerator(UUID.fromString("0b1e7a5e-3d2c-4c1e-9f3a-7d1e2c3b4a59"));

    private IdempotentIds() {}

    static Optional<UUID> of(Principal principal, String key) {
        return Optional.of(GENERATOR.generate(principal.auditName() + ":" + key));
    }

    static void fillMissingId(Message.Builder builder, UUID id) {
        if (builder instanceof AddBillingCreditsRequest.Builder grant && grant.getId().isEmpty()) {
            grant.setId(id.toString());
        }
    }
}
