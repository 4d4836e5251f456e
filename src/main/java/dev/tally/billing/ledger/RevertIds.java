package dev.tally.billing.ledger;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;

import java.util.UUID;

/**
 * The id of the entry that reverts a usage: a UUIDv5 of {@code "<usage_id>:<billing_account_id>"}
 * in the namespace Frontier uses, so that Tally and Frontier derive the same id for the same revert.
 */
final class RevertIds {
    static final UUID NAMESPACE = UUID.fromString("967416d0-716e-4308-b58f-2468ac14f20a");
    private static final NameBasedGenerator GENERATOR = Generators.nameBasedGenerator(NAMESPACE);

    private RevertIds() {}

    static UUID of(UUID usageId, UUID accountId) {
        return GENERATOR.generate(usageId + ":" + accountId);
    }
}
