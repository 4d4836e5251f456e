package dev.tally.webhooks;

import dev.tally.audit.AuditTrail;
import dev.tally.auth.Principal;
import dev.tally.common.Ids;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.common.Times;
import dev.tally.storage.Database;
import dev.tally.storage.SqlStates;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/** Creating, changing and listing webhooks (AdminService); every method needs a platform admin. */
public final class WebhookService {
    private final Database database;
    private final WebhookRepository webhooks;
    private final FirehoseSubscription firehose;
    private final Clock clock;

    WebhookService(Database database, WebhookRepository webhooks, FirehoseSubscription firehose, Clock clock) {
        this.database = database;
        this.webhooks = webhooks;
        this.firehose = firehose;
        this.clock = clock;
    }

    /** A new webhook with a new secret; the answer is the only place the secret is ever shown. */
    public Webhook create(Principal principal, WebhookSpec spec) {
        principal.requireAdmin();
        Instant now = Times.now(clock);
        Webhook webhook = new Webhook(UUID.randomUUID(), spec, Webhook.SECRET_ID, Signature.newSecret(), now, now);
        database.inTransaction(connection -> {
            try {
                webhooks.insert(connection, webhook, principal.auditName());
            } catch (SQLException e) {
                throw duplicateUrlOr(e, spec);
            }
            AuditTrail.record(connection, principal, now, "webhook.create", target(webhook.id()), Map.of(),
                    shown(spec));
            return null;
        });
        firehose.invalidate();
        return webhook;
    }

    public Webhook update(Principal principal, String idText, WebhookSpec spec) {
        principal.requireAdmin();
        UUID id = Ids.parse("id", idText);
        Webhook updated = database.inTransaction(connection -> {
            Webhook before = webhooks.find(connection, id).orElseThrow(() -> notFound(id));
            Instant now = Times.now(clock);
            try {
                if (!webhooks.update(connection, id, spec, now)) {
                    throw notFound(id);
                }
            } catch (SQLException e) {
                throw duplicateUrlOr(e, spec);
            }
            Webhook after = webhooks.find(connection, id).orElseThrow(() -> notFound(id));
            AuditTrail.record(connection, principal, now, "webhook.update", target(id), shown(before.spec()),
                    shown(after.spec()));
            return after;
        });
        firehose.invalidate();
        return updated;
    }

    public void delete(Principal principal, String idText) {
        principal.requireAdmin();
        UUID id = Ids.parse("id", idText);
        database.inTransaction(connection -> {
            Webhook before = webhooks.find(connection, id).orElseThrow(() -> notFound(id));
            if (!webhooks.delete(connection, id)) {
                throw notFound(id);
            }
            AuditTrail.record(connection, principal, Times.now(clock), "webhook.delete", target(id),
                    shown(before.spec()), Map.of());
            return null;
        });
        firehose.invalidate();
    }

    public List<Webhook> list(Principal principal) {
        principal.requireAdmin();
        return database.inTransaction(webhooks::list);
    }

    private static AuditTrail.Target target(UUID id) {
        return AuditTrail.Target.of("webhook", id, null);
    }

    /**
     * A webhook as the audit trail shows it: without its secret, and with header names only, since
     * a header's value is often a credential of the receiving service.
     */
    private static Map<String, Object> shown(WebhookSpec spec) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("url", spec.url().toString());
        shown.put("description", spec.description());
        shown.put("subscribed_events", spec.subscribedEvents().stream().map(WebhookAction::wireName).toList());
        shown.put("header_names", new TreeSet<>(spec.headers().keySet()));
        shown.put("state", spec.state());
        return shown;
    }

    static TallyException notFound(UUID id) {
        return TallyException.notFound("webhook " + id + " not found");
    }

    private static SQLException duplicateUrlOr(SQLException e, WebhookSpec spec) throws SQLException {
        if (SqlStates.isUniqueViolation(e)) {
            throw TallyException.alreadyExists("a webhook with url " + Text.quote(spec.url().toString())
                    + " already exists");
        }
        return e;
    }
}
