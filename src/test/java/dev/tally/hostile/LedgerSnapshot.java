package dev.tally.hostile;

import dev.tally.hostile.World.AccountRef;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state a hostile request could have changed: for each watched account its balance as the API
 * answers it, the stored balance, the sum of its ledger and its entry count; and every row of every
 * table of the schema (read from the database's catalogue, so a table added later is watched too,
 * {@code idempotency_keys} included). Taken before and after each case, and compared.
 */
record LedgerSnapshot(Map<String, AccountView> accounts, Map<String, Map<String, Map<String, String>>> tables) {
    /**
     * Tables written from a usage decision in its own transaction rather than by the request's data:
     * the hourly usage rollups (DESIGN §11), the webhook outbox and the alert state (§14). An accepted
     * change adds or updates their rows, and a debit refused for insufficient credits is meant to raise
     * balance.depleted (an outbox row and the alert's crossing state); and the grants and allocations
     * every credit and debit writes (§13). They are compared with the ledger elsewhere (InvariantCheck's
     * rollup and grant checks, BillingEventsTest, AlertsApiTest, GrantsTest), not here.
     */
    static final Set<String> DERIVED_TABLES = Set.of("usage_rollups", "webhook_events", "billing_alerts",
            "billing_grants", "billing_allocations"); // grants (DESIGN §13): checked against the ledger by InvariantCheck

    /** The billing_accounts columns that a new ledger entry on the account is meant to change. */
    static final Set<String> BALANCE_COLUMNS = Set.of("balance", "debited", "balance_updated_at", "debt");

    /** One account as seen through the API and in the database. */
    record AccountView(long apiBalance, long storedBalance, long ledgerSum, long entryCount) {}

    static LedgerSnapshot take(TallyServer server, Collection<AccountRef> watched) {
        Map<String, AccountView> accounts = new LinkedHashMap<>();
        for (AccountRef account : watched) {
            Reply balance = server.admin().get(account.path() + "/balance");
            assertThat(balance.status()).as(balance.toString()).isEqualTo(200);
            AccountView view = new AccountView(Long.parseLong(balance.body().path("balance").path("amount").asText()),
                    server.storedBalance(account.accountId()), server.ledgerSum(account.accountId()),
                    server.entryCount(account.accountId()));
            assertThat(view.storedBalance()).as("stored balance = credits - debits of " + account)
                    .isEqualTo(view.ledgerSum()).isEqualTo(view.apiBalance());
            accounts.put(account.accountId(), view);
        }
        Map<String, Map<String, Map<String, String>>> tables = new TreeMap<>();
        for (String table : server.schemaTables()) {
            tables.put(table, server.tableRows(table));
        }
        return new LedgerSnapshot(accounts, tables);
    }

    /** Asserts that nothing at all differs from {@code before}: no row of any table added, changed or gone. */
    void assertUnchangedSince(LedgerSnapshot before, String label) {
        assertThat(accounts).as("watched accounts after " + label).isEqualTo(before.accounts);
        assertThat(tables.keySet()).as("tables after " + label).isEqualTo(before.tables.keySet());
        tables.forEach((table, rows) -> {
            if (DERIVED_TABLES.contains(table)) {
                return;
            }
            Map<String, Map<String, String>> old = before.tables.get(table);
            assertThat(rows.keySet()).as(table + " rows added or deleted by " + label)
                    .containsExactlyInAnyOrderElementsOf(old.keySet());
            assertThat(changedRows(old, rows)).as(table + " rows changed by " + label).isEmpty();
        });
    }

