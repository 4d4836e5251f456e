package dev.tally.storage;

import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What decides COPY for a batch (the database's kind, once), and what COPY's rows accept. */
class CopyRowsTest {
    @Test
    void aDatabaseCopiesLargeBatchesOnlyOnPostgresql() {
        try (TestDatabase testDatabase = TestDatabase.create()) {
            BatchWrites batchWrites = testDatabase.database().batchWrites();

            assertThat(batchWrites).isEqualTo(testDatabase.kindName().equals("postgres")
                    ? BatchWrites.COPY_LARGE : BatchWrites.INSERT);
            assertThat(batchWrites.copies(CopyRows.ROWS_MIN - 1)).isFalse();
            assertThat(batchWrites.copies(CopyRows.ROWS_MIN)).isEqualTo(batchWrites == BatchWrites.COPY_LARGE);
        }
    }

    @Test
    void aTimeFinerThanAMicrosecondIsRefusedRatherThanRoundedByTheServer() {
        CopyRows rows = new CopyRows(1);
        rows.timestamp(Instant.parse("2026-01-01T00:00:00.123456Z"));

        assertThatThrownBy(() -> rows.timestamp(Instant.parse("2026-01-01T00:00:00.1234565Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestamp: 2026-01-01T00:00:00.123456500Z (expected: a whole microsecond)");
    }
}
