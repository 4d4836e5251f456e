package dev.tally.billing.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * An entry as {@link LedgerRepository#insert} writes it: with the principal that caused it, stored
 * in the audit column {@code created_by} as every table stores its rows' creator. Only the insert
 * needs it, so it travels here rather than in {@link LedgerEntry}, which the reads return.
 */
record NewEntry(LedgerEntry entry, String createdBy) {
    /** The entries, all caused by one principal. */
    static List<NewEntry> all(List<LedgerEntry> entries, String createdBy) {
        List<NewEntry> all = new ArrayList<>(entries.size());
        entries.forEach(entry -> all.add(new NewEntry(entry, createdBy)));
        return all;
    }
}
