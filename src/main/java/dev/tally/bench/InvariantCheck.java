package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpMethod;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Collection;

/**
 * The ledger's conservation rules, checked after a run: every stored balance equals credits minus
 * debits of the account's entries, the stored debited total equals usage minus reverts, no usage is
 * reverted twice, no balance is below its credit_min (but by what grants' expiries took, see
 * {@link #EXPIRED}), every entry's running balance equals the sum
 * of the account's entries up to its instant, and the usage rollups sum to the ledger's usage and reverts.
 * Holds (DESIGN §12): every captured hold with a non-zero capture has exactly its usage debit in the
 * ledger, on its account, and no account's available balance (balance minus its live holds) is below
 * its credit_min (with the same allowance for expiries).
 * Grants (DESIGN §13): each account's grants' remaining minus its debt equals its balance, each
 * debit's allocations sum to its amount (debits from before grants existed have none), no grant's
 * remaining is below 0 or above its amount, and no grant whose expiry entry is written keeps a remainder.
 * References: every entry's account and every allocation's entry and grant exist (on PostgreSQL no
 * foreign key checks them per row any more, ADR 0005 addendum of 2026-12-02, so this check does).
 */
public final class InvariantCheck {
    /**
     * What expiries took from the account (ADR 0011, addendum): a grant that expires under a live
     * hold leaves the hold's capture to debt, so balance and available may fall below credit_min
     * by up to this much, and by nothing else.
     */
    private static final String EXPIRED = "SELECT COALESCE(SUM(x.amount), 0) FROM billing_transactions x"
            + " WHERE x.account_id = a.id AND x.kind = 'expiry'";
    private static final String DB_CHECKS = """
            SELECT
              (SELECT COUNT(*) FROM billing_accounts a WHERE a.balance <> (
                 SELECT COALESCE(SUM(CASE WHEN t.type = 'credit' THEN t.amount ELSE -t.amount END), 0)
                 FROM billing_transactions t WHERE t.account_id = a.id)),
              (SELECT COUNT(*) FROM billing_accounts a WHERE a.debited <> (
                 SELECT COALESCE(SUM(CASE WHEN t.kind = 'usage' THEN t.amount WHEN t.kind = 'revert' THEN -t.amount
                                          ELSE 0 END), 0)
                 FROM billing_transactions t WHERE t.account_id = a.id)),
              (SELECT COUNT(*) FROM (SELECT reverted_usage_id FROM billing_transactions
                 WHERE reverted_usage_id IS NOT NULL GROUP BY reverted_usage_id HAVING COUNT(*) > 1) twice),
              (SELECT COUNT(*) FROM billing_accounts a WHERE CAST(a.balance AS DECIMAL(38)) + (%1$s) < a.credit_min),
              (SELECT COUNT(*) FROM billing_accounts),
              (SELECT COUNT(*) FROM (
                 SELECT balance_after, SUM(CASE WHEN type = 'credit' THEN amount ELSE -amount END) OVER (
                   PARTITION BY account_id ORDER BY created_at RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                   AS running
                 FROM billing_transactions) entries WHERE balance_after <> running),
              (SELECT COUNT(*) FROM billing_accounts a WHERE
                 (SELECT COALESCE(SUM(usage_amount), 0) FROM usage_rollups r WHERE r.account_id = a.id)
                   <> (SELECT COALESCE(SUM(amount), 0) FROM billing_transactions t
                       WHERE t.account_id = a.id AND t.kind = 'usage')
                 OR (SELECT COALESCE(SUM(reverted_amount), 0) FROM usage_rollups r WHERE r.account_id = a.id)
                   <> (SELECT COALESCE(SUM(amount), 0) FROM billing_transactions t
                       WHERE t.account_id = a.id AND t.kind = 'revert')
                 OR (SELECT COALESCE(SUM(usage_count), 0) FROM usage_rollups r WHERE r.account_id = a.id)
                   <> (SELECT COUNT(*) FROM billing_transactions t WHERE t.account_id = a.id AND t.kind = 'usage')),
              (SELECT COUNT(*) FROM billing_holds h WHERE h.state = 'captured' AND h.captured_amount > 0
                 AND NOT EXISTS (SELECT 1 FROM billing_transactions t WHERE t.id = h.usage_id
                   AND t.account_id = h.account_id AND t.kind = 'usage' AND t.amount = h.captured_amount)),
              (SELECT COUNT(*) FROM billing_accounts a WHERE CAST(a.balance AS DECIMAL(38)) + (%1$s) - (
                 SELECT COALESCE(SUM(h.amount), 0) FROM billing_holds h WHERE h.account_id = a.id
                   AND h.state = 'held' AND h.expires_at > CURRENT_TIMESTAMP) < a.credit_min),
              (SELECT COUNT(*) FROM billing_accounts a WHERE a.balance <> (
                 SELECT COALESCE(SUM(g.remaining), 0) FROM billing_grants g WHERE g.account_id = a.id) - a.debt),
              (SELECT COUNT(*) FROM billing_transactions t WHERE t.type = 'debit'
                 AND EXISTS (SELECT 1 FROM billing_allocations l WHERE l.entry_id = t.id)
                 AND t.amount <> (SELECT SUM(l.amount) FROM billing_allocations l WHERE l.entry_id = t.id)),
              (SELECT COUNT(*) FROM billing_grants WHERE remaining < 0 OR remaining > amount),
              (SELECT COUNT(*) FROM billing_grants
                 WHERE expires_at IS NOT NULL AND expiry_pending = FALSE AND remaining > 0),
              (SELECT COUNT(*) FROM billing_transactions t
                 WHERE NOT EXISTS (SELECT 1 FROM billing_accounts a WHERE a.id = t.account_id))
                + (SELECT COUNT(*) FROM billing_allocations l
                   WHERE NOT EXISTS (SELECT 1 FROM billing_transactions t WHERE t.id = l.entry_id)
                      OR (l.grant_id IS NOT NULL
                          AND NOT EXISTS (SELECT 1 FROM billing_grants g WHERE g.id = l.grant_id)))
                + (SELECT COUNT(*) FROM billing_holds h
                   WHERE NOT EXISTS (SELECT 1 FROM billing_accounts a WHERE a.id = h.account_id))
            """.formatted(EXPIRED);

