package dev.tally.billing.ledger;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;

import java.util.UUID;

/**
 * Ids of expiry entries (DESIGN §13), UUIDv5 in the namespace of reverts (§6): the primary key
 * makes each written once, whichever process or transaction tries again.
 */
final class ExpiryIds {
    private static final NameBasedGenerator GENERATOR = Generators.nameBasedGenerator(RevertIds.NAMESPACE);

    private ExpiryIds() {}

    /** The expiry of a grant's remainder at its expires_at. */
    static UUID ofGrant(UUID grantId) {
        return GENERATOR.generate(grantId + ":expiry");
    }

    /** The expiry of what a revert gave back to a grant already expired. */
    static UUID ofRevert(UUID grantId, UUID revertId) {
        return GENERATOR.generate(grantId + ":expiry:" + revertId);
    }
}
