package dev.tally.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** The two HTTP routes of RevertBillingUsage (DESIGN §3); every revert rule must hold on both. */
enum RevertPath {
    /** {@code POST /v1beta1/organizations/billing/usages/revert}, everything in the body. */
    ORGANIZATION {
        @Override
        Reply revert(TallyClient client, Org org, String accountId, String usageId, Long amount) {
            ObjectNode body = MAPPER.createObjectNode().put("org_id", org.id()).put("usage_id", usageId);
            if (accountId != null) {
                body.put("billing_id", accountId);
            }
            putAmount(body, amount);
            return client.post("/v1beta1/organizations/billing/usages/revert", body.toString());
        }
    },
    /** {@code POST /v1beta1/admin/organizations/{org_id}/billing/{billing_id}/usage/{usage_id}/revert}. */
    ADMIN {
        @Override
        Reply revert(TallyClient client, Org org, String accountId, String usageId, Long amount) {
            ObjectNode body = MAPPER.createObjectNode();
            putAmount(body, amount);
            return client.post("/v1beta1/admin/organizations/" + org.id() + "/billing/" + accountId
                    + "/usage/" + usageId + "/revert", body.toString());
        }
    };

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final UUID REVERT_NAMESPACE = UUID.fromString("967416d0-716e-4308-b58f-2468ac14f20a");

    /**
     * Reverts {@code usageId} on the account.
     *
     * @param accountId the billing account; {@code null} leaves billing_id out (organization path only)
     * @param amount sent as an int64 string, as protojson writes it; {@code null} leaves the field out
     */
    abstract Reply revert(TallyClient client, Org org, String accountId, String usageId, Long amount);

    private static void putAmount(ObjectNode body, Long amount) {
        if (amount != null) {
            body.put("amount", Long.toString(amount));
        }
    }

    /** The id DESIGN §6 gives a revert entry: UUIDv5 of "<usage_id>:<billing_account_id>". */
    static String expectedRevertId(String usageId, String accountId) {
        return uuidV5(REVERT_NAMESPACE, usageId + ":" + accountId).toString();
    }

    /** RFC 4122 §4.3 name-based UUID with SHA-1, written here rather than taken from the code under test. */
    static UUID uuidV5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // RFC 4122 variant
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