    /**
     * Asserts that exactly {@code change} happened since {@code before}, and nothing else: the new rows
     * it names, the watched balances and entry counts it names, and on a touched account's row only
     * the columns that change may move (its balance by exactly the change's delta); every other row of
     * every table as it was.
     */
    void assertChangedSince(LedgerSnapshot before, Change change, String label) {
        before.accounts.forEach((id, view) -> {
            AccountView now = accounts.get(id);
            assertThat(now.apiBalance()).as("balance of " + id + " after " + label)
                    .isEqualTo(view.apiBalance() + change.balance(id));
            assertThat(now.entryCount()).as("entries of " + id + " after " + label)
                    .isEqualTo(view.entryCount() + change.entries(id));
        });
        tables.forEach((table, rows) -> {
            if (DERIVED_TABLES.contains(table)) {
                return;
            }
            Map<String, Map<String, String>> old = before.tables.get(table);
            assertThat(rows.size()).as("rows of " + table + " after " + label)
                    .isEqualTo(old.size() + change.rows(table));
            assertThat(rows.keySet()).as(table + " rows deleted by " + label).containsAll(old.keySet());
            Map<String, String> changed = new HashMap<>();
            old.forEach((key, row) -> {
                Map<String, String> now = rows.get(key);
                Map<String, String> expected = new LinkedHashMap<>(row);
                if (table.equals("billing_accounts") && change.touched().containsKey(key)) {
                    change.touched().get(key).forEach(column -> expected.put(column, now.get(column)));
                    if (change.touched().get(key).contains("balance")) {
                        expected.put("balance", Long.toString(Long.parseLong(row.get("balance")) + change.balance(key)));
                    }
                }
                if (!expected.equals(now)) {
                    changed.put(key, row + "  ==>  " + now);
                }
            });
            assertThat(changed).as(table + " rows updated by " + label).isEmpty();
        });
    }

    /** Rows of {@code before} that are different now. */
    private static Map<String, String> changedRows(Map<String, Map<String, String>> before,
                                                   Map<String, Map<String, String>> after) {
        Map<String, String> changed = new HashMap<>();
        before.forEach((id, row) -> {
            if (after.containsKey(id) && !row.equals(after.get(id))) {
                changed.put(id, row + "  ==>  " + after.get(id));
            }
        });
        return changed;
    }

    @Override
    public String toString() {
        return accounts + " " + tables.entrySet().stream().map(table -> table.getKey() + "=" + table.getValue().size())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /**
     * What a request that succeeds is meant to change: new rows per table, balances and entries of
     * accounts, and for each touched account the columns of its row that may change.
     */
    record Change(Map<String, Long> rowDeltas, Map<String, Long> balanceDeltas, Map<String, Long> entryDeltas,
                  Map<String, Set<String>> touched) {
        static Change none() {
            return new Change(Map.of(), Map.of(), Map.of(), Map.of());
        }

        /** {@code count} more rows in {@code table}. */
        Change rows(String table, long count) {
            return new Change(with(rowDeltas, table, count), balanceDeltas, entryDeltas, touched);
        }

        /** An admin change that is not a ledger entry: one more row of the audit trail (DESIGN §15). */
        Change audited() {
            return rows("audit_log", 1);
        }

        /** {@code count} new entries moving the account's balance by {@code delta}. */
        Change entries(String accountId, long count, long delta) {
            return new Change(with(rowDeltas, "billing_transactions", count), with(balanceDeltas, accountId, delta),
                    with(entryDeltas, accountId, count), plus(touched, accountId, BALANCE_COLUMNS));
        }

        /** The account's row changes in {@code columns} (state, limits) and its updated_at, without new entries. */
        Change touches(String accountId, String... columns) {
            Set<String> allowed = Stream.concat(Stream.of(columns), Stream.of("updated_at")).collect(Collectors.toSet());
            return new Change(rowDeltas, balanceDeltas, entryDeltas, plus(touched, accountId, allowed));
        }

        long rows(String table) {
            return rowDeltas.getOrDefault(table, 0L);
        }

        long balance(String accountId) {
            return balanceDeltas.getOrDefault(accountId, 0L);
        }

        long entries(String accountId) {
            return entryDeltas.getOrDefault(accountId, 0L);
        }

        private static Map<String, Long> with(Map<String, Long> map, String key, long delta) {
            Map<String, Long> copy = new HashMap<>(map);
            copy.merge(key, delta, Long::sum);
            return Map.copyOf(copy);
        }

        private static Map<String, Set<String>> plus(Map<String, Set<String>> map, String accountId,
                                                     Set<String> columns) {
            Map<String, Set<String>> copy = new HashMap<>(map);
            copy.merge(accountId, Set.copyOf(columns), (a, b) -> Stream.concat(a.stream(), b.stream())
                    .collect(Collectors.toUnmodifiableSet()));
            return Map.copyOf(copy);
        }
    }
}
