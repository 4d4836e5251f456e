package dev.tally.hostile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.hostile.LedgerSnapshot.Change;
import dev.tally.hostile.World.AccountRef;
import dev.tally.testing.Reply;

import java.util.UUID;

/**
 * A free-form text field a caller can set, where hostile text goes in and must come back exactly as
 * sent: how to send it, what the request is meant to change, and how to read the stored value back.
 */
enum TextPlace {
    USAGE_DESCRIPTION("a usage description"),
    USAGE_USER_ID("a usage user_id"),
    USAGE_METADATA_VALUE("a usage metadata value"),
    GRANT_DESCRIPTION("a grant description"),
    ORGANIZATION_TITLE("an organization title"),
    PROJECT_TITLE("a project title"),
    ACCOUNT_NAME("a billing account name"),
    SERVICE_USER_TITLE("a service user title"),
    CREDENTIAL_TITLE("a credential title");

    private static final ObjectMapper JSON = new ObjectMapper();

    final String label;

    TextPlace(String label) {
        this.label = label;
    }

    /** The request that stores {@code text} here, on {@code account} (a fresh one with 100 credits) where it takes one. */
    Probe probe(World world, AccountRef account, String text) {
        String value = json(text);
        String usageId = UUID.randomUUID().toString();
        return switch (this) {
            case USAGE_DESCRIPTION -> usage(world, account, usageId, "\"description\":" + value);
            case USAGE_USER_ID -> usage(world, account, usageId, "\"user_id\":" + value);
            case USAGE_METADATA_VALUE -> usage(world, account, usageId, "\"metadata\":{\"note\":" + value + "}");
            case GRANT_DESCRIPTION -> Probe.admin(world, "POST", account.adminPath() + "/credits",
                    "{\"amount\":\"5\",\"source\":\"hostile\",\"description\":" + value + "}");
            case ORGANIZATION_TITLE -> Probe.admin(world, "POST", "/v1beta1/organizations",
                    "{\"body\":{\"name\":\"" + World.uniqueName("t") + "\",\"title\":" + value + "}}");
            case PROJECT_TITLE -> Probe.admin(world, "POST", "/v1beta1/projects", "{\"body\":{\"name\":\""
                    + World.uniqueName("t") + "\",\"title\":" + value + ",\"org_id\":\"" + account.orgId() + "\"}}");
            case ACCOUNT_NAME -> Probe.admin(world, "POST", "/v1beta1/organizations/" + account.orgId() + "/billing",
                    "{\"body\":{\"name\":" + value + ",\"email\":\"x@example.com\"}}");
            case SERVICE_USER_TITLE -> Probe.admin(world, "POST", "/v1beta1/organizations/" + account.orgId()
                    + "/serviceusers", "{\"body\":{\"title\":" + value + "}}");
            case CREDENTIAL_TITLE -> Probe.admin(world, "POST", "/v1beta1/organizations/" + world.a.org().id()
                    + "/serviceusers/" + world.a.serviceUser() + "/secrets", "{\"title\":" + value + "}");
        };
    }

    /** Exactly what storing the text is meant to change. */
    Change change(AccountRef account) {
        return switch (this) {
            case USAGE_DESCRIPTION, USAGE_USER_ID, USAGE_METADATA_VALUE -> Change.none().entries(account.accountId(), 1, -1);
            case GRANT_DESCRIPTION -> Change.none().entries(account.accountId(), 1, 5);
            case ORGANIZATION_TITLE -> Change.none().rows("organizations", 1);
            case PROJECT_TITLE -> Change.none().rows("projects", 1);
            case ACCOUNT_NAME -> Change.none().rows("billing_accounts", 1);
            case SERVICE_USER_TITLE -> Change.none().rows("service_users", 1).audited();
            case CREDENTIAL_TITLE -> Change.none().rows("service_user_credentials", 1).audited();
        };
    }

    /** The stored value, read back through the API after {@code reply}. */
    String readBack(World world, AccountRef account, Probe probe, Reply reply) {
        return switch (this) {
            case USAGE_DESCRIPTION -> entry(world, account, usageId(probe)).path("description").asText();
            case USAGE_USER_ID -> entry(world, account, usageId(probe)).path("user_id").asText();
            case USAGE_METADATA_VALUE -> entry(world, account, usageId(probe)).path("metadata").path("note").asText();
            case GRANT_DESCRIPTION -> entry(world, account, reply.body().path("transaction").path("id").asText())
                    .path("description").asText();
            case ORGANIZATION_TITLE -> world.admin.get("/v1beta1/organizations/"
                    + reply.body().path("organization").path("id").asText()).body().path("organization").path("title").asText();
            case PROJECT_TITLE -> world.admin.get("/v1beta1/projects/" + reply.body().path("project").path("id").asText())
                    .body().path("project").path("title").asText();
            case ACCOUNT_NAME -> world.admin.get("/v1beta1/organizations/" + account.orgId() + "/billing/"
                    + reply.body().path("billing_account").path("id").asText()).body().path("billing_account").path("name").asText();
            case SERVICE_USER_TITLE -> reply.body().path("serviceuser").path("title").asText();
            case CREDENTIAL_TITLE -> reply.body().path("secret").path("title").asText();
        };
    }

    private static Probe usage(World world, AccountRef account, String usageId, String field) {
        return Probe.admin(world, "POST", account.path() + "/usages", "{\"usages\":[{\"id\":\"" + usageId
                + "\",\"amount\":\"1\",\"source\":\"api\"," + field + "}]}");
    }

    /** The id of the first usage in a usage request's body. */
    static String usageId(Probe probe) {
        return probe.body().substring(probe.body().indexOf("\"id\":\"") + 6).substring(0, 36);
    }

    private static JsonNode entry(World world, AccountRef account, String id) {
        for (JsonNode entry : world.admin.get(account.path() + "/transactions").body().path("transactions")) {
            if (entry.path("id").asText().equals(id)) {
                return entry;
            }
        }
        throw new AssertionError("transaction " + id + " is not listed");
    }

    /**
     * The text as a JSON string literal, with control characters escaped, and lone surrogates too:
     * sent raw, the client's UTF-8 encoder would replace them with '?' before Tally saw them.
     */
    static String json(String text) {
        String literal;
        try {
            literal = JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < literal.length()
                    && Character.isLowSurrogate(literal.charAt(i + 1));
            if (paired) {
                escaped.append(c).append(literal.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    @Override
    public String toString() {
        return label;
    }
}
