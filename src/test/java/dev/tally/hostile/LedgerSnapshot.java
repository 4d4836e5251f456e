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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state a hostile request could have changed: for each watched account its balance as the API
 * answers it, the stored balance, the sum of its ledger and its entry count; the row count of every
 * data table; and every row of them. Taken before and after each case, and compared.
 */
record LedgerSnapshot(Map<String, AccountView> accounts, Map<String, Long> rowCounts,
                      Map<String, Map<String, String>> tables) {

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
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Map<String, String>> tables = new TreeMap<>();
        for (String table : TallyServer.DATA_TABLES) {
            counts.put(table, server.rowCount(table));
            Map<String, String> rows = new TreeMap<>();
            server.tableRows(table).forEach(row -> rows.put(row.substring(0, row.indexOf(" ->")), row));
            tables.put(table, rows);
        }
        return new LedgerSnapshot(accounts, counts, tables);
    }

    /** Asserts that nothing at all differs from {@code before}. */
    void assertUnchangedSince(LedgerSnapshot before, String label) {
        assertThat(accounts).as("watched accounts after " + label).isEqualTo(before.accounts);
        assertThat(rowCounts).as("row counts after " + label).isEqualTo(before.rowCounts);
        tables.forEach((table, rows) -> assertThat(changedRows(before.tables.get(table), rows))
                .as(table + " rows changed by " + label).isEmpty());
    }

    /** Asserts that exactly {@code change} happened since {@code before}, and nothing else. */
    void assertChangedSince(LedgerSnapshot before, Change change, String label) {
        before.rowCounts.forEach((table, count) -> assertThat(rowCounts.get(table))
                .as("rows of " + table + " after " + label).isEqualTo(count + change.rows(table)));
        before.accounts.forEach((id, view) -> {
            AccountView now = accounts.get(id);
            assertThat(now.apiBalance()).as("balance of " + id + " after " + label)
                    .isEqualTo(view.apiBalance() + change.balance(id));
            assertThat(now.entryCount()).as("entries of " + id + " after " + label)
                    .isEqualTo(view.entryCount() + change.entries(id));
        });
        tables.forEach((table, rows) -> {
            Map<String, String> old = before.tables.get(table);
            Map<String, String> changed = changedRows(old, rows);
            if (table.equals("billing_accounts")) {
                changed.keySet().removeAll(change.touched());
            }
            assertThat(changed).as(table + " rows updated or deleted by " + label).isEmpty();
        });
    }

    /** Rows of {@code before} that are gone or different now; with no new rows expected, also rows added. */
    private static Map<String, String> changedRows(Map<String, String> before, Map<String, String> after) {
        Map<String, String> changed = new HashMap<>();
        before.forEach((id, row) -> {
            if (!row.equals(after.get(id))) {
                changed.put(id, row + "  ==>  " + after.get(id));
            }
        });
        return changed;
    }

    @Override
    public String toString() {
        return accounts + " " + rowCounts;
    }

    /** What a request that succeeds is meant to change: new rows, balances, entries, touched accounts. */
    record Change(Map<String, Long> rowDeltas, Map<String, Long> balanceDeltas, Map<String, Long> entryDeltas,
                  Set<String> touched) {
        static Change none() {
            return new Change(Map.of(), Map.of(), Map.of(), Set.of());
        }

        /** {@code count} more rows in {@code table}. */
        Change rows(String table, long count) {
            return new Change(with(rowDeltas, table, count), balanceDeltas, entryDeltas, touched);
        }

        /** {@code count} new entries moving the account's balance by {@code delta}. */
        Change entries(String accountId, long count, long delta) {
            return new Change(with(rowDeltas, "billing_transactions", count), with(balanceDeltas, accountId, delta),
                    with(entryDeltas, accountId, count), plus(touched, accountId));
        }

        /** The account's row changes (state, limits) without new entries. */
        Change touches(String accountId) {
            return new Change(rowDeltas, balanceDeltas, entryDeltas, plus(touched, accountId));
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

        private static Set<String> plus(Set<String> set, String value) {
            return java.util.stream.Stream.concat(set.stream(), java.util.stream.Stream.of(value))
                    .collect(Collectors.toUnmodifiableSet());
        }
    }
}
