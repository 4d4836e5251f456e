package dev.tally.faults;

import dev.tally.faults.WebhookAudit.Ledger;
import dev.tally.faults.WebhookAudit.Received;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault run's webhook audit on synthetic ledgers and deliveries: it passes when it should and catches each loss. */
class WebhookAuditTest {
    // Account a: 0 → 10000 (grant) → 8990 (crosses 9000) → 9490 (re-armed by a grant) → 8900 (crosses 9000 again)
    // → 4000 (crosses 5000). Account b: 0 → 10000 → 9999, nothing crossed.
    private static final Ledger LEDGER = new Ledger(Set.of("g1", "g2", "g3"), Set.of("r1"),
            Map.of("a", List.of(10_000L, 8_990L, 9_490L, 8_900L, 4_000L), "b", List.of(10_000L, 9_999L)),
            List.of(9_000L, 5_000L));

    private static List<Received> everything() {
        return List.of(new Received("e1", WebhookAudit.GRANTED, "g1"), new Received("e2", WebhookAudit.GRANTED, "g2"),
                new Received("e3", WebhookAudit.GRANTED, "g3"), new Received("e4", WebhookAudit.REVERTED, "r1"),
                new Received("e5", WebhookAudit.THRESHOLD, "a/9000"), new Received("e6", WebhookAudit.THRESHOLD, "a/9000"),
                new Received("e7", WebhookAudit.THRESHOLD, "a/5000"),
                new Received("e8", "app.billing.account.disabled", ""));
    }

    @Test
    void crossingsFollowTheRuleAndReArm() {
        assertThat(WebhookAudit.crossings(LEDGER)).isEqualTo(Map.of("a/9000", 2, "a/5000", 1));
    }

    @Test
    void everyImpliedEventDeliveredIsClean() {
        WebhookAudit.Result result = WebhookAudit.audit(LEDGER, everything());

        assertThat(result.violations()).isEmpty();
        assertThat(result.expected()).isEqualTo(7);
        assertThat(result.lost()).isZero();
    }

    @Test
    void duplicatesWithTheSameIdAreFine() {
        List<Received> received = new java.util.ArrayList<>(everything());
        received.add(new Received("e1", WebhookAudit.GRANTED, "g1"));
        received.add(new Received("e5", WebhookAudit.THRESHOLD, "a/9000"));

        assertThat(WebhookAudit.audit(LEDGER, received).clean()).isTrue();
    }

    @Test
    void aMissingGrantRevertOrCrossingIsLost() {
        List<Received> received = everything().stream()
                .filter(one -> !one.eventId().equals("e2") && !one.eventId().equals("e4") && !one.eventId().equals("e6"))
                .toList();

        WebhookAudit.Result result = WebhookAudit.audit(LEDGER, received);

        assertThat(result.lost()).isEqualTo(3);
        assertThat(result.violations()).hasSize(3).allMatch(violation -> violation.startsWith("lost: "));
        assertThat(result.violations()).anyMatch(violation -> violation.contains("grant g2"))
                .anyMatch(violation -> violation.contains("revert r1"))
                .anyMatch(violation -> violation.contains("a/9000 crossed 2 times, delivered 1"));
    }

    @Test
    void aRepeatUnderANewIdIsCaught() {
        List<Received> received = new java.util.ArrayList<>(everything());
        received.add(new Received("e9", WebhookAudit.GRANTED, "g1"));
        received.add(new Received("e10", WebhookAudit.THRESHOLD, "a/5000"));

        WebhookAudit.Result result = WebhookAudit.audit(LEDGER, received);

        assertThat(result.lost()).isZero();
        assertThat(result.violations()).hasSize(2)
                .anyMatch(violation -> violation.contains("grant g1 arrived under 2 event ids"))
                .anyMatch(violation -> violation.contains("a/5000 crossed 1 times but arrived under 2"));
    }

    @Test
    void anEventTheLedgerDoesNotImplyIsCaught() {
        List<Received> received = new java.util.ArrayList<>(everything());
        received.add(new Received("e11", WebhookAudit.GRANTED, "rolled-back"));
        received.add(new Received("e12", WebhookAudit.THRESHOLD, "b/5000"));

        assertThat(WebhookAudit.audit(LEDGER, received).violations()).hasSize(2);
    }
}