    private InvariantCheck() {}

    /** What the database check found. */
    public record Result(long accounts, long balanceMismatches, long debitedMismatches, long revertedTwice,
                         long belowMinimum, long runningBalanceMismatches, long rollupMismatches,
                         long captureMismatches, long availableBelowMinimum, long grantSumMismatches,
                         long allocationMismatches, long grantsOutOfRange, long expiredWithRemainder,
                         long danglingReferences) {
        public long violations() {
            return balanceMismatches + debitedMismatches + revertedTwice + belowMinimum + runningBalanceMismatches
                    + rollupMismatches + captureMismatches + availableBelowMinimum + grantSumMismatches
                    + allocationMismatches + grantsOutOfRange + expiredWithRemainder + danglingReferences;
        }

        @Override
        public String toString() {
            return String.format("invariant (database, %d accounts): balance mismatches %d, debited mismatches %d,"
                            + " usages reverted twice %d, balances below credit_min %d, running-balance mismatches %d,"
                            + " accounts whose usage rollups differ from the ledger %d, captured holds without"
                            + " their one debit %d, available below credit_min %d, accounts whose grants' remaining"
                            + " minus debt is not the balance %d, debits whose allocations do not sum to them %d,"
                            + " grants with remaining out of range %d, expired grants keeping a remainder %d,"
                            + " entries, allocations or holds naming a missing account, entry or grant %d => %s",
                    accounts, balanceMismatches, debitedMismatches, revertedTwice, belowMinimum,
                    runningBalanceMismatches, rollupMismatches, captureMismatches, availableBelowMinimum,
                    grantSumMismatches, allocationMismatches, grantsOutOfRange, expiredWithRemainder, danglingReferences,
                    violations() == 0 ? "OK, 0 violations" : "VIOLATED (" + violations() + ")");
        }
    }

    /** Checks every account in the database directly. */
    public static Result check(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(DB_CHECKS)) {
            rows.next();
            return new Result(rows.getLong(5), rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                    rows.getLong(6), rows.getLong(7), rows.getLong(8), rows.getLong(9), rows.getLong(10),
                    rows.getLong(11), rows.getLong(12), rows.getLong(13), rows.getLong(14));
        }
    }

    /** After a bench run: every account via the database when its URL is known, else these accounts via the API. */
    static String after(BenchApi api, String jdbcUrl, BenchApi.BenchAccounts accounts) throws SQLException {
        if (jdbcUrl != null) {
            return viaDatabase(jdbcUrl);
        }
        return viaApi(api, accounts.orgId(), Arrays.asList(accounts.accountIds()));
    }

    static String viaDatabase(String jdbcUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            return check(connection).toString();
        }
    }

    /** Checks the given accounts through the API: balance against the sum of the listed entries, page by page. */
    static String viaApi(BenchApi api, String orgId, Collection<String> accountIds) {
        long mismatches = 0;
        for (String accountId : accountIds) {
            String path = "/v1beta1/organizations/" + orgId + "/billing/" + accountId;
            long balance = api.call(HttpMethod.GET, path + "/balance", null).path("balance").path("amount").asLong();
            long sum = 0;
            String token = "";
            do {
                JsonNode page = api.call(HttpMethod.GET, path + "/transactions?page_size=1000"
                        + (token.isEmpty() ? "" : "&page_token=" + token), null);
                for (JsonNode entry : page.path("transactions")) {
                    long amount = entry.path("amount").asLong();
                    sum += "credit".equals(entry.path("type").asText()) ? amount : -amount;
                }
                token = page.path("next_page_token").asText();
            } while (!token.isEmpty());
            if (sum != balance) {
                mismatches++;
            }
        }
        return String.format("invariant (API, %d accounts): balance mismatches %d => %s", accountIds.size(),
                mismatches, mismatches == 0 ? "OK, 0 violations" : "VIOLATED (" + mismatches + ")");
    }
}
