package dev.tally.webhooks;

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
import java.util.List;
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
            return null;
        });
        firehose.invalidate();
        return webhook;
    }

    public Webhook update(Principal principal, String idText, WebhookSpec spec) {
        principal.requireAdmin();
        UUID id = Ids.parse("id", idText);
        Webhook updated = database.inTransaction(connection -> {
            try {
                if (!webhooks.update(connection, id, spec, Times.now(clock))) {
                    throw notFound(id);
                }
            } catch (SQLException e) {
                throw duplicateUrlOr(e, spec);
            }
            return webhooks.find(connection, id).orElseThrow(() -> notFound(id));
        });
        firehose.invalidate();
        return updated;
    }

    public void delete(Principal principal, String idText) {
        principal.requireAdmin();
        UUID id = Ids.parse("id", idText);
        database.inTransaction(connection -> {
            if (!webhooks.delete(connection, id)) {
                throw notFound(id);
            }
            return null;
        });
        firehose.invalidate();
    }

    public List<Webhook> list(Principal principal) {
        principal.requireAdmin();
        return database.inTransaction(webhooks::list);
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
