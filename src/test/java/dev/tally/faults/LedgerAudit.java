package dev.tally.faults;

import dev.tally.bench.InvariantCheck;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Holds the ledger against what the clients were told; each mismatch is a violation. */
final class LedgerAudit {
    private static final int CHUNK = 500;

    private LedgerAudit() {}

    record Row(String accountId, long amount, String kind) {}

    static List<String> violations(String jdbcUrl, Expectations expected) throws SQLException {
        List<String> violations = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            Map<UUID, Row> usages = rows(connection, "id", expected.acknowledgedUsages.keySet());
            expected.acknowledgedUsages.forEach((id, entry) -> {
                Row row = usages.get(id);
                if (row == null || !row.kind().equals("usage") || !row.accountId().equals(entry.accountId())
                        || row.amount() != entry.amount()) {
                    violations.add("acknowledged usage " + id + " is " + (row == null ? "missing" : "wrong: " + row));
                }
            });
            Map<UUID, Row> grants = rows(connection, "id", expected.acknowledgedGrants.keySet());
            expected.acknowledgedGrants.forEach((id, entry) -> {
                Row row = grants.get(id);
                if (row == null || !row.kind().equals("grant") || row.amount() != entry.amount()) {
                    violations.add("acknowledged grant " + id + " is " + (row == null ? "missing" : "wrong: " + row));
                }
            });
            Map<UUID, Row> reverts = rows(connection, "reverted_usage_id", expected.acknowledgedReverts);
            expected.acknowledgedReverts.stream().filter(id -> !reverts.containsKey(id))
                    .forEach(id -> violations.add("acknowledged revert of usage " + id + " is missing"));
            rows(connection, "id", expected.refusedUsages).keySet()
                    .forEach(id -> violations.add("refused usage " + id + " was applied"));
            List<UUID> batchIds = new ArrayList<>();
            expected.batches.forEach(batchIds::addAll);
            Map<UUID, Row> batchRows = rows(connection, "id", batchIds);
            for (List<UUID> batch : expected.batches) {
                long present = batch.stream().filter(batchRows::containsKey).count();
                if (present != 0 && present != batch.size()) {
                    violations.add("batch " + batch.get(0) + "… is half-applied: " + present + " of " + batch.size());
                }
            }
            violations.addAll(holdViolations(connection, expected));
            violations.addAll(grantViolations(connection, grants.keySet()));
            InvariantCheck.Result invariant = InvariantCheck.check(connection);
            if (invariant.violations() > 0) {
                violations.add(invariant.toString());
            }
        }
        return violations;
    }

    /**
     * Grants (DESIGN §13), beside InvariantCheck's sums: every acknowledged grant opened its grant
     * row; no usage took from a grant at or after its expires_at; no expiry is more than 120 s late
     * (the contract says 60 s while a process runs; the slack covers the run's restarts).
     */
    private static List<String> grantViolations(Connection connection, java.util.Set<UUID> grantIds)
            throws SQLException {
        List<String> violations = new ArrayList<>();
        try (java.sql.Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT
                       (SELECT COUNT(*) FROM billing_transactions t WHERE t.kind = 'grant'
                          AND NOT EXISTS (SELECT 1 FROM billing_grants g WHERE g.id = t.id)),
                       (SELECT COUNT(*) FROM billing_allocations l
                          JOIN billing_transactions t ON t.id = l.entry_id
                          JOIN billing_grants g ON g.id = l.grant_id
                          WHERE t.kind = 'usage' AND g.expires_at IS NOT NULL AND t.created_at >= g.expires_at),
                       (SELECT COUNT(*) FROM billing_grants g WHERE g.expiry_pending = TRUE
                          AND g.expires_at < CURRENT_TIMESTAMP - INTERVAL '120' SECOND)
                     """)) {
            rows.next();
            if (rows.getLong(1) > 0) {
                violations.add(rows.getLong(1) + " grant entries without their grant (of " + grantIds.size()
                        + " acknowledged)");
            }
            if (rows.getLong(2) > 0) {
                violations.add(rows.getLong(2) + " usage allocations took from a grant after its expires_at");
            }
            if (rows.getLong(3) > 0) {
                violations.add(rows.getLong(3) + " grants past expires_at by more than 120 s without their expiry");
            }
        }
        return violations;
    }

    /**
     * Every acknowledged hold is there, on its account with its amount (holds are placed by the usage
     * lanes' group commit, whose lost answers the clients retry with the same id). Every
     * acknowledged capture left its hold captured with that amount and debited exactly once
     * (its usage entry, on its account); every acknowledged release left its hold released. No hold
     * is in two states by the schema; InvariantCheck adds available never below credit_min.
     */
    private static List<String> holdViolations(Connection connection, Expectations expected) throws SQLException {
        List<String> violations = new ArrayList<>();
        Set<UUID> wanted = new HashSet<>(expected.acknowledgedHolds.keySet());
        wanted.addAll(expected.acknowledgedCaptures.keySet());
        wanted.addAll(expected.acknowledgedReleases);
        List<UUID> ids = new ArrayList<>(wanted);
        Map<UUID, String[]> holds = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT id, state, captured_amount, usage_id, account_id, amount FROM billing_holds WHERE id IN ("
                            + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
                for (int index = 0; index < chunk.size(); index++) {
                    statement.setObject(index + 1, chunk.get(index));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        holds.put(rows.getObject(1, UUID.class), new String[] {rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.getString(6)});
                    }
                }
            }
        }
        List<UUID> usageIds = new ArrayList<>();
        holds.values().stream().filter(hold -> hold[2] != null).forEach(hold -> usageIds.add(UUID.fromString(hold[2])));
        Map<UUID, Row> debits = rows(connection, "id", usageIds);
        expected.acknowledgedHolds.forEach((id, entry) -> {
            String[] hold = holds.get(id);
            if (hold == null || !hold[3].equals(entry.accountId()) || Long.parseLong(hold[4]) != entry.amount()) {
                violations.add("acknowledged hold " + id + " (" + entry.amount() + " on " + entry.accountId() + ") is "
                        + (hold == null ? "missing" : hold[4] + " on " + hold[3]));
            }
        });
        expected.acknowledgedCaptures.forEach((id, entry) -> {
            String[] hold = holds.get(id);
            if (hold == null || !hold[0].equals("captured") || Long.parseLong(hold[1]) != entry.amount()) {
                violations.add("acknowledged capture of hold " + id + " (" + entry.amount() + ") left it "
                        + (hold == null ? "missing" : hold[0] + " with " + hold[1]));
                return;
            }
            Row debit = debits.get(UUID.fromString(hold[2]));
            boolean debitedOnce = entry.amount() == 0 ? debit == null
                    : debit != null && debit.kind().equals("usage") && debit.amount() == entry.amount()
                            && debit.accountId().equals(entry.accountId());
            if (!debitedOnce) {
                violations.add("acknowledged capture of hold " + id + " is debited wrongly: " + debit);
            }
        });
        expected.acknowledgedReleases.forEach(id -> {
            String[] hold = holds.get(id);
            if (hold == null || !hold[0].equals("released")) {
                violations.add("acknowledged release of hold " + id + " left it " + (hold == null ? "missing" : hold[0]));
            }
        });
        return violations;
    }

    /** Ledger rows whose {@code column} is one of {@code ids}, keyed by that column. */
    private static Map<UUID, Row> rows(Connection connection, String column, Collection<UUID> ids) throws SQLException {
        Map<UUID, Row> found = new HashMap<>();
        List<UUID> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + column + ", account_id, amount, kind FROM billing_transactions WHERE " + column
                            + " IN (" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
                for (int index = 0; index < chunk.size(); index++) {
                    statement.setObject(index + 1, chunk.get(index));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.put(rows.getObject(1, UUID.class), new Row(rows.getObject(2, UUID.class).toString(),
                                rows.getLong(3), rows.getString(4)));
                    }
                }
            }
        }
        return found;
    }
}
