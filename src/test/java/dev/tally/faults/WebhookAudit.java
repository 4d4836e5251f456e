package dev.tally.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds the webhook events a receiver got against the events the ledger implies (issue 13, point
 * 5): each grant and each revert delivered at least once, every copy with one event id; each
 * threshold crossing, recomputed from an account's balances in commit order, delivered once (by
 * distinct event ids: duplicates must carry the id of the first copy). Pure logic over plain
 * data, so that it is tested on synthetic cases without a fault run.
 */
final class WebhookAudit {
    static final String GRANTED = "app.billing.credit.granted";
    static final String REVERTED = "app.billing.usage.reverted";
    static final String THRESHOLD = "app.billing.balance.threshold";

    private WebhookAudit() {}

    /**
     * What the ledger says happened.
     *
     * @param grantIds   every grant entry's id
     * @param revertIds  every revert entry's id
     * @param balances   per account, its balance after each commit, oldest first (the balance before
     *                   the first is 0)
     * @param thresholds the balance thresholds every account had from its start
     */
    record Ledger(Set<String> grantIds, Set<String> revertIds, Map<String, List<Long>> balances,
                  List<Long> thresholds) {}

    /**
     * One request the receiver got: the event id, its action, and what it is about: the entry id
     * for a grant or revert, {@code account/threshold} for a threshold, "" otherwise.
     */
    record Received(String eventId, String action, String subject) {}

    /**
     * @param expected   events the ledger implies
     * @param lost       of those, how many never arrived
     * @param violations lost events, one event under two ids, events the ledger does not imply
     */
    record Result(int expected, int lost, List<String> violations) {
        boolean clean() {
            return violations.isEmpty();
        }
    }

    static Result audit(Ledger ledger, List<Received> received) {
        Map<String, Set<String>> idsBySubject = new HashMap<>();
        for (Received one : received) {
            idsBySubject.computeIfAbsent(one.action() + " " + one.subject(), ignored -> new HashSet<>())
                    .add(one.eventId());
        }
        List<String> violations = new ArrayList<>();
        int expected = 0;
        int lost = 0;
        for (String[] kind : new String[][] {{GRANTED, "grant"}, {REVERTED, "revert"}}) {
            Set<String> implied = kind[0].equals(GRANTED) ? ledger.grantIds() : ledger.revertIds();
            for (String entryId : implied) {
                expected++;
                Set<String> ids = idsBySubject.getOrDefault(kind[0] + " " + entryId, Set.of());
                if (ids.isEmpty()) {
                    lost++;
                    violations.add("lost: " + kind[1] + " " + entryId + " was never delivered");
                } else if (ids.size() > 1) {
                    violations.add(kind[1] + " " + entryId + " arrived under " + ids.size() + " event ids " + ids);
                }
            }
            idsBySubject.keySet().stream().filter(subject -> subject.startsWith(kind[0] + " "))
                    .map(subject -> subject.substring(kind[0].length() + 1))
                    .filter(entryId -> !implied.contains(entryId))
                    .forEach(entryId -> violations.add(kind[1] + " " + entryId + " was delivered but is not in the ledger"));
        }
        Map<String, Integer> crossings = crossings(ledger);
        for (Map.Entry<String, Integer> crossing : crossings.entrySet()) {
            expected += crossing.getValue();
            int delivered = idsBySubject.getOrDefault(THRESHOLD + " " + crossing.getKey(), Set.of()).size();
            if (delivered < crossing.getValue()) {
                lost += crossing.getValue() - delivered;
                violations.add("lost: threshold " + crossing.getKey() + " crossed " + crossing.getValue()
                        + " times, delivered " + delivered + " distinct events");
            }
        }
        idsBySubject.forEach((subject, ids) -> {
            if (subject.startsWith(THRESHOLD + " ")) {
                String key = subject.substring(THRESHOLD.length() + 1);
                int implied = crossings.getOrDefault(key, 0);
                if (ids.size() > implied) {
                    violations.add("threshold " + key + " crossed " + implied + " times but arrived under "
                            + ids.size() + " event ids (a duplicate with a new id, or a crossing that did not happen)");
                }
            }
        });
        return new Result(expected, lost, violations);
    }

    /**
     * Per {@code account/threshold}, how often the balance went from at least the threshold to
     * below it from one commit to the next (DESIGN §14's crossing rule; it re-arms by itself).
     */
    static Map<String, Integer> crossings(Ledger ledger) {
        Map<String, Integer> crossings = new HashMap<>();
        ledger.balances().forEach((account, balances) -> {
            long before = 0;
            for (long after : balances) {
                for (long threshold : ledger.thresholds()) {
                    if (before >= threshold && after < threshold) {
                        crossings.merge(account + "/" + threshold, 1, Integer::sum);
                    }
                }
                before = after;
            }
        });
        return crossings;
    }
}
