package dev.tally.billing.ledger;

import java.util.List;
import java.util.Optional;

/** One page of entries, newest first, and the token of the next page when there is one. */
public record TransactionPage(List<LedgerEntry> entries, Optional<String> nextPageToken) {}
