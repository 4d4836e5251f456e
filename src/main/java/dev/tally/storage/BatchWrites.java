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

    /** Whether a batch of {@code rows} rows goes by COPY. */
    public boolean copies(int rows) {
        return this == COPY_LARGE && rows >= CopyRows.ROWS_MIN;
    }
}
