package dev.tally.api;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;
import com.google.protobuf.Message;
import dev.tally.api.proto.AddBillingCreditsRequest;
import dev.tally.auth.Principal;

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

    static UUID of(Principal principal, String key) {
        return GENERATOR.generate(principal.auditName() + ":" + key);
    }

    /** The request with the derived id filled in where the RPC takes one and the caller sent none. */
    static Message fillMissingId(Message request, UUID id) {
        if (request instanceof AddBillingCreditsRequest grant && grant.getId().isEmpty()) {
            return grant.toBuilder().setId(id.toString()).build();
        }
        return request;
    }
}
