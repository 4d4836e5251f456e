package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.Metadata;
import dev.tally.storage.BatchWrites;
import dev.tally.storage.CopyRows;
import dev.tally.testing.StatementLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.tally.billing.ledger.LedgerTestData.NOW;
import static dev.tally.billing.ledger.LedgerTestData.usage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large batches on PostgreSQL are written with COPY (docs/adr/0005, addendum 2026-12-03): the rows
 * must be exactly those the INSERT writes, and a refused row must still fail its own request only.
 * On H2 the same tests run the INSERT, which is what the COPY'd rows are compared with.
 */
class CopiedBatchTest {
    @RegisterExtension
    static final LedgerTestData DATA = new LedgerTestData();

    /** Text that COPY's text format must escape, or would read as something else. */
    private static final List<String> AWKWARD = List.of("tab\there", "line\nbreak", "carriage\rreturn",
            "back\\slash", "\\N", "", "ünïcødé ✓ 😀", "'quoted' \"double\"", "\\t literally");

    private final LedgerRepository ledger = new LedgerRepository(DATA.database().batchWrites());

    @Test
    void aCopiedBatchStoresWhatTheInsertStores() {
        UUID account = DATA.account(0, 0, true);
        List<NewEntry> copied = entries(account, CopyRows.ROWS_MIN + AWKWARD.size());
        List<NewEntry> inserted = entries(account, AWKWARD.size());

        DATA.database().inTransaction(connection -> {
            ledger.insert(connection, copied, id -> -7);
            for (NewEntry entry : inserted) {
                ledger.insert(connection, List.of(entry), id -> -7); // one row: always the INSERT
            }
            return null;
        });

        for (int index = 0; index < inserted.size(); index++) {
            assertThat(stored(copied.get(index).entry().id())).as("copied row " + index)
                    .isEqualTo(stored(inserted.get(index).entry().id()));
            assertThat(stored(copied.get(index).entry().id()).get(4)).isEqualTo(AWKWARD.get(index));
            assertThat(stored(copied.get(index).entry().id()).get(9)).as("created_by")
                    .isEqualTo("serviceuser:" + AWKWARD.get(index));
        }
        assertThat(stored(copied.get(copied.size() - 1).entry().id())).endsWith("-7");
    }

    @Test
    void aCopiedBatchEncodesLoneSurrogatesAsTheInsertDoes() {
        // Not text a client can send as JSON, but the repository's rows must not depend on the path.
        List<String> lone = List.of("\uD800", "a\uDC00b", "end\uD83D", "\uDE00\uD83D", "\uD83D\uDE00\uD83D");
        UUID account = DATA.account(0, 0, true);
        List<NewEntry> copied = new ArrayList<>();
        for (int index = 0; index < CopyRows.ROWS_MIN; index++) {
            copied.add(entry(account, lone.get(index % lone.size())));
        }
        List<NewEntry> inserted = lone.stream().map(text -> entry(account, text)).toList();

        DATA.database().inTransaction(connection -> {
            ledger.insert(connection, copied, id -> 0);
            for (NewEntry entry : inserted) {
                ledger.insert(connection, List.of(entry), id -> 0);
            }
            return null;
        });

        for (int index = 0; index < inserted.size(); index++) {
            assertThat(stored(copied.get(index).entry().id())).as("copied row " + index)
                    .isEqualTo(stored(inserted.get(index).entry().id()));
        }
    }

    private static NewEntry entry(UUID account, String text) {
        return new NewEntry(new LedgerEntry(UUID.randomUUID(), account, EntryKind.USAGE, 1, "s", text, "",
                Metadata.EMPTY, Optional.empty(), NOW), "test");
    }

