package dev.tally.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.auth.Principal;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Records one admin change that is not a ledger entry (DESIGN §15): who, when, what, and the target
 * before and after. Called with the change's own connection, inside its transaction, after the
 * change was made and checked, so a change that is refused or rolled back leaves no row.
 *
 * <p>Callers pass only what may be shown to any platform admin: never a secret or a secret's hash
 * (a credential is its id and title; a webhook's headers are their names, since a header value is
 * often a token).
 */
public final class AuditTrail {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditTrail() {}

    /** What a change was made to: e.g. ("billing_account", id, its organization). */
    public record Target(String type, String id, Optional<UUID> orgId) {
        public static Target of(String type, Object id, UUID orgId) {
            return new Target(type, id.toString(), Optional.ofNullable(orgId));
        }
    }

    /** {@code before} is empty for a creation, {@code after} for a deletion. */
    public static void record(Connection connection, Principal actor, Instant at, String action, Target target,
                              Map<String, ?> before, Map<String, ?> after) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO audit_log (id, created_at,"
                + " actor, action, target_type, target_id, org_id, before_state, after_state)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setObject(1, UUID.randomUUID());
            statement.setObject(2, Sql.timestamp(at));
            statement.setString(3, actor.auditName());
            statement.setString(4, action);
            statement.setString(5, target.type());
            statement.setString(6, target.id());
            statement.setObject(7, target.orgId().orElse(null));
            statement.setString(8, json(before));
            statement.setString(9, json(after));
            statement.executeUpdate();
        }
    }

    private static String json(Map<String, ?> state) {
        try {
            return MAPPER.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit state cannot be written as JSON", e);
        }
    }
}
