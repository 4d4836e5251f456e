package dev.tally.storage;

/**
 * How a repository writes a batch of rows on this database: by {@link CopyRows COPY} when the
 * database is PostgreSQL and the batch is large enough to pay, else by the batched INSERT. Decided
 * once, from the database's kind ({@link Database#batchWrites}), and given to the repositories
 * that write batches, rather than asked of every batch's connection.
 */
public enum BatchWrites {
    /** H2: every batch by the INSERT. */
    INSERT,
    /** PostgreSQL: batches of {@link CopyRows#ROWS_MIN} rows or more by COPY, smaller ones by the INSERT. */
    COPY_LARGE;

    /**
     * Whether an UPDATE of {@code rows} rows by key runs as one statement over arrays of their keys
     * and values ({@code UPDATE t SET … FROM UNNEST(?::uuid[], …) AS v(…) WHERE t.id = v.id}): on
     * PostgreSQL, where a JDBC batch is one execution per row; a spread group updates one account,
     * grant and rollup row per account (docs/adr/0005-write-path.md, addendum 2026-12-06).
     */
    public boolean updatesByArrays(int rows) {
        return this == COPY_LARGE && rows > 1;
    }

    /** Whether a batch of {@code rows} rows goes by COPY. */
    public boolean copies(int rows) {
        return this == COPY_LARGE && rows >= CopyRows.ROWS_MIN;
    }
}
