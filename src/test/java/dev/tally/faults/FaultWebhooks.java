package dev.tally.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault run's webhooks (issue 13, point 5): a webhook on every event but the firehose pointed
 * at a {@link FaultReceiver}, thresholds on every account, and at the end a bounded wait for the
 * dispatchers to drain followed by the {@link WebhookAudit}.
 */
final class FaultWebhooks implements AutoCloseable {
    /** Thresholds every account gets before its first credit; usage and grants move balances through them often. */
    static final List<Long> THRESHOLDS = List.of(9_900L, 9_500L, 9_000L, 8_000L, 6_000L, 3_000L);
    private static final Pattern SECRET = Pattern.compile("\"value\":\"([0-9a-f]{64})\"");

    private final FaultReceiver receiver;

    FaultWebhooks(double failureShare) throws java.io.IOException {
        receiver = new FaultReceiver(failureShare);
    }

    void createWebhook(Attempts attempts) throws InterruptedException {
        Attempts.Outcome outcome = attempts.send("POST", "/v1beta1/admin/webhooks", "{\"body\":{\"url\":\""
                + receiver.url() + "\",\"description\":\"fault-test\",\"state\":\"enabled\"}}", null);
        Matcher secret = SECRET.matcher(outcome.body());
        if (outcome.status() != 200 || !secret.find()) {
            throw new IllegalStateException("set-up failed: " + outcome.status() + " " + outcome.body());
        }
        receiver.secret(secret.group(1));
    }

    void setThresholds(Attempts attempts, String orgId, String accountId) throws InterruptedException {
        Attempts.Outcome outcome = attempts.send("PUT", "/v1beta1/admin/organizations/" + orgId + "/billing/"
                + accountId + "/alerts", "{\"balance_thresholds\":" + THRESHOLDS.stream().map(t -> "\"" + t + "\"")
                .toList() + "}", null);
        if (outcome.status() != 200) {
            throw new IllegalStateException("set-up failed: " + outcome.status() + " " + outcome.body());
        }
    }

    /**
     * Waits until nothing the ledger implies is missing, or {@code drainWait} passed, and audits.
     * The wait must cover a lease (60 s) left by a process killed mid-attempt, plus backoff.
     */
    WebhookAudit.Result drainAndAudit(String jdbcUrl, Duration drainWait) throws SQLException, InterruptedException {
        WebhookAudit.Ledger ledger = ledger(jdbcUrl);
        long deadline = System.nanoTime() + drainWait.toNanos();
        WebhookAudit.Result result = WebhookAudit.audit(ledger, receiver.received());
        while (result.lost() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            result = WebhookAudit.audit(ledger, receiver.received());
        }
        List<String> violations = new ArrayList<>(result.violations());
        if (receiver.badSignatures.get() > 0) {
            violations.add(receiver.badSignatures.get() + " webhook requests had a signature that does not verify");
        }
        return new WebhookAudit.Result(result.expected(), result.lost(), violations);
    }

    void report(WebhookAudit.Result result) {
        System.out.printf("webhooks: %d events implied by the ledger, %d requests received (%d answered 500),"
                        + " %d delivered, %d lost%n", result.expected(), receiver.requests.get(),
                receiver.answered500.get(), receiver.received().size(), result.lost());
    }

    /** Grants, reverts and each account's balance after each commit, oldest first. */
    static WebhookAudit.Ledger ledger(String jdbcUrl) throws SQLException {
        Set<String> grants = new HashSet<>();
        Set<String> reverts = new HashSet<>();
        Map<String, List<Long>> balances = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             PreparedStatement statement = connection.prepareStatement("SELECT account_id, id, kind, created_at,"
                     + " balance_after FROM billing_transactions ORDER BY account_id, created_at, id");
             ResultSet rows = statement.executeQuery()) {
            String lastAccount = null;
            Object lastCreatedAt = null;
            while (rows.next()) {
                String account = rows.getString("account_id");
                String kind = rows.getString("kind");
                if (kind.equals("grant")) {
                    grants.add(rows.getString("id"));
                } else if (kind.equals("revert")) {
                    reverts.add(rows.getString("id"));
                }
                // One commit's entries share created_at and balance_after (the balance once all are counted).
                Object createdAt = rows.getObject("created_at");
                if (!account.equals(lastAccount) || !Objects.equals(createdAt, lastCreatedAt)) {
                    balances.computeIfAbsent(account, ignored -> new ArrayList<>()).add(rows.getLong("balance_after"));
                }
                lastAccount = account;
                lastCreatedAt = createdAt;
            }
        }
        return new WebhookAudit.Ledger(grants, reverts, balances, THRESHOLDS);
    }

    @Override
    public void close() {
        receiver.close();
    }
}