    @Test
    void aCopiedBatchsAllocationsAreWhatTheInsertWrites() {
        UUID entryId = UUID.randomUUID();
        List<Allocation> allocations = new ArrayList<>();
        for (int order = 0; order < CopyRows.ROWS_MIN; order++) {
            allocations.add(new Allocation(entryId, order, Optional.empty(), order + 1));
        }
        UUID account = DATA.account(0, 0, true);
        DATA.database().inTransaction(connection -> {
            ledger.insert(connection, List.of(new NewEntry(new LedgerEntry(entryId, account, EntryKind.USAGE, 1, "s",
                    "", "", Metadata.EMPTY, Optional.empty(), NOW), "test")), id -> 0);
            new GrantRepository(DATA.database().batchWrites()).insertAllocations(connection, allocations);
            return null;
        });

        List<Allocation> stored = DATA.database().inTransaction(
                connection -> new GrantRepository(DATA.database().batchWrites()).allocations(connection, entryId));
        assertThat(stored).isEqualTo(allocations);
    }

    @Test
    void aDuplicateInACopiedGroupFailsItsRequestAloneAndTheOthersAreCopied() {
        UUID account = DATA.account(10_000, 0, true);
        UUID recorded = UUID.randomUUID();
        apply(LedgerTestData.request(account, usage(recorded, 1)));
        List<NewUsage> withDuplicate = usages(CopyRows.ROWS_MIN);
        withDuplicate.set(CopyRows.ROWS_MIN / 2, usage(recorded, 1));
        List<NewUsage> fresh = usages(CopyRows.ROWS_MIN);
        StatementLog log = new StatementLog();

        boolean copies = DATA.database().batchWrites() == BatchWrites.COPY_LARGE;
        List<UsageOutcome> outcomes = DATA.database().inTransaction(connection -> {
            List<UsageOutcome> decided = new UsageGroup(new BillingAccountRepository(DATA.database().batchWrites()), ledger).apply(
                    log.wrap(connection), List.of(request(account, withDuplicate), request(account, fresh)), NOW);
            // On PostgreSQL both passes copy (the first refused, the second knowing the recorded id).
            assertThat(log.count("insert into billing_transactions")).as(String.join("\n", log.statements()))
                    .isEqualTo(copies ? 0 : 2);
            return decided;
        });

        assertThat(outcomes).extracting(UsageOutcome::result)
                .containsExactly(UsageOutcome.Result.DUPLICATE_ID, UsageOutcome.Result.APPLIED);
        assertThat(DATA.balance(account)).isEqualTo(10_000 - 1 - CopyRows.ROWS_MIN)
                .isEqualTo(DATA.ledgerSum(account));
        assertThat(DATA.isRecorded(fresh.get(0).id())).isTrue();
        assertThat(DATA.isRecorded(withDuplicate.get(0).id())).isFalse();
    }

    private static List<NewEntry> entries(UUID account, int count) {
        List<NewEntry> entries = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            String text = AWKWARD.get(index % AWKWARD.size());
            entries.add(new NewEntry(new LedgerEntry(UUID.randomUUID(), account, EntryKind.USAGE, index + 1, text,
                    text, text,
                    new Metadata("{\"k\":\"a\\tb\\\\c\",\"u\":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"")
                            .replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r") + "\"}"),
                    Optional.empty(), NOW.plusNanos(123_456_000L)), "serviceuser:" + text));
        }
        return entries;
    }

    /** Every stored column but the id, as text. */
    private static List<String> stored(UUID id) {
        return DATA.database().inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT account_id, kind, type, amount,"
                    + " source, description, user_id, metadata, reverted_usage_id, created_by, created_at,"
                    + " balance_after FROM billing_transactions WHERE id = ?")) {
                statement.setObject(1, id);
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    List<String> columns = new ArrayList<>();
                    for (int column = 1; column <= 12; column++) {
                        columns.add(column == 11 ? dev.tally.storage.Sql.instant(rows, column).toString()
                                : String.valueOf(rows.getObject(column)));
                    }
                    return columns;
                }
            }
        });
    }

    private static List<NewUsage> usages(int count) {
        List<NewUsage> usages = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            usages.add(usage(UUID.randomUUID(), 1));
        }
        return usages;
    }

    private static UsageRequest request(UUID account, List<NewUsage> usages) {
        return LedgerTestData.request(account, usages.toArray(NewUsage[]::new));
    }

    private void apply(UsageRequest request) {
        DATA.database().inTransaction(connection -> new UsageGroup(new BillingAccountRepository(DATA.database().batchWrites()), ledger)
                .apply(connection, List.of(request), NOW));
    }
}
